/**
 * Signed URLs, the pure part: expiry presets and limits, what to apply (`image/…`, `style/NAME`,
 * nothing), the request payloads for `sign:url`, and the list / CSV texts that are copied.
 */
import { contentDisposition } from '../../../src-shared/http/content-disposition'
import type { RequestOf } from '../../../src-shared/ipc/contract'
import { parseProcess, serializeProcess } from '../../../src-shared/img/process'
import type { MessageKey } from '../i18n/keys'

/** OSS's maximum for presigned URLs (V4; the service applies it to V1 too). */
export const MAX_EXPIRY_SECONDS = 604_800

export const EXPIRY_PRESETS: readonly { readonly label: MessageKey; readonly seconds: number }[] = [
  { label: 'sign.expiry.presets.m15', seconds: 900 },
  { label: 'sign.expiry.presets.h1', seconds: 3_600 },
  { label: 'sign.expiry.presets.d1', seconds: 86_400 },
  { label: 'sign.expiry.presets.d7', seconds: 604_800 }
]

export const EXPIRY_UNITS = { minutes: 60, hours: 3_600, days: 86_400 } as const
export type ExpiryUnit = keyof typeof EXPIRY_UNITS

export const EXPIRY_UNIT_LABELS: Readonly<Record<ExpiryUnit, MessageKey>> = {
  minutes: 'sign.expiry.units.minutes',
  hours: 'sign.expiry.units.hours',
  days: 'sign.expiry.units.days'
}

export type Expiry = { readonly preset: number } | { readonly custom: string; readonly unit: ExpiryUnit }

/** Seconds, or the reason the custom value cannot be used (a catalog key). */
export function expirySeconds(expiry: Expiry): { seconds: number } | { error: MessageKey } {
  if ('preset' in expiry) return { seconds: expiry.preset }
  const amount = Number(expiry.custom.trim())
  if (expiry.custom.trim() === '' || !Number.isFinite(amount) || amount <= 0) return { error: 'sign.expiry.positive' }
  const seconds = Math.round(amount * EXPIRY_UNITS[expiry.unit])
  if (seconds < 1) return { error: 'sign.expiry.min' }
  if (seconds > MAX_EXPIRY_SECONDS) return { error: 'sign.expiry.max' }
  return { seconds }
}

/**
 * What the URL applies: `current` (the process string as it is), a bucket `style` by name, or
 * `none` (the original). Unset (`auto`) means the style whose content equals the current string,
 * if the bucket has one, else the string itself: a pushed style is what OSS serves to everyone.
 */
export type Apply = { readonly kind: 'current' } | { readonly kind: 'none' } | { readonly kind: 'style'; readonly name: string }

/** A process string in canonical form, or undefined when it does not parse. */
export function canonical(process: string): string | undefined {
  try {
    return serializeProcess(parseProcess(process))
  } catch {
    return undefined
  }
}

export interface BucketStyle {
  readonly name: string
  /** The content stored in the bucket. */
  readonly process: string
}

/** The bucket style with exactly the current string's effect (compared in canonical form). */
export function matchingStyle(process: string, styles: readonly BucketStyle[]): string | undefined {
  const wanted = canonical(process)
  if (wanted === undefined || wanted.startsWith('style/')) return undefined
  return styles.find((s) => canonical(s.process) === wanted)?.name
}

export function effectiveApply(chosen: Apply | undefined, match: string | undefined): Apply {
  return chosen ?? (match ? { kind: 'style', name: match } : { kind: 'current' })
}

/** The `x-oss-process` value the URL will carry ('' = none). */
export function processFor(apply: Apply, current: string): string {
  if (apply.kind === 'none') return ''
  if (apply.kind === 'style') return `style/${apply.name}`
  return current.trim()
}

/** An ad-hoc `image/…` string: what source-image protection refuses to anonymous callers. */
export function isAdHoc(process: string): boolean {
  return process.startsWith('image/')
}

/** `style/NAME` named by a process value, if it is one. */
export function styleNameOf(process: string): string | undefined {
  return /^style\/([^/]+)$/.exec(process)?.[1]
}

export interface SignSettings {
  readonly profileId: string
  readonly process: string
  readonly expiresSeconds: number
  readonly version: 'v1' | 'v4'
  /** Only sent when the profile has a custom domain. */
  readonly useCustomDomain: boolean | undefined
  /** Download file name ('' = none): becomes an attachment Content-Disposition. */
  readonly fileName: string
}

export function signRequest(key: string, s: SignSettings): RequestOf<'sign:url'> {
  const fileName = s.fileName.trim()
  return {
    profileId: s.profileId,
    key,
    ...(s.process !== '' ? { process: s.process } : {}),
    expiresSeconds: s.expiresSeconds,
    version: s.version,
    ...(fileName !== '' ? { contentDisposition: contentDisposition(fileName) } : {}),
    ...(s.useCustomDomain !== undefined ? { useCustomDomain: s.useCustomDomain } : {})
  }
}

export interface SignedRow {
  readonly key: string
  readonly url: string
  readonly expiresAt: string
}

/** RFC 4180: quoted when it holds a comma, a quote, a line break or edge spaces; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function toCsv(rows: readonly SignedRow[]): string {
  const lines = [['key', 'url', 'expires_at'], ...rows.map((r) => [r.key, r.url, r.expiresAt])]
  return `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`
}

export function toList(rows: readonly SignedRow[]): string {
  return rows.map((r) => r.url).join('\n')
}
