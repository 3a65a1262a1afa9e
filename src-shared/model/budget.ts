/**
 * The byte-budget solver's vocabulary, shared by main (src-main/services/budget), the CLI
 * (`oss-img budget`) and the studio's Byte budget panel.
 */
import type { OutputFormat } from '../img/actions/format'

/** The output formats the engine encodes with a quality (PNG, GIF, BMP and TIFF are lossless: no Q to find). */
export const QUALITY_FORMATS = ['jpg', 'webp', 'avif', 'heic'] as const satisfies readonly OutputFormat[]
export type QualityFormat = (typeof QUALITY_FORMATS)[number]

/** `max`: every sample fits; `p95`: the 95th percentile (nearest rank) fits. */
export const BUDGET_MEASURES = ['max', 'p95'] as const
export type BudgetMeasure = (typeof BUDGET_MEASURES)[number]

/** A budget's KB are 1024 bytes. */
export const KB = 1024

/** At most this many samples per run (each is kept as pixels while its format is solved). */
export const BUDGET_SAMPLES_MAX = 200

/** The nearest-rank percentile `p` (0–100] of `values`: the smallest value with at least p % of them at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile: expected at least one value')
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export interface BudgetResult {
  readonly format: QualityFormat
  /** The highest Q_ (1–100) that keeps the samples within budget; `null` when not even Q_1 does. */
  readonly Q: number | null
  readonly met: boolean
  /** Sizes at Q (at Q_1, the smallest reached, when the budget is not met). */
  readonly maxBytes: number
  readonly p95Bytes: number
  readonly medianBytes: number
  /** Mean SSIM of the samples at Q against the same chain unencoded (the source resized the same way); `null` when not met. */
  readonly score: number | null
  readonly timeMs: number
}
