/**
 * The process-string AST: a validated, typed chain of steps with source spans, and its canonical
 * serializer. `parseProcess(serializeProcess(ast))` equals `ast` up to spans.
 */
import { ACTIONS, type ActionName, type ActionParams } from './actions'
import { WATERMARK_NESTED_ACTIONS, watermarkResize } from './actions/watermark'
import { encodeBase64Url, decodeBase64Url } from './base64url'
import { ecOf } from './error-codes'
import { ImgError, invalidParameter, quote, type Span } from './errors'
import { parseSyntax, type SyntaxAction, type SyntaxSaveAs, type Token } from './grammar'
import { LIMITS } from './limits'
import { describeExpected, type ActionSchema, type ParamSpec } from './schema'

export type Step = {
  [N in ActionName]: { readonly action: N; readonly params: ActionParams<N>; readonly span: Span }
}[ActionName]

export interface SaveAs {
  readonly object: string
  readonly bucket?: string | undefined
}

export type Process =
  | { readonly kind: 'image'; readonly steps: readonly Step[]; readonly saveAs?: SaveAs | undefined }
  | { readonly kind: 'style'; readonly name: string; readonly saveAs?: SaveAs | undefined }

/** A watermark image reference, split into the object key and its own (validated) chain. */
export interface WatermarkImageRef {
  readonly key: string
  readonly steps: readonly Step[]
}

const NESTED_MARKER = '?x-oss-process='
export const STYLE_NAME = /^[A-Za-z0-9_.-]{1,63}$/

function parseValue(schema: ActionSchema, param: string, spec: ParamSpec, token: Token, raw: string): string | number {
  const fail = (ec = spec.ec) =>
    invalidParameter({ action: schema.name, param, expected: describeExpected(spec), received: raw, ec, span: token.span, code: spec.code })
  switch (spec.type) {
    case 'int': {
      // OSS: "取值必须为正整数" — plain decimal digits only, no sign for positives, no fractions.
      if (!/^-?\d{1,9}$/.test(raw)) throw fail(spec.notNumberEc ?? spec.ec)
      const value = Number(raw) + 0 // `-0` → 0, so the AST is canonical
      if (value < spec.min || value > spec.max) throw fail()
      return value
    }
    case 'enum': {
      const value = spec.aliases?.[raw] ?? raw
      if (!spec.values.includes(value)) throw fail()
      return value
    }
    case 'color':
      if (!/^[0-9A-Fa-f]{6}$/.test(raw)) throw fail()
      return raw.toUpperCase()
    case 'base64': {
      if (raw === '' && spec.emptyEc) {
        throw new ImgError({ code: 'InvalidArgument', ec: spec.emptyEc, span: token.span, action: schema.name, param, message: `${schema.name}: expected non-empty URL-safe Base64 text for ${param} but received ""` })
      }
      const text = decodeBase64Url(raw)
      if (text === undefined || text === '') throw fail()
      if (spec.maxBytes && new TextEncoder().encode(text).length > spec.maxBytes.bytes) {
        throw new ImgError({
          code: 'InvalidArgument',
          ec: spec.maxBytes.ec,
          span: token.span,
          action: schema.name,
          param,
          message: `${schema.name}: expected at most ${spec.maxBytes.bytes} bytes of UTF-8 for ${param} but received ${new TextEncoder().encode(text).length} (${spec.maxBytes.message ?? 'too long'})`
        })
      }
      if (spec.oneOf && !spec.oneOf.values.includes(text)) {
        throw invalidParameter({ action: schema.name, param, expected: describeExpected(spec), received: text, ec: spec.oneOf.ec, span: token.span })
      }
      return text
    }
  }
}

function validateAction(node: SyntaxAction, registry: Readonly<Record<string, ActionSchema>>, where: string): Step {
  const schema = Object.hasOwn(registry, node.name) ? registry[node.name] : undefined
  if (!schema) {
    const known = Object.keys(registry).join(', ')
    throw new ImgError({
      code: 'InvalidArgument',
      ec: ecOf('*', '', 'unknown'),
      span: node.nameSpan,
      action: node.name,
      message: `${where}: expected an operator (one of ${known}) but received ${quote(node.name)}`
    })
  }
  const tokens = node.tokens
  if (tokens.length === 0 && schema.whenEmpty) {
    throw new ImgError({
      code: schema.whenEmpty.code ?? 'InvalidArgument',
      ec: schema.whenEmpty.ec,
      span: node.span,
      action: schema.name,
      message: `${schema.name}: expected ${schema.whenEmpty.expected} but received none`
    })
  }
  const params: Record<string, string | number> = {}
  const spans: Record<string, Span> = {}
  if (schema.precheck) {
    const raw = Object.fromEntries(tokens.filter((t) => t.key !== undefined).map((t) => [t.key!, t.value]))
    const tokenSpans = Object.fromEntries(tokens.filter((t) => t.key !== undefined).map((t) => [t.key!, t.span]))
    schema.precheck(raw, { span: node.span, spanOf: (p) => tokenSpans[p] })
  }
  let bareSeen = false
  for (const token of tokens) {
    if (schema.bare) {
      if (bareSeen) {
        throw new ImgError({ code: 'InvalidArgument', ec: ecOf('*', 'value', 'extra-value'), span: token.span, action: schema.name, message: `${schema.name}: expected a single value but received another one, ${quote(token.text)}` })
      }
      bareSeen = true
      params.value = parseValue(schema, '', schema.bare, token, token.text)
      spans.value = token.span
      continue
    }
    if (token.key === undefined && schema.bareAlias && /^-?\d+$/.test(token.text)) {
      const spec = schema.params[schema.bareAlias.param]!
      params[schema.bareAlias.param] = parseValue(schema, schema.bareAlias.param, { ...spec, ec: schema.bareAlias.ec }, token, token.text)
      spans[schema.bareAlias.param] = token.span
      continue
    }
    // `watermark,text` has no "_": the key is given, its value empty.
    const key = token.key ?? token.text
    const spec = Object.hasOwn(schema.params, key) ? schema.params[key] : undefined
    if (!spec) {
      const known = Object.keys(schema.params).join(', ')
      throw new ImgError({
        code: 'InvalidArgument',
        ec: ecOf('*', '', 'unknown'),
        span: token.span,
        action: schema.name,
        param: key,
        message: `${schema.name}: expected a parameter (one of ${known}) but received ${quote(token.text)}`
      })
    }
    // Project decision §1.2: a repeated key — the last occurrence wins.
    params[key] = parseValue(schema, key, spec, token, token.key === undefined ? '' : token.value)
    spans[key] = token.span
  }
  const required = schema.bare ? [['value', schema.bare] as const] : Object.entries(schema.params)
  for (const [key, spec] of required) {
    if (spec.required && params[key] === undefined) {
      throw new ImgError({
        code: spec.required.code ?? 'MissingArgument',
        ec: spec.required.ec,
        span: node.span,
        action: schema.name,
        param: key,
        message: `${schema.name}: expected ${describeExpected(spec)} for ${key === 'value' ? 'its value' : key} but received none`
      })
    }
  }
  schema.check?.(params, { span: node.span, spanOf: (p) => spans[p] })
  return { action: schema.name, params, span: node.span } as Step
}

const NESTED_REGISTRY: Readonly<Record<string, ActionSchema>> = Object.fromEntries(
  WATERMARK_NESTED_ACTIONS.map((name) => [name, name === 'resize' ? watermarkResize : ACTIONS[name]])
)

/** Splits and validates a watermark `image` value: `key` or `key?x-oss-process=image/...`. */
export function parseWatermarkImage(value: string, span: Span): WatermarkImageRef {
  const at = value.indexOf(NESTED_MARKER)
  if (at === -1) return { key: value, steps: [] }
  const nested = value.slice(at + NESTED_MARKER.length)
  try {
    const tree = parseSyntax(nested)
    if (tree.kind !== 'image' || tree.saveAs) throw new ImgError({ code: 'InvalidArgument', ec: ecOf('watermark', 'image', 'invalid'), message: `watermark: expected "image/..." after ?x-oss-process= in image but received ${quote(nested)}` })
    return { key: value.slice(0, at), steps: tree.actions.map((a) => validateAction(a, NESTED_REGISTRY, 'watermark image')) }
  } catch (error) {
    // Nested spans point into decoded Base64; report the whole image token instead.
    if (error instanceof ImgError) throw new ImgError({ code: error.code, ec: error.ec, action: 'watermark', param: 'image', span, message: error.message.startsWith('watermark image') ? error.message : `watermark image: ${error.message}` })
    throw error
  }
}

function parseSaveAs(node: SyntaxSaveAs): SaveAs {
  let object: string | undefined
  let bucket: string | undefined
  for (const token of node.tokens) {
    const decoded = token.key === 'o' || token.key === 'b' ? decodeBase64Url(token.value) : undefined
    if (decoded === undefined || decoded === '') {
      throw invalidParameter({ action: 'sys/saveas', param: token.key ?? token.text, expected: 'o_<Base64 object key> or b_<Base64 bucket>', received: token.text, span: token.span })
    }
    if (token.key === 'o') object = decoded
    else bucket = decoded
  }
  if (object === undefined) {
    throw new ImgError({ code: 'MissingArgument', span: node.span, action: 'sys/saveas', param: 'o', message: 'sys/saveas: expected o_<Base64 object key> but received none' })
  }
  return { object, bucket }
}

/** Parses and validates a whole x-oss-process value. Throws ImgError, never anything else. */
export function parseProcess(input: string): Process {
  const tree = parseSyntax(input)
  const saveAs = tree.saveAs ? parseSaveAs(tree.saveAs) : undefined
  if (tree.kind === 'style') {
    if (!STYLE_NAME.test(tree.name)) {
      // Spec §7: 0017-00000250 for the length (1–63), 0017-00000251 for the character set.
      const ec = tree.name.length === 0 || tree.name.length > 63 ? '0017-00000250' : '0017-00000251'
      throw new ImgError({ code: 'InvalidArgument', ec, span: tree.nameSpan, message: `The value: ${tree.name} of parameter: stylename is invalid.` })
    }
    if (tree.extra) {
      // Project decision §7: extra operations after a style are rejected.
      throw new ImgError({ code: 'InvalidArgument', span: tree.extra, message: `style: expected nothing after style/${tree.name} but received ${quote(input.slice(tree.extra.start, tree.extra.end))}` })
    }
    return { kind: 'style', name: tree.name, saveAs }
  }
  const steps = tree.actions.map((a) => validateAction(a, ACTIONS, 'image'))
  const standalone = steps.find((s) => (ACTIONS[s.action] as ActionSchema).standalone)
  if (standalone && steps.length > 1) {
    throw new ImgError({ code: 'InvalidArgument', span: standalone.span, action: standalone.action, message: `${standalone.action}: expected to be the only operation but received ${steps.length} operations` })
  }
  const images = new Set<string>()
  for (const step of steps) {
    if (step.action === 'watermark' && step.params.image !== undefined) {
      const ref = parseWatermarkImage(step.params.image, step.span)
      images.add(ref.key)
      if (images.size > LIMITS.maxWatermarkImages) {
        throw new ImgError({ code: 'InvalidArgument', ec: ecOf('watermark', 'image', 'too-many'), span: step.span, action: 'watermark', param: 'image', message: `watermark: expected at most ${LIMITS.maxWatermarkImages} different images but received ${images.size}` })
      }
    }
  }
  return { kind: 'image', steps, saveAs }
}

function serializeValue(spec: ParamSpec, value: string | number): string {
  return spec.type === 'base64' ? encodeBase64Url(String(value)) : String(value)
}

export function serializeStep(step: Step): string {
  const schema: ActionSchema = ACTIONS[step.action]
  const params = step.params as Readonly<Record<string, string | number | undefined>>
  const parts: string[] = [step.action]
  if (schema.bare && params.value !== undefined) parts.push(serializeValue(schema.bare, params.value))
  for (const [key, spec] of Object.entries(schema.params)) {
    const value = params[key]
    if (value !== undefined) parts.push(`${key}_${serializeValue(spec, value)}`)
  }
  return parts.join(',')
}

/** Canonical form: schema parameter order, duplicates resolved, Base64 URL-safe unpadded. */
export function serializeProcess(process: Process): string {
  const chain = process.kind === 'style' ? `style/${process.name}` : `image/${process.steps.map(serializeStep).join('/')}`
  if (!process.saveAs) return chain
  const bucket = process.saveAs.bucket === undefined ? '' : `,b_${encodeBase64Url(process.saveAs.bucket)}`
  return `${chain}|sys/saveas,o_${encodeBase64Url(process.saveAs.object)}${bucket}`
}
