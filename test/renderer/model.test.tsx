/**
 * The editor's document model: the reducer (actions as data), the canonical string of a document,
 * the document rebuilt from a string (round trip), and validation in OSS's words.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACTIONS, type ActionName } from '../../src-shared/img/actions'
import { parseProcess } from '../../src-shared/img/process'
import { applyEdit, canonicalOf, createItem, docFromProcess, EMPTY_DOC, layoutOf, starterParams, summaryOf, type EditorDoc } from '../../src-renderer/src/editor/model'
import { docIssues, fieldError, itemIssues } from '../../src-renderer/src/editor/validation'

const doc = (...items: ReturnType<typeof createItem>[]): EditorDoc => ({ items })

describe('reducer', () => {
  it('adds at an index, moves, duplicates, toggles, removes, sets and clears parameters', () => {
    let d = applyEdit(EMPTY_DOC, { type: 'add', action: 'resize', params: { w: 300 }, id: 'a' })
    d = applyEdit(d, { type: 'add', action: 'rotate', params: { value: 90 }, id: 'b' })
    d = applyEdit(d, { type: 'add', action: 'format', params: { value: 'png' }, index: 0, id: 'c' })
    expect(canonicalOf(d)).toBe('image/format,png/resize,w_300/rotate,90')
    d = applyEdit(d, { type: 'move', from: 0, to: 2 })
    expect(canonicalOf(d)).toBe('image/resize,w_300/rotate,90/format,png')
    d = applyEdit(d, { type: 'duplicate', id: 'a', newId: 'a2' })
    expect(d.items.map((i) => i.id)).toEqual(['a', 'a2', 'b', 'c'])
    d = applyEdit(d, { type: 'toggle', id: 'a2' })
    expect(canonicalOf(d)).toBe('image/resize,w_300/rotate,90/format,png')
    expect(d.items).toHaveLength(4)
    d = applyEdit(d, { type: 'remove', id: 'a2' })
    d = applyEdit(d, { type: 'setParam', id: 'a', param: 'm', value: 'fill' })
    d = applyEdit(d, { type: 'setParam', id: 'a', param: 'h', value: 200 })
    expect(canonicalOf(d)).toBe('image/resize,m_fill,w_300,h_200/rotate,90/format,png')
    d = applyEdit(d, { type: 'setParam', id: 'a', param: 'm', value: undefined })
    expect(canonicalOf(d)).toBe('image/resize,w_300,h_200/rotate,90/format,png')
  })

  it('returns the same document for edits that change nothing', () => {
    const d = doc(createItem('resize', { w: 1 }, 'a'))
    expect(applyEdit(d, { type: 'remove', id: 'nope' })).toBe(d)
    expect(applyEdit(d, { type: 'setParam', id: 'a', param: 'w', value: 1 })).toBe(d)
    expect(applyEdit(d, { type: 'toggle', id: 'a', enabled: true })).toBe(d)
    expect(applyEdit(d, { type: 'move', from: 0, to: 0 })).toBe(d)
  })

  it('every palette action starts valid', () => {
    for (const action of Object.keys(ACTIONS) as ActionName[]) {
      const item = createItem(action)
      expect(itemIssues(item), action).toEqual({ fields: {} })
      expect(() => parseProcess(canonicalOf(doc(item))), action).not.toThrow()
    }
    expect(starterParams('watermark')).toMatchObject({ text: 'OSS IMG Studio' })
  })

  it('an empty pipeline is an empty string; a style stays a style; saveas is kept', () => {
    expect(canonicalOf(EMPTY_DOC)).toBe('')
    const styled = docFromProcess(parseProcess('style/thumb'))
    expect(styled.items).toEqual([])
    expect(canonicalOf(styled)).toBe('style/thumb')
    const saved = docFromProcess(parseProcess('image/resize,w_10|sys/saveas,o_b3V0LmpwZw'))
    const edited = applyEdit(saved, { type: 'setParam', id: saved.items[0]!.id, param: 'w', value: 20 })
    expect(canonicalOf(edited)).toBe('image/resize,w_20|sys/saveas,o_b3V0LmpwZw')
    // Adding to a styled document starts a pipeline.
    expect(canonicalOf(applyEdit(styled, { type: 'add', action: 'rotate', params: { value: 90 } }))).toBe('image/rotate,90')
  })

  it('summarises explicit values for the pipeline row', () => {
    expect(summaryOf(createItem('resize', { m: 'fill', w: 200 }))).toBe('m fill · w 200')
    expect(summaryOf(createItem('rotate', { value: 90 }))).toBe('90°')
    expect(summaryOf(createItem('watermark', { text: 'Hi', color: 'FF0000' }))).toBe('text “Hi” · color #FF0000')
  })

  it('lays out the spans of enabled items only', () => {
    const d = doc(createItem('resize', { w: 300 }, 'a'), { ...createItem('blur', undefined, 'b'), enabled: false }, createItem('rotate', { value: 90 }, 'c'))
    const layout = layoutOf(d)
    expect(layout.text).toBe('image/resize,w_300/rotate,90')
    expect(layout.spans.get('a')).toEqual({ start: 6, end: 18 })
    expect(layout.spans.has('b')).toBe(false)
    expect(layout.text.slice(layout.spans.get('c')!.start, layout.spans.get('c')!.end)).toBe('rotate,90')
  })
})

describe('string ⇄ pipeline round trip', () => {
  const samples = [
    'image/resize,w_640/quality,q_80',
    'image/resize,m_fill,w_240,h_240/circle,r_120/format,png',
    'image/resize,w_800/watermark,text_T1NTIElNRyBTdHVkaW8,color_FFFFFF,size_36,shadow_60,g_se,x_24,y_24',
    'image/crop,w_100,h_100,x_10,y_10,g_center/rotate,45/blur,r_3,s_2/bright,-20/contrast,30/sharpen,120',
    'image/indexcrop,x_100,i_1/rounded-corners,r_30/auto-orient,0/interlace,1/ignore-error,1',
    'image/info',
    'image/average-hue'
  ]
  it.each(samples)('%s', (text) => {
    const d = docFromProcess(parseProcess(text))
    expect(canonicalOf(d)).toBe(text)
  })

  it('rewrites non-canonical spellings canonically', () => {
    expect(canonicalOf(docFromProcess(parseProcess('image/resize,h_100,w_200,m_lfit/quality,90/format,jpeg')))).toBe('image/resize,m_lfit,w_200,h_100/quality,q_90/format,jpg')
  })

  it('keeps ids of enabled items at the same place with the same action', () => {
    const before = doc(createItem('resize', { w: 1 }, 'a'), { ...createItem('blur', undefined, 'x'), enabled: false }, createItem('rotate', { value: 1 }, 'b'))
    const after = docFromProcess(parseProcess('image/resize,w_2/rotate,2/format,png'), before)
    expect(after.items.map((i) => i.id).slice(0, 2)).toEqual(['a', 'b'])
    expect(after.items).toHaveLength(3) // the disabled blur is dropped
  })

  it('any valid generated pipeline survives serialize → parse → serialize', () => {
    const names = ['resize', 'crop', 'rotate', 'blur', 'bright', 'quality', 'format', 'watermark', 'sharpen'] as const
    const step = fc.oneof(
      fc.record({ action: fc.constant('resize' as const), w: fc.integer({ min: 1, max: 16384 }), m: fc.constantFrom('lfit', 'fill', 'pad') }).map((p) => createItem(p.action, { m: p.m, w: p.w })),
      fc.integer({ min: 0, max: 360 }).map((v) => createItem('rotate', { value: v })),
      fc.record({ r: fc.integer({ min: 1, max: 50 }), s: fc.integer({ min: 1, max: 50 }) }).map((p) => createItem('blur', p)),
      fc.integer({ min: -100, max: 100 }).map((v) => createItem('bright', { value: v })),
      fc.string({ minLength: 1, maxLength: 20 }).map((text) => createItem('watermark', { text, g: 'center' })),
      fc.constantFrom(...names).map((n) => createItem(n))
    )
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (items) => {
        const d = doc(...items)
        const text = canonicalOf(d)
        const again = docFromProcess(parseProcess(text), d)
        expect(canonicalOf(again)).toBe(text)
      }),
      { numRuns: 150 }
    )
  })
})

describe('validation in OSS’s words', () => {
  it('flags one field with the parser’s message and EC', () => {
    expect(fieldError('resize', 'w', 0)).toEqual({ code: 'InvalidArgument', ec: '0040-00000312', message: 'resize: expected an integer between 1 and 16384 for w but received "0"' })
    expect(fieldError('resize', 'w', '1.5')?.message).toBe('resize: expected an integer between 1 and 16384 for w but received "1.5"')
    expect(fieldError('resize', 'color', 'red')?.ec).toBe('0040-00000318')
    expect(fieldError('rotate', 'value', 400)?.message).toBe('rotate: expected an integer between 0 and 360 for its value but received "400"')
    expect(fieldError('watermark', 'text', 'x'.repeat(65))?.ec).toBe('0040-00000259')
    expect(fieldError('watermark', 'type', 'comic-sans')?.ec).toBe('0040-00000251')
    expect(fieldError('resize', 'w', 10)).toBeUndefined()
  })

  it('puts a missing required parameter on its field and a missing combination on the item', () => {
    const blur = createItem('blur', { r: 3 })
    expect(itemIssues(blur).fields.s?.message).toBe('blur: expected an integer between 1 and 50 for s but received none')
    const resize = createItem('resize', { m: 'fill' })
    expect(itemIssues(resize).item).toMatchObject({ ec: '0040-00000322', message: 'resize: expected at least one of w, h, l, s, p but received none' })
  })

  it('finds chain rules and places them on the step they point into', () => {
    const d = doc(createItem('resize', { w: 10 }, 'a'), createItem('info', {}, 'b'))
    const issues = docIssues(d)
    expect(issues.count).toBe(1)
    expect(issues.byItem.get('a')).toBeUndefined()
    expect(issues.byItem.get('b')?.item?.message).toBe('info: expected to be the only operation but received 2 operations')
  })

  it('validates disabled items too, without putting them in the string', () => {
    const d = doc(createItem('resize', { w: 10 }, 'a'), { ...createItem('rotate', { value: 999 }, 'b'), enabled: false })
    expect(canonicalOf(d)).toBe('image/resize,w_10')
    expect(docIssues(d).byItem.get('b')?.fields.value?.ec).toBe('0040-00000217')
  })
})
