/**
 * What the benchmark measures: the engine, and hand-written sharp chains that do the same work.
 *
 * The hand-written chains are what a developer who knows the input would write by hand for the
 * same OSS process string: the same output sizes (exact integers with `fit: 'fill'`, as the engine
 * passes them — `resize(720)` alone lets sharp pick a slightly different vertical scale), the same
 * JPEG quality (computed from the source's
 * quantisation tables exactly as the engine does), the same sharp calls (`linear` for bright,
 * `sharpen({sigma: v/100})` for sharpen, spec §3.9–3.11), libjpeg-turbo tables (`mozjpeg: false`).
 */
import type { Sharp } from 'sharp'
import sharp from 'sharp'
import { estimateJpegQuality } from '../src-main/engine/codecs/jpeg-quality'
import { planChain, processImage } from '../src-main/engine/executor'
import { parseProcess, type Step } from '../src-shared/img/process'

export const RESIZE_PROCESS = 'image/resize,w_720/quality,q_80'
export const MULTI_PROCESS = 'image/resize,w_1200/rotate,90/crop,w_600,h_600,g_center/bright,10/sharpen,100'

export const RESIZE_SIZE = { width: 720, height: 588 } as const
export const MULTI_SIZE = { width: 600, height: 600 } as const

/** The engine, exactly as the app and the CLI call it. */
export async function engine(bytes: Buffer, process: string): Promise<Buffer> {
  const result = await processImage(bytes, process)
  if (result.kind !== 'image') throw new Error(`engine: expected an image for ${process} but received JSON`)
  return result.data
}

/** `quality,q_80` on a JPEG: round(source quality × 0.8), as the engine's encoder computes it (spec §3.13). */
export function relativeQuality(bytes: Buffer, q: number): number {
  return Math.max(1, Math.round(((estimateJpegQuality(bytes) ?? 100) * q) / 100))
}

/** No quality op: the source estimate capped at 90 (Project decision §3.13). */
export function defaultQuality(bytes: Buffer): number {
  return Math.min(estimateJpegQuality(bytes) ?? 90, 90)
}

/** Hand-written sharp for RESIZE_PROCESS: one pipeline, same size and quality as the engine. */
export async function handResize(bytes: Buffer): Promise<Buffer> {
  const quality = relativeQuality(bytes, 80)
  return sharp(bytes).resize(RESIZE_SIZE.width, RESIZE_SIZE.height, { fit: 'fill' }).jpeg({ quality, mozjpeg: false }).toBuffer()
}

/**
 * The five actions of MULTI_PROCESS as sharp calls, with the geometry known for the 2725×2225 source:
 * resize → 1200×980, rotate 90 → 980×1200, centre crop 600×600 at (490−300, 600−300).
 * `fused` marks bright when sharpen follows in the same pipeline: sharp runs `linear` after `sharpen`
 * whatever the call order, so a single pipeline expresses bright as an identity convolution with an
 * offset, which sharp runs before `sharpen`. sharp (0.35) takes only a 3×3-or-larger kernel and an
 * integer offset, so the fused form adds 25 levels instead of 25.5 (and keeps float samples up to
 * the sharpen instead of clipping at 255): near-identical pixels, about the same work.
 */
interface Stage {
  readonly label: string
  apply(pipeline: Sharp, fused: boolean): Sharp
}

export const MULTI_STAGES: readonly Stage[] = [
  { label: 'resize,w_1200', apply: (p) => p.resize(1200, 980, { fit: 'fill' }) },
  { label: 'rotate,90', apply: (p) => p.rotate(90) },
  { label: 'crop,w_600,h_600,g_center', apply: (p) => p.extract({ left: 190, top: 300, width: 600, height: 600 }) },
  {
    label: 'bright,10',
    apply: (p, fused) => (fused ? p.convolve({ width: 3, height: 3, kernel: [0, 0, 0, 0, 1, 0, 0, 0, 0], scale: 1, offset: 25 }) : p.linear(1, 25.5))
  },
  { label: 'sharpen,100', apply: (p) => p.sharpen({ sigma: 1 }) }
]

const BRIGHT = 3
const SHARPEN = 4

/** Bytes of raw pixels handed over after stage `index` (3 channels, no alpha). */
export const HANDOVER_BYTES: readonly number[] = [1200 * 980 * 3, 980 * 1200 * 3, 600 * 600 * 3, 600 * 600 * 3]

/**
 * Runs MULTI_STAGES cut into pipelines: `cuts` are the stage indexes that start a new pipeline
 * (raw pixels hand over at each cut, as the engine's executor does). `[]` is one pipeline.
 * `segmentMs`, when given, receives each pipeline's wall time (decode included in the first).
 */
export async function handMulti(bytes: Buffer, cuts: readonly number[], segmentMs?: number[]): Promise<Buffer> {
  const starts = [0, ...cuts]
  let pixels: { data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 } | undefined
  for (const [s, start] of starts.entries()) {
    const end = starts[s + 1] ?? MULTI_STAGES.length
    const t0 = performance.now()
    let pipeline = pixels
      ? sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } })
      : sharp(bytes)
    const fused = start <= BRIGHT && end > SHARPEN
    for (let i = start; i < end; i++) pipeline = MULTI_STAGES[i]!.apply(pipeline, fused)
    if (end === MULTI_STAGES.length) {
      const out = await pipeline.jpeg({ quality: defaultQuality(bytes), mozjpeg: false }).toBuffer()
      segmentMs?.push(performance.now() - t0)
      return out
    }
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
    pixels = { data, width: info.width, height: info.height, channels: info.channels }
    segmentMs?.push(performance.now() - t0)
  }
  throw new Error('handMulti: unreachable')
}

/** The planner's segments for a process string, as step-index lists and labels. */
export function plannedSegments(process: string): { steps: readonly Step[]; segments: number[][]; cuts: number[] } {
  const parsed = parseProcess(process)
  if (parsed.kind !== 'image') throw new Error(`expected an image/ process but received ${process}`)
  const plan = planChain(parsed.steps)
  const segments = plan.segments.map((segment) => [...segment.steps])
  const cuts = segments.slice(1).map((segment) => segment[0]!)
  return { steps: parsed.steps, segments, cuts }
}

/** Id of the variant that measures one cut before stage `cut`. */
export function cutVariantId(cut: number, plannerCuts: readonly number[]): string {
  return plannerCuts.length === 1 && plannerCuts[0] === cut ? 'multi.sharpPlanned' : `multi.cutAt${cut}`
}

/** A named in-process variant, used by the timing loop and by the RSS child. */
export interface Variant {
  readonly id: string
  readonly label: string
  run(bytes: Buffer): Promise<Buffer>
}

export function variants(plannerCuts: readonly number[]): Variant[] {
  const list: Variant[] = [
    { id: 'resize.engine', label: 'engine processImage', run: (b) => engine(b, RESIZE_PROCESS) },
    { id: 'resize.sharp', label: 'hand-written sharp (1 pipeline)', run: handResize },
    { id: 'multi.engine', label: `engine processImage (${plannerCuts.length + 1} segments)`, run: (b) => engine(b, MULTI_PROCESS) },
    { id: 'multi.sharp1', label: 'hand-written sharp, 1 pipeline (minimum)', run: (b) => handMulti(b, []) },
    {
      id: 'multi.sharpPlanned',
      label: `hand-written sharp, planner's cuts [${plannerCuts.join(',')}]`,
      run: (b) => handMulti(b, plannerCuts)
    }
  ]
  for (let cut = 1; cut < MULTI_STAGES.length; cut++) {
    // The planner's own single cut is already measured above.
    if (plannerCuts.length === 1 && plannerCuts[0] === cut) continue
    list.push({
      id: `multi.cutAt${cut}`,
      label: `hand-written sharp, 1 cut after ${MULTI_STAGES[cut - 1]!.label}`,
      run: (b) => handMulti(b, [cut])
    })
  }
  list.push({ id: 'multi.sharpEvery', label: 'hand-written sharp, one op per pipeline (4 cuts)', run: (b) => handMulti(b, [1, 2, 3, 4]) })
  return list
}
