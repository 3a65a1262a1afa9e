/** OSS image-processing limits as data (spec oss-img.md §2). */
export const LIMITS = {
  /** Source object size. */
  maxSourceBytes: 20 * 1024 * 1024,
  /** Each side of the source. */
  maxSourceSide: 30_000,
  /** Source pixels, frames included (w × h × frames). */
  maxSourcePixels: 250_000_000,
  /** Each side of the source for rotate and auto-orient. */
  maxRotateSide: 4096,
  /** Each side of a resize result. */
  maxOutputSide: 16_384,
  /** Pixels of a resize result (4096²). */
  maxOutputPixels: 16_777_216,
  /** Each side of the source for WebP output. */
  maxWebpSide: 16_383,
  /** Project decision (§1.1): maximum length of the URL-decoded x-oss-process value. */
  maxProcessLength: 4096,
  /** Decoded watermark text. */
  maxWatermarkTextBytes: 64,
  /** Different watermark images per request. */
  maxWatermarkImages: 3,
  /** Styles per bucket. */
  maxStylesPerBucket: 50
} as const
