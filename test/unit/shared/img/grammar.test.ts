/**
 * The syntax layer (spec §1.1, §1.2, §7, §8, §13): tokenisation, exact source spans, the `|` forms
 * and the length limit. Meaning (ranges, ECs of parameters) is tested in process.test.ts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeBase64Url } from '../../../../src-shared/img/base64url'
import { ImgError, type Span } from '../../../../src-shared/img/errors'
import { parseSyntax, type SyntaxAction, type SyntaxTree, type Token } from '../../../../src-shared/img/grammar'
import { LIMITS } from '../../../../src-shared/img/limits'
import { parseProcess } from '../../../../src-shared/img/process'

const at = (input: string, span: Span) => input.slice(span.start, span.end)

function catchImgError(fn: () => unknown): ImgError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ImgError)
    return error as ImgError
  }
  throw new Error('expected an ImgError, but nothing was thrown')
}

/** Every span of the tree must cut exactly its own text out of the input. */
function expectExactSpans(input: string, tree: SyntaxTree): void {
  const checkToken = (token: Token) => {
    expect(at(input, token.span)).toBe(token.text)
    if (token.key === undefined) {
      expect(token.value).toBe(token.text)
      expect(token.text).not.toContain('_')
    } else {
      expect(`${token.key}_${token.value}`).toBe(token.text)
      expect(token.key).not.toContain('_')
    }
  }
  const checkAction = (action: SyntaxAction) => {
    expect(at(input, action.nameSpan)).toBe(action.name)
    expect(action.nameSpan.start).toBe(action.span.start)
    expect(at(input, action.span)).toBe([action.name, ...action.tokens.map((t) => t.text)].join(','))
    action.tokens.forEach(checkToken)
  }
  if (tree.kind === 'image') tree.actions.forEach(checkAction)
  else expect(at(input, tree.nameSpan)).toBe(tree.name)
  if (tree.saveAs) {
    expect(at(input, tree.saveAs.span)).toBe(['sys/saveas', ...tree.saveAs.tokens.map((t) => t.text)].join(','))
    tree.saveAs.tokens.forEach(checkToken)
  }
}

/** Removes spans (and the token text they duplicate) so two trees can be compared by content. */
function shape(tree: SyntaxTree) {
  const token = (t: Token) => ({ key: t.key, value: t.value })
  return tree.kind === 'image'
    ? { kind: tree.kind, actions: tree.actions.map((a) => ({ name: a.name, tokens: a.tokens.map(token) })), saveAs: tree.saveAs?.tokens.map(token) }
    : { kind: tree.kind, name: tree.name, extra: tree.extra !== undefined, saveAs: tree.saveAs?.tokens.map(token) }
}

describe('parseSyntax: tokens and spans', () => {
  const KOALA = 'cGljcy9Lb2FsYS5qcGc_eC1vc3MtcHJvY2Vzcz1pbWFnZS9yZXNpemUsUF8yMA' // conformance example, holds "_"
  const inputs = [
    'image/resize,w_100',
    'image/resize,m_fill,w_300,h_300,limit_0/auto-orient,0/quality,q_90/watermark,image_cGFuZGEucG5n,t_61,g_se,y_10,x_10',
    `image/watermark,image_${KOALA},g_se,x_10,y_10/rotate,90`,
    'image/resize,w_512|image/indexcrop,x_512,i_0|image/indexcrop,y_512,i_0',
    'image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA',
    'style/examplestyle|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA',
    'style/panda_style',
    'image/rotate,90,200,300',
    'image/resize,,w_1,',
    'image/info',
    // Raw non-ASCII text: spans are UTF-16 offsets, so slicing must still round-trip.
    'image/watermark,text_中文😀,size_40/format,png',
    'image/😀,🎉_💥,x_1'
  ]

  it.each(inputs)('spans of %j cut out exactly each name, token and action', (input) => {
    expectExactSpans(input, parseSyntax(input))
  })

  it('tokenises a realistic chain', () => {
    const tree = parseSyntax('image/resize,m_fill,w_300/rotate,90/watermark,text_SGVsbG8gV29ybGQ')
    expect(shape(tree)).toEqual({
      kind: 'image',
      actions: [
        { name: 'resize', tokens: [{ key: 'm', value: 'fill' }, { key: 'w', value: '300' }] },
        { name: 'rotate', tokens: [{ key: undefined, value: '90' }] },
        { name: 'watermark', tokens: [{ key: 'text', value: 'SGVsbG8gV29ybGQ' }] }
      ],
      saveAs: undefined
    })
  })

  it('splits keys on the FIRST underscore only (URL-safe Base64 values contain "_")', () => {
    const value = 'cGljcy9Lb2FsYS5qcGc_eC1vc3MtcHJvY2Vzcz1pbWFnZS9yZXNpemUsUF8yMA'
    const input = `image/watermark,image_${value},g_se`
    const [token] = (parseSyntax(input) as Extract<SyntaxTree, { kind: 'image' }>).actions[0]!.tokens
    expect(token).toMatchObject({ key: 'image', value, text: `image_${value}` })
    expect(at(input, token!.span)).toBe(`image_${value}`)
    // … and the full value reaches the Base64 decoder.
    const process = parseProcess(input)
    expect(process.kind === 'image' && process.steps[0]!.params).toMatchObject({ image: 'pics/Koala.jpg?x-oss-process=image/resize,P_20' })
  })

  it('splits on the first underscore for every value, including "__" and a leading "_"', () => {
    const tree = parseSyntax('image/x,a__b,_c,d_,e') as Extract<SyntaxTree, { kind: 'image' }>
    expect(tree.actions[0]!.tokens.map((t) => [t.key, t.value])).toEqual([
      ['a', '_b'],
      ['', 'c'],
      ['d', ''],
      [undefined, 'e']
    ])
  })

  it('keeps a Base64 value with "_" intact in saveas too', () => {
    const object = encodeBase64Url('???/a.jpg') // Pz8_L2EuanBn
    expect(object).toContain('_')
    const input = `image/resize,w_1|sys/saveas,o_${object}`
    const tree = parseSyntax(input)
    expect(tree.saveAs?.tokens[0]).toMatchObject({ key: 'o', value: object })
    expect(parseProcess(input).saveAs).toEqual({ object: '???/a.jpg', bucket: undefined })
  })

  it('gives exact spans for any chain built from arbitrary names and tokens', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcxyz_019-=+中😀'.split(/(?:)/u)), minLength: 1, maxLength: 6 })
    const action = fc.tuple(word.filter((w) => !w.includes('_')), fc.array(word, { maxLength: 4 })).map(([name, tokens]) => [name, ...tokens].join(','))
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 4 }), fc.boolean(), (actions, pipe) => {
        const input = `image/${actions.join(pipe ? '|image/' : '/')}`
        expectExactSpans(input, parseSyntax(input))
      }),
      { numRuns: 200 }
    )
  })
})

describe('parseSyntax: empty pieces (issue 17 §3 decision)', () => {
  it.each([
    ['image/resize,w_100,', 'image/resize,w_100'],
    ['image/resize,m_mfit,h_100,w_100,,', 'image/resize,m_mfit,h_100,w_100'],
    ['image/quality,q_99,Q_77,,', 'image/quality,q_99,Q_77'],
    ['image/resize,w_100/', 'image/resize,w_100'],
    ['image/resize,w_100,/rotate,90,', 'image/resize,w_100/rotate,90'],
    ['image/resize,w_100//', 'image/resize,w_100'],
    ['image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,', 'image/resize,w_100|sys/saveas,o_dGVzdC5qcGc']
  ])('%j parses as %j: trailing empty parameters and segments are dropped', (input, same) => {
    expect(shape(parseSyntax(input))).toEqual(shape(parseSyntax(same)))
    expectExactSpans(input, parseSyntax(input))
  })

  it('an empty parameter before a non-empty one stays a token (refused by validation with 213)', () => {
    const tree = parseSyntax('image/resize,w_100,,h_100')
    expect(shape(tree)).toMatchObject({ actions: [{ tokens: [{ value: '100' }, { key: undefined, value: '' }, { value: '100' }] }] })
  })
})

describe('parseSyntax: errors', () => {
  it('rejects "image/" with no operator: 400 InvalidArgument, EC 0040-00000212', () => {
    const error = catchImgError(() => parseSyntax('image/'))
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0040-00000212' })
    expect(error.span!.start).toBeLessThanOrEqual('image/'.length)
    expect(error.span!.end).toBeLessThanOrEqual('image/'.length)
    expect(catchImgError(() => parseProcess('image/')).ec).toBe('0040-00000212')
  })

  it.each(['image//resize,w_1', 'image/resize,w_1//rotate,90', 'image/,w_1'])('rejects an empty operator in %j with EC 0040-00000212', (input) => {
    const error = catchImgError(() => parseSyntax(input))
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0040-00000212' })
    expect(error.span!.start).toBeGreaterThanOrEqual(0)
    expect(error.span!.end).toBeLessThanOrEqual(input.length)
  })

  it.each(['', 'image', 'Image/resize,w_1', 'img/resize,w_1', 'resize,w_1', '/image/resize,w_1', ' image/resize,w_1', 'image/resize,w_1|rotate,90'])(
    'rejects %j, which does not start every chain with "image/" or "style/"',
    (input) => {
      const error = catchImgError(() => parseSyntax(input))
      expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0040-00000212' })
    }
  )

  it('reports an unknown operator (image/slim,1) with EC 0040-00000213 and the span on "slim"', () => {
    const input = 'image/slim,1'
    const error = catchImgError(() => parseProcess(input))
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0040-00000213' })
    expect(at(input, error.span!)).toBe('slim')
    expect(error.message).toContain('"slim"')
  })

  it('puts the unknown-operator span on the operator inside a longer chain', () => {
    const input = 'image/resize,w_100|image/rotate,90/slim,1,2/format,png'
    const error = catchImgError(() => parseProcess(input))
    expect(error.ec).toBe('0040-00000213')
    expect(error.span).toEqual({ start: input.indexOf('slim'), end: input.indexOf('slim') + 4 })
  })
})

describe('parseSyntax: "|" forms', () => {
  it('treats "|image/" exactly like "/" (Project decision §1.2)', () => {
    const piped = 'image/resize,w_512|image/indexcrop,x_512,i_0|image/indexcrop,y_512,i_0'
    const slashed = 'image/resize,w_512/indexcrop,x_512,i_0/indexcrop,y_512,i_0'
    expect(shape(parseSyntax(piped))).toEqual(shape(parseSyntax(slashed)))
    const strip = (p: ReturnType<typeof parseProcess>) => (p.kind === 'image' ? p.steps.map(({ action, params }) => ({ action, params })) : p)
    expect(strip(parseProcess(piped))).toEqual(strip(parseProcess(slashed)))
  })

  it('parses "|sys/saveas,o_…,b_…" after an image chain', () => {
    const input = 'image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA'
    const tree = parseSyntax(input)
    expect(shape(tree)).toEqual({
      kind: 'image',
      actions: [{ name: 'resize', tokens: [{ key: 'w', value: '100' }] }],
      saveAs: [
        { key: 'o', value: 'dGVzdC5qcGc' },
        { key: 'b', value: 'dGVzdA' }
      ]
    })
    expect(at(input, tree.saveAs!.span)).toBe('sys/saveas,o_dGVzdC5qcGc,b_dGVzdA')
    expect(parseProcess(input)).toMatchObject({ kind: 'image', saveAs: { object: 'test.jpg', bucket: 'test' } })
  })

  it('parses saveas after "|image/" continuations', () => {
    const tree = parseSyntax('image/resize,w_100|image/rotate,90|sys/saveas,o_dGVzdC5qcGc')
    expect(shape(tree)).toMatchObject({ actions: [{ name: 'resize' }, { name: 'rotate' }], saveAs: [{ key: 'o' }] })
  })

  it('accepts "sys/saveas" without options syntactically; parseProcess then requires o (MissingArgument)', () => {
    expect(parseSyntax('image/resize,w_1|sys/saveas').saveAs?.tokens).toEqual([])
    expect(catchImgError(() => parseProcess('image/resize,w_1|sys/saveas'))).toMatchObject({ status: 400, code: 'MissingArgument' })
  })

  it.each(['image/resize,w_1|sys/saveasx,o_dGVzdA', 'image/resize,w_1|sys/other,o_dGVzdA', 'image/resize,w_1|sys/saveas,o_dGVzdA|image/rotate,90', 'sys/saveas,o_dGVzdA', '|sys/saveas,o_dGVzdA'])(
    'rejects the misplaced or unknown sys part in %j',
    (input) => {
      expect(catchImgError(() => parseSyntax(input))).toMatchObject({ status: 400, code: 'InvalidArgument' })
    }
  )
})

describe('parseSyntax: style form', () => {
  it('parses style/<name>', () => {
    const input = 'style/panda_style'
    const tree = parseSyntax(input)
    expect(tree).toMatchObject({ kind: 'style', name: 'panda_style', extra: undefined, saveAs: undefined })
    expect(tree.kind === 'style' && at(input, tree.nameSpan)).toBe('panda_style')
  })

  it('parses style/<name>|sys/saveas,…', () => {
    const tree = parseSyntax('style/examplestyle|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA')
    expect(shape(tree)).toEqual({ kind: 'style', name: 'examplestyle', extra: false, saveAs: [{ key: 'o', value: 'dGVzdC5qcGc' }, { key: 'b', value: 'dGVzdA' }] })
  })

  it.each([
    ['style/x/resize,w_1', '/resize,w_1'],
    ['style/x|image/resize,w_1', '|image/resize,w_1'],
    ['style/x/', '/']
  ])('marks what follows the name in %j as extra (%j)', (input, extra) => {
    const tree = parseSyntax(input)
    expect(tree.kind).toBe('style')
    expect(tree.kind === 'style' && tree.extra && at(input, tree.extra)).toBe(extra)
  })
})

describe('parseSyntax: length limit (Project decision §1.1)', () => {
  /** A valid process of exactly `length` characters: saveas Base64 padded out with "=". */
  function processOfLength(length: number): string {
    const head = 'image/resize,w_100|sys/saveas,o_'
    const room = length - head.length
    const body = 'YWFh'.repeat(Math.floor(room / 4))
    return head + body + '='.repeat(room - body.length)
  }

  it(`accepts exactly ${LIMITS.maxProcessLength} characters`, () => {
    const input = processOfLength(LIMITS.maxProcessLength)
    expect(input).toHaveLength(4096)
    expect(() => parseSyntax(input)).not.toThrow()
    expect(parseProcess(input).saveAs?.object).toBe('a'.repeat(((4096 - 32) / 4) * 3))
  })

  it.each([4097, 5000, 100_000])('rejects %i characters with 400 InvalidArgument, EC 0017-00000288', (length) => {
    const input = processOfLength(length)
    const error = catchImgError(() => parseProcess(input))
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0017-00000288' })
    expect(error.message).toContain('4096')
    expect(error.message).toContain(String(length))
    expect(error.span!.start).toBeGreaterThanOrEqual(0)
    expect(error.span!.end).toBe(input.length)
  })

  it('checks the length before anything else (garbage that is too long still gets 0017-00000288)', () => {
    expect(catchImgError(() => parseProcess('x'.repeat(4097))).ec).toBe('0017-00000288')
  })
})
