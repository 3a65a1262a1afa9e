/**
 * Property tests for the IMG language, with arbitraries generated from the action schemas:
 *  (a) parseProcess is total: any string either parses or throws an ImgError whose span lies in the input;
 *  (b) serializeProcess is the canonical inverse of parseProcess on valid processes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACTIONS, type ActionName } from '../../../../src-shared/img/actions'
import { WATERMARK_NESTED_ACTIONS, watermarkResize } from '../../../../src-shared/img/actions/watermark'
import { encodeBase64Url } from '../../../../src-shared/img/base64url'
import { ImgError } from '../../../../src-shared/img/errors'
import { LIMITS } from '../../../../src-shared/img/limits'
import { parseProcess, serializeProcess, type Process, type SaveAs, type Step } from '../../../../src-shared/img/process'
import type { ActionSchema, ParamSpec } from '../../../../src-shared/img/schema'

type Params = Record<string, string | number>
interface GenStep {
  readonly action: string
  readonly params: Params
}

const SCHEMAS = Object.entries(ACTIONS) as [ActionName, ActionSchema][]
const NESTED_SCHEMAS: [string, ActionSchema][] = WATERMARK_NESTED_ACTIONS.map((name) => [name, name === 'resize' ? watermarkResize : ACTIONS[name]])
const NESTED_MARKER = '?x-oss-process='
const utf8Length = (text: string) => new TextEncoder().encode(text).length

/**
 * Cross-parameter rules the schemas express as `check`/`whenEmpty` code: at least one of these keys.
 * A test below fails if a schema gains such a rule without an entry here.
 */
const AT_LEAST_ONE: Readonly<Record<string, readonly string[]>> = {
  resize: ['w', 'h', 'l', 's', 'p'],
  indexcrop: ['x', 'y'],
  watermark: ['text', 'image'],
  quality: ['q', 'Q'],
  'nested resize': ['w', 'h', 'l', 's', 'p', 'P']
}

// ---------------------------------------------------------------------------------------------
// Value arbitraries

const codePoint = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c))
const oneCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
const textUnit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'abcXYZ 019,_/-+=?.!\uFEFF'.split('')) },
  { weight: 4, arbitrary: codePoint(0x4e00, 0x9fff) }, // CJK ideographs
  { weight: 1, arbitrary: codePoint(0x1f600, 0x1f64f) }, // emoji (surrogate pairs)
  { weight: 1, arbitrary: codePoint(0xac00, 0xd7a3) }, // Hangul
  { weight: 2, arbitrary: oneCodePoint }
)

/** Keeps whole code points while the UTF-8 length stays within `maxBytes`. */
function truncateUtf8(text: string, maxBytes: number): string {
  let out = ''
  for (const char of text) {
    if (utf8Length(out + char) > maxBytes) break
    out += char
  }
  return out
}

/** Watermark text: 1 to 64 UTF-8 bytes, CJK-heavy. */
const watermarkText = fc.string({ unit: textUnit, minLength: 1, maxLength: 40 }).map((t) => truncateUtf8(t, LIMITS.maxWatermarkTextBytes))

const objectKey = fc
  .string({ unit: fc.oneof(fc.constantFrom(...'abcdefgh0123456789/._-'.split('')), codePoint(0x4e00, 0x9fff), oneCodePoint), minLength: 1, maxLength: 16 })
  .filter((k) => !k.includes(NESTED_MARKER))

const hex = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'.split('')), minLength: 6, maxLength: 6 })

/** A valid value for a parameter, in the form the AST holds (decoded, canonical). */
function valueArb(path: string, spec: ParamSpec): fc.Arbitrary<string | number> {
  switch (spec.type) {
    case 'int':
      return fc.integer({ min: spec.min, max: spec.max })
    case 'enum':
      return fc.constantFrom(...spec.values)
    case 'color':
      return hex
    case 'base64':
      if (spec.oneOf) return fc.constantFrom(...spec.oneOf.values)
      if (path === 'watermark.image') return watermarkImage
      if (spec.maxBytes) return watermarkText
      return fc.string({ unit: textUnit, minLength: 1, maxLength: 20 })
  }
}

/** Params of one action, respecting required keys and AT_LEAST_ONE. */
function paramsArb(label: string, schema: ActionSchema): fc.Arbitrary<Params> {
  if (schema.bare) return valueArb(`${label}.value`, schema.bare).map((value) => ({ value }))
  const entries = Object.entries(schema.params)
  if (entries.length === 0) return fc.constant({})
  const model = Object.fromEntries(entries.map(([key, spec]) => [key, valueArb(`${label}.${key}`, spec)]))
  const requiredKeys = entries.filter(([, spec]) => spec.required).map(([key]) => key)
  const oneOf = AT_LEAST_ONE[label]
  return (fc.record(model, { requiredKeys }) as fc.Arbitrary<Params>).filter((p) => !oneOf || oneOf.some((k) => p[k] !== undefined))
}

/** A nested step rendered as text: `<action>,<v>` or `<action>,k_v,…` (no Base64 in nested ops). */
function renderNested(step: GenStep, schema: ActionSchema): string {
  if (schema.bare) return `${step.action},${step.params.value}`
  return [step.action, ...Object.keys(schema.params).filter((k) => step.params[k] !== undefined).map((k) => `${k}_${step.params[k]}`)].join(',')
}

const nestedStep = fc.oneof(
  ...NESTED_SCHEMAS.map(([name, schema]) => paramsArb(name === 'resize' ? 'nested resize' : name, schema).map((params) => renderNested({ action: name, params }, schema)))
)
const nestedChain = fc.array(nestedStep, { minLength: 1, maxLength: 3 }).chain((ops) =>
  fc.boolean().map((pipe) => `image/${ops.join(pipe ? '|image/' : '/')}`)
)

/** A watermark `image` value: a key, optionally with its own valid ?x-oss-process=image/… */
const watermarkImage: fc.Arbitrary<string> = fc.tuple(objectKey, fc.option(nestedChain, { nil: undefined })).map(([key, nested]) => (nested === undefined ? key : `${key}${NESTED_MARKER}${nested}`))

const stepArbs: Record<string, fc.Arbitrary<GenStep>> = Object.fromEntries(
  SCHEMAS.map(([name, schema]) => [name, paramsArb(name, schema).map((params) => ({ action: name, params }))])
)
const chainableStep = fc.oneof(...SCHEMAS.filter(([, s]) => !s.standalone).map(([name]) => stepArbs[name]!))
const standaloneChains = SCHEMAS.filter(([, s]) => s.standalone).map(([name]) => stepArbs[name]!.map((step) => [step]))

const distinctImages = (steps: readonly GenStep[]) =>
  new Set(steps.flatMap((s) => (s.action === 'watermark' && typeof s.params.image === 'string' ? [s.params.image.split(NESTED_MARKER)[0]!] : []))).size

const saveAsArb: fc.Arbitrary<SaveAs | undefined> = fc.option(
  fc.record({ object: fc.string({ unit: textUnit, minLength: 1, maxLength: 20 }), bucket: fc.option(fc.string({ unit: textUnit, minLength: 1, maxLength: 10 }), { nil: undefined }) }),
  { nil: undefined, freq: 4 }
)

const styleName = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-'.split('')), minLength: 1, maxLength: 63 })

const toStep = (s: GenStep) => ({ ...s, span: { start: 0, end: 0 } }) as unknown as Step

/** Any valid Process, as an AST (spans are placeholders). */
const validProcess: fc.Arbitrary<Process> = fc
  .oneof(
    { weight: 9, arbitrary: fc.tuple(fc.oneof({ weight: 12, arbitrary: fc.array(chainableStep, { minLength: 1, maxLength: 5 }) }, ...standaloneChains.map((arbitrary) => ({ weight: 1, arbitrary }))), saveAsArb).map(
      ([steps, saveAs]): Process => ({ kind: 'image', steps: steps.map(toStep), saveAs })
    ) },
    { weight: 1, arbitrary: fc.tuple(styleName, saveAsArb).map(([name, saveAs]): Process => ({ kind: 'style', name, saveAs })) }
  )
  .filter((p) => p.kind === 'style' || distinctImages(p.steps as unknown as GenStep[]) <= LIMITS.maxWatermarkImages)
  .filter((p) => serializeProcess(p).length <= LIMITS.maxProcessLength)

// ---------------------------------------------------------------------------------------------
// Near-valid strings: valid ones, mutated

const INTERESTING = [
  ',', '/', '|', '_', '__', '|image/', '|sys/saveas,o_', '|sys/saveas', 'sys/', 'image/', 'style/', 'image/info', '=', '==', '-', '+',
  '0', '-0', '-1', '1.5', '+5', '99999999999', '16385', 'constructor', '__proto__', 'toString', 'hasOwnProperty', NESTED_MARKER,
  '中', '😀', '\uD800', '\uDC00', '\u0000', ' ', '%2F', 'P_30', 'w_', 'text_', 'image_', 'type_', 'o_', 'b_', 'watermark,image_',
  'style/x', 'rotate,90,90', 'quality,200', 'format,jpeg', 'Pz8/', 'Pz8_'
]
/** Number spellings at and around the edges of the integer grammar. */
const NUMBERS = ['0', '-0', '00', '-00', '1', '-1', '007', '+1', '1.0', '1e2', '0x1', '100', '-100', '360', '4096', '16384', '999999999', '1000000000']
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INTERESTING) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) }
)
const KINDS = ['insert', 'delete', 'replace', 'truncate', 'name', 'value'] as const
const mutation = fc.record({ kind: fc.constantFrom(...KINDS), at: fc.nat(), length: fc.nat({ max: 6 }), piece })
type Mutation = { kind: (typeof KINDS)[number]; at: number; length: number; piece: string }

/**
 * Replaces, in the `at`-th token (text between "/", "|" and ","), the part before the first "_"
 * ('name': operator names and keys) or the part after it ('value'; the whole token when bare).
 */
function mutateToken(text: string, m: Mutation): string {
  const tokens = [...text.matchAll(/[^/|,]+/g)]
  if (tokens.length === 0) return text + m.piece
  const token = tokens[m.at % tokens.length]!
  const start = token.index
  const underscore = token[0].indexOf('_')
  const [from, to] =
    m.kind === 'name' ? [start, underscore === -1 ? start + token[0].length : start + underscore] : [underscore === -1 ? start : start + underscore + 1, start + token[0].length]
  return text.slice(0, from) + m.piece + text.slice(to)
}

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1)
    if (m.kind === 'insert') out = out.slice(0, at) + m.piece + out.slice(at)
    else if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.length)
    else if (m.kind === 'replace') out = out.slice(0, at) + m.piece + out.slice(at + m.length)
    else if (m.kind === 'truncate') out = out.slice(0, at)
    else out = mutateToken(out, m)
  }
  return out
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 })
const mutatedProcess = fc.tuple(validProcess.map(serializeProcess), mutations).map(([text, ms]) => mutate(text, ms))
/** Mutations inside a watermark image's nested process, which sits behind Base64. */
const mutatedNested = fc
  .tuple(nestedChain, mutations, fc.option(fc.constantFrom('g_se', 't_50', 'text_QQ'), { nil: undefined }))
  .map(([nested, ms, extra]) => `image/watermark,image_${encodeBase64Url(mutate(`a.png${NESTED_MARKER}${nested}`, ms))}${extra ? `,${extra}` : ''}`)
/** Mutations of a single action built from its schema (more hits per action than whole chains). */
const mutatedStep = fc
  .tuple(fc.constantFrom(...SCHEMAS.map(([name]) => name)), mutations)
  .chain(([name, ms]) => stepArbs[name]!.map((step) => mutate(serializeProcess({ kind: 'image', steps: [toStep(step)] }), ms)))

// ---------------------------------------------------------------------------------------------

/** parseProcess's contract: a Process or an ImgError (400, span inside the input) — nothing else. */
function parseOrImgError(input: string): Process | ImgError {
  try {
    return parseProcess(input)
  } catch (error) {
    if (!(error instanceof ImgError)) {
      throw new Error(`parseProcess(${JSON.stringify(input)}) threw a non-ImgError: ${String(error)}`, { cause: error })
    }
    expect(error.status, error.message).toBe(400)
    expect(['InvalidArgument', 'MissingArgument']).toContain(error.code)
    expect(error.message.length).toBeGreaterThan(0)
    if (error.span) {
      expect(Number.isInteger(error.span.start) && Number.isInteger(error.span.end)).toBe(true)
      expect(error.span.start).toBeGreaterThanOrEqual(0)
      expect(error.span.start).toBeLessThanOrEqual(error.span.end)
      expect(error.span.end, `span of ${JSON.stringify(error.message)} in ${JSON.stringify(input)}`).toBeLessThanOrEqual(input.length)
    }
    return error
  }
}

function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'span').map(([k, v]) => [k, withoutSpans(v)]))
  return value
}

const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 })

describe('(a) parseProcess never throws anything but an ImgError', () => {
  it.each([
    ['fc.string()', fc.string({ maxLength: 60 })],
    ['full Unicode (unit: binary)', fc.string({ unit: 'binary', maxLength: 60 })],
    ['graphemes', fc.string({ unit: 'grapheme', maxLength: 30 })],
    ['any UTF-16, lone surrogates included', anyUtf16],
    ['"image/" + fc.string()', fc.string({ maxLength: 60 }).map((s) => `image/${s}`)],
    ['"style/" + fc.string()', fc.string({ maxLength: 60 }).map((s) => `style/${s}`)],
    ['strings over the grammar\'s own alphabet', fc.string({ unit: fc.constantFrom(...'image/style|sys/saveas,_0123-wqlpr'.split('')), maxLength: 60 })]
  ] as const)('%s', (_label, arbitrary) => {
    fc.assert(fc.property(arbitrary, (input) => void parseOrImgError(input)), { numRuns: 1000 })
  })

  it('mutated valid processes (grammar-aware)', () => {
    fc.assert(fc.property(mutatedProcess, (input) => void parseOrImgError(input)), { numRuns: 1500 })
  })

  it('mutated single actions of every schema', () => {
    fc.assert(fc.property(mutatedStep, (input) => void parseOrImgError(input)), { numRuns: 2000 })
  })

  it('mutated nested watermark-image processes', () => {
    fc.assert(fc.property(mutatedNested, (input) => void parseOrImgError(input)), { numRuns: 1000 })
  })

  it('inputs around the length limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: LIMITS.maxProcessLength - 3, max: LIMITS.maxProcessLength + 3 }), fc.string({ maxLength: 10 }), (length, tail) => {
        const input = (`image/resize,w_100|sys/saveas,o_${'YWFh'.repeat(1100)}`.slice(0, length - tail.length) + tail).slice(0, length)
        const result = parseOrImgError(input)
        if (input.length > LIMITS.maxProcessLength) expect(result).toMatchObject({ ec: '0017-00000288' })
      }),
      { numRuns: 100 }
    )
  })

  it('whatever parses is already canonical up to serialisation (serialize∘parse is idempotent)', () => {
    let parsed = 0
    fc.assert(
      fc.property(fc.oneof(mutatedProcess, mutatedStep, mutatedNested), (input) => {
        const first = parseOrImgError(input)
        if (first instanceof ImgError) return
        parsed++
        const text = serializeProcess(first)
        const second = parseProcess(text)
        expect(withoutSpans(second)).toEqual(withoutSpans(first))
        expect(serializeProcess(second)).toBe(text)
      }),
      { numRuns: 1500 }
    )
    expect(parsed).toBeGreaterThan(50)
  })
})

describe('(b) serializeProcess is the canonical inverse of parseProcess', () => {
  it('every schema rule that constrains parameter combinations is known to the generator', () => {
    for (const [name, schema] of [...SCHEMAS, ['nested resize', watermarkResize] as [string, ActionSchema]]) {
      if (schema.check || schema.whenEmpty) expect(AT_LEAST_ONE[name], name).toBeDefined()
    }
  })

  it('parseProcess(serializeProcess(p)) equals p (ignoring spans), and serialisation is canonical', () => {
    fc.assert(
      fc.property(validProcess, (process) => {
        const text = serializeProcess(process)
        const parsed = parseProcess(text)
        expect(withoutSpans(parsed)).toEqual(withoutSpans(process))
        expect(serializeProcess(parsed)).toBe(text)
      }),
      { numRuns: 600 }
    )
  })

  it('spans of parsed steps cut out exactly the serialised step', () => {
    fc.assert(
      fc.property(validProcess, (process) => {
        const text = serializeProcess(process)
        const parsed = parseProcess(text)
        if (parsed.kind !== 'image') return
        const chain = text.split('|sys/')[0]!.slice('image/'.length).split('/')
        // Base64 values never contain "/" (URL-safe), so "/" splits exactly the steps.
        expect(parsed.steps.map((s) => text.slice(s.span.start, s.span.end))).toEqual(chain)
      }),
      { numRuns: 300 }
    )
  })

  it('covers every action (sanity check of the generator)', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(validProcess, (p) => {
        if (p.kind === 'image') for (const s of p.steps) seen.add(s.action)
      }),
      { numRuns: 400 }
    )
    expect([...seen].sort()).toEqual(Object.keys(ACTIONS).sort())
  })
})
