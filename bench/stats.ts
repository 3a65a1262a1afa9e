/** Small, dependency-free statistics for the benchmark. */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

export const median = (values: readonly number[]) => quantile(values, 0.5)

export interface Summary {
  readonly n: number
  readonly medianMs: number
  readonly p25Ms: number
  readonly p75Ms: number
  /** Interquartile range relative to the median: a stability indicator. */
  readonly relIqr: number
}

export function summarize(samples: readonly number[]): Summary {
  const m = median(samples)
  const p25 = quantile(samples, 0.25)
  const p75 = quantile(samples, 0.75)
  return { n: samples.length, medianMs: round(m, 2), p25Ms: round(p25, 2), p75Ms: round(p75, 2), relIqr: round((p75 - p25) / m, 3) }
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** A plain-text table with right-aligned numbers. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const isNum = (s: string) => /^[-+~≈×÷0-9.,%\s]+(ms|MiB|KiB|\/s|×|%)?$/.test(s) && s.trim() !== ''
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (isNum(c) && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ').trimEnd()
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')
}
