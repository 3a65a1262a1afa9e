import { describe, expect, it } from 'vitest'
import { csvField, reportCsv, type ItemResult } from '../../../src-main/services/jobs'

/** A small RFC 4180 reader, to check that what we write reads back as written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += c
  }
  return rows
}

describe('CSV report', () => {
  it('escapes commas, quotes, line breaks and formula starts', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('line\nbreak')).toBe('"line\nbreak"')
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvField(-1)).toBe('-1')
    expect(csvField(undefined)).toBe('')
  })

  it('writes one row per item that reads back exactly', () => {
    const items: ItemResult[] = [
      { id: 's:a,b.jpg', sourceKey: 'a,b.jpg', style: 's', targetKey: 'out/"a".jpg', status: 'done', attempts: 1, bytes: 100 },
      {
        id: 's:c.jpg',
        sourceKey: 'c.jpg',
        style: 's',
        targetKey: 'out/c.jpg',
        status: 'failed',
        attempts: 1,
        error: { status: 400, code: 'InvalidArgument', ec: '0040-00000311', message: 'resize: expected m in [lfit, mfit]\nbut received "abc"', requestId: 'RID', retryable: false }
      }
    ]
    const csv = reportCsv(items)
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(['item', 'source', 'style', 'target', 'status', 'attempts', 'bytes', 'http_status', 'code', 'ec', 'message', 'request_id'])
    expect(rows[1]).toEqual(['s:a,b.jpg', 'a,b.jpg', 's', 'out/"a".jpg', 'done', '1', '100', '', '', '', '', ''])
    expect(rows[2]).toEqual(['s:c.jpg', 'c.jpg', 's', 'out/c.jpg', 'failed', '1', '', '400', 'InvalidArgument', '0040-00000311', 'resize: expected m in [lfit, mfit]\nbut received "abc"', 'RID'])
    expect(parseCsv(reportCsv(items, { failedOnly: true }))).toHaveLength(2)
  })
})
