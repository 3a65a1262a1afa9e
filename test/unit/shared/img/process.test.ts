/**
 * parseProcess / serializeProcess / parseWatermarkImage against the spec (§1, §3, §5, §7, §8, §11).
 * Parameter boundaries are generated from the action schemas, so a new parameter or action is
 * covered without touching this file (and an action without an example below fails loudly).
 */
import { describe, expect, it } from 'vitest'
import { ACTIONS, type ActionName } from '../../../../src-shared/img/actions'
import { WATERMARK_FONTS, WATERMARK_NESTED_ACTIONS, watermarkResize } from '../../../../src-shared/img/actions/watermark'
import { encodeBase64Url } from '../../../../src-shared/img/base64url'
import { ImgError } from '../../../../src-shared/img/errors'
import { LIMITS } from '../../../../src-shared/img/limits'
import { parseProcess, parseWatermarkImage, serializeProcess, type Process } from '../../../../src-shared/img/process'
import { describeExpected, type ActionSchema, type IntParam, type ParamSpec } from '../../../../src-shared/img/schema'
import { loadConformanceExamples } from '../../../support/conformance'

const SCHEMAS = Object.entries(ACTIONS) as [ActionName, ActionSchema][]
const b64 = encodeBase64Url

function catchImgError(fn: () => unknown): ImgError {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof ImgError)) throw new Error(`expected an ImgError but got ${String(error)}`, { cause: error })
    return error
  }
  throw new Error('expected an ImgError, but nothing was thrown')
}

function rejects(input: string, expected: { ec?: string | undefined; code?: string; status?: number }): ImgError {
  const error = catchImgError(() => parseProcess(input))
  expect(error.status).toBe(expected.status ?? 400)
  if (expected.code) expect(error.code).toBe(expected.code)
  if ('ec' in expected) expect(error.ec).toBe(expected.ec)
  if (error.span) {
    expect(error.span.start).toBeGreaterThanOrEqual(0)
    expect(error.span.end).toBeLessThanOrEqual(input.length)
    expect(error.span.start).toBeLessThanOrEqual(error.span.end)
  }
  return error
}

/** Params of the single step of `image/<op>`. */
function paramsOf(op: string): Record<string, unknown> {
  const process = parseProcess(`image/${op}`)
  if (process.kind !== 'image') throw new Error('expected an image process')
  expect(process.steps).toHaveLength(1)
  return process.steps[0]!.params as Record<string, unknown>
}

/** Drops spans, deeply, for content comparisons. */
function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'span').map(([k, v]) => [k, withoutSpans(v)]))
  return value
}

/** One documented-looking valid example per action, with the expected parsed params. */
const EXAMPLES: Record<ActionName, readonly [op: string, params: Record<string, unknown>][]> = {
  resize: [
    ['resize,m_fill,w_300,h_300,limit_0', { m: 'fill', w: 300, h: 300, limit: 0 }],
    ['resize,p_50', { p: 50 }],
    ['resize,l_923,h_600', { l: 923, h: 600 }],
    ['resize,m_pad,w_100,h_100,color_FF0000', { m: 'pad', w: 100, h: 100, color: 'FF0000' }]
  ],
  crop: [
    ['crop,x_100,y_50,w_100,h_100', { x: 100, y: 50, w: 100, h: 100 }],
    ['crop,w_200,h_200,g_se', { w: 200, h: 200, g: 'se' }]
  ],
  circle: [['circle,r_100', { r: 100 }]],
  indexcrop: [
    ['indexcrop,x_100,i_0', { x: 100, i: 0 }],
    ['indexcrop,y_150', { y: 150 }]
  ],
  'rounded-corners': [['rounded-corners,r_30', { r: 30 }]],
  rotate: [['rotate,90', { value: 90 }]],
  'auto-orient': [['auto-orient,1', { value: 1 }]],
  blur: [['blur,r_3,s_2', { r: 3, s: 2 }]],
  bright: [['bright,-50', { value: -50 }]],
  contrast: [['contrast,50', { value: 50 }]],
  sharpen: [['sharpen,100', { value: 100 }]],
  watermark: [
    ['watermark,text_SGVsbG8gV29ybGQ', { text: 'Hello World' }],
    [
      'watermark,text_5Lit5paH,type_ZmFuZ3poZW5na2FpdGk,color_0000b7,size_20,shadow_50,rotate_45,t_80,g_ne,x_10,y_200,voffset_-10,fill_1,padx_5,pady_6',
      { text: '中文', type: 'fangzhengkaiti', color: '0000B7', size: 20, shadow: 50, rotate: 45, t: 80, g: 'ne', x: 10, y: 200, voffset: -10, fill: 1, padx: 5, pady: 6 }
    ],
    ['watermark,image_cGFuZGEucG5n,t_61,g_se,y_10,x_10', { image: 'panda.png', t: 61, g: 'se', y: 10, x: 10 }],
    ['watermark,image_cGFuZGEucG5n,text_SGVsbG8gV29ybGQ,order_1,align_1,interval_10', { image: 'panda.png', text: 'Hello World', order: 1, align: 1, interval: 10 }]
  ],
  format: [
    ['format,webp', { value: 'webp' }],
    ['format,jpeg', { value: 'jpg' }]
  ],
  quality: [
    ['quality,q_90', { q: 90 }],
    ['quality,Q_80', { Q: 80 }],
    ['quality,90', { q: 90 }]
  ],
  interlace: [['interlace,1', { value: 1 }]],
  info: [['info', {}]],
  'average-hue': [['average-hue', {}]],
  'ignore-error': [['ignore-error,1', { value: 1 }]]
}

/** Tokens that make an action valid on their own, put before the parameter under test (last wins). */
const CONTEXT: Record<ActionName, readonly string[]> = {
  resize: ['w_100'],
  crop: [],
  circle: ['r_100'],
  indexcrop: ['x_100'],
  'rounded-corners': ['r_30'],
  rotate: [],
  'auto-orient': [],
  blur: ['r_3', 's_2'],
  bright: [],
  contrast: [],
  sharpen: [],
  watermark: ['text_SGVsbG8gV29ybGQ'],
  format: [],
  quality: ['q_90'],
  interlace: [],
  info: [],
  'average-hue': [],
  'ignore-error': []
}

/** `image/<action>,<context…>,<key>_<raw>`, or `image/<action>,<raw>` for a single-value action. */
function opWith(action: ActionName, key: string, raw: string): string {
  return key === '' ? `${action},${raw}` : [action, ...CONTEXT[action], `${key}_${raw}`].join(',')
}

/** Every parameter of every action: keyed ones by name, the single value as "". */
function allParams(): [ActionName, string, ParamSpec][] {
  return SCHEMAS.flatMap(([action, schema]) => [
    ...(schema.bare ? [[action, '', schema.bare] as [ActionName, string, ParamSpec]] : []),
    ...Object.entries(schema.params).map(([key, spec]) => [action, key, spec] as [ActionName, string, ParamSpec])
  ])
}
const INT_PARAMS = allParams().filter((p): p is [ActionName, string, IntParam] => p[2].type === 'int')
const label = ([action, key]: [ActionName, string, ParamSpec]) => `${action} ${key === '' ? '(value)' : key}`

function expectParamMessage(error: ImgError, action: string, key: string, spec: ParamSpec, received: string) {
  expect(error.message).toContain(`${action}:`)
  expect(error.message).toContain(key === '' ? 'for its value' : `for ${key} `)
  expect(error.message).toContain(describeExpected(spec))
  if (spec.type === 'int') {
    expect(error.message).toContain(String(spec.min))
    expect(error.message).toContain(String(spec.max))
  }
  expect(error.message).toContain(JSON.stringify(received))
  expect(error.action).toBe(action)
  expect(error.param).toBe(key)
}

describe('every action has a valid example', () => {
  it('covers exactly the registered actions', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(ACTIONS).sort())
  })

  const cases = (Object.entries(EXAMPLES) as [ActionName, (typeof EXAMPLES)[ActionName]][]).flatMap(([action, list]) =>
    list.map(([op, params]) => ({ action, op, params }))
  )
  it.each(cases)('$op', ({ action, op, params }) => {
    const process = parseProcess(`image/${op}`)
    expect(process).toEqual({ kind: 'image', steps: [{ action, params, span: { start: 6, end: 6 + op.length } }], saveAs: undefined })
  })

  it.each(cases)('$op survives serializeProcess → parseProcess', ({ op }) => {
    const first = parseProcess(`image/${op}`)
    const text = serializeProcess(first)
    expect(withoutSpans(parseProcess(text))).toEqual(withoutSpans(first))
    expect(serializeProcess(parseProcess(text))).toBe(text)
  })

  it.each(SCHEMAS.filter(([action]) => CONTEXT[action].length > 0).map(([a]) => a))('CONTEXT of %s is valid on its own', (action) => {
    expect(() => parseProcess(`image/${[action, ...CONTEXT[action]].join(',')}`)).not.toThrow()
  })
})

describe('integer parameters: boundaries (generated from the schemas)', () => {
  it('finds integer parameters to test', () => {
    expect(INT_PARAMS.length).toBeGreaterThan(30)
  })

  describe.each(INT_PARAMS.map((p) => [label(p), ...p] as const))('%s', (_label, action, key, spec) => {
    it(`accepts the minimum ${spec.min} and the maximum ${spec.max}`, () => {
      for (const value of [spec.min, spec.max]) {
        expect(paramsOf(opWith(action, key, String(value)))[key === '' ? 'value' : key]).toBe(value)
      }
    })

    it.each([
      ['min − 1', spec.min - 1],
      ['max + 1', spec.max + 1]
    ])('rejects %s (%i) with 400 InvalidArgument, the parameter\'s EC, an exact span and a full message', (_which, value) => {
      const input = `image/${opWith(action, key, String(value))}`
      const error = rejects(input, { status: 400, code: 'InvalidArgument', ec: spec.ec })
      expect(input.slice(error.span!.start, error.span!.end)).toBe(key === '' ? String(value) : `${key}_${value}`)
      expectParamMessage(error, action, key, spec, String(value))
    })

    it.each(['1.5', `${spec.max}.0`, '+5', 'abc', '5a', ' 5', '5 ', '0x10', '1e3', '٣', '１', '1_000', '9999999999', '-', '--1', 'NaN', 'Infinity'])(
      'rejects the non-integer %j with the parameter\'s EC',
      (raw) => {
        const error = rejects(`image/${opWith(action, key, raw)}`, { status: 400, code: 'InvalidArgument', ec: spec.notNumberEc ?? spec.ec })
        expectParamMessage(error, action, key, spec, raw)
      }
    )

    if (key !== '') {
      it('rejects an empty value (k_) with the parameter\'s EC', () => {
        rejects(`image/${opWith(action, key, '')}`, { status: 400, code: 'InvalidArgument', ec: spec.notNumberEc ?? spec.ec })
      })
    }
  })
})

describe('parameter forms', () => {
  it('reads leading zeros as decimal (w_007 = 7), and -0 as 0', () => {
    expect(paramsOf('resize,w_007')).toEqual({ w: 7 })
    expect(Object.is(paramsOf('rotate,-0').value, 0)).toBe(true)
    expect(serializeProcess(parseProcess('image/resize,w_007'))).toBe('image/resize,w_7')
  })

  it('treats keys as case-sensitive (q ≠ Q; W is unknown)', () => {
    expect(paramsOf('quality,q_50')).toEqual({ q: 50 })
    expect(paramsOf('quality,Q_50')).toEqual({ Q: 50 })
    rejects('image/resize,W_100', { code: 'InvalidArgument', ec: '0040-00000213' })
  })

  it('rejects an unknown parameter with the span on its token', () => {
    const input = 'image/resize,w_100,zoom_2'
    const error = rejects(input, { code: 'InvalidArgument', ec: '0040-00000213' })
    expect(input.slice(error.span!.start, error.span!.end)).toBe('zoom_2')
  })

  it('rejects P outside a watermark image process', () => {
    rejects('image/resize,P_30', { code: 'InvalidArgument', ec: '0040-00000213' })
  })

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('rejects the Object.prototype name %j as operator and as key', (name) => {
    rejects(`image/${name}`, { code: 'InvalidArgument', ec: '0040-00000213' })
    rejects(`image/${name},1`, { code: 'InvalidArgument', ec: '0040-00000213' })
    rejects(`image/${name},a_1`, { code: 'InvalidArgument', ec: '0040-00000213' })
    rejects(`image/resize,w_100,${name}_5`, { code: 'InvalidArgument', ec: '0040-00000213' })
    rejects(`image/resize,w_100,${name}`, { code: 'InvalidArgument', ec: '0040-00000213' })
    rejects(`image/watermark,image_${b64(`a.png?x-oss-process=image/${name},1`)}`, { code: 'InvalidArgument', ec: '0040-00000213' })
  })
})

describe('enum parameters', () => {
  const ENUMS = allParams().filter(([, , spec]) => spec.type === 'enum')

  describe.each(ENUMS.map((p) => [label(p), ...p] as const))('%s', (_label, action, key, spec) => {
    if (spec.type !== 'enum') return
    const field = key === '' ? 'value' : key

    it.each([...spec.values])('accepts %j', (value) => {
      expect(paramsOf(opWith(action, key, value))[field]).toBe(value)
    })

    it.each(Object.entries(spec.aliases ?? {}))('maps the alias %j to %j', (alias, canonical) => {
      expect(paramsOf(opWith(action, key, alias))[field]).toBe(canonical)
    })

    it.each(['abc', 'constructor', '__proto__', `${spec.values[0]!} `, spec.values[0]!.toUpperCase() === spec.values[0] ? 'zz' : spec.values[0]!.toUpperCase()])(
      'rejects %j with the parameter\'s EC and a full message',
      (raw) => {
        const error = rejects(`image/${opWith(action, key, raw)}`, { status: 400, code: 'InvalidArgument', ec: spec.ec })
        expectParamMessage(error, action, key, spec, raw)
      }
    )
  })

  it('maps format,jpeg to jpg and serialises it canonically', () => {
    expect(paramsOf('format,jpeg')).toEqual({ value: 'jpg' })
    expect(serializeProcess(parseProcess('image/format,jpeg'))).toBe('image/format,jpg')
  })

  it.each(['m_abc', 'm_LFIT'])('resize %s → 0040-00000311', (token) => {
    rejects(`image/resize,w_100,${token}`, { ec: '0040-00000311', code: 'InvalidArgument' })
  })

  it('crop g_fac → 0040-00000209', () => {
    rejects('image/crop,g_fac', { ec: '0040-00000209', code: 'InvalidArgument' })
  })
})

describe('colour parameters', () => {
  const COLOURS = allParams().filter(([, , spec]) => spec.type === 'color')

  it('finds resize color and watermark color', () => {
    expect(COLOURS.map(label).sort()).toEqual(['resize color', 'watermark color'])
  })

  describe.each(COLOURS.map((p) => [label(p), ...p] as const))('%s', (_label, action, key, spec) => {
    it.each([
      ['FF0000', 'FF0000'],
      ['0000b7', '0000B7'],
      ['aBcDeF', 'ABCDEF'],
      ['000000', '000000'],
      ['ffffff', 'FFFFFF']
    ])('accepts %j as %j', (raw, canonical) => {
      expect(paramsOf(opWith(action, key, raw))[key]).toBe(canonical)
    })

    it.each(['AABBCCDD', 'FFF', 'GGGGGG', '#FF0000', 'FF00', 'FF00000', '', 'red', ' FF0000', '0xFF00'])('rejects %j with the parameter\'s EC', (raw) => {
      const error = rejects(`image/${opWith(action, key, raw)}`, { status: 400, code: 'InvalidArgument', ec: spec.ec })
      expectParamMessage(error, action, key, spec, raw)
    })
  })

  it('resize color_AABBCCDD → 0040-00000318 (documented)', () => {
    rejects('image/resize,w_100,m_pad,color_AABBCCDD', { ec: '0040-00000318' })
  })
})

describe('required parameters (generated from the schemas)', () => {
  const REQUIRED = allParams().filter(([, , spec]) => spec.required)

  it.each(REQUIRED.map((p) => [label(p), ...p] as const))('%s: absent → its EC and MissingArgument', (_label, action, key, spec) => {
    const others = key === '' ? [] : CONTEXT[action].filter((t) => !t.startsWith(`${key}_`))
    const input = `image/${[action, ...others].join(',')}`
    const error = rejects(input, { status: 400, ec: spec.required!.ec, code: spec.required!.code ?? 'MissingArgument' })
    expect(error.message).toContain(`${action}:`)
    expect(error.message).toContain('received none')
  })

  it.each([
    ['resize', '0040-00000322'],
    ['resize,m_fill', '0040-00000322'],
    ['resize,limit_0,color_FFFFFF', '0040-00000322'],
    ['watermark', '0040-00000278'],
    ['watermark,t_50,g_se', '0040-00000278'],
    ['quality', '0040-00000307'],
    ['format', '0040-00000207'],
    ['indexcrop', '0040-00000230'],
    ['indexcrop,i_1', '0040-00000230']
  ])('image/%s → 400 with EC %s', (op, ec) => {
    const error = rejects(`image/${op}`, { status: 400, ec })
    expect(['MissingArgument', 'InvalidArgument']).toContain(error.code)
  })

  it('missing-parameter ECs use MissingArgument (Project decision §5.1)', () => {
    rejects('image/resize', { code: 'MissingArgument', ec: '0040-00000322' })
    rejects('image/watermark', { code: 'MissingArgument', ec: '0040-00000278' })
  })

  it('treats a trailing comma as no value (image/resize, = image/resize; issue 17 §3)', () => {
    rejects('image/resize,', { ec: '0040-00000322' })
    rejects('image/rotate,', { code: 'MissingArgument', ec: '0040-00000216' })
    rejects('image/rotate,,', { code: 'MissingArgument', ec: '0040-00000216' })
    expect(parseProcess('image/resize,w_100,')).toEqual(parseProcess('image/resize,w_100'))
  })

  it('refuses an empty parameter before another one (image/resize,w_100,,h_100 → 213; issue 17 §3)', () => {
    const error = rejects('image/resize,w_100,,h_100', { code: 'InvalidArgument', ec: '0040-00000213' })
    expect(error.span).toEqual({ start: 'image/resize,w_100,'.length, end: 'image/resize,w_100,'.length })
  })

  it('accepts parameterless actions and ignores nothing: average-hue,x is an unknown parameter', () => {
    expect(paramsOf('average-hue')).toEqual({})
    rejects('image/average-hue,x_1', { ec: '0040-00000213' })
    rejects('image/info,1', { ec: '0040-00000213' })
  })
})

describe('single-value operators', () => {
  const BARE = SCHEMAS.filter(([, s]) => s.bare)

  it('are auto-orient, rotate, bright, sharpen, interlace, contrast, format (+ ignore-error)', () => {
    expect(BARE.map(([a]) => a).sort()).toEqual(['auto-orient', 'bright', 'contrast', 'format', 'ignore-error', 'interlace', 'rotate', 'sharpen'])
  })

  it.each(BARE.map(([action, schema]) => [action, schema.bare!.type === 'int' ? String(schema.bare!.min) : (schema.bare as { values: readonly string[] }).values[0]!] as const))(
    '%s with two values → 0040-00000203, span on the second value',
    (action, value) => {
      const input = `image/${action},${value},${value}`
      const error = rejects(input, { status: 400, code: 'InvalidArgument', ec: '0040-00000203' })
      expect(error.span).toEqual({ start: input.length - value.length, end: input.length })
    }
  )

  it('rotate,90,200,300 → 0040-00000203 (documented)', () => {
    rejects('image/rotate,90,200,300', { ec: '0040-00000203' })
  })

  it('blur is not single-value: blur,5 is rejected (Project decision 15)', () => {
    const error = rejects('image/blur,5', { status: 400, code: 'InvalidArgument' })
    expect(error.ec).toBe('0040-00000213')
  })
})

describe('quality', () => {
  it('quality,90 equals q_90', () => {
    const bare = parseProcess('image/quality,90')
    expect(withoutSpans(bare)).toEqual(withoutSpans(parseProcess('image/quality,q_90')))
    expect(serializeProcess(bare)).toBe('image/quality,q_90')
  })

  it.each(['1', '100'])('accepts the bare form at the boundary %s', (v) => {
    expect(paramsOf(`quality,${v}`)).toEqual({ q: Number(v) })
  })

  it.each(['200', '0', '101', '-1'])('quality,%s → 0040-00000310', (v) => {
    const input = `image/quality,${v}`
    const error = rejects(input, { status: 400, code: 'InvalidArgument', ec: '0040-00000310' })
    expect(input.slice(error.span!.start, error.span!.end)).toBe(v)
    expect(error.message).toContain('between 1 and 100')
  })

  it('quality,q_200 → 309 and quality,Q_200 → 308', () => {
    rejects('image/quality,q_200', { ec: '0040-00000309' })
    rejects('image/quality,Q_200', { ec: '0040-00000308' })
  })

  it('quality alone → 0040-00000307', () => {
    rejects('image/quality', { status: 400, ec: '0040-00000307' })
  })

  it('keeps q and Q side by side (Q wins at encode time, not at parse time)', () => {
    expect(paramsOf('quality,q_50,Q_80')).toEqual({ q: 50, Q: 80 })
  })

  it('bare form and q_ are the same key: the last wins', () => {
    expect(paramsOf('quality,90,q_80')).toEqual({ q: 80 })
    expect(paramsOf('quality,q_80,90')).toEqual({ q: 90 })
  })
})

describe('duplicate keys: last wins (Project decision §1.2)', () => {
  it.each([
    ['resize,w_100,w_200', { w: 200 }],
    ['resize,m_pad,w_100,m_fill', { m: 'fill', w: 100 }],
    ['crop,x_1,x_2,x_3', { x: 3 }],
    ['watermark,text_QQ,text_Qg', { text: 'B' }],
    ['watermark,text_QQ,type_d3F5LXplbmhlaQ,type_ZHJvaWRzYW5zZmFsbGJhY2s', { text: 'A', type: 'droidsansfallback' }],
    ['resize,w_100,color_000000,color_ffffff', { w: 100, color: 'FFFFFF' }]
  ])('%s', (op, params) => {
    expect(paramsOf(op)).toEqual(params)
  })

  it('still validates the overridden occurrence', () => {
    rejects('image/resize,w_0,w_100', { ec: '0040-00000312' })
  })

  it('the last o_ wins in saveas', () => {
    expect(parseProcess(`image/resize,w_1|sys/saveas,o_${b64('a.jpg')},o_${b64('b.jpg')}`).saveAs).toEqual({ object: 'b.jpg', bucket: undefined })
  })

  it('serialises the resolved value once, in schema order', () => {
    expect(serializeProcess(parseProcess('image/resize,h_5,w_100,w_200,m_fill'))).toBe('image/resize,m_fill,w_200,h_5')
  })
})

describe('info', () => {
  it('is accepted alone', () => {
    expect(paramsOf('info')).toEqual({})
  })

  it.each(['image/resize,s_700,limit_0/info', 'image/info/resize,w_100', 'image/info/info', 'image/info|image/rotate,90', 'image/format,png/info'])(
    '%s → 400 (info must be the only operation)',
    (input) => {
      const error = rejects(input, { status: 400, code: 'InvalidArgument' })
      expect(error.message).toContain('info')
      expect(input.slice(error.span!.start, error.span!.end)).toBe('info')
    }
  )

  it('may be saved: image/info|sys/saveas is a single operation', () => {
    expect(() => parseProcess('image/info|sys/saveas,o_YS5qc29u')).not.toThrow()
  })
})

describe('watermark Base64 parameters', () => {
  it('decodes text, type and image', () => {
    expect(paramsOf(`watermark,text_${b64('Hello, 世界 😀')},type_${b64('wqy-microhei')}`)).toEqual({ text: 'Hello, 世界 😀', type: 'wqy-microhei' })
    expect(paramsOf('watermark,image_aW1hZ2UvcGFuZGEucG5n')).toEqual({ image: 'image/panda.png' })
  })

  it.each([...WATERMARK_FONTS])('accepts the font %s', (font) => {
    expect(paramsOf(`watermark,text_QQ,type_${b64(font)}`).type).toBe(font)
  })

  it.each(['arial', 'WQY-ZENHEI', 'wqy-zenhei ', 'simsun'])('rejects the unsupported font %j with 0040-00000251', (font) => {
    const error = rejects(`image/watermark,text_QQ,type_${b64(font)}`, { status: 400, code: 'InvalidArgument', ec: '0040-00000251' })
    expect(error.message).toContain(font)
  })

  it.each(['notbase64', '!!', 'a', 'd3F5LXplbmhlaQ=a'])('rejects the non-Base64 type %j with 0040-00000250', (raw) => {
    rejects(`image/watermark,text_QQ,type_${raw}`, { status: 400, code: 'InvalidArgument', ec: '0040-00000250' })
  })

  it('accepts text of exactly 64 UTF-8 bytes (ASCII and CJK)', () => {
    expect(paramsOf(`watermark,text_${b64('a'.repeat(64))}`).text).toBe('a'.repeat(64))
    expect(paramsOf(`watermark,text_${b64('中'.repeat(21) + 'a')}`).text).toBe('中'.repeat(21) + 'a')
    expect(paramsOf(`watermark,text_${b64('😀'.repeat(16))}`).text).toBe('😀'.repeat(16))
  })

  it.each([
    ['65 ASCII bytes', 'a'.repeat(65)],
    ['22 CJK characters (66 bytes)', '中'.repeat(22)],
    ['21 CJK characters + 2 ASCII (65 bytes)', '中'.repeat(21) + 'ab'],
    ['17 emoji (68 bytes, 34 UTF-16 units)', '😀'.repeat(17)]
  ])('rejects text of %s with 0040-00000259 "font content is too large"', (_label, text) => {
    const error = rejects(`image/watermark,text_${b64(text)}`, { status: 400, code: 'InvalidArgument', ec: '0040-00000259' })
    expect(error.message).toContain('font content is too large')
    expect(error.message).toContain('64')
  })

  it('rejects watermark,text (empty) with 0040-00000258 and text_ likewise', () => {
    rejects('image/watermark,text', { ec: '0040-00000258' })
    rejects('image/watermark,text_', { ec: '0040-00000258' })
  })

  it.each(['!!!', 'a', 'SGVsbG8=V29ybGQ', '_w'])('rejects the non-Base64 (or non-UTF-8) text %j with 0040-00000257', (raw) => {
    rejects(`image/watermark,text_${raw}`, { status: 400, code: 'InvalidArgument', ec: '0040-00000257' })
  })

  it.each(['!!!', 'a', ''])('rejects the non-Base64 image %j with 0040-00000265', (raw) => {
    rejects(`image/watermark,image_${raw}`, { status: 400, code: 'InvalidArgument', ec: '0040-00000265' })
  })

  it('accepts padded and standard-alphabet Base64 in text', () => {
    expect(paramsOf('watermark,text_SGVsbG8gV29ybGQ=').text).toBe('Hello World')
    expect(paramsOf('watermark,text_Pz8+').text).toBe('??>')
    expect(paramsOf('watermark,text_Pz8-').text).toBe('??>')
  })

  it('serialises text, type and image as unpadded URL-safe Base64', () => {
    const text = serializeProcess(parseProcess('image/watermark,text_Pz8+,type_d3F5LXplbmhlaQ=='))
    expect(text).toBe('image/watermark,text_Pz8-,type_d3F5LXplbmhlaQ')
  })
})

describe('watermark image pre-processing (§3.15.2)', () => {
  const PANDA_P30 = 'cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMzA'

  it('parses the documented panda.png?x-oss-process=image/resize,P_30', () => {
    expect(b64('panda.png?x-oss-process=image/resize,P_30')).toBe(PANDA_P30)
    const input = `image/watermark,image_${PANDA_P30}`
    const process = parseProcess(input)
    expect(process.kind === 'image' && process.steps[0]!.params).toEqual({ image: 'panda.png?x-oss-process=image/resize,P_30' })
    const ref = parseWatermarkImage('panda.png?x-oss-process=image/resize,P_30', { start: 0, end: input.length })
    expect(ref.key).toBe('panda.png')
    expect(withoutSpans(ref.steps)).toEqual([{ action: 'resize', params: { P: 30 } }])
  })

  it('returns the bare key and no steps without a nested process', () => {
    expect(parseWatermarkImage('dir/panda.png', { start: 0, end: 1 })).toEqual({ key: 'dir/panda.png', steps: [] })
  })

  it.each([
    ['resize,P_30,w_100', 'resize', { P: 30, w: 100 }],
    ['resize,w_100', 'resize', { w: 100 }],
    ['crop,w_100,h_100,g_center', 'crop', { w: 100, h: 100, g: 'center' }],
    ['indexcrop,x_50,i_1', 'indexcrop', { x: 50, i: 1 }],
    ['rounded-corners,r_10', 'rounded-corners', { r: 10 }],
    ['rotate,90', 'rotate', { value: 90 }],
    ['auto-orient,0', 'auto-orient', { value: 0 }]
  ])('allows the nested %s', (nested, action, params) => {
    const ref = parseWatermarkImage(`a.png?x-oss-process=image/${nested}`, { start: 0, end: 1 })
    expect(withoutSpans(ref.steps)).toEqual([{ action, params }])
    expect(() => parseProcess(`image/watermark,image_${b64(`a.png?x-oss-process=image/${nested}`)}`)).not.toThrow()
  })

  it('allows exactly the documented nested operations (Project decision 10)', () => {
    expect([...WATERMARK_NESTED_ACTIONS].sort()).toEqual(['auto-orient', 'crop', 'indexcrop', 'resize', 'rotate', 'rounded-corners'])
  })

  it('parses a nested chain of several operations, and "|image/" inside it', () => {
    const ref = parseWatermarkImage('a.png?x-oss-process=image/resize,P_20/rotate,90|image/rounded-corners,r_5', { start: 0, end: 1 })
    expect(ref.steps.map((s) => s.action)).toEqual(['resize', 'rotate', 'rounded-corners'])
  })

  const disallowed = SCHEMAS.map(([a]) => a).filter((a) => !(WATERMARK_NESTED_ACTIONS as readonly string[]).includes(a))
  it.each(disallowed.map((a) => [a, EXAMPLES[a][0]![0]] as const))('rejects the nested %s (%s) with 400 InvalidArgument', (_action, op) => {
    const input = `image/watermark,image_${b64(`a.png?x-oss-process=image/${op}`)},g_se`
    const error = rejects(input, { status: 400, code: 'InvalidArgument' })
    expect(error.action).toBe('watermark')
    expect(error.param).toBe('image')
    // Nested spans point into decoded Base64; the error covers the whole watermark operation.
    expect(input.slice(error.span!.start, error.span!.end)).toBe(input.slice('image/'.length))
  })

  it.each([
    ['a nested blur', 'image/blur,r_3,s_2'],
    ['a nested saveas', 'image/resize,P_30|sys/saveas,o_YQ'],
    ['a nested style', 'style/foo'],
    ['an empty nested process', ''],
    ['a nested process without image/', 'resize,P_30'],
    ['a nested resize without parameters', 'image/resize'],
    ['a nested resize with only a mode', 'image/resize,m_fill']
  ])('rejects %s', (_label, nested) => {
    rejects(`image/watermark,image_${b64(`a.png?x-oss-process=${nested}`)}`, { status: 400 })
  })

  const NESTED_INTS = Object.entries(watermarkResize.params as Readonly<Record<string, ParamSpec>>).filter((e): e is [string, IntParam] => e[1].type === 'int')
  describe.each(NESTED_INTS)('nested resize %s (generated from watermarkResize)', (key, spec) => {
    const nested = (v: number) => `image/watermark,image_${b64(`a.png?x-oss-process=image/resize,${key === 'P' ? 'w_100' : 'P_30'},${key}_${v}`)}`

    it(`accepts ${spec.min} and ${spec.max}`, () => {
      for (const v of [spec.min, spec.max]) expect(() => parseProcess(nested(v))).not.toThrow()
    })

    it.each([spec.min - 1, spec.max + 1])('rejects %i with the parameter\'s EC', (v) => {
      const error = rejects(nested(v), { status: 400, code: 'InvalidArgument', ec: spec.ec })
      expect(error.message).toContain('watermark image')
      expect(error.message).toContain(`for ${key} `)
      expect(error.message).toContain(describeExpected(spec))
      expect(error.message).toContain(`"${v}"`)
    })
  })

  it('P is [1,100] (spec §3.15.2)', () => {
    expect(watermarkResize.params.P).toMatchObject({ type: 'int', min: 1, max: 100 })
  })

  it(`accepts up to ${LIMITS.maxWatermarkImages} different images, repeated any number of times`, () => {
    const ops = ['a.png', 'b.png', 'c.png', 'a.png', 'b.png?x-oss-process=image/resize,P_10', 'c.png'].map((k) => `watermark,image_${b64(k)}`)
    expect(() => parseProcess(`image/${ops.join('/')}`)).not.toThrow()
  })

  it('rejects a 4th different image with 400 InvalidArgument, span on the 4th watermark', () => {
    const ops = ['a.png', 'b.png', 'a.png', 'c.png', 'd.png'].map((k) => `watermark,image_${b64(k)},g_se`)
    const input = `image/${ops.join('/')}`
    const error = rejects(input, { status: 400, code: 'InvalidArgument' })
    expect(input.slice(error.span!.start, error.span!.end)).toBe(ops[4])
    expect(error.message).toContain('3')
  })

  it('text watermarks do not count as images', () => {
    const ops = ['a.png', 'b.png', 'c.png'].map((k) => `watermark,image_${b64(k)}`)
    ops.push('watermark,text_QQ', 'watermark,text_Qg')
    expect(() => parseProcess(`image/${ops.join('/')}`)).not.toThrow()
  })

  it('parses the documented five-watermark example (3 images with P_20 + 2 texts)', () => {
    const input =
      'image/watermark,image_cGljcy9KZWxseWZpc2guanBnP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMjA,g_nw,x_10,y_10/watermark,image_cGljcy9Lb2FsYS5qcGc_eC1vc3MtcHJvY2Vzcz1pbWFnZS9yZXNpemUsUF8yMA,g_se,x_10,y_10/watermark,image_cGljcy9UdWxpcHMuanBnP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMjA,g_west,x_10,y_10/watermark,text_V2F0ZXJtYXJrIDE,size_20,g_ne,x_10,y_200/watermark,text_V2F0ZXJtYXJrIDI,color_0000b7,size_20,g_sw,x_100,y_50'
    const process = parseProcess(input)
    expect(process.kind === 'image' && process.steps.map((s) => s.params)).toEqual([
      { image: 'pics/Jellyfish.jpg?x-oss-process=image/resize,P_20', g: 'nw', x: 10, y: 10 },
      { image: 'pics/Koala.jpg?x-oss-process=image/resize,P_20', g: 'se', x: 10, y: 10 },
      { image: 'pics/Tulips.jpg?x-oss-process=image/resize,P_20', g: 'west', x: 10, y: 10 },
      { text: 'Watermark 1', size: 20, g: 'ne', x: 10, y: 200 },
      { text: 'Watermark 2', color: '0000B7', size: 20, g: 'sw', x: 100, y: 50 }
    ])
  })
})

describe('style names (§7)', () => {
  it.each(['panda_style', 'examplestyle', 'a', 'A.b-c_9', 'x'.repeat(63)])('accepts style/%s', (name) => {
    expect(parseProcess(`style/${name}`)).toEqual({ kind: 'style', name, saveAs: undefined })
    expect(serializeProcess(parseProcess(`style/${name}`))).toBe(`style/${name}`)
  })

  it('rejects 64 characters with 0017-00000250 and the documented message', () => {
    const name = 'ImagestyleImagestyleImagestyleImagestyleImagestyleImagestyleabcd'
    expect(name).toHaveLength(64)
    const input = `style/${name}`
    const error = rejects(input, { status: 400, code: 'InvalidArgument', ec: '0017-00000250' })
    expect(error.message).toBe(`The value: ${name} of parameter: stylename is invalid.`)
    expect(input.slice(error.span!.start, error.span!.end)).toBe(name)
  })

  it('rejects an empty name with 0017-00000250', () => {
    rejects('style/', { status: 400, code: 'InvalidArgument', ec: '0017-00000250' })
  })

  it.each(['a b', '中文', 'a+b', 'a!b', 'a@b', 'a%20b', 'a~b', 'a,b', 'a=b', 'a😀'])('rejects the character set of %j with 0017-00000251', (name) => {
    const error = rejects(`style/${name}`, { status: 400, code: 'InvalidArgument', ec: '0017-00000251' })
    expect(error.message).toContain('stylename is invalid')
  })

  it.each(['style/x/resize,w_1', 'style/x|image/resize,w_1', 'style/x/', 'style/x|image/resize,w_1|sys/saveas,o_YQ'])(
    'rejects extra operations after a style: %s → 400 InvalidArgument (Project decision §7)',
    (input) => {
      const error = rejects(input, { status: 400, code: 'InvalidArgument' })
      expect(input.slice(error.span!.start, error.span!.end)).toMatch(/^[/|]/)
    }
  )

  it('accepts style/<name>|sys/saveas,… (documented)', () => {
    expect(parseProcess('style/examplestyle|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA')).toEqual({
      kind: 'style',
      name: 'examplestyle',
      saveAs: { object: 'test.jpg', bucket: 'test' }
    })
  })
})

describe('sys/saveas (§8)', () => {
  const KEY = 'out/缩略图.jpg'

  it.each([
    ['standard, padded', 'b3V0L+e8qeeVpeWbvi5qcGc='],
    ['standard, unpadded', 'b3V0L+e8qeeVpeWbvi5qcGc'],
    ['URL-safe, padded', 'b3V0L-e8qeeVpeWbvi5qcGc='],
    ['URL-safe, unpadded', 'b3V0L-e8qeeVpeWbvi5qcGc']
  ])('decodes o_ in %s Base64 to out/缩略图.jpg', (_label, encoded) => {
    const process = parseProcess(`image/resize,w_100|sys/saveas,o_${encoded},b_${Buffer.from('my-bucket').toString('base64')}`)
    expect(process.saveAs).toEqual({ object: KEY, bucket: 'my-bucket' })
  })

  it('accepts "/" from the standard alphabet inside saveas values', () => {
    expect(parseProcess('image/resize,w_1|sys/saveas,o_Pz8/').saveAs).toEqual({ object: '???', bucket: undefined })
  })

  it('serialises saveas as unpadded URL-safe Base64, o before b', () => {
    const process = parseProcess('image/resize,w_100|sys/saveas,b_dGVzdA==,o_b3V0L+e8qeeVpeWbvi5qcGc=')
    expect(serializeProcess(process)).toBe('image/resize,w_100|sys/saveas,o_b3V0L-e8qeeVpeWbvi5qcGc,b_dGVzdA')
  })

  it('defaults the bucket (b omitted)', () => {
    expect(parseProcess('image/resize,w_100|sys/saveas,o_dGVzdC5qcGc').saveAs).toEqual({ object: 'test.jpg', bucket: undefined })
  })

  it.each([
    ['o missing', 'sys/saveas,b_dGVzdA', 'MissingArgument'],
    ['no options', 'sys/saveas', 'MissingArgument'],
    ['o not Base64', 'sys/saveas,o_!!!', 'InvalidArgument'],
    ['o empty', 'sys/saveas,o_', 'InvalidArgument'],
    ['b not Base64', 'sys/saveas,o_dGVzdA,b_a', 'InvalidArgument'],
    ['an unknown option', 'sys/saveas,o_dGVzdA,x_dGVzdA', 'InvalidArgument'],
    ['a bare option', 'sys/saveas,o_dGVzdA,dGVzdA', 'InvalidArgument']
  ])('rejects %s', (_label, sys, code) => {
    const input = `image/resize,w_100|${sys}`
    const error = rejects(input, { status: 400, code })
    expect(error.message).toContain('sys/saveas')
  })
})

describe('error contract', () => {
  it('every ImgError from parseProcess has status, code and a message starting with its subject', () => {
    for (const input of ['image/resize,w_0', 'image/watermark', 'image/slim,1', 'image/rotate,1,2', 'style/a b', 'image/', 'x'.repeat(5000)]) {
      const error = catchImgError(() => parseProcess(input))
      expect(error.name).toBe('ImgError')
      expect(error).toBeInstanceOf(Error)
      expect(typeof error.status).toBe('number')
      expect(error.toJSON()).toMatchObject({ status: error.status, code: error.code, message: error.message })
      expect(error.message.length).toBeGreaterThan(10)
    }
  })

  it('messages follow "<action>: expected X for P but received V"', () => {
    const error = rejects('image/resize,w_0', { ec: '0040-00000312' })
    expect(error.message).toBe('resize: expected an integer between 1 and 16384 for w but received "0"')
  })

  it('quotes long received values in a shortened form', () => {
    const long = '9'.repeat(200)
    const error = rejects(`image/resize,w_${long}`, { ec: '0040-00000312' })
    expect(error.message.length).toBeLessThan(200)
  })
})

interface Example {
  source: { w: number | null; h: number | null; format: string; name?: string }
  process: string
  expected: { error?: { http_status: number; ec?: string | null; code?: string; message?: string } }
}

describe('conformance examples (/work/shared/conformance/oss-img-examples.json)', () => {
  const all = loadConformanceExamples<Example>()
  const imageExamples = all.filter((e) => e.process.startsWith('image/'))

  /** Errors that need the pixels (or the object) and so cannot be raised by the parser. */
  const RUNTIME_EC = new Set(['0040-00000007', '0040-00000009', '0040-00000012', '0040-00000024'])
  const RUNTIME_MESSAGE = new Set(["Advance cut's position is out of image.", 'Picture exceed the maximum allowable rotation range'])
  const isRuntime = (e: Example) => RUNTIME_EC.has(e.expected.error!.ec ?? '') || RUNTIME_MESSAGE.has(e.expected.error!.message ?? '')

  const parseErrors = imageExamples.filter((e) => e.expected.error && !isRuntime(e))
  const runtimeErrors = imageExamples.filter((e) => e.expected.error && isRuntime(e))
  const successes = imageExamples.filter((e) => !e.expected.error)

  it('has error examples to check', () => {
    expect(parseErrors.length).toBeGreaterThanOrEqual(15)
  })

  it.each(parseErrors.map((e) => [e.process, e] as const))('%s fails at parse time with the documented status and EC', (input, example) => {
    const expected = example.expected.error!
    const error = rejects(input, { status: expected.http_status })
    if (expected.ec) expect(error.ec).toBe(expected.ec)
    // Exact Code only where the example states one plainly (e.g. not "InvalidArgument (recommended…)").
    if (expected.code && /^[A-Za-z]+$/.test(expected.code)) expect(error.code).toBe(expected.code)
    if (expected.message) expect(error.message).toContain(expected.message)
  })

  it.each([
    ['image/resize,h_0', '0040-00000313'],
    ['image/resize,s_0', '0040-00000315'],
    ['image/resize,p_0', '0040-00000317']
  ])('%s uses EC %s, InvalidArgument (docs/error-codes.md: 315 and 317 documented, 313 inferred)', (input, ec) => {
    rejects(input, { status: 400, code: 'InvalidArgument', ec })
  })

  it.each(runtimeErrors.map((e) => [e.process] as const))('%s is valid syntax (its error needs the image)', (input) => {
    expect(() => parseProcess(input)).not.toThrow()
  })

  it.each(successes.map((e) => [e.process] as const))('%s parses and round-trips', (input) => {
    const process = parseProcess(input)
    const text = serializeProcess(process)
    expect(withoutSpans(parseProcess(text))).toEqual(withoutSpans(process))
  })
})

describe('serializeProcess', () => {
  it('writes the canonical form of a full chain', () => {
    const process: Process = {
      kind: 'image',
      steps: [
        { action: 'resize', params: { w: 100, m: 'fill', h: 50 }, span: { start: 0, end: 0 } },
        { action: 'rotate', params: { value: 90 }, span: { start: 0, end: 0 } },
        { action: 'watermark', params: { text: '中文', g: 'nw', color: 'FF0000' }, span: { start: 0, end: 0 } },
        { action: 'format', params: { value: 'png' }, span: { start: 0, end: 0 } }
      ],
      saveAs: { object: 'a/b.png' }
    }
    expect(serializeProcess(process)).toBe('image/resize,m_fill,w_100,h_50/rotate,90/watermark,text_5Lit5paH,color_FF0000,g_nw/format,png|sys/saveas,o_YS9iLnBuZw')
  })

  it('canonicalises "|image/" to "/"', () => {
    expect(serializeProcess(parseProcess('image/resize,w_1|image/rotate,90'))).toBe('image/resize,w_1/rotate,90')
  })
})

describe('resize w_0,h_0', () => {
  it('has its own EC, 0040-00000321, reported before the range of w', () => {
    expect(() => parseProcess('image/resize,w_0,h_0')).toThrow(expect.objectContaining({ status: 400, code: 'InvalidArgument', ec: '0040-00000321' }))
    expect(() => parseProcess('image/resize,w_0,h_10')).toThrow(expect.objectContaining({ ec: '0040-00000312' }))
  })
})
