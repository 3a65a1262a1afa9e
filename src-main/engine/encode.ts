/**
 * Output encoding (spec §3.12–3.14, §4 step 4): source format unless `format` says otherwise,
 * quality rules, progressive JPEG, white behind transparency for JPG.
 */
import { writeFile } from 'node:fs/promises'
import type { OutputInfo, Sharp } from 'sharp'
import type { OutputFormat } from '../../src-shared/img/actions/format'
import { ImgError } from '../../src-shared/img/errors'
import { LIMITS } from '../../src-shared/img/limits'
import { encodeHeic } from './codecs/heic'
import type { ChainSettings, Frame, SourceInfo } from './op'

/** Project decision §3.13: without a quality op, the source estimate capped at 90; 90 if unknown. */
const DEFAULT_QUALITY = 90

/** The format the result will have; `format,gif` on a non-GIF source keeps the source format. */
export function targetFormat(settings: ChainSettings, source: SourceInfo): OutputFormat {
  const requested = settings.format
  if (!requested || (requested === 'gif' && source.format !== 'gif')) return source.format
  return requested
}

export function supportsAnimation(format: OutputFormat): boolean {
  return format === 'gif' || format === 'webp'
}

/**
 * Spec §3.13: q is relative to the source's quality (JPG only; for WebP it acts like Q);
 * Q is absolute but never above the source's; Q wins over q. Non-JPEG sources count as 100.
 */
export function outputQuality(format: OutputFormat, settings: ChainSettings, sourceQuality: number | undefined): number {
  const source = sourceQuality ?? 100
  if (settings.absoluteQuality !== undefined) return Math.max(1, Math.min(settings.absoluteQuality, source))
  if (settings.relativeQuality !== undefined) {
    return format === 'jpg' ? Math.max(1, Math.round((source * settings.relativeQuality) / 100)) : Math.min(settings.relativeQuality, source)
  }
  return Math.min(sourceQuality ?? DEFAULT_QUALITY, DEFAULT_QUALITY)
}

export interface Encoded {
  readonly data: Buffer
  readonly format: OutputFormat
  /** What the encoder really wrote (one page for animations), for the executor's check. */
  readonly width: number
  readonly height: number
}

/** An encoding written straight to a file (`encodeToFile`): no output Buffer in JS. */
export interface EncodedFile {
  readonly format: OutputFormat
  readonly bytes: number
  readonly width: number
  readonly height: number
}

/** The encoder's work: sharp's own encoders stay a pipeline (written to a Buffer or a file); HEIC and BMP are encoded here. */
type Encoder = { readonly kind: 'sharp'; readonly pipeline: Sharp } | { readonly kind: 'bytes'; readonly encoded: Encoded }

/** Encodes the final pipeline; `frame` is the size the ops computed. */
export async function encode(pipeline: Sharp, frame: Frame, source: SourceInfo, settings: ChainSettings, signal?: AbortSignal): Promise<Encoded> {
  const format = targetFormat(settings, source)
  const encoder = await encoderOf(format, pipeline, frame, source, settings, signal)
  return encoder.kind === 'bytes' ? encoder.encoded : written(format, await encoder.pipeline.toBuffer({ resolveWithObject: true }))
}

/**
 * `encode`, written to `path` by the encoder itself (sharp's `toFile`: the output never sits whole in
 * JS memory). The same encoder and options, so the same bytes. `path` must exist or be creatable;
 * making the write atomic and durable is the caller's (util/atomic-write `writeFileAtomicWith`).
 */
export async function encodeToFile(pipeline: Sharp, frame: Frame, source: SourceInfo, settings: ChainSettings, path: string, signal?: AbortSignal): Promise<EncodedFile> {
  const format = targetFormat(settings, source)
  const encoder = await encoderOf(format, pipeline, frame, source, settings, signal)
  if (encoder.kind === 'bytes') {
    await writeFile(path, encoder.encoded.data)
    return { format, bytes: encoder.encoded.data.length, width: encoder.encoded.width, height: encoder.encoded.height }
  }
  const info = await encoder.pipeline.toFile(path)
  return { format, bytes: info.size, width: info.width, height: info.pageHeight ?? info.height }
}

async function encoderOf(format: OutputFormat, pipeline: Sharp, frame: Frame, source: SourceInfo, settings: ChainSettings, signal: AbortSignal | undefined): Promise<Encoder> {
  const quality = outputQuality(format, settings, source.jpegQuality)
  if (format === 'webp' && (frame.width > LIMITS.maxWebpSide || frame.height > LIMITS.maxWebpSide)) {
    throw new ImgError({
      code: 'ImageTooLarge',
      ec: '0040-00000007',
      message: `format: expected at most ${LIMITS.maxWebpSide} px per side for webp but received ${frame.width}x${frame.height}`
    })
  }
  const animated = frame.pages > 1
  const viaSharp = (configured: Sharp): Encoder => ({ kind: 'sharp', pipeline: configured })
  switch (format) {
    case 'jpg':
      // Transparent areas become white (spec §3.12); progressive only when asked (§3.14).
      return viaSharp(pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, progressive: settings.progressive === true, mozjpeg: false }))
    case 'png':
      // interlace is JPG-only (spec §3.14): no Adam7 PNG.
      return viaSharp(pipeline.png())
    case 'webp':
      return viaSharp(pipeline.webp({ quality, ...(animated ? { loop: 0 } : {}) }))
    case 'gif':
      return viaSharp(pipeline.gif(animated ? { loop: 0 } : {}))
    case 'tiff':
      return viaSharp(pipeline.tiff({ compression: 'lzw' }))
    case 'avif':
      // AV1 quality runs lower than JPEG's for the same look (sharp's default 50 ≈ JPEG 80).
      return viaSharp(pipeline.avif({ quality: Math.round(quality * 0.6) }))
    case 'heic':
      return { kind: 'bytes', encoded: { format, data: await encodeHeic(pipeline, Math.round(quality * 0.6), signal), width: frame.width, height: frame.height } }
    case 'bmp': {
      const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
      return { kind: 'bytes', encoded: { format, data: (await import('./codecs/bmp')).encodeBmp({ data, width: info.width, height: info.height, channels: info.channels }), width: info.width, height: info.height } }
    }
  }
}

function written(format: OutputFormat, out: { data: Buffer; info: OutputInfo }): Encoded {
  return { format, data: out.data, width: out.info.width, height: out.info.pageHeight ?? out.info.height }
}
