import { describe, expect, it } from 'vitest'
import { csvField, reportCsv, type ItemResult } from '../../../src-main/services/jobs'
import { parseCsv } from '../../support/csv'

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
