/**
 * URL-safe Base64 as OSS uses it for watermark text, font names, watermark object keys and
 * saveas targets. Project decision (spec §1.3): accept padded and unpadded input in the URL-safe
 * and standard alphabets; emit URL-safe without padding (2021+ docs).
 * Pure (no Buffer, no DOM) so the renderer and main share it.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const LOOKUP = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]))
LOOKUP.set('+', 62)
LOOKUP.set('/', 63)

export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!
    const b1 = bytes[i + 1]
    const b2 = bytes[i + 2]
    out += ALPHABET[b0 >> 2]
    out += ALPHABET[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]
    if (b1 !== undefined) out += ALPHABET[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]
    if (b2 !== undefined) out += ALPHABET[b2 & 63]
  }
  return out
}

/** Decodes to UTF-8 text, or returns undefined when the input is not Base64 or not UTF-8. */
export function decodeBase64Url(encoded: string): string | undefined {
  const body = encoded.replace(/=+$/, '')
  if (body.length % 4 === 1) return undefined
  const bytes: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of body) {
    const value = LOOKUP.get(char)
    if (value === undefined) return undefined
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes.push((buffer >> bits) & 0xff)
    }
  }
  // ignoreBOM: keep a leading U+FEFF (the default decoder drops it, breaking round trips).
  // Passed as a variable: src-shared/encoding.d.ts declares only `fatal`.
  const options = { fatal: true, ignoreBOM: true }
  try {
    return new TextDecoder('utf-8', options).decode(new Uint8Array(bytes))
  } catch {
    return undefined
  }
}
