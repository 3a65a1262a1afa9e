/**
 * BMP in and out. The prebuilt sharp neither reads nor writes BMP (toolchain §5), but OSS accepts BMP sources
 * and offers `format,bmp` (spec §2, §3.12).
 *
 * Decoding uses @cwasm/nsbmp, the NetSurf browser's libnsbmp compiled to wasm: it handles every header
 * version, bottom-up and top-down rows, bit fields, palettes and RLE. Rejected: bmp-ts (ignores the pixel-data
 * offset, mis-decodes palette images, 4-bit images of odd width and RLE), bmp-js (ignores bit-field masks and
 * reads 32-bit pixels in the wrong byte order), fast-bmp's decoder (no top-down rows, V5 headers only).
 * libnsbmp reports failures without detail and allocates the whole image in wasm memory (which never
 * shrinks), so the header is checked here first: clear errors, and oversized images refused before any
 * allocation.
 *
 * Encoding uses fast-bmp, which writes a BITMAPV5HEADER: 24-bit BI_RGB, or 32-bit BI_BITFIELDS with an
 * explicit alpha mask (the A8R8G8B8 layout that browsers and image editors read with alpha).
 *
 * Both libraries (the wasm module above all) load with this module, which the engine imports only when a
 * BMP is met (decode.ts, encode.ts); the header check lives apart in bmp-header.ts.
 */
import { decode } from '@cwasm/nsbmp'
import { encode } from 'fast-bmp'
import { BI_BITFIELDS, BI_RGB, checkHeader } from './bmp-header'

export { checkHeader }

export interface DecodedBmp {
  data: Buffer
  width: number
  height: number
  channels: 3 | 4
}

export interface RawPixels {
  data: Buffer
  width: number
  height: number
  channels: 1 | 2 | 3 | 4
}


export function decodeBmp(buf: Uint8Array): DecodedBmp {
  const { width, height } = checkHeader(buf)
  const image = decodePixels(buf)
  if (image.width !== width || image.height !== height) throw new Error('Corrupt BMP: inconsistent dimensions')

  const rgba = image.data
  const pixels = width * height
  // libnsbmp always yields RGBA (opaque for files without alpha, and for 32-bit files whose alpha bytes are all
  // zero); keep the alpha channel only when some pixel actually uses it.
  let opaque = true
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 255) {
      opaque = false
      break
    }
  }
  if (!opaque) return { data: Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height, channels: 4 }
  const rgb = Buffer.allocUnsafe(pixels * 3)
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    rgb[o] = rgba[i] ?? 0
    rgb[o + 1] = rgba[i + 1] ?? 0
    rgb[o + 2] = rgba[i + 2] ?? 0
  }
  return { data: rgb, width, height, channels: 3 }
}

function decodePixels(buf: Uint8Array): ReturnType<typeof decode> {
  try {
    return decode(buf)
  } catch (cause) {
    throw new Error('Corrupt or unsupported BMP: the decoder rejected it', { cause })
  }
}


export function encodeBmp(raw: RawPixels): Buffer {
  const { width, height, channels } = raw
  if (raw.data.length !== width * height * channels) {
    throw new Error(`encodeBmp: expected ${width * height * channels} bytes for ${width}×${height}×${channels}`)
  }
  // BMP has no grey or grey+alpha layout at these depths: widen to RGB / RGBA.
  const alpha = channels === 2 || channels === 4
  const data = channels === 1 || channels === 2 ? greyToColour(raw.data, alpha) : raw.data
  const out = encode({
    width,
    height,
    data,
    channels: alpha ? 4 : 3,
    bitsPerPixel: alpha ? 32 : 24,
    compression: alpha ? BI_BITFIELDS : BI_RGB
  })
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}

function greyToColour(grey: Buffer, alpha: boolean): Buffer {
  const inStep = alpha ? 2 : 1
  const outStep = alpha ? 4 : 3
  const out = Buffer.allocUnsafe((grey.length / inStep) * outStep)
  for (let i = 0, o = 0; i < grey.length; i += inStep, o += outStep) {
    const v = grey[i] ?? 0
    out[o] = v
    out[o + 1] = v
    out[o + 2] = v
    if (alpha) out[o + 3] = grey[i + 1] ?? 0
  }
  return out
}
