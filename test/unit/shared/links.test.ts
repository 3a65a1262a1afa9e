/**
 * The link matrix's pure parts (src-shared/model/links.ts, image-settings.ts): output widths for
 * srcset, the export formats' escaping (CSV quotes, Markdown pipes, HTML entities), row and column
 * slices, and the protection-rule patterns and matching.
 */
import { describe, expect, it } from 'vitest'
import { formatProtectionRule, imageSettingsProblems, isProtectedKey, parseProtectionRule } from '../../../src-shared/model/image-settings'
import { formatLinks, linksJson, outputWidth, sliceMatrix, type LinkMatrix } from '../../../src-shared/model/links'

describe('outputWidth', () => {
  it.each([
    ['image/resize,w_320', 320],
    ['image/resize,w_720/format,webp/quality,q_80', 720],
    ['image/resize,m_lfit,w_500/watermark,text_aGk', 500],
    ['image/resize,w_300/resize,w_200', 200],
    ['image/resize,m_fill,w_200,h_200', undefined],
    ['image/resize,p_50', undefined],
    ['image/resize,l_400', undefined],
    ['image/resize,w_300/crop,w_100,h_100', undefined],
    ['image/resize,w_300/rotate,90', undefined],
    ['image/format,webp', undefined],
    ['style/thumb', undefined],
    ['not a process', undefined]
  ])('%s → %s', (process, width) => expect(outputWidth(process)).toBe(width))
})

const matrix: LinkMatrix = {
  keys: ['a,b.jpg', 'x|y.jpg'],
  columns: [
    { label: 'w320', process: 'style/w320', width: 320 },
    { label: 'w720', process: 'style/w720', width: 720 },
    { label: 'say "hi"', process: 'image/resize,m_fill,w_10,h_10' }
  ],
  cells: ['a,b.jpg', 'x|y.jpg'].flatMap((key) =>
    ['w320', 'w720', 'say "hi"'].map((style) => ({ key, style, form: 'query' as const, url: `https://h/${encodeURIComponent(key)}?s=${style.length}&t=<1>` }))
  )
}

describe('formatLinks', () => {
  it('csv quotes fields with commas and quotes; CRLF lines; empty expires', () => {
    const lines = formatLinks(matrix, 'csv').split('\r\n')
    expect(lines[0]).toBe('key,style,form,url,expires')
    expect(lines[1]).toBe('"a,b.jpg",w320,query,https://h/a%2Cb.jpg?s=4&t=<1>,')
    expect(lines[3]).toBe('"a,b.jpg","say ""hi""",query,https://h/a%2Cb.jpg?s=8&t=<1>,')
    expect(lines).toHaveLength(8)
  })

  it('markdown escapes pipes', () => {
    const md = formatLinks(matrix, 'md').split('\n')
    expect(md[0]).toBe('| key | w320 | w720 | say "hi" |')
    expect(md[3]).toMatch(/^\| x\\\|y\.jpg \| \[w320\]\(https:\/\/h\/x%7Cy\.jpg\?s=4&t=<1>\)/)
  })

  it('html escapes attributes; one srcset per object over the width-based columns', () => {
    const html = formatLinks(matrix, 'html')
    expect(html).toContain('<img src="https://h/a%2Cb.jpg?s=4&amp;t=&lt;1&gt;" alt="a,b.jpg w320" loading="lazy">')
    expect(html).toContain('<th>say &quot;hi&quot;</th>')
    expect(html.match(/<img srcset="https:\/\/h\/[^ ]+ 320w, https:\/\/h\/[^ ]+ 720w" sizes="\(max-width: 720px\) 100vw, 720px"/g)).toHaveLength(2)
  })

  it('no srcset with fewer than two width-based columns', () => {
    expect(formatLinks(sliceMatrix(matrix, { column: 0 }), 'html')).not.toContain('srcset')
  })

  it('list, json and slices', () => {
    expect(formatLinks(matrix, 'list').trimEnd().split('\n')).toHaveLength(6)
    const row = sliceMatrix(matrix, { row: 1 })
    expect(row.cells.map((c) => `${c.key} ${c.style}`)).toEqual(['x|y.jpg w320', 'x|y.jpg w720', 'x|y.jpg say "hi"'])
    const column = sliceMatrix(matrix, { column: 1 })
    expect(column.cells.map((c) => c.key)).toEqual(['a,b.jpg', 'x|y.jpg'])
    const checked = { ...matrix.cells[0]!, expires: '2026-12-07T00:00:00.000Z', check: { status: 404, contentType: 'application/xml', bytes: 300, code: 'NoSuchStyle', message: 'dropped' } }
    expect(JSON.parse(linksJson([checked, matrix.cells[1]!]))).toEqual([
      { key: 'a,b.jpg', style: 'w320', form: 'query', url: checked.url, expires: checked.expires, check: { status: 404, contentType: 'application/xml', bytes: 300, code: 'NoSuchStyle' } },
      { key: 'a,b.jpg', style: 'w720', form: 'query', url: matrix.cells[1]!.url }
    ])
  })
})

describe('protection rules', () => {
  it('parse PREFIX*SUFFIX patterns and print them back', () => {
    expect(parseProtectionRule('*.jpg')).toEqual({ prefix: '', suffix: '.jpg' })
    expect(parseProtectionRule('raw/*')).toEqual({ prefix: 'raw/', suffix: '' })
    expect(parseProtectionRule('raw/')).toEqual({ prefix: 'raw/', suffix: '' })
    expect(parseProtectionRule('raw/*.png')).toEqual({ prefix: 'raw/', suffix: '.png' })
    for (const bad of ['', '*', 'a*b*c']) expect(() => parseProtectionRule(bad)).toThrow(/expected PREFIX\*SUFFIX/)
    expect(['*.jpg', 'raw/*', 'raw/*.png'].map((p) => formatProtectionRule(parseProtectionRule(p)))).toEqual(['*.jpg', 'raw/*', 'raw/*.png'])
  })

  it('match keys: no rules = everything; prefix and suffix both; overlap not double-counted; ignore case', () => {
    expect(isProtectedKey({ sourceProtection: true }, 'any/key')).toBe(true)
    expect(isProtectedKey({ sourceProtection: false, protectionRules: [] }, 'any')).toBe(false)
    const settings = { sourceProtection: true, protectionRules: [{ prefix: 'ab', suffix: 'bc' }] }
    expect(isProtectedKey(settings, 'abc')).toBe(false)
    expect(isProtectedKey(settings, 'abbc')).toBe(true)
    expect(isProtectedKey(settings, 'ABBC')).toBe(false)
    expect(isProtectedKey({ ...settings, protectionIgnoreCase: true }, 'ABBC')).toBe(true)
  })

  it('report invalid settings', () => {
    expect(imageSettingsProblems({ styleDelimiter: '#' as never })).toEqual(['styleDelimiter: expected one of - _ / ! but received "#"'])
    expect(imageSettingsProblems({ protectionRules: [{ prefix: '', suffix: '' }] })).toEqual(['protectionRules[0]: expected a prefix or a suffix but received neither'])
    expect(imageSettingsProblems({ styleDelimiter: '!', protectionRules: [{ prefix: 'a', suffix: '' }] })).toEqual([])
  })
})
