/**
 * `npm run bench`: the engine against hand-written sharp and ImageMagick `convert` (issue text):
 *
 *  (a) engine ÷ hand-written sharp for `image/resize,w_720/quality,q_80` on a 2725×2225 JPEG
 *      (goal ≤ 1.10), and for a five-action multi-segment style, with the cost of each split;
 *  (b) ImageMagick `convert` ÷ engine for the same operations (goal ≥ 5× in-process throughput);
 *  peak RSS of each variant, each in a fresh process.
 *
 * Not a timed test: every figure is a ratio within one run on one machine. Prints tables, then one
 * JSON line with all figures as the last line. Missed goals are reported, never fatal; real errors
 * (a variant failing, wrong output sizes) exit non-zero.
 *
 * BENCH_QUICK=1 shrinks every loop to a smoke test (figures meaningless).
 */
import { execFile } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { estimateJpegQuality } from '../src-main/engine/codecs/jpeg-quality'
import { GOAL_JOB_VS_POOL, GOAL_RSS_RATIO, runBulkLocal } from './bulk-local'
import { convert, convertPeakRss, detectImageMagick, multiArgs, resizeArgs, type ImageMagick } from './imagemagick'
import { makeSourceJpeg, SOURCE_HEIGHT, SOURCE_QUALITY, SOURCE_WIDTH } from './image'
import { runPreviewBench } from './preview'
import { BROWSER_GOALS, runBrowserPreview } from './preview-browser'
import { round, summarize, median, table, type Summary } from './stats'
import { runWholeProcess } from './whole-process'
import {
  cutVariantId,
  engine,
  handMulti,
  HANDOVER_BYTES,
  MULTI_PROCESS,
  MULTI_SIZE,
  MULTI_STAGES,
  plannedSegments,
  relativeQuality,
  RESIZE_PROCESS,
  RESIZE_SIZE,
  variants,
  type Variant
} from './variants'

const execFileAsync = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const QUICK = process.env.BENCH_QUICK === '1'

/** Loop sizes: ~1.5 min in all on 2 cores. */
const CONFIG = QUICK
  ? { warmup: 1, resizeRounds: 3, multiRounds: 3, blocks: 1, engineBlock: 2, convertBlock: 1, rssIterations: 2, convertRssRuns: 1 }
  : { warmup: 4, resizeRounds: 60, multiRounds: 40, blocks: 8, engineBlock: 8, convertBlock: 2, rssIterations: 8, convertRssRuns: 3 }

const GOAL_ENGINE_VS_SHARP = 1.1
const GOAL_ENGINE_VS_CONVERT = 5

const ms = (value: number) => `${value.toFixed(1)} ms`
const x = (value: number) => `${value.toFixed(2)}×`
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`
const mark = (met: boolean) => (met ? 'met' : 'NOT MET')

// ---------------------------------------------------------------------------------------------
// Measurement helpers

/** Deterministic shuffle (seeded LCG + Fisher–Yates). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    const j = state % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * Every round runs each variant once, in a new shuffled order: a variant's neighbours change from
 * round to round, so the heap and allocator state one variant leaves behind (4 raw hand-overs, say)
 * cannot always land on the same next variant.
 */
async function interleaved(list: readonly Variant[], bytes: Buffer, warmup: number, rounds: number): Promise<Map<string, number[]>> {
  const samples = new Map(list.map((v) => [v.id, [] as number[]]))
  for (let w = 0; w < warmup; w++) for (const v of list) await v.run(Buffer.from(bytes))
  for (let r = 0; r < rounds; r++) {
    for (const v of shuffled(list, 0x5eed + r)) {
      const input = Buffer.from(bytes)
      const t0 = performance.now()
      await v.run(input)
      samples.get(v.id)!.push(performance.now() - t0)
    }
  }
  return samples
}

/** Median of per-round ratios a/b (paired: same round, adjacent in time). */
function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, i) => value / b[i]!))
}

/** `jobs` jobs, `parallel` in flight at once; returns images per second. */
async function throughput(job: (worker: number) => Promise<unknown>, jobs: number, parallel: number): Promise<{ images: number; seconds: number }> {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: parallel }, async (_, worker) => {
      while (next < jobs) {
        next++
        await job(worker)
      }
    })
  )
  return { images: jobs, seconds: (performance.now() - t0) / 1000 }
}

async function decodeRaw(bytes: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** How close two encoded images are: identical bytes, else PSNR of the decoded pixels. */
async function compare(a: Buffer, b: Buffer): Promise<{ identical: boolean; psnrDb: number | null; note: string }> {
  if (a.equals(b)) return { identical: true, psnrDb: null, note: 'byte-identical' }
  const [pa, pb] = await Promise.all([decodeRaw(a), decodeRaw(b)])
  if (pa.width !== pb.width || pa.height !== pb.height) {
    return { identical: false, psnrDb: null, note: `sizes differ: ${pa.width}x${pa.height} vs ${pb.width}x${pb.height}` }
  }
  let sum = 0
  for (let i = 0; i < pa.data.length; i++) {
    const d = pa.data[i]! - pb.data[i]!
    sum += d * d
  }
  const mse = sum / pa.data.length
  const psnr = mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse)
  return { identical: false, psnrDb: round(psnr, 1), note: mse === 0 ? 'pixel-identical' : `PSNR ${psnr.toFixed(1)} dB` }
}

async function expectSize(label: string, bytes: Buffer, size: { width: number; height: number }): Promise<void> {
  const meta = await sharp(bytes).metadata()
  if (meta.width !== size.width || meta.height !== size.height) {
    throw new Error(`${label}: expected ${size.width}x${size.height} but produced ${meta.width}x${meta.height}`)
  }
}

interface ChildRss {
  readonly id: string
  /** process.resourceUsage().maxRSS at the end: the whole process, startup included. */
  readonly maxRssKiB: number
  /** RSS once the modules are loaded and the source is read, when the peak could be reset. */
  readonly startRssKiB?: number
  /** Peak RSS since that point (VmHWM after /proc/self/clear_refs), when the peak could be reset. */
  readonly workPeakKiB?: number
}

async function childPeakRss(id: string, source: string, iterations: number): Promise<ChildRss> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'child.ts'), id, source, String(iterations)], {
    cwd: ROOT,
    maxBuffer: 1 << 20
  })
  const line = stdout.trim().split('\n').pop() ?? ''
  const parsed = JSON.parse(line) as ChildRss
  if (parsed.id !== id || !(parsed.maxRssKiB > 0)) throw new Error(`RSS child for ${id} answered ${line}`)
  return parsed
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now()
  // sharp's operation cache stays at its default, as the engine runs in the app; every image gets a
  // fresh input Buffer instead, so no load or resize result can be reused across iterations.
  const cpuList = cpus()
  const loadStart = loadavg()[0]!
  const im = await detectImageMagick()
  const imFound: ImageMagick | undefined = 'found' in im ? im.found : undefined

  const gen0 = performance.now()
  const source = await makeSourceJpeg()
  const genMs = performance.now() - gen0
  const bytes = source.bytes
  const estimated = estimateJpegQuality(bytes)
  if (estimated !== SOURCE_QUALITY) throw new Error(`source: expected an estimated quality of ${SOURCE_QUALITY} but estimated ${estimated}`)

  const say = (text = '') => {
    process.stdout.write(`${text}\n`)
  }

  try {
    say(`OSS IMG Studio benchmark${QUICK ? ' (BENCH_QUICK: smoke test, figures meaningless)' : ''}`)
    say(
      `machine: ${cpuList.length} cores (${cpuList[0]?.model.trim() ?? '?'}), node ${process.version}, sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, ` +
        `sharp.concurrency()=${sharp.concurrency()}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 'default (4)'}, sharp cache default, fresh input Buffer per image`
    )
    say(`load average at start: ${loadStart.toFixed(2)}${loadStart > 0.5 ? ' — other work is running on this machine: absolute times are noisy, the interleaved ratios much less so' : ''}`)
    say(`ImageMagick: ${imFound ? `${imFound.path} ${imFound.version} (thread limit ${imFound.threads})` : `skipped: ${'skip' in im ? im.skip : ''}`}`)
    say(`source: ${SOURCE_WIDTH}x${SOURCE_HEIGHT} photo-like JPEG q${SOURCE_QUALITY} (estimated q${estimated}), ${(bytes.length / 1048576).toFixed(2)} MiB, generated in ${ms(genMs)} at ${source.path}`)

    // ---- planner
    const planned = plannedSegments(MULTI_PROCESS)
    const stepLabel = (i: number) => MULTI_STAGES[i]?.label ?? planned.steps[i]?.action ?? String(i)
    say()
    say(`planChain(${MULTI_PROCESS}): ${planned.segments.length} segment(s)`)
    planned.segments.forEach((segment, s) => say(`  segment ${s + 1}: ${segment.map(stepLabel).join(' → ')}`))
    const resizePlan = plannedSegments(RESIZE_PROCESS)
    say(`planChain(${RESIZE_PROCESS}): ${resizePlan.segments.length} segment(s)`)
    if (planned.steps.length !== MULTI_STAGES.length || planned.steps.some((step, i) => !MULTI_STAGES[i]!.label.startsWith(step.action))) {
      throw new Error('the hand-written multi chain no longer matches MULTI_PROCESS')
    }

    // ---- correctness of the comparison: same sizes, same (or nearly the same) pixels
    const all = variants(planned.cuts)
    const byId = new Map(all.map((v) => [v.id, v]))
    const get = (id: string) => byId.get(id) ?? raise(`no variant ${id}`)
    const outputs = new Map<string, Buffer>()
    for (const v of all) {
      const result = await v.run(bytes)
      await expectSize(v.id, result, v.id.startsWith('resize.') ? RESIZE_SIZE : MULTI_SIZE)
      outputs.set(v.id, result)
    }
    const checks = {
      resize: await compare(outputs.get('resize.engine')!, outputs.get('resize.sharp')!),
      multiSameCuts: await compare(outputs.get('multi.engine')!, outputs.get('multi.sharpPlanned')!),
      multiOnePipeline: await compare(outputs.get('multi.engine')!, outputs.get('multi.sharp1')!)
    }
    say()
    say(`same work? engine vs hand-written output — resize: ${checks.resize.note}; multi, same cuts: ${checks.multiSameCuts.note}; multi, 1 pipeline: ${checks.multiOnePipeline.note}`)

    // ---- (a) engine ÷ hand-written sharp, interleaved
    const resizeList = [get('resize.engine'), get('resize.sharp')]
    const resizeSamples = await interleaved(resizeList, bytes, CONFIG.warmup, CONFIG.resizeRounds)
    const multiList = all.filter((v) => v.id.startsWith('multi.'))
    const multiSamples = await interleaved(multiList, bytes, CONFIG.warmup, CONFIG.multiRounds)
    const summaries = new Map<string, Summary>()
    for (const [id, samples] of [...resizeSamples, ...multiSamples]) summaries.set(id, summarize(samples))
    const med = (id: string) => summaries.get(id)!.medianMs

    const resizeRatio = med('resize.engine') / med('resize.sharp')
    const multiRatioMin = med('multi.engine') / med('multi.sharp1')
    const multiRatioSame = med('multi.engine') / med('multi.sharpPlanned')
    const paired = {
      resize: pairedRatio(resizeSamples.get('resize.engine')!, resizeSamples.get('resize.sharp')!),
      multiMin: pairedRatio(multiSamples.get('multi.engine')!, multiSamples.get('multi.sharp1')!),
      multiSame: pairedRatio(multiSamples.get('multi.engine')!, multiSamples.get('multi.sharpPlanned')!)
    }

    say()
    say(`(a) engine vs hand-written sharp — interleaved, ${CONFIG.warmup} warm-up rounds, ${CONFIG.resizeRounds} (resize) / ${CONFIG.multiRounds} (multi) measured rounds`)
    const rowFor = (chain: string, id: string, base: string) => {
      const s = summaries.get(id)!
      return [chain, get(id).label, ms(s.medianMs), `${s.p25Ms.toFixed(1)}–${s.p75Ms.toFixed(1)}`, id === base ? '1.00×' : x(s.medianMs / med(base))]
    }
    say(
      table(
        ['chain', 'variant', 'median', 'p25–p75 ms', '÷ hand 1-pipeline'],
        [
          rowFor('resize,w_720/quality,q_80', 'resize.engine', 'resize.sharp'),
          rowFor('', 'resize.sharp', 'resize.sharp'),
          ...multiList.map((v, i) => rowFor(i === 0 ? '5-action multi-segment' : '', v.id, 'multi.sharp1'))
        ]
      )
    )

    // ---- split costs
    const splitRows: string[][] = []
    const splits: { after: string; handoverBytes: number; medianMs: number; costMs: number; costPct: number; planner: boolean }[] = []
    for (let cut = 1; cut < MULTI_STAGES.length; cut++) {
      const id = cutVariantId(cut, planned.cuts)
      const costMs = med(id) - med('multi.sharp1')
      const planner = planned.cuts.includes(cut)
      const handoverBytes = HANDOVER_BYTES[cut - 1]!
      splits.push({ after: MULTI_STAGES[cut - 1]!.label, handoverBytes, medianMs: med(id), costMs: round(costMs), costPct: round((costMs / med('multi.sharp1')) * 100, 1), planner })
      splitRows.push([
        `after ${MULTI_STAGES[cut - 1]!.label}${planner ? ' (planner)' : ''}`,
        `${(handoverBytes / 1048576).toFixed(2)} MiB`,
        ms(med(id)),
        `${costMs >= 0 ? '+' : ''}${costMs.toFixed(1)} ms`,
        `${costMs >= 0 ? '+' : ''}${((costMs / med('multi.sharp1')) * 100).toFixed(1)}%`
      ])
    }
    const everyCost = (med('multi.sharpEvery') - med('multi.sharp1')) / 4
    splitRows.push(['every op (4 cuts), per cut', '—', ms(med('multi.sharpEvery')), `${everyCost >= 0 ? '+' : ''}${everyCost.toFixed(1)} ms`, `${((everyCost / med('multi.sharp1')) * 100).toFixed(1)}%`])
    const engineOverheadMs = med('multi.engine') - med('multi.sharpPlanned')
    splitRows.push(['engine overhead over the same cuts', '—', ms(med('multi.engine')), `${engineOverheadMs >= 0 ? '+' : ''}${engineOverheadMs.toFixed(1)} ms`, `${((engineOverheadMs / med('multi.sharpPlanned')) * 100).toFixed(1)}%`])
    // Where the time goes when every op has its own pipeline (raw hand-over between them).
    const stageMs: number[][] = MULTI_STAGES.map(() => [])
    for (let i = 0; i < (QUICK ? 2 : 12); i++) {
      const seg: number[] = []
      await handMulti(bytes, [1, 2, 3, 4], seg)
      seg.forEach((value, s) => stageMs[s]!.push(value))
    }
    say()
    say(`cost of each split — one raw hand-over at that point vs the 1-pipeline hand-written chain (${ms(med('multi.sharp1'))})`)
    say(table(['split', 'raw hand-over', 'median', 'cost', 'cost %'], splitRows))
    say(`one op per pipeline, median per pipeline: ${MULTI_STAGES.map((stage, s) => `${stage.label} ${ms(median(stageMs[s]!))}`).join(', ')}`)

    // ---- (b) ImageMagick convert vs the engine: throughput
    interface Throughput {
      op: string
      mode: string
      engineImgPerS: number
      convertImgPerS: number | null
      ratio: number | null
      met: boolean | null
    }
    const throughputs: Throughput[] = []
    say()
    if (!imFound) {
      say(`(b) ImageMagick comparison skipped: ${'skip' in im ? im.skip : ''}`)
    } else {
      const q = relativeQuality(bytes, 80)
      const ops = [
        { op: 'resize,w_720/quality,q_80', engineRun: () => engine(Buffer.from(bytes), RESIZE_PROCESS), args: (o: string) => resizeArgs(source.path, o, q), size: RESIZE_SIZE },
        { op: '5-action multi-segment', engineRun: () => engine(Buffer.from(bytes), MULTI_PROCESS), args: (o: string) => multiArgs(source.path, o), size: MULTI_SIZE }
      ]
      for (const item of ops) {
        const probe = join(source.dir, 'probe.jpg')
        await convert(imFound, item.args(probe))
        await expectSize(`convert ${item.op}`, readFileSync(probe), item.size)
        for (const parallel of [1, 2]) {
          // Warm-up: page cache, shared libraries, allocator.
          await throughput(() => item.engineRun(), 2 * parallel, parallel)
          await throughput((w) => convert(imFound, item.args(join(source.dir, `out-${w}.jpg`))), parallel, parallel)
          // Short alternating blocks; the median block rate resists bursts of other load on the machine.
          const eRates: number[] = []
          const cRates: number[] = []
          for (let b = 0; b < CONFIG.blocks; b++) {
            const e = await throughput(() => item.engineRun(), CONFIG.engineBlock * parallel, parallel)
            const c = await throughput((w) => convert(imFound, item.args(join(source.dir, `out-${w}.jpg`))), CONFIG.convertBlock * parallel, parallel)
            eRates.push(e.images / e.seconds)
            cRates.push(c.images / c.seconds)
          }
          const engineImgPerS = median(eRates)
          const convertImgPerS = median(cRates)
          const ratio = engineImgPerS / convertImgPerS
          throughputs.push({
            op: item.op,
            mode: parallel === 1 ? 'one at a time' : '2 in flight (both cores)',
            engineImgPerS: round(engineImgPerS, 1),
            convertImgPerS: round(convertImgPerS, 2),
            ratio: round(ratio, 2),
            met: ratio >= GOAL_ENGINE_VS_CONVERT
          })
        }
      }
      say(
        `(b) throughput — engine in-process vs ImageMagick convert spawned per image; median rate of ${CONFIG.blocks} alternating blocks ` +
          `(engine ${CONFIG.engineBlock}, convert ${CONFIG.convertBlock} images per block and per slot in flight)`
      )
      say(
        table(
          ['chain', 'mode', 'engine img/s', 'convert img/s', 'convert ÷ engine (time)', `goal ≥ ${GOAL_ENGINE_VS_CONVERT}×`],
          throughputs.map((t) => [t.op, t.mode, `${t.engineImgPerS.toFixed(1)}/s`, `${t.convertImgPerS!.toFixed(2)}/s`, x(t.ratio!), mark(t.met!)])
        )
      )
    }

    // ---- peak RSS, each variant in a fresh process
    const rssIds = ['baseline', 'resize.engine', 'resize.sharp', 'multi.engine', 'multi.sharp1', 'multi.sharpPlanned', 'multi.sharpEvery']
    interface RssRow {
      variant: string
      maxRssKiB: number | null
      startRssKiB: number | null
      workPeakKiB: number | null
      workAddedKiB: number | null
      note: string
    }
    const rss: RssRow[] = []
    for (const id of rssIds) {
      const child = await childPeakRss(id, source.path, CONFIG.rssIterations)
      const added = child.workPeakKiB !== undefined && child.startRssKiB !== undefined ? child.workPeakKiB - child.startRssKiB : null
      rss.push({
        variant: id,
        maxRssKiB: child.maxRssKiB,
        startRssKiB: child.startRssKiB ?? null,
        workPeakKiB: child.workPeakKiB ?? null,
        workAddedKiB: added,
        note: id === 'baseline' ? 'node --import tsx, engine + sharp loaded, source read, nothing processed' : `${CONFIG.rssIterations} images in a fresh node --import tsx process`
      })
    }
    if (imFound) {
      for (const [id, args] of [
        ['resize.convert', (o: string) => resizeArgs(source.path, o, relativeQuality(bytes, 80))],
        ['multi.convert', (o: string) => multiArgs(source.path, o)]
      ] as const) {
        let peak: number | undefined
        let how = ''
        for (let i = 0; i < CONFIG.convertRssRuns; i++) {
          const r = await convertPeakRss(imFound, args(join(source.dir, 'rss.jpg')), source.dir)
          how = r.how
          if (r.kib !== undefined) peak = Math.max(peak ?? 0, r.kib)
        }
        rss.push({ variant: id, maxRssKiB: peak ?? null, startRssKiB: null, workPeakKiB: null, workAddedKiB: null, note: `whole convert process, max of ${CONFIG.convertRssRuns} runs, ${how}` })
      }
    } else {
      rss.push({ variant: 'convert', maxRssKiB: null, startRssKiB: null, workPeakKiB: null, workAddedKiB: null, note: `skipped: ${'skip' in im ? im.skip : ''}` })
    }
    const kibCell = (value: number | null) => (value === null ? '—' : mib(value))
    say()
    say('peak RSS — each variant in a fresh process (process peak = resourceUsage().maxRSS incl. startup; work peak = VmHWM after a reset once loaded)')
    say(
      table(
        ['variant', 'process peak', 'RSS when loaded', 'work peak', 'added by the work', 'how'],
        rss.map((r) => [r.variant, kibCell(r.maxRssKiB), kibCell(r.startRssKiB), kibCell(r.workPeakKiB), kibCell(r.workAddedKiB), r.note])
      )
    )

    // ---- bulk jobs, local mode (bulk-local.ts)
    const bulk = await runBulkLocal({ quick: QUICK, say })

    // ---- whole processes as users run them: cold start, one 24 MP image, bulk (bench/whole-process.ts)
    const whole = await runWholeProcess({ quick: QUICK, say })

    // ---- (c) the live-preview path through the real transport (bench/preview.ts), then in Chromium
    say()
    const preview = await runPreviewBench({ say })
    const browserPreview = await runBrowserPreview({ quick: QUICK, say })

    // ---- goals
    const goals = [
      { goal: `resize: engine ÷ hand-written sharp ≤ ${GOAL_ENGINE_VS_SHARP}`, value: round(resizeRatio, 3), met: resizeRatio <= GOAL_ENGINE_VS_SHARP },
      { goal: `multi: engine ÷ hand-written sharp, 1 pipeline ≤ ${GOAL_ENGINE_VS_SHARP} (split included)`, value: round(multiRatioMin, 3), met: multiRatioMin <= GOAL_ENGINE_VS_SHARP },
      { goal: `multi: engine ÷ hand-written sharp, same cuts ≤ ${GOAL_ENGINE_VS_SHARP} (engine overhead only)`, value: round(multiRatioSame, 3), met: multiRatioSame <= GOAL_ENGINE_VS_SHARP },
      ...throughputs.map((t) => ({ goal: `${t.op}, ${t.mode}: convert ÷ engine ≥ ${GOAL_ENGINE_VS_CONVERT}`, value: t.ratio, met: t.met })),
      { goal: `bulk local: job ÷ hand-written sharp pool (img/s) ≥ ${GOAL_JOB_VS_POOL}`, value: bulk.ratio, met: bulk.ratioMet },
      { goal: `bulk local: peak RSS after ${bulk.rss.images} ÷ after 100 images ≤ ${GOAL_RSS_RATIO}`, value: bulk.rss.peakRatio, met: bulk.rssMet }
    ]
    if (!imFound) goals.push({ goal: `convert ÷ engine ≥ ${GOAL_ENGINE_VS_CONVERT}`, value: null, met: null })
    const previewGoal = { goal: 'preview (socket): change → frame shown p95 < 100 ms (ms)', value: preview.changeToFrame.p95Ms, met: preview.goalP95Met }
    const msGoal = (goal: string, value: number, limit: number) => ({ goal, value: Number.isNaN(value) ? null : value, met: Number.isNaN(value) ? null : value <= limit })
    const browserGoals = [
      msGoal(`preview in Chromium: preview:frame p95 ≤ ${BROWSER_GOALS.frameP95Ms} ms (ms)`, browserPreview.frameP95Ms, BROWSER_GOALS.frameP95Ms),
      msGoal(`preview in Chromium: first interactive frame ≤ ${BROWSER_GOALS.firstFrameMs} ms (ms)`, browserPreview.firstFrameMs, BROWSER_GOALS.firstFrameMs),
      msGoal(`preview in Chromium: preview:final ≤ ${BROWSER_GOALS.finalMs} ms (ms)`, browserPreview.finalMs, BROWSER_GOALS.finalMs)
    ]
    say()
    say('goals')
    const status = (met: boolean | null) => (met === null ? 'skipped' : mark(met))
    say(
      table(
        ['goal', 'value', 'status'],
        [
          ...[...goals, ...whole.goals].map((g) => [g.goal, g.value === null ? 'n/a' : x(g.value), status(g.met)]),
          [previewGoal.goal, previewGoal.value.toFixed(1), mark(previewGoal.met)],
          ...browserGoals.map((g) => [g.goal, g.value === null ? 'n/a' : g.value.toFixed(1), status(g.met)])
        ]
      )
    )
    say(`(paired per-round medians, for drift: resize ${x(paired.resize)}, multi vs 1 pipeline ${x(paired.multiMin)}, multi vs same cuts ${x(paired.multiSame)})`)
    const totalS = (performance.now() - started) / 1000
    say(`total: ${totalS.toFixed(1)} s; load average (1 min) at start ${loadStart.toFixed(2)}, at end ${loadavg()[0]!.toFixed(2)}`)

    const json = {
      bench: 'oss-img-studio',
      quick: QUICK,
      machine: { cores: cpuList.length, cpu: cpuList[0]?.model.trim(), node: process.version, sharp: sharp.versions.sharp, vips: sharp.versions.vips, sharpConcurrency: sharp.concurrency(), sharpCache: 'default', loadAverageStart: round(loadStart), loadAverageEnd: round(loadavg()[0]!) },
      imagemagick: imFound ?? { skipped: 'skip' in im ? im.skip : '' },
      source: { width: SOURCE_WIDTH, height: SOURCE_HEIGHT, quality: SOURCE_QUALITY, estimatedQuality: estimated, bytes: bytes.length },
      config: CONFIG,
      plan: { process: MULTI_PROCESS, segments: planned.segments.map((s) => s.map(stepLabel)) },
      sameWork: checks,
      timings: Object.fromEntries(summaries),
      ratios: { resizeEngineVsSharp: round(resizeRatio, 3), multiEngineVsSharpOnePipeline: round(multiRatioMin, 3), multiEngineVsSharpSameCuts: round(multiRatioSame, 3), paired },
      splits,
      everyOpPerCutMs: round(everyCost),
      engineOverheadOverSameCutsMs: round(engineOverheadMs),
      everyOpStageMedianMs: Object.fromEntries(MULTI_STAGES.map((stage, s) => [stage.label, round(median(stageMs[s]!))])),
      throughput: throughputs,
      peakRss: rss,
      goals: [...goals, ...whole.goals, previewGoal, ...browserGoals],
      wholeProcess: whole,
      preview,
      browserPreview,
      bulkLocal: bulk,
      totalSeconds: round(totalS, 1)
    }
    process.stdout.write(`${JSON.stringify(json)}\n`)
  } finally {
    rmSync(source.dir, { recursive: true, force: true })
  }
}

function raise(message: string): never {
  throw new Error(message)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`)
  process.exitCode = 1
})
