/** What the engine needs from the outside world, and what it answers. */
import type { OutputFormat } from '../../src-shared/img/actions/format'

/** Resolves watermark-image object keys (same bucket, spec §3.15.2). */
export interface ObjectResolver {
  get(key: string): Promise<Buffer | undefined>
}

/** Resolves `style/NAME` to the style's process string. */
export interface StyleResolver {
  get(name: string): Promise<string | undefined>
}

export interface EngineOptions {
  readonly objects?: ObjectResolver | undefined
  readonly styles?: StyleResolver | undefined
  /** Project decision §3.7: orient by EXIF even without `auto-orient` (default true). */
  readonly implicitAutoOrient?: boolean | undefined
  /** Project decision §3.17: hue distance for "salient" pixels (default 30°). */
  readonly averageHueThreshold?: number | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * What the result may not show at a glance: an enlargement OSS performed (soft detail) or refused
 * (limit_1 returns the original size), a watermark partly or wholly outside the image.
 */
export interface EngineWarning {
  readonly code: 'Upscaled' | 'NotEnlarged' | 'WatermarkClipped' | 'WatermarkOutside'
  readonly action: string
  readonly message: string
}

/**
 * A single (not tiled) watermark as the engine composited it: `x`, `y`, `width`, `height` are its
 * whole block (visible or not) in the result's pixels, followed through the steps after it;
 * `placed` is where its step put it, on the image as it was at that step (what g/x/y/voffset
 * measure: src-shared/img/geometry/watermark.ts maps one to the other). `turned`: a later rotate
 * turned it, so the box is the turned block's bounding box.
 */
export interface PlacedMark {
  /** Index of the watermark step in the chain. */
  readonly step: number
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly placed: { readonly frameWidth: number; readonly frameHeight: number; readonly left: number; readonly top: number; readonly width: number; readonly height: number }
  readonly turned: boolean
}

export interface ImageResult {
  readonly kind: 'image'
  readonly data: Buffer
  readonly format: OutputFormat
  readonly width: number
  readonly height: number
  readonly contentType: string
  /** True when ignore-error,1 turned a failure into the unprocessed source. */
  readonly ignoredError?: boolean
  /** Present when a step did something a designer should know about (see EngineWarning). */
  readonly warnings?: readonly EngineWarning[]
  /** Present when the chain drew single watermarks (see PlacedMark). */
  readonly marks?: readonly PlacedMark[]
}

export interface JsonResult {
  readonly kind: 'json'
  readonly body: string
  readonly contentType: 'application/json'
}

export type EngineResult = ImageResult | JsonResult

/** `processImageToFile`'s answer: what was written, without the bytes. */
export type WrittenResult =
  | ({ readonly kind: 'image'; readonly bytes: number } & Pick<ImageResult, 'format' | 'width' | 'height' | 'ignoredError' | 'warnings' | 'marks'>)
  | { readonly kind: 'json'; readonly bytes: number }

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  bmp: 'image/bmp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  heic: 'image/heic',
  avif: 'image/avif'
}
