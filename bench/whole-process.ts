/**
 * Whole processes, as users run them (issue 11 §1–§3): every figure is a ratio against a baseline
 * measured in the same run, rounds interleaved in a shuffled order, medians.
 *
 *  - cold start: `oss-img --help`, `info`, `process` (640×480 JPEG in, JPEG out) against
 *    `node -e "require('sharp')"` — time ≤ 1.3×, peak RSS ≤ 1.25×;
 *  - one 24 MP JPEG → `image/resize,w_720/quality,q_80`: `oss-img process` against a plain sharp script
 *    (≤ 1.25×) and ImageMagick `convert` (convert ÷ ours ≥ 3×);
 *  - `oss-img bulk --from-dir` of 32 × 2725×2225 JPEGs at concurrency 2 against a plain sharp pool of 2
 *    (≤ 1.10×), and the bulk process's peak RSS with 1,000 files ÷ with 100 (≤ 1.2).
 *
 * Node processes run with `--require bench/rusage.cjs`, which reports their own peak RSS and CPU time at
 * exit on descriptor 3; wall time is measured here from spawn to exit. CPU time (user + system) is
 * printed beside the wall time: it moves much less with other load on the machine.
 *
 *   npx tsx bench/whole-process.ts        # this part alone (BENCH_QUICK=1: smoke test)
 */
import { spawn } from 'node:child_process'
import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { detectImageMagick, resizeArgs } from './imagemagick'
import { makeSourceJpeg, photoLikePixels } from './image'
import { median, round, table } from './stats'
import { relativeQuality } from './variants'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'out', 'main', 'cli.js')
const HOOK = join(ROOT, 'bench', 'rusage.cjs')

export const GOALS = { coldTime: 1.3, coldRss: 1.25, singleVsSharp: 1.25, convertVsOurs: 3, bulkVsPool: 1.1, bulkRss: 1.2 } as const

interface Sample {
  readonly wallMs: number
  /** Peak RSS and CPU time, for Node processes (the rusage hook). */
  readonly maxRssKiB?: number
  readonly cpuMs?: number
}

interface Command {
  readonly id: string
  readonly label: string
  readonly file: string
  readonly args: readonly string[]
  /** A Node process: run with the rusage hook. */
  readonly node: boolean
  /** Runs before each measured run (not timed): fresh output folders and the like. */
  readonly before?: () => void
}

const nodeCommand = (id: string, label: string, args: readonly string[], before?: () => void): Command => ({ id, label, file: process.execPath, args, node: true, ...(before ? { before } : {}) })

/** One run of `command`: wall time from spawn to exit, and what the hook reported. Fails on a non-zero exit. */
function runOnce(command: Command): Promise<Sample> {
  command.before?.()
  return new Promise((resolve, reject) => {
    const args = command.node ? ['--require', HOOK, ...command.args] : [...command.args]
    const t0 = performance.now()
    const child = spawn(command.file, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let usage = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    ;(child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (usage += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - t0
      if (code !== 0) return reject(new Error(`${command.label} exited ${code}: ${stderr.trim().slice(0, 400)}`))
      if (!command.node) return resolve({ wallMs })
      const line = usage.trim().split('\n').pop()
      if (!line) return reject(new Error(`${command.label}: the rusage hook reported nothing`))
      const parsed = JSON.parse(line) as { maxRssKiB: number; userUs: number; systemUs: number }
      resolve({ wallMs, maxRssKiB: parsed.maxRssKiB, cpuMs: (parsed.userUs + parsed.systemUs) / 1000 })
    })
  })
}

/** Deterministic shuffle (seeded LCG + Fisher–Yates), so neighbours change from round to round. */
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

interface Measured {
  readonly id: string
  readonly label: string
  readonly wallMs: number
  readonly cpuMs: number | null
  readonly maxRssKiB: number | null
}

async function interleaved(commands: readonly Command[], warmup: number, rounds: number): Promise<Map<string, Measured>> {
  for (let w = 0; w < warmup; w++) for (const c of commands) await runOnce(c)
  const samples = new Map(commands.map((c) => [c.id, [] as Sample[]]))
  for (let r = 0; r < rounds; r++) for (const c of shuffled(commands, 0xc01d + r)) samples.get(c.id)!.push(await runOnce(c))
  const medianOf = (list: readonly Sample[], pick: (s: Sample) => number | undefined) => {
    const values = list.map(pick).filter((v): v is number => v !== undefined)
    return values.length ? median(values) : null
  }
  return new Map(
    commands.map((c) => {
      const list = samples.get(c.id)!
      return [c.id, { id: c.id, label: c.label, wallMs: median(list.map((s) => s.wallMs)), cpuMs: medianOf(list, (s) => s.cpuMs), maxRssKiB: medianOf(list, (s) => s.maxRssKiB) }]
    })
  )
}

const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(0)} ms`)
const mib = (kib: number | null) => (kib === null ? '—' : `${(kib / 1024).toFixed(1)} MiB`)
const x = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}×`)
const ratio = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a / b, 3))

export interface Goal {
  readonly goal: string
  readonly value: number | null
  readonly met: boolean | null
}

export interface WholeProcessResult {
  readonly coldStart: readonly (Measured & { timeRatio: number; rssRatio: number | null; cpuRatio: number | null })[]
  readonly singleImage: { readonly ours: Measured; readonly sharp: Measured; readonly convert: Measured | null; readonly oursVsSharp: number; readonly convertVsOurs: number | null }
  readonly bulk: { readonly ours: Measured; readonly pool: Measured; readonly oursVsPool: number; readonly rss100KiB: number; readonly rss1000KiB: number; readonly rssRatio: number; readonly files: { readonly run: number; readonly rssSmall: number; readonly rssLarge: number } }
  readonly goals: readonly Goal[]
}

/** The plain sharp script of the single-image comparison: what a developer would write by hand. */
const SHARP_SINGLE = (input: string, output: string, quality: number) => `require('sharp')(${JSON.stringify(input)}).resize(720).jpeg({ quality: ${quality} }).toFile(${JSON.stringify(output)})`

/** The plain sharp pool of the bulk comparison: `workers` loops over the folder, read → resize → write. */
const SHARP_POOL = (input: string, output: string, quality: number, workers: number) => `
const sharp = require('sharp'); const fs = require('node:fs/promises'); const path = require('node:path');
(async () => {
  const files = (await fs.readdir(${JSON.stringify(input)})).filter((n) => n.endsWith('.jpg')).sort();
  let next = 0;
  await Promise.all(Array.from({ length: ${workers} }, async () => {
    while (next < files.length) {
      const name = files[next++];
      const data = await sharp(await fs.readFile(path.join(${JSON.stringify(input)}, name))).resize(720).jpeg({ quality: ${quality} }).toBuffer();
      await fs.writeFile(path.join(${JSON.stringify(output)}, name), data);
    }
  }));
})();`

function linkedCopies(source: string, dir: string, count: number): void {
  mkdirSync(dir, { recursive: true })
  for (let i = 0; i < count; i++) linkSync(source, join(dir, `img${String(i).padStart(4, '0')}.jpg`))
}

export async function runWholeProcess(options: { quick: boolean; say: (line?: string) => void }): Promise<WholeProcessResult> {
  const { quick, say } = options
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`)
  const work = mkdtempSync(join(tmpdir(), 'oss-img-bench-whole-'))
  try {
    // ---- cold start
    const small = join(work, 'a.jpg')
    await sharp(photoLikePixels(640, 480, 640_480), { raw: { width: 640, height: 480, channels: 3 } }).jpeg({ quality: 90 }).toFile(small)
    const cold = [
      nodeCommand('baseline', 'node -e "require(\'sharp\')"', ['-e', "require('sharp')"]),
      nodeCommand('help', 'oss-img --help', [CLI, '--help']),
      nodeCommand('info', 'oss-img info a.jpg', [CLI, 'info', small]),
      nodeCommand('process', 'oss-img process a.jpg (resize,w_100)', [CLI, 'process', small, '--process', 'image/resize,w_100', '-o', join(work, 'o.jpg')])
    ]
    const coldRuns = await interleaved(cold, quick ? 1 : 2, quick ? 3 : 15)
    const base = coldRuns.get('baseline')!
    const coldStart = cold.map((c) => {
      const m = coldRuns.get(c.id)!
      return { ...m, timeRatio: round(m.wallMs / base.wallMs, 3), rssRatio: ratio(m.maxRssKiB, base.maxRssKiB), cpuRatio: ratio(m.cpuMs, base.cpuMs) }
    })
    say()
    say(`whole process: cold start (${quick ? 3 : 15} interleaved rounds, medians; 640×480 JPEG)`)
    say(table(['command', 'wall', '÷ node+sharp', 'CPU', '÷', 'peak RSS', '÷'], coldStart.map((m) => [m.label, ms(m.wallMs), x(m.timeRatio), ms(m.cpuMs), x(m.cpuRatio), mib(m.maxRssKiB), x(m.rssRatio)])))

    // ---- one 24 MP JPEG
    const bigPath = join(work, 'big.jpg')
    const big = await sharp(photoLikePixels(6000, 4000, 24_000_000), { raw: { width: 6000, height: 4000, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()
    writeFileSync(bigPath, big)
    const quality = relativeQuality(big, 80)
    const im = await detectImageMagick()
    const single: Command[] = [
      nodeCommand('sharp', `plain sharp script (resize(720), q${quality})`, ['-e', SHARP_SINGLE(bigPath, join(work, 'sharp.jpg'), quality)]),
      nodeCommand('ours', 'oss-img process (resize,w_720/quality,q_80)', [CLI, 'process', bigPath, '--process', 'image/resize,w_720/quality,q_80', '-o', join(work, 'ours.jpg')])
    ]
    if ('found' in im) single.push({ id: 'convert', label: `convert -resize 720x -quality ${quality}`, file: im.found.path, args: resizeArgs(bigPath, join(work, 'convert.jpg'), quality), node: false })
    const singleRuns = await interleaved(single, 1, quick ? 2 : 8)
    for (const [name, file] of [['ours', 'ours.jpg'], ['sharp', 'sharp.jpg']] as const) {
      const meta = await sharp(join(work, file)).metadata()
      if (meta.width !== 720 || meta.height !== 480) throw new Error(`single image, ${name}: expected 720x480 but wrote ${meta.width}x${meta.height}`)
    }
    const ours = singleRuns.get('ours')!
    const plain = singleRuns.get('sharp')!
    const convertRun = singleRuns.get('convert') ?? null
    const singleImage = { ours, sharp: plain, convert: convertRun, oursVsSharp: round(ours.wallMs / plain.wallMs, 3), convertVsOurs: convertRun ? round(convertRun.wallMs / ours.wallMs, 3) : null }
    say()
    say(`whole process: one 6000×4000 JPEG q90 (${(big.length / 1048576).toFixed(1)} MiB) → 720×480 (${quick ? 2 : 8} interleaved rounds)${'skip' in im ? `; convert skipped: ${im.skip}` : ''}`)
    say(table(['command', 'wall', '÷ ours', 'CPU', 'peak RSS'], [...singleRuns.values()].map((m) => [m.label, ms(m.wallMs), x(m.wallMs / ours.wallMs), ms(m.cpuMs), mib(m.maxRssKiB)])))

    // ---- bulk, local mode
    const files = quick ? 6 : 32
    const bulkSource = await makeSourceJpeg()
    const bulkIn = join(work, 'bulk-in')
    linkedCopies(bulkSource.path, bulkIn, files)
    const bulkQuality = relativeQuality(bulkSource.bytes, 80)
    rmSync(bulkSource.dir, { recursive: true, force: true })
    const fresh = (dir: string) => () => {
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
    }
    const bulkArgs = (input: string, output: string, journal: string) => [CLI, 'bulk', '--from-dir', input, '--process', 'image/resize,w_720/quality,q_80', '--to-dir', output, '--target', '{name}.jpg', '--concurrency', '2', '--journal', journal]
    const oursOut = join(work, 'bulk-ours')
    const poolOut = join(work, 'bulk-pool')
    const journal = join(work, 'bulk.journal')
    const bulkCommands = [
      nodeCommand('pool', 'plain sharp pool of 2', ['-e', SHARP_POOL(bulkIn, poolOut, bulkQuality, 2)], fresh(poolOut)),
      nodeCommand('ours', 'oss-img bulk --from-dir --concurrency 2', bulkArgs(bulkIn, oursOut, journal), () => {
        fresh(oursOut)()
        rmSync(journal, { force: true })
      })
    ]
    const bulkRuns = await interleaved(bulkCommands, 1, quick ? 2 : 6)
    const pool = bulkRuns.get('pool')!
    const oursBulk = bulkRuns.get('ours')!
    // Peak RSS of the bulk process with few and many files (small sources: the question is growth).
    const rssSmall = quick ? 10 : 100
    const rssLarge = quick ? 30 : 1000
    const rssSource = join(work, 'rss.jpg')
    await sharp(photoLikePixels(1600, 1200, 1_600_120), { raw: { width: 1600, height: 1200, channels: 3 } }).jpeg({ quality: 90 }).toFile(rssSource)
    const rssOf = async (count: number) => {
      const input = join(work, `rss-${count}`)
      linkedCopies(rssSource, input, count)
      const out = join(work, `rss-out-${count}`)
      const sample = await runOnce(nodeCommand(`rss${count}`, `bulk of ${count}`, bulkArgs(input, out, join(work, `rss-${count}.journal`))))
      rmSync(out, { recursive: true, force: true })
      return sample.maxRssKiB!
    }
    const rss100KiB = await rssOf(rssSmall)
    const rss1000KiB = await rssOf(rssLarge)
    const bulk = { ours: oursBulk, pool, oursVsPool: round(oursBulk.wallMs / pool.wallMs, 3), rss100KiB, rss1000KiB, rssRatio: round(rss1000KiB / rss100KiB, 3), files: { run: files, rssSmall, rssLarge } }
    say()
    say(`whole process: bulk, ${files} × 2725×2225 JPEG → resize,w_720/quality,q_80, 2 in flight (${quick ? 2 : 6} interleaved rounds)`)
    say(table(['command', 'wall', '÷ pool', 'CPU', 'peak RSS'], [pool, oursBulk].map((m) => [m.label, ms(m.wallMs), x(m.wallMs / pool.wallMs), ms(m.cpuMs), mib(m.maxRssKiB)])))
    say(`bulk peak RSS: ${rssLarge} files ${mib(rss1000KiB)} ÷ ${rssSmall} files ${mib(rss100KiB)} = ${x(bulk.rssRatio)} (1600×1200 sources)`)

    const goal = (text: string, value: number | null, limit: number, atLeast = false): Goal => ({ goal: text, value, met: value === null ? null : atLeast ? value >= limit : value <= limit })
    const goals: Goal[] = [
      ...coldStart
        .filter((m) => m.id !== 'baseline')
        .flatMap((m) => [goal(`cold start ${m.label}: time ÷ node+sharp ≤ ${GOALS.coldTime}`, m.timeRatio, GOALS.coldTime), goal(`cold start ${m.label}: peak RSS ÷ node+sharp ≤ ${GOALS.coldRss}`, m.rssRatio, GOALS.coldRss)]),
      goal(`24 MP single image: ours ÷ plain sharp script ≤ ${GOALS.singleVsSharp}`, singleImage.oursVsSharp, GOALS.singleVsSharp),
      goal(`24 MP single image: convert ÷ ours ≥ ${GOALS.convertVsOurs}`, singleImage.convertVsOurs, GOALS.convertVsOurs, true),
      goal(`bulk --from-dir ÷ plain sharp pool ≤ ${GOALS.bulkVsPool}`, bulk.oursVsPool, GOALS.bulkVsPool),
      goal(`bulk peak RSS ${rssLarge} ÷ ${rssSmall} files ≤ ${GOALS.bulkRss}`, bulk.rssRatio, GOALS.bulkRss)
    ]
    return { coldStart, singleImage, bulk, goals }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const say = (line = '') => void process.stdout.write(`${line}\n`)
  runWholeProcess({ quick: process.env.BENCH_QUICK === '1', say }).then(
    (result) => {
      say()
      say(table(['goal', 'value', 'status'], result.goals.map((g) => [g.goal, g.value === null ? 'n/a' : `${g.value.toFixed(2)}×`, g.met === null ? 'skipped' : g.met ? 'met' : 'NOT MET'])))
    },
    (error: unknown) => {
      process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`)
      process.exitCode = 1
    }
  )
}
