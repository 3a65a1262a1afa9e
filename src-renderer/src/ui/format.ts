/** Small display helpers shared by the panels. */

// Numbers, sizes, dates and durations are formatted in the language shown (i18n/format.ts); re-exported
// here because the panels have always imported them from this module.
export { formatBytes, formatDate, formatMs } from '../i18n/format'

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
