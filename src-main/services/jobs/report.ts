/**
 * Job reports: counts, per-item results, failures with OSS's status / code / EC / message, and CSV
 * export (RFC 4180: CRLF line ends, every field quoted when it holds a comma, quote, CR or LF,
 * quotes doubled). Fields that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`,
 * tab, CR) get a leading `'` — keys and OSS messages are untrusted text.
 */
import type { ItemResult, JobCounts, JobReport, JobState } from './types'

export const CSV_COLUMNS = ['item', 'source', 'style', 'target', 'status', 'attempts', 'bytes', 'http_status', 'code', 'ec', 'message', 'request_id'] as const

export function csvField(value: string | number | undefined): string {
  if (value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text
}

export function reportCsv(items: readonly ItemResult[], options: { failedOnly?: boolean } = {}): string {
  const rows = [CSV_COLUMNS.join(',')]
  for (const r of items) {
    if (options.failedOnly && r.status !== 'failed') continue
    const e = r.error
    rows.push(
      [r.id, r.sourceKey, r.style, r.targetKey, r.status, r.attempts, r.bytes, e?.status, e?.code, e?.ec, e?.message, e?.requestId].map(csvField).join(',')
    )
  }
  return `${rows.join('\r\n')}\r\n`
}

export function countsOf(items: readonly ItemResult[]): JobCounts {
  let done = 0
  let skipped = 0
  let failed = 0
  for (const r of items) {
    if (r.status === 'done') done++
    else if (r.status === 'skipped') skipped++
    else if (r.status === 'failed') failed++
  }
  return { total: items.length, done, skipped, failed }
}

export function buildReport(jobId: string, state: JobState, items: readonly ItemResult[]): JobReport {
  return { jobId, state, counts: countsOf(items), items, failures: items.filter((r) => r.status === 'failed') }
}
