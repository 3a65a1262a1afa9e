/**
 * The declarative parameter language every action module uses (one module per OSS action in
 * `actions/`). A schema is data: the validator, the serializer, the editor's generated forms and
 * the docs all read the same declaration.
 */
import type { OssErrorCode, Span } from './errors'

interface ParamBase {
  /** One line for the editor and the docs. */
  readonly doc: string
  /** OSS error code raised when the value is invalid (from `error-codes.ts`). */
  readonly ec?: string
  /** OSS `Code` for an invalid value (default InvalidArgument). */
  readonly code?: OssErrorCode
  /** Raised when the parameter is absent; absent parameters are otherwise optional. */
  readonly required?: { readonly ec?: string; readonly code?: OssErrorCode }
}

export interface IntParam extends ParamBase {
  readonly type: 'int'
  readonly min: number
  readonly max: number
  /** EC for a value that is not a number, where OSS gives that cause its own code (default `ec`). */
  readonly notNumberEc?: string
  readonly default?: number
  readonly unit?: 'px' | '%' | '°'
}

export interface EnumParam extends ParamBase {
  readonly type: 'enum'
  readonly values: readonly string[]
  /** Accepted spellings mapped to a canonical value (e.g. `jpeg` → `jpg`). */
  readonly aliases?: Readonly<Record<string, string>>
  readonly default?: string
  /** Labels for the editor, same order as values. */
  readonly labels?: readonly string[]
}

export interface ColorParam extends ParamBase {
  readonly type: 'color'
  readonly default?: string
}

/** URL-safe Base64 of UTF-8 text; the AST holds the decoded text. */
export interface Base64Param extends ParamBase {
  readonly type: 'base64'
  /** Maximum decoded length in UTF-8 bytes. */
  readonly maxBytes?: { readonly bytes: number; readonly ec: string; readonly message?: string }
  /** EC for a present-but-empty value (`watermark,text`). */
  readonly emptyEc?: string
  /** Allowed decoded values (watermark fonts). */
  readonly oneOf?: { readonly values: readonly string[]; readonly ec: string }
  readonly default?: string
}

export type ParamSpec = IntParam | EnumParam | ColorParam | Base64Param

export interface CheckContext {
  /** Span of the whole action, for errors about parameter combinations. */
  readonly span: Span
  /** Span of a given parameter's token, when present. */
  spanOf(param: string): Span | undefined
}

export interface ActionSchema {
  readonly name: string
  readonly title: string
  readonly summary: string
  readonly docUrl: string
  /**
   * Single-value operators (`rotate,90`) take one bare token, stored as the parameter `value`.
   * More than one bare token raises the table's `extra-value` EC (0040-00000203).
   */
  readonly bare?: ParamSpec
  /** Keyed parameters, in canonical order. */
  readonly params: Readonly<Record<string, ParamSpec>>
  /** A bare token accepted as another spelling of a keyed parameter (`quality,90` = `q_90`). */
  readonly bareAlias?: { readonly param: string; readonly ec: string }
  /** Raised when the action has no parameter at all (`image/resize`). */
  readonly whenEmpty?: { readonly ec: string; readonly code?: OssErrorCode; readonly expected: string }
  /** Rules on the raw token values, before each is parsed (a combination OSS reports first). */
  readonly precheck?: (raw: Readonly<Record<string, string>>, ctx: CheckContext) => void
  /** Cross-parameter rules. Receives explicitly given values only. */
  readonly check?: (params: Readonly<Record<string, string | number>>, ctx: CheckContext) => void
  /** Must be the only action of the chain (`info`). */
  readonly standalone?: boolean
}

type ValueOf<S> = S extends { readonly type: 'int' }
  ? number
  : S extends { readonly type: 'enum'; readonly values: readonly (infer V)[] }
    ? V
    : string

/** Explicitly given parameters of an action; defaults are applied by `withDefaults`. */
export type ParamsOf<S extends ActionSchema> = {
  -readonly [K in keyof S['params']]?: ValueOf<S['params'][K]>
} & (S['bare'] extends ParamSpec ? { value?: ValueOf<S['bare']> } : unknown)

export type ResolvedParamsOf<S extends ActionSchema> = {
  -readonly [K in keyof S['params'] as S['params'][K] extends { readonly default: unknown } ? K : never]-?: ValueOf<S['params'][K]>
} & ParamsOf<S>

/** Fills in documented defaults. */
export function withDefaults<S extends ActionSchema>(schema: S, params: ParamsOf<S>): ResolvedParamsOf<S> {
  const out: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(schema.params)) {
    if (spec.default !== undefined) out[key] = spec.default
  }
  if (schema.bare?.default !== undefined) out.value = schema.bare.default
  return { ...out, ...params } as ResolvedParamsOf<S>
}

/** "an integer between 1 and 16384", "one of lfit, mfit, fill, pad, fixed", … */
export function describeExpected(spec: ParamSpec): string {
  switch (spec.type) {
    case 'int':
      return spec.min === 0 && spec.max === 1 ? '0 or 1' : `an integer between ${spec.min} and ${spec.max}`
    case 'enum':
      return `one of ${spec.values.join(', ')}`
    case 'color':
      return 'a colour of 6 hex digits RRGGBB'
    case 'base64':
      return spec.oneOf ? `URL-safe Base64 of one of ${spec.oneOf.values.join(', ')}` : 'URL-safe Base64 text'
  }
}
