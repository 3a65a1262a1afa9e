/**
 * The project's perceptual score, shared by the byte-budget solver and the Difference view: SSIM
 * (Wang et al. 2004) as ssim.js 3.5.0 computes it by default — the "weber" variant (an 11×11
 * Gaussian-equivalent window, k1 0.01, k2 0.03), on luma (integer BT.601 weights) and with the
 * original MATLAB downsampling (an image whose smaller side exceeds 256 px is averaged down by
 * round(side / 256) first). Both images are composited on white, so transparency counts as it is
 * seen on a white page. 1 means identical; the score is rounded to 4 decimals.
 */
import type { Sharp } from 'sharp'
import { ssim } from 'ssim.js'

export interface RgbaPixels {
  readonly data: Uint8Array
  readonly width: number
  readonly height: number
}

/** One page of the pipeline as RGBA on white, at its own size or stretched to `size`. */
export async function rgbaOnWhite(pipeline: Sharp, size?: { width: number; height: number }): Promise<RgbaPixels> {
  let flat = pipeline.flatten({ background: '#ffffff' }).ensureAlpha()
  if (size) flat = flat.resize(size.width, size.height, { fit: 'fill' })
  const { data, info } = await flat.raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

const clamped = (pixels: RgbaPixels) => ({ data: new Uint8ClampedArray(pixels.data.buffer, pixels.data.byteOffset, pixels.width * pixels.height * 4), width: pixels.width, height: pixels.height })

/** SSIM of two RGBA images of the same size (0–1, 1 = identical). */
export function ssimScore(a: RgbaPixels, b: RgbaPixels): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`ssim: expected images of one size but received ${a.width}x${a.height} and ${b.width}x${b.height}`)
  return Math.round(ssim(clamped(a), clamped(b)).mssim * 10_000) / 10_000
}
