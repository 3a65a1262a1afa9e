/**
 * The byte-budget solver against the real engine: the Q it reports is checked by encoding the
 * samples again through `processImage` (the executor `oss-img process` uses) at Q and at Q+1.
 */
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseProcess, type Step } from '../../../src-shared/img/process'
import { percentile } from '../../../src-shared/model/budget'
import { processImage } from '../../../src-main/engine/executor'
import { chainFor, solveBudget, type BudgetSample } from '../../../src-main/services/budget'

/** Detail that costs bytes at high quality (PNG: no source quality caps Q). */
function texture(width: number, height: number, sigma: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma } } }).blur(0.8).png().toBuffer()
}

async function sizesAt(samples: readonly BudgetSample[], chain: string, q: number): Promise<number[]> {
  return Promise.all(samples.map(async (s) => {
    const out = await processImage(s.bytes, `${chain}/quality,Q_${q}`)
    if (out.kind !== 'image') throw new Error('expected an image')
    return out.data.length
  }))
}

let samples: BudgetSample[]
beforeAll(async () => {
  samples = await Promise.all([[400, 300, 30], [300, 400, 50], [500, 260, 40]].map(async ([w, h, sigma], i) => ({ name: `s${i}.png`, bytes: await texture(w!, h!, sigma!) })))
})

describe('percentile (nearest rank)', () => {
  it('p95 of 20 values is the 19th, of 10 the largest; the median of 4 is the 2nd', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => 20 - i)
    expect(percentile(twenty, 95)).toBe(19)
    expect(percentile(Array.from({ length: 10 }, (_, i) => i + 1), 95)).toBe(10)
    expect(percentile([4, 1, 3, 2], 50)).toBe(2)
  })
})

describe('chainFor', () => {
  it("replaces the style's format and quality steps with the candidate format", () => {
    expect(chainFor([], 'webp')).toBe('image/format,webp')
    expect(chainFor((parse('image/resize,w_100/format,png/quality,q_50/interlace,1')), 'jpg')).toBe('image/resize,w_100/interlace,1/format,jpg')
  })
})

describe('solveBudget', () => {
  it('reports the boundary Q: at Q every sample fits, at Q+1 one does not', async () => {
    const chain = 'image/resize,w_200'
    // A budget between the sizes at Q_30 and Q_90, for each format.
    for (const format of ['jpg', 'webp'] as const) {
      const low = Math.max(...(await sizesAt(samples, chainFor(parse(chain), format), 30)))
      const high = Math.max(...(await sizesAt(samples, chainFor(parse(chain), format), 90)))
      const budget = Math.round((low + high) / 2)
      const [result] = await solveBudget({ process: `${chain}/format,png`, samples, budgetBytes: budget, measure: 'max', formats: [format] })
      expect(result).toMatchObject({ format, met: true })
      const Q = result!.Q!
      expect(Q).toBeGreaterThan(30)
      expect(Q).toBeLessThan(90)
      const atQ = await sizesAt(samples, chainFor(parse(chain), format), Q)
      const above = await sizesAt(samples, chainFor(parse(chain), format), Q + 1)
      expect(Math.max(...atQ)).toBeLessThanOrEqual(budget)
      expect(Math.max(...above)).toBeGreaterThan(budget)
      // The reported sizes are the engine's at Q.
      expect(result!.maxBytes).toBe(Math.max(...atQ))
      expect(result!.medianBytes).toBe(percentile(atQ, 50))
      expect(result!.score).toBeGreaterThan(0.5)
      expect(result!.score).toBeLessThanOrEqual(1)
    }
  })

  it('gives Q 100 when even Q_100 fits', async () => {
    const [result] = await solveBudget({ process: 'image/resize,w_50', samples, budgetBytes: 10_000_000, measure: 'max', formats: ['webp'] })
    expect(result).toMatchObject({ Q: 100, met: true })
  })

  it('p95 lets one outlier in twenty exceed the budget; max does not', async () => {
    const small = await texture(120, 90, 10)
    const many: BudgetSample[] = Array.from({ length: 19 }, (_, i) => ({ name: `small${i}.png`, bytes: small }))
    many.push({ name: 'outlier.png', bytes: await texture(480, 360, 60) })
    const chain = 'image/format,jpg'
    const smallAt80 = Math.max(...(await sizesAt(many.slice(0, 1), chain, 80)))
    const [p95] = await solveBudget({ process: chain, samples: many, budgetBytes: smallAt80, measure: 'p95', formats: ['jpg'] })
    const [max] = await solveBudget({ process: chain, samples: many, budgetBytes: smallAt80, measure: 'max', formats: ['jpg'] })
    expect(p95!.Q).toBeGreaterThanOrEqual(80)
    expect(p95!.p95Bytes).toBeLessThanOrEqual(smallAt80)
    expect(p95!.maxBytes).toBeGreaterThan(smallAt80)
    expect(max!.Q === null || max!.Q < p95!.Q!).toBe(true)
    // p95 boundary: at Q+1 the 19th smallest size is over budget.
    if (p95!.Q! < 100) expect(percentile(await sizesAt(many, chain, p95!.Q! + 1), 95)).toBeGreaterThan(smallAt80)
  })

  it('reports a budget no quality meets: Q null, met false, the smallest sizes (Q_1) reached', async () => {
    const [result] = await solveBudget({ process: 'image/resize,w_200', samples, budgetBytes: 100, measure: 'max', formats: ['jpg'] })
    expect(result).toMatchObject({ format: 'jpg', Q: null, met: false, score: null })
    expect(result!.maxBytes).toBe(Math.max(...(await sizesAt(samples, 'image/resize,w_200/format,jpg', 1))))
    expect(result!.maxBytes).toBeGreaterThan(100)
  })

  it('stops with an AbortError when cancelled, reporting no progress after the cancel', async () => {
    const controller = new AbortController()
    const seen: number[] = []
    const run = solveBudget({
      process: 'image/resize,w_200',
      samples,
      budgetBytes: 5000,
      measure: 'max',
      formats: ['jpg', 'webp'],
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done)
        if (p.done === 2) controller.abort()
      }
    })
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen).toEqual([1, 2])
  })

  it('names the sample that failed', async () => {
    const broken = [...samples, { name: 'broken.jpg', bytes: Buffer.from('not an image') }]
    await expect(solveBudget({ process: 'image/resize,w_200', samples: broken, budgetBytes: 5000, measure: 'max', formats: ['jpg'] })).rejects.toThrow(/sample broken\.jpg: /)
  })
})

function parse(process: string): readonly Step[] {
  const parsed = parseProcess(process)
  return parsed.kind === 'image' ? parsed.steps : []
}
