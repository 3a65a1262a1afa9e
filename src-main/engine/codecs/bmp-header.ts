/** BMP header checks, apart from the codec libraries so that sniffing a source loads neither. */
import { LIMITS } from '../../../src-shared/img/limits'

// biCompression values whose pixel array is uncompressed, so its size follows from the header.
export const BI_RGB = 0
export const BI_BITFIELDS = 3
const BI_ALPHABITFIELDS = 6

/** Validates what can be validated from the headers alone: signature, dimensions, limits, truncation. */
export function checkHeader(buf: Uint8Array): { width: number; height: number } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  if (buf.length < 18 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new Error('Not a BMP file: missing "BM" signature')
  const dataOffset = view.getUint32(10, true)
  const headerSize = view.getUint32(14, true)
  // BITMAPCOREHEADER (12 bytes) has 16-bit dimensions; every later header (OS/2 v2 from 16 bytes, then 40..124)
  // has signed 32-bit ones, a negative height meaning top-down rows.
  const core = headerSize === 12
  if (!core && headerSize < 16) throw new Error(`Corrupt BMP: invalid header size ${headerSize}`)
  if (buf.length < 14 + Math.min(headerSize, 40)) throw new Error('Truncated BMP: the header is incomplete')

  const width = core ? view.getUint16(18, true) : view.getInt32(18, true)
  const rawHeight = core ? view.getUint16(20, true) : view.getInt32(22, true)
  const height = Math.abs(rawHeight)
  const bitsPerPixel = core ? view.getUint16(24, true) : view.getUint16(28, true)
  const compression = headerSize >= 20 ? view.getUint32(30, true) : BI_RGB

  if (width <= 0 || height === 0) throw new Error(`Corrupt BMP: invalid dimensions ${width}×${rawHeight}`)
  if (width > LIMITS.maxSourceSide || height > LIMITS.maxSourceSide) {
    throw new Error(`BMP is ${width}×${height} px; the limit is ${LIMITS.maxSourceSide} px per side`)
  }
  if (width * height > LIMITS.maxSourcePixels) {
    throw new Error(`BMP has ${width * height} pixels; the limit is ${LIMITS.maxSourcePixels}`)
  }
  if (![1, 2, 4, 8, 16, 24, 32].includes(bitsPerPixel)) {
    throw new Error(`Unsupported BMP: ${bitsPerPixel} bits per pixel`)
  }
  // Uncompressed pixel arrays have a known size: rows padded to 4 bytes. (RLE data is checked by the decoder.)
  if (compression === BI_RGB || compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4
    if (dataOffset > buf.length || buf.length - dataOffset < stride * height) {
      throw new Error(`Truncated BMP: ${width}×${height} at ${bitsPerPixel} bpp needs ${stride * height} bytes of pixels`)
    }
  }
  return { width, height }
}
