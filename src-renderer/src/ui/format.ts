/** Small display helpers shared by the panels. */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`
}

/** `2025-11-28T18:08:00.000Z` → `Nov 28, 2025, 18:08` in the user's locale; the input as it is if unreadable. */
export function formatDate(value: string): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}

/** `photos/2024/a.jpg` under prefix `photos/` → `2024/a.jpg`. */
export function relativeKey(key: string, prefix: string): string {
  return key.startsWith(prefix) ? key.slice(prefix.length) : key
}

const IMAGE_KEY = /\.(jpe?g|png|gif|webp|bmp|tiff?|heic|heif|avif)$/i

export function looksLikeImage(key: string, contentType?: string): boolean {
  return contentType?.startsWith('image/') === true || IMAGE_KEY.test(key)
}

/** Base64 image data from main → an object URL (cheaper in the DOM than a data: URL). Revoke when done. */
export function objectUrlFromBase64(data: string, contentType: string): string {
  const binary = atob(data)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return URL.createObjectURL(new Blob([bytes], { type: contentType }))
}

/** Bytes → standard Base64 (what `uploads:add` takes), in chunks so large images do not overflow the call stack. */
export function base64FromBytes(bytes: Uint8Array): string {
  let binary = ''
  const CHUNK = 0x8000
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(binary)
}
