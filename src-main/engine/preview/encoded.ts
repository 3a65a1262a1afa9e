/**
 * Encoded image bytes opened for pixels. HEVC HEIC (what `format,heic` writes where heif-enc exists,
 * and what OSS returns) is decoded with heic-decode: sharp reads only its header.
 */
import type { Sharp } from 'sharp'
import sharp from 'sharp'
import { decodeHeic } from '../codecs/heic'
import { sniffFormat } from '../codecs/sniff'

export function isHevcHeic(data: Buffer): boolean {
  return sniffFormat(data) === 'heic'
}

export async function openEncoded(data: Buffer, options: { animated?: boolean } = {}): Promise<Sharp> {
  if (!isHevcHeic(data)) return sharp(data, { animated: options.animated === true, limitInputPixels: false, pages: options.animated ? -1 : 1 })
  const decoded = await decodeHeic(data)
  return sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: decoded.channels }, limitInputPixels: false })
}
