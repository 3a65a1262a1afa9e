/**
 * Every number, byte size, date and duration the UI shows goes through `Intl` here, in the language
 * shown (so a switch re-formats on the next render). Byte sizes keep binary steps (1 KB = 1024 B,
 * as OSS documents its limits) with Intl's digits and grouping.
 */
import { currentLanguage } from './index'

const cache = new Map<string, Intl.NumberFormat>()

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const language = currentLanguage()
  const key = `${language}|${JSON.stringify(options)}`
  let format = cache.get(key)
  if (!format) {
    format = new Intl.NumberFormat(language, options)
    cache.set(key, format)
  }
  return format
}

export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(options).format(value)
}

/** 0.125 → `12.5%` / `12.5%`. */
export function formatPercent(ratio: number, fractionDigits = 0): string {
  return numberFormat({ style: 'percent', maximumFractionDigits: fractionDigits }).format(ratio)
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const

/** 1536 → `1.5 KB`; not a size → `—`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1024) return `${formatNumber(bytes)} B`
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  const digits = value >= 100 ? 0 : 1
  return `${formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${BYTE_UNITS[unit]}`
}

/** A duration: `850 ms` / `850毫秒`, `1.25 s` / `1.25秒`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return formatNumber(ms / 1000, { style: 'unit', unit: 'second', unitDisplay: 'short', minimumFractionDigits: 2, maximumFractionDigits: 2 })
  return formatNumber(Math.round(ms), { style: 'unit', unit: 'millisecond', unitDisplay: 'short' })
}

/** `2025-11-28T18:08:00.000Z` → `Nov 28, 2025, 18:08` / `2025年11月28日 18:08`; the input as it is if unreadable. */
export function formatDate(value: string): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return date.toLocaleString(currentLanguage(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}
