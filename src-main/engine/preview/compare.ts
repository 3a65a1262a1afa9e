/** Compare with OSS: how far OSS's result is from the local render, pixel by pixel and perceptually. */
import sharp from 'sharp'
import { HEAT_AMPLIFY, heatColour } from '../../../src-shared/model/difference'
import { sniffFormat } from '../codecs/sniff'
import { openEncoded } from './encoded'
import type { Size } from './proxy-plan'

export interface Difference {
  /** Both images had the same width and height (else B was scaled to A's size to measure). */
  readonly sameSize: boolean
  /** Mean absolute difference per channel (RGBA, 0–255). */
  readonly mae: number
  /** Peak signal-to-noise ratio in dB; `null` when the pixels are identical (infinite). */
  readonly psnr: number | null
  /** Largest difference of any channel (0–255). */
  readonly maxDelta: number
  /** Share of pixels with a channel differing by more than 8 levels (0–1). */
  readonly changedShare: number
  /** Hamming distance of the two 64-bit perceptual hashes (DCT pHash), 0–64. */
  readonly phashDistance: number
  /** Pixels compared (after any common downscale). */
  readonly comparedWidth: number
  readonly comparedHeight: number
}

/** Images larger than this are compared at a reduced (common) size. */
const MAX_COMPARE_PIXELS = 16_000_000

async function rgba(bytes: Buffer, size?: Size): Promise<{ data: Buffer; width: number; height: number }> {
  let pipeline = (await openEncoded(bytes)).ensureAlpha()
  if (size) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' })
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/**
 * 64-bit pHash (the common DCT variant, as sharp-phash): 32×32 greyscale on white, 2-D DCT-II, the
 * 8×8 coefficients next to the DC row and column, each against their mean.
 */
export async function perceptualHash(bytes: Buffer): Promise<bigint> {
  const N = 32
  const { data } = await (await openEncoded(bytes)).flatten({ background: '#ffffff' }).greyscale().resize(N, N, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true })
  const cos: number[][] = Array.from({ length: 9 }, (_, u) => Array.from({ length: N }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N))))
  const coefficients: number[] = []
  for (let u = 1; u <= 8; u++) {
    for (let v = 1; v <= 8; v++) {
      let sum = 0
      for (let y = 0; y < N; y++) {
        const cy = cos[u]![y]!
        for (let x = 0; x < N; x++) sum += data[y * N + x]! * cy * cos[v]![x]!
      }
      coefficients.push(sum)
    }
  }
  const mean = coefficients.reduce((a, b) => a + b, 0) / coefficients.length
  let hash = 0n
  for (const value of coefficients) hash = (hash << 1n) | (value > mean ? 1n : 0n)
  return hash
}

function popcount(value: bigint): number {
  let count = 0
  for (let v = value; v > 0n; v >>= 1n) count += Number(v & 1n)
  return count
}

/** Width, height (one page) and format of encoded image bytes, as the engine names formats. */
export async function imageFacts(bytes: Buffer): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata()
  const format = sniffFormat(bytes) ?? (meta.format === 'jpeg' ? 'jpg' : meta.format === 'heif' ? 'heic' : (meta.format ?? 'unknown'))
  return { width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0, format }
}

/** How far `b` (e.g. OSS's result) is from `a` (the local render), pixel by pixel and perceptually. */
export async function measureDifference(a: Buffer, b: Buffer): Promise<Difference> {
  const [ma, mb] = await Promise.all([sharp(a, { pages: 1 }).metadata(), sharp(b, { pages: 1 }).metadata()])
  const wa = ma.width ?? 1
  const ha = ma.pageHeight ?? ma.height ?? 1
  const wb = mb.width ?? 1
  const hb = mb.pageHeight ?? mb.height ?? 1
  const sameSize = wa === wb && ha === hb
  const k = Math.min(1, Math.sqrt(MAX_COMPARE_PIXELS / (wa * ha)))
  const target = { width: Math.max(1, Math.round(wa * k)), height: Math.max(1, Math.round(ha * k)) }
  const [pa, pb] = await Promise.all([rgba(a, k < 1 ? target : undefined), rgba(b, k < 1 || !sameSize ? target : undefined)])
  let sum = 0
  let squares = 0
  let maxDelta = 0
  let changed = 0
  const n = Math.min(pa.data.length, pb.data.length)
  for (let i = 0; i < n; i += 4) {
    let pixelMax = 0
    for (let c = 0; c < 4; c++) {
      const d = Math.abs(pa.data[i + c]! - pb.data[i + c]!)
      sum += d
      squares += d * d
      if (d > pixelMax) pixelMax = d
    }
    if (pixelMax > maxDelta) maxDelta = pixelMax
    if (pixelMax > 8) changed += 1
  }
  const mse = squares / n
  const [ha64, hb64] = await Promise.all([perceptualHash(a), perceptualHash(b)])
  return {
    sameSize,
    mae: Math.round((sum / n) * 1000) / 1000,
    psnr: mse === 0 ? null : Math.round(10 * Math.log10((255 * 255) / mse) * 100) / 100,
    maxDelta,
    changedShare: Math.round((changed / (n / 4)) * 10_000) / 10_000,
    phashDistance: popcount(ha64 ^ hb64),
    comparedWidth: pa.width,
    comparedHeight: pa.height
  }
}

/** What the Difference view shows: the heatmap (PNG) and the numbers, at the compared size. */
export interface DifferenceMap {
  readonly png: Buffer
  readonly width: number
  readonly height: number
  /** SSIM (engine/analysis/ssim.ts), 1 = identical. */
  readonly ssim: number
  /** Largest per-pixel difference (max of R, G, B on white), 0–255. */
  readonly maxDelta: number
  /** Mean of that per-pixel difference. */
  readonly mean: number
  /** `b` had another size and was stretched to `a`'s to be compared. */
  readonly resized: boolean
}

/** The heatmap's longest side (the view scales it; larger ones are compared at this size). */
const HEAT_MAX_SIDE = 2048

/**
 * The per-pixel difference of `b` against `a` (first pages, both composited on white) as a heatmap
 * coloured on HEAT_STOPS after amplifying by HEAT_AMPLIFY, plus SSIM on the same pixels. `b` is
 * resized to `a`'s size when they differ (a resized style: the original stretched to the result).
 */
export async function differenceMap(a: Buffer, b: Buffer, options: { orientB?: boolean } = {}): Promise<DifferenceMap> {
  // ssim.js on first use: the preview engine loads with main, the score only when asked for.
  const { rgbaOnWhite, ssimScore } = await import('../analysis/ssim')
  const first = await rgbaOnWhite(await openEncoded(a))
  const k = Math.min(1, HEAT_MAX_SIDE / Math.max(first.width, first.height))
  const size = { width: Math.max(1, Math.round(first.width * k)), height: Math.max(1, Math.round(first.height * k)) }
  const pa = k < 1 ? await rgbaOnWhite(await openEncoded(a), size) : first
  let openedB = await openEncoded(b)
  if (options.orientB) openedB = openedB.rotate()
  const rawB = await rgbaOnWhite(openedB)
  const resized = rawB.width !== first.width || rawB.height !== first.height
  const pb = resized || k < 1 ? await rgbaOnWhite(sharp(rawB.data, { raw: { width: rawB.width, height: rawB.height, channels: 4 } }), size) : rawB
  const lut = Array.from({ length: 256 }, (_, d) => heatColour(Math.min(255, d * HEAT_AMPLIFY) / 255))
  const heat = Buffer.alloc(size.width * size.height * 3)
  let maxDelta = 0
  let sum = 0
  for (let p = 0, i = 0; i < pa.data.length; p += 3, i += 4) {
    const d = Math.max(Math.abs(pa.data[i]! - pb.data[i]!), Math.abs(pa.data[i + 1]! - pb.data[i + 1]!), Math.abs(pa.data[i + 2]! - pb.data[i + 2]!))
    if (d > maxDelta) maxDelta = d
    sum += d
    const colour = lut[d]!
    heat[p] = colour[0]
    heat[p + 1] = colour[1]
    heat[p + 2] = colour[2]
  }
  const png = await sharp(heat, { raw: { width: size.width, height: size.height, channels: 3 } }).png().toBuffer()
  return { png, width: size.width, height: size.height, ssim: ssimScore(pa, pb), maxDelta, mean: Math.round((sum / (size.width * size.height)) * 1000) / 1000, resized }
}
