/**
 * HEVC-coded HEIC. The prebuilt sharp has no HEVC codec (toolchain §5): it reads the header but cannot decode
 * the pixels, and cannot encode HEVC at all. AV1-coded HEIF/AVIF sources need none of this: sharp reads them.
 */
import type { Sharp } from 'sharp'
import sharp from 'sharp'
import { LIMITS } from '../../../src-shared/img/limits'

export interface DecodedHeic {
  data: Buffer
  width: number
  height: number
  channels: 4
}

/** Decodes the primary image of an HEVC HEIC to RGBA with heic-decode (libheif + libde265 in wasm). */
export async function decodeHeic(buf: Uint8Array): Promise<DecodedHeic> {
  // sharp parses the HEIF header without the codec; use it to refuse oversized images before libheif
  // allocates the frame in wasm memory, which never shrinks.
  const { width, height } = await sharp(buf).metadata()
  if (width > LIMITS.maxSourceSide || height > LIMITS.maxSourceSide || width * height > LIMITS.maxSourcePixels) {
    throw new Error(`HEIC is ${width}×${height} px; the limits are ${LIMITS.maxSourceSide} px per side and ${LIMITS.maxSourcePixels} pixels`)
  }
  // Loaded on first use: the module embeds a multi-megabyte wasm binary that most requests never need.
  const { default: decode } = await import('heic-decode')
  const image = await decode({ buffer: buf })
  const data = image.data
  return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width: image.width, height: image.height, channels: 4 }
}

/**
 * Encodes `format,heic` output.
 *
 * Known difference from OSS (documented): OSS writes HEVC-coded HEIC, but the prebuilt sharp has no HEVC
 * encoder (`heif({ compression: 'hevc' })` fails with "Unsupported compression") and no other verified HEVC
 * encoder is available. The closest valid result is an AV1-coded HEIF image. libheif labels such a file as
 * AVIF (ftyp major brand `avif`, compatible `mif1 avif miaf`), so `sharp(result).metadata()` reports
 * `format: 'heif', compression: 'av1', mediaType: 'image/avif'`, whereas an OSS result would report
 * `compression: 'hevc', mediaType: 'image/heic'`.
 */
export async function encodeHeic(image: Sharp, quality: number): Promise<Buffer> {
  return image.heif({ compression: 'av1', quality }).toBuffer()
}
