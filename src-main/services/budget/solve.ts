/**
 * The byte-budget solver: for each candidate format, the highest absolute quality `Q_` (1–100) at
 * which the style's output of every sample (or the 95th percentile, nearest rank) stays within a
 * byte budget, found by bisection with the engine.
 *
 * Per format, each sample's chain runs once up to the encoder (`renderUnencoded`: decode, steps);
 * each probe of the bisection only encodes those pixels at one Q, so a run costs one decode and
 * at most 9 encodes per sample and format (Q_100, Q_1, then 7 halvings of 1–100). The reported Q
 * is a measured boundary: at Q the samples fit, at Q+1 they do not (or Q is 100) — both were
 * encoded, so the answer holds even where size is not monotonic in quality.
 *
 * The score is the mean SSIM (engine/analysis/ssim.ts) of each sample's output at Q against the
 * same chain unencoded: the source resized (cropped, rotated…) the same way, at the same size.
 * Samples are rendered `concurrency` at a time (default 2: the machine's cores); `signal` cancels
 * between steps with an AbortError.
 */
import sharp from 'sharp'
import { ImgError } from '../../../src-shared/img/errors'
import { parseProcess, serializeProcess, type Step } from '../../../src-shared/img/process'
import { percentile, type BudgetMeasure, type BudgetResult, type QualityFormat } from '../../../src-shared/model/budget'
import { rgbaOnWhite, ssimScore } from '../../engine/analysis/ssim'
import { encodeUnencoded, renderUnencoded, resolveSteps, type UnencodedRender } from '../../engine/executor'
import { openEncoded } from '../../engine/preview/encoded'
import type { EngineOptions } from '../../engine/types'
import { Semaphore } from '../jobs/semaphore'

export interface BudgetSample {
  /** Shown in errors ("sample photo.jpg: …"). */
  readonly name: string
  readonly bytes: Buffer
}

export interface BudgetProgress {
  /** Units of work done and planned: per format and sample, one render, up to 9 encodes and one score. */
  readonly done: number
  readonly total: number
  readonly format: QualityFormat
}

export interface BudgetRequest {
  /** `image/...` or `style/NAME`; its own `format` and `quality` steps are replaced per candidate. */
  readonly process: string
  readonly samples: readonly BudgetSample[]
  readonly budgetBytes: number
  readonly measure: BudgetMeasure
  readonly formats: readonly QualityFormat[]
  /** Watermark objects and styles, as for `processImage`. */
  readonly engine?: Pick<EngineOptions, 'objects' | 'styles' | 'implicitAutoOrient'>
  readonly concurrency?: number
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: BudgetProgress) => void
}

/** Encodes per format and sample at most: Q_100, Q_1 and ceil(log2(99)) halvings. */
const MAX_PROBES = 9
const UNITS_PER_SAMPLE = 1 + MAX_PROBES + 1

/** The chain without its `format` and `quality` steps, encoded as `format`. */
export function chainFor(steps: readonly Step[], format: QualityFormat): string {
  const kept = steps.filter((step) => step.action !== 'format' && step.action !== 'quality')
  const chain = serializeProcess({ kind: 'image', steps: kept })
  return `${chain === 'image/' ? 'image' : chain}/format,${format}`
}

function measured(sizes: readonly number[], measure: BudgetMeasure): number {
  return measure === 'max' ? Math.max(...sizes) : percentile(sizes, 95)
}

export async function solveBudget(request: BudgetRequest): Promise<BudgetResult[]> {
  const { samples, formats, signal } = request
  if (samples.length === 0) throw new ImgError({ code: 'InvalidArgument', message: 'budget: expected at least one sample image' })
  if (!(request.budgetBytes > 0)) throw new ImgError({ code: 'InvalidArgument', message: `budget: expected a budget above 0 bytes but received ${request.budgetBytes}` })
  const engine: EngineOptions = { ...request.engine, ...(signal ? { signal } : {}) }
  const parsed = parseProcess(request.process)
  if (parsed.saveAs) throw new ImgError({ code: 'InvalidArgument', message: 'budget: expected a chain without |sys/saveas (the solver writes nothing)' })
  const steps = await resolveSteps(parsed, engine)
  const slots = new Semaphore(Math.max(1, request.concurrency ?? 2))
  const total = formats.length * samples.length * UNITS_PER_SAMPLE
  let done = 0
  const results: BudgetResult[] = []

  for (const [f, format] of formats.entries()) {
    signal?.throwIfAborted()
    const started = performance.now()
    const step = (units = 1) => {
      done += units
      // Work still finishing after a cancel is not reported: the caller has moved on.
      if (!signal?.aborted) request.onProgress?.({ done, total, format })
    }
    const each = <T>(work: (sample: BudgetSample, i: number) => Promise<T>) =>
      Promise.all(samples.map((sample, i) => slots.run(async () => {
        signal?.throwIfAborted()
        try {
          return await work(sample, i)
        } catch (error) {
          throw named(error, sample)
        } finally {
          step()
        }
      }, signal)))

    const chain = chainFor(steps, format)
    const renders: UnencodedRender[] = await each((sample) => renderUnencoded(sample.bytes, chain, engine))
    const probes = new Map<number, Buffer[]>()
    const at = async (q: number): Promise<Buffer[]> => {
      let encoded = probes.get(q)
      if (!encoded) {
        encoded = await each(async (_, i) => (await encodeUnencoded(renders[i]!, q, signal)).data)
        probes.set(q, encoded)
      }
      return encoded
    }
    const fits = async (q: number) => measured((await at(q)).map((data) => data.length), request.measure) <= request.budgetBytes

    let Q: number | null
    if (await fits(100)) Q = 100
    else if (!(await fits(1))) Q = null
    else {
      let lo = 1
      let hi = 100
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2)
        if (await fits(mid)) lo = mid
        else hi = mid
      }
      Q = lo
    }

    const chosen = await at(Q ?? 1)
    const sizes = chosen.map((data) => data.length)
    let score: number | null = null
    if (Q !== null) {
      const scores = await each(async (_, i) => {
        const { data, width, height, channels } = renders[i]!.raw
        // The first page of an animation: what the output's first frame is measured against.
        const reference = await rgbaOnWhite(sharp(data.subarray(0, width * height * channels), { raw: { width, height, channels } }))
        return ssimScore(reference, await rgbaOnWhite(await openEncoded(chosen[i]!)))
      })
      score = Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10_000) / 10_000
    }
    // The format's block of progress is complete whatever the bisection skipped.
    const end = (f + 1) * samples.length * UNITS_PER_SAMPLE
    if (done < end) step(end - done)
    results.push({
      format,
      Q,
      met: Q !== null,
      maxBytes: Math.max(...sizes),
      p95Bytes: percentile(sizes, 95),
      medianBytes: percentile(sizes, 50),
      score,
      timeMs: Math.round(performance.now() - started)
    })
  }
  return results
}

/** A sample's failure names the sample (the engine's error says what, not which file). */
function named(error: unknown, sample: BudgetSample): unknown {
  if (error instanceof ImgError) return new ImgError({ code: error.code, ec: error.ec, message: `sample ${sample.name}: ${error.message}`, action: error.action, param: error.param })
  return error
}
