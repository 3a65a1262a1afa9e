/**
 * Source checks and decoding. Every OSS source limit is enforced from the header alone, before
 * any pixel is decoded (spec §2), so a decompression bomb costs a header parse.
 */
import type { Sharp } from 'sharp'
import sharp from 'sharp'
import { ImgError } from '../../src-shared/img/errors'
import { LIMITS } from '../../src-shared/img/limits'
import { checkHeader as readBmpHeader } from './codecs/bmp-header'
import { decodeHeic } from './codecs/heic'
import { estimateJpegQuality } from './codecs/jpeg-quality'
import { sniffFormat, type SourceFormat } from './codecs/sniff'
import type { Frame, SourceInfo } from './op'

const READABLE = 'JPG, PNG, BMP, GIF, WebP, TIFF, HEIC or AVIF'

function undecodable(reason: string): ImgError {
  return new ImgError({
    code: 'BadRequest',
    ec: '0040-00000012',
    message: `image: expected a decodable ${READABLE} source but received ${reason}`
  })
}

function tooLarge(message: string, resizing: boolean): ImgError {
  // Spec §2: EC 0040-00000009 when a resize meets an oversize source, 0040-00000012 otherwise.
  return new ImgError({ code: 'ImageTooLarge', ec: resizing ? '0040-00000009' : '0040-00000012', message })
}

interface Header {
  width: number
  height: number
  pages: number
  hasAlpha: boolean
  bitDepth: 8 | 16
  orientation: number | undefined
  density: number | undefined
  resolutionUnit: 'inch' | 'cm' | undefined
  exif: Buffer | undefined
}

async function readHeader(bytes: Buffer, format: SourceFormat): Promise<Header> {
  if (format === 'bmp') {
    // Header only: pixels are decoded once, when the pipeline opens. Alpha is known only then.
    const bmp = readBmpHeader(bytes)
    return { width: bmp.width, height: bmp.height, pages: 1, hasAlpha: false, bitDepth: 8, orientation: undefined, density: undefined, resolutionUnit: undefined, exif: undefined }
  }
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata()
  if (!meta.width || !meta.height) throw undecodable('an image without dimensions')
  return {
    width: meta.width,
    height: meta.pageHeight ?? meta.height,
    pages: meta.pages ?? 1,
    hasAlpha: meta.hasAlpha ?? false,
    bitDepth: meta.depth === 'ushort' ? 16 : 8,
    orientation: meta.orientation,
    density: meta.density,
    resolutionUnit: meta.resolutionUnit,
    exif: meta.exif
  }
}

/** Reads and checks the source header. `resizing` selects the documented EC. */
export async function inspectSource(bytes: Buffer, resizing: boolean): Promise<SourceInfo> {
  if (bytes.length === 0) throw undecodable('an empty object')
  if (bytes.length > LIMITS.maxSourceBytes) {
    throw tooLarge(`image: expected a source of at most ${LIMITS.maxSourceBytes} bytes (20 MB) but received ${bytes.length}`, resizing)
  }
  const format = sniffFormat(bytes)
  if (!format) throw undecodable('bytes of an unknown format')
  let header: Header
  try {
    header = await readHeader(bytes, format)
  } catch (error) {
    if (error instanceof ImgError) throw error
    throw undecodable(`a damaged ${format} file (${(error as Error).message})`)
  }
  const { width, height, pages } = header
  if (width > LIMITS.maxSourceSide || height > LIMITS.maxSourceSide) {
    throw tooLarge(`image: expected a source of at most ${LIMITS.maxSourceSide} px per side but received ${width}x${height}`, resizing)
  }
  if (width * height * pages > LIMITS.maxSourcePixels) {
    throw tooLarge(`image: expected a source of at most ${LIMITS.maxSourcePixels} pixels (frames included) but received ${width}x${height}x${pages}`, resizing)
  }
  return {
    bytes,
    format,
    ...header,
    jpegQuality: format === 'jpg' ? estimateJpegQuality(bytes) : undefined
  }
}

/** Orientations 5–8 swap width and height. */
export function orientedSize(source: SourceInfo, orient: boolean): { width: number; height: number } {
  const swap = orient && (source.orientation ?? 1) >= 5
  return swap ? { width: source.height, height: source.width } : { width: source.width, height: source.height }
}

/** Opens the first segment's pipeline on the source. */
export async function openSource(source: SourceInfo, opts: { animated: boolean; orient: boolean }): Promise<{ pipeline: Sharp; frame: Frame }> {
  const animated = opts.animated && source.pages > 1
  const orient = opts.orient && (source.orientation ?? 1) > 1
  const size = orientedSize(source, orient)
  const frame: Frame = { ...size, pages: animated ? source.pages : 1, hasAlpha: source.hasAlpha, bitDepth: source.bitDepth }
  const limitInputPixels = LIMITS.maxSourcePixels
  if (source.format === 'bmp' || source.format === 'heic') {
    let raw: { data: Buffer; width: number; height: number; channels: 3 | 4 }
    try {
      raw = source.format === 'bmp' ? (await import('./codecs/bmp')).decodeBmp(source.bytes) : await decodeHeic(source.bytes)
    } catch (error) {
      throw undecodable(`a damaged ${source.format} file (${(error as Error).message})`)
    }
    const pipeline = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels }, limitInputPixels })
    return { pipeline, frame: { ...frame, hasAlpha: raw.channels === 4, bitDepth: 8 } }
  }
  const pipeline = sharp(source.bytes, { animated, limitInputPixels })
  if (orient) pipeline.autoOrient()
  return { pipeline, frame }
}

/**
 * sharp reports damaged pixel data only when it reaches it (truncated JPEG, bad chunks): that is
 * the caller's input, so it becomes the OSS decode error rather than an internal one.
 */
export function decodeFailure(error: unknown): ImgError | undefined {
  const message = (error as Error)?.message ?? String(error)
  if (!/Input (buffer|file)|Premature end|VipsJpeg|pngload|gifload|webpload|tiffload|heifload|corrupt|truncated|bad seek|out of order|not a known/i.test(message)) return undefined
  return undecodable(`a damaged file (${message.split('\n')[0]})`)
}

/** Spec §2: rotate and auto-orient need a source of at most 4096 px per side (FAQ message). */
export function assertRotatable(image: { readonly width: number; readonly height: number }): void {
  if (image.width > LIMITS.maxRotateSide || image.height > LIMITS.maxRotateSide) {
    throw new ImgError({
      code: 'BadRequest',
      message: `Picture exceed the maximum allowable rotation range: expected at most 4096 px per side but received ${image.width}x${image.height}`
    })
  }
}
