/**
 * Bulk jobs, local mode (issue §7): throughput of `services/jobs` on this machine's cores for
 * 200 2K JPEGs × 4 derivatives, folder → folder, against a hand-written sharp pool doing the same
 * work (goal ≥ 0.9), and peak RSS across a 1,000-image run in a fresh process (peak RSS after
 * 1,000 images ÷ peak after 100, goal close to 1; the instantaneous RSS at both points is printed too).
 *
 * - The job runs as the CLI runs it: JobRunner with its defaults — the engine on `cores` items at
 *   once with 2 × cores in flight, one read per source shared by its 4 derivatives, the journal
 *   (fsync'd, group-committed), skip-existing (a stat per item), durable target writes (temp file +
 *   fdatasync + rename + folder fsync), the engine (`processImage`) per derivative.
 * - The hand-written pool: `cores` workers over the images; each reads its file once and runs the
 *   4 derivatives with sharp (`resize(w, h, { fit: 'fill' })` at the engine's exact sizes, the same
 *   quality and encoder options), writing each with `writeFile` (no fsync).
 * - Alternating passes (pool, job, pool, job…) on fresh output folders; the figure is the median
 *   of the per-round ratios. CPU time per image (user + system, all threads) is reported beside it:
 *   unlike images per second it does not move with other load on the machine. The inputs are 10 distinct photo-like 2048×1536 q90 JPEGs, 200 files.
 *
 *   tsx bench/bulk-local.ts            # this scenario alone (BENCH_QUICK=1: smoke test)
 *   node --import tsx bench/bulk-local.ts rss <input-dir> <images>   # the RSS probe (child)
 */
import { execFile } from 'node:child_process'
import { linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { JobRunner, resolveSpec, type JobSpec } from '../src-main/services/jobs'
import { photoLikePixels } from './image'
import { median, round, table } from './stats'

const execFileAsync = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))

export const BULK_WIDTH = 2048
export const BULK_HEIGHT = 1536
const VARIANTS = 10

/** The 4 derivatives: process string, and what a developer would write by hand for a 2048×1536 JPEG. */
export const DERIVATIVES = [
  { label: 'large', process: 'image/resize,w_1280/quality,Q_80', width: 1280, height: 960, format: 'jpg', quality: 80 },
  { label: 'medium', process: 'image/resize,w_640/format,webp/quality,Q_75', width: 640, height: 480, format: 'webp', quality: 75 },
  { label: 'small', process: 'image/resize,w_320/quality,Q_80', width: 320, height: 240, format: 'jpg', quality: 80 },
  { label: 'square', process: 'image/resize,m_fixed,w_150,h_150/format,webp/quality,Q_70', width: 150, height: 150, format: 'webp', quality: 70 }
] as const

export const GOAL_JOB_VS_POOL = 0.9
/** "Close to 1": the peak may grow by at most 10% between image 100 and image 1,000. */
export const GOAL_RSS_RATIO = 1.1

/** `count` JPEG files (cycling through 10 distinct photo-like images) in `dir`. */
export async function makeInputs(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const base = photoLikePixels(BULK_WIDTH, BULK_HEIGHT, 20_261_129)
  const variants: Buffer[] = []
  for (let v = 0; v < VARIANTS; v++) {
    variants.push(await sharp(base, { raw: { width: BULK_WIDTH, height: BULK_HEIGHT, channels: 3 } }).modulate({ hue: v * 36, brightness: 0.9 + v * 0.02 }).jpeg({ quality: 90, mozjpeg: false }).toBuffer())
  }
  for (let i = 0; i < count; i++) {
    const name = join(dir, `img${String(i).padStart(4, '0')}.jpg`)
    if (i < VARIANTS) writeFileSync(name, variants[i]!)
    else linkSync(join(dir, `img${String(i % VARIANTS).padStart(4, '0')}.jpg`), name)
  }
}

async function handPool(inputDir: string, outDir: string, workers: number): Promise<number> {
  const files = readdirSync(inputDir).filter((n) => n.endsWith('.jpg')).sort()
  for (const d of DERIVATIVES) mkdirSync(join(outDir, d.label), { recursive: true })
  let next = 0
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < files.length) {
        const name = files[next++]!
        const bytes = await readFile(join(inputDir, name))
        for (const d of DERIVATIVES) {
          const resized = sharp(bytes).rotate().resize(d.width, d.height, { fit: 'fill' })
          const data = d.format === 'jpg' ? await resized.jpeg({ quality: d.quality, mozjpeg: false }).toBuffer() : await resized.webp({ quality: d.quality }).toBuffer()
          await writeFile(join(outDir, d.label, name.replace(/\.jpg$/, `.${d.format}`)), data)
        }
      }
    })
  )
  return files.length
}

export async function bulkSpec(inputDir: string, outDir: string): Promise<JobSpec> {
  return resolveSpec({
    source: { kind: 'folder', dir: inputDir, suffixes: ['.jpg'] },
    styles: DERIVATIVES.map((d) => ({ process: d.process, label: d.label })),
    target: { kind: 'folder', dir: outDir },
    template: '{style}/{name}.{format}'
  })
}

async function jobPass(inputDir: string, outDir: string, journal: string): Promise<number> {
  const result = await new JobRunner({ spec: await bulkSpec(inputDir, outDir), journalPath: journal }).run()
  if (result.state !== 'finished' || result.counts.failed > 0 || result.counts.done !== result.counts.total) {
    throw new Error(`bulk job: expected every item done but got ${JSON.stringify(result.counts)} (${result.state}) ${JSON.stringify(result.items.find((i) => i.error)?.error ?? result.error ?? '')}`)
  }
  return result.counts.total / DERIVATIVES.length
}

async function checkOutputs(jobOut: string, handOut: string): Promise<void> {
  for (const d of DERIVATIVES) {
    const name = `img0000.${d.format}`
    const [a, b] = await Promise.all([sharp(join(jobOut, d.label, name)).metadata(), sharp(join(handOut, d.label, name)).metadata()])
    if (a.width !== d.width || a.height !== d.height || b.width !== d.width || b.height !== d.height || a.format !== b.format) {
      throw new Error(`${d.label}: expected ${d.width}x${d.height} from both but the job wrote ${a.width}x${a.height} ${a.format} and the pool ${b.width}x${b.height} ${b.format}`)
    }
  }
}

function statusKiB(field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

interface RssProbe {
  readonly images: number
  readonly seconds: number
  /** RSS (and peak RSS so far) once `n` images were complete (all 4 derivatives counted). */
  readonly samples: { images: number; rssKiB: number; peakKiB: number; heapKiB: number }[]
}

/** The child: runs the job over `dir`, sampling RSS as images complete. */
async function rssChild(inputDir: string, images: number): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'oss-img-bulk-rss-'))
  const marks = new Set([50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].filter((n) => n <= images).concat([images]))
  const samples: RssProbe['samples'] = []
  const perImage = new Map<string, number>()
  let complete = 0
  const started = performance.now()
  try {
    const result = await new JobRunner({
      spec: await bulkSpec(inputDir, join(work, 'out')),
      journalPath: join(work, 'job.jsonl'),
      onItem: (item) => {
        const n = (perImage.get(item.sourceKey) ?? 0) + 1
        perImage.set(item.sourceKey, n)
        if (n === DERIVATIVES.length) {
          complete++
          if (marks.has(complete)) samples.push({ images: complete, rssKiB: statusKiB('VmRSS') ?? Math.round(process.memoryUsage().rss / 1024), peakKiB: statusKiB('VmHWM') ?? process.resourceUsage().maxRSS, heapKiB: Math.round(process.memoryUsage().heapUsed / 1024) })
        }
      }
    }).run()
    if (result.counts.done !== images * DERIVATIVES.length) throw new Error(`rss child: ${JSON.stringify(result.counts)}`)
    const probe: RssProbe = { images, seconds: (performance.now() - started) / 1000, samples }
    process.stdout.write(`${JSON.stringify(probe)}\n`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

export interface BulkLocalResult {
  readonly cores: number
  readonly images: number
  readonly derivatives: number
  /** Per round: wall-clock rates and their ratio; CPU time per image (user + system, all threads) of both. */
  readonly rounds: { poolImgPerS: number; jobImgPerS: number; ratio: number; poolCpuMsPerImg: number; jobCpuMsPerImg: number }[]
  readonly poolImgPerS: number
  readonly jobImgPerS: number
  readonly ratio: number
  readonly ratioMet: boolean
  /** Median of pool CPU per image ÷ job CPU per image: the same comparison, insensitive to other load. */
  readonly cpuRatio: number
  readonly rss: RssProbe & { readonly rss100KiB: number | null; readonly rssEndKiB: number | null; readonly ratio: number | null; readonly peak100KiB: number | null; readonly peakEndKiB: number | null; readonly peakRatio: number | null }
  /** Peak RSS after the whole run ÷ peak after 100 images ≤ GOAL_RSS_RATIO. */
  readonly rssMet: boolean | null
  readonly loadAverage: { start: number; end: number }
}

export async function runBulkLocal(options: { quick?: boolean; say?: (text: string) => void } = {}): Promise<BulkLocalResult> {
  const say = options.say ?? ((text: string) => void process.stdout.write(`${text}\n`))
  const quick = options.quick === true
  const images = quick ? 8 : 200
  const rssImages = quick ? 12 : 1000
  const roundsWanted = quick ? 1 : 3
  const cores = availableParallelism()
  const loadStart = loadavg()[0]!
  const dir = mkdtempSync(join(tmpdir(), 'oss-img-bench-bulk-'))
  try {
    const inputs = join(dir, 'in')
    await makeInputs(inputs, Math.max(images, rssImages))
    const few = join(dir, 'in-few')
    mkdirSync(few)
    for (let i = 0; i < images; i++) linkSync(join(inputs, `img${String(i).padStart(4, '0')}.jpg`), join(few, `img${String(i).padStart(4, '0')}.jpg`))

    // Warm-up (page cache, libvips, allocator), and the same-work check.
    const warm = join(dir, 'warm')
    mkdirSync(warm)
    for (let i = 0; i < Math.min(4, images); i++) linkSync(join(inputs, `img${String(i).padStart(4, '0')}.jpg`), join(warm, `img${String(i).padStart(4, '0')}.jpg`))
    await handPool(warm, join(dir, 'warm-hand'), cores)
    await jobPass(warm, join(dir, 'warm-job'), join(dir, 'warm.jsonl'))
    await checkOutputs(join(dir, 'warm-job'), join(dir, 'warm-hand'))

    const rounds: BulkLocalResult['rounds'] = []
    for (let r = 0; r < roundsWanted; r++) {
      const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000
      const t0 = performance.now()
      const c0 = process.cpuUsage()
      const n1 = await handPool(few, join(dir, `hand-${r}`), cores)
      const poolCpu = cpuMs(process.cpuUsage(c0)) / n1
      const pool = n1 / ((performance.now() - t0) / 1000)
      rmSync(join(dir, `hand-${r}`), { recursive: true, force: true })
      const t1 = performance.now()
      const c1 = process.cpuUsage()
      const n2 = await jobPass(few, join(dir, `job-${r}`), join(dir, `job-${r}.jsonl`))
      const jobCpu = cpuMs(process.cpuUsage(c1)) / n2
      const job = n2 / ((performance.now() - t1) / 1000)
      rmSync(join(dir, `job-${r}`), { recursive: true, force: true })
      rounds.push({ poolImgPerS: round(pool, 2), jobImgPerS: round(job, 2), ratio: round(job / pool, 3), poolCpuMsPerImg: round(poolCpu, 1), jobCpuMsPerImg: round(jobCpu, 1) })
    }
    const ratio = median(rounds.map((r) => r.ratio))

    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'bulk-local.ts'), 'rss', inputs, String(rssImages)], { cwd: ROOT, maxBuffer: 1 << 20 })
    const probe = JSON.parse(stdout.trim().split('\n').pop() ?? '') as RssProbe
    const at = (n: number) => probe.samples.find((s) => s.images === n)
    const s100 = at(quick ? Math.min(100, rssImages) : 100) ?? probe.samples[0]
    const sEnd = at(rssImages)
    const peakRatio = s100 && sEnd ? sEnd.peakKiB / s100.peakKiB : null
    const rss = {
      ...probe,
      rss100KiB: s100?.rssKiB ?? null,
      rssEndKiB: sEnd?.rssKiB ?? null,
      ratio: s100 && sEnd ? round(sEnd.rssKiB / s100.rssKiB, 3) : null,
      peak100KiB: s100?.peakKiB ?? null,
      peakEndKiB: sEnd?.peakKiB ?? null,
      peakRatio: peakRatio === null ? null : round(peakRatio, 3)
    }
    const result: BulkLocalResult = {
      cores,
      images,
      derivatives: DERIVATIVES.length,
      rounds,
      poolImgPerS: round(median(rounds.map((r) => r.poolImgPerS)), 2),
      jobImgPerS: round(median(rounds.map((r) => r.jobImgPerS)), 2),
      ratio: round(ratio, 3),
      ratioMet: ratio >= GOAL_JOB_VS_POOL,
      cpuRatio: round(median(rounds.map((r) => r.poolCpuMsPerImg / r.jobCpuMsPerImg)), 3),
      rss,
      rssMet: peakRatio === null ? null : peakRatio <= GOAL_RSS_RATIO,
      loadAverage: { start: round(loadStart), end: round(loadavg()[0]!) }
    }

    const mib = (kib: number | null) => (kib === null ? '—' : `${(kib / 1024).toFixed(1)} MiB`)
    say('')
    say(`bulk job, local mode — ${images} ${BULK_WIDTH}×${BULK_HEIGHT} JPEGs × ${DERIVATIVES.length} derivatives, folder → folder, ${cores} cores (sharp.concurrency()=${sharp.concurrency()}), ${roundsWanted} alternating round(s)`)
    say(
      table(
        ['round', 'hand-written sharp pool', 'bulk job (JobRunner)', 'job ÷ pool (img/s)', 'CPU/img pool', 'CPU/img job'],
        rounds.map((r, i) => [String(i + 1), `${r.poolImgPerS.toFixed(2)}/s`, `${r.jobImgPerS.toFixed(2)}/s`, `${r.ratio.toFixed(3)}×`, `${r.poolCpuMsPerImg.toFixed(1)} ms`, `${r.jobCpuMsPerImg.toFixed(1)} ms`])
      )
    )
    say(`job ÷ pool, median of rounds: ${ratio.toFixed(3)}× images/s (goal ≥ ${GOAL_JOB_VS_POOL}); CPU time per image pool ÷ job: ${result.cpuRatio.toFixed(3)}× (1 = the job spends no extra CPU)`)
    say(
      `RSS over a ${rssImages}-image run in a fresh process (${probe.seconds.toFixed(1)} s): ` +
        probe.samples.map((s) => `${s.images}: ${mib(s.rssKiB)} (JS heap ${mib(s.heapKiB)})`).join(', ') +
        `; peak RSS after ${rssImages} ÷ after 100 = ${mib(rss.peakEndKiB)} ÷ ${mib(rss.peak100KiB)} = ${rss.peakRatio ?? '—'} (goal ≤ ${GOAL_RSS_RATIO}); RSS ${mib(rss.rssEndKiB)} ÷ ${mib(rss.rss100KiB)} = ${rss.ratio ?? '—'}`
    )
    say(`load average (1 min): ${loadStart.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}${loadStart > cores / 2 ? ' — other work on this machine: rates are noisy, the alternating ratios much less so' : ''}`)
    return result
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  const [mode, inputDir, count] = process.argv.slice(2)
  const work = mode === 'rss' ? rssChild(inputDir ?? '', Number(count)) : runBulkLocal({ quick: process.env.BENCH_QUICK === '1' }).then((r) => void process.stdout.write(`${JSON.stringify({ bench: 'bulk-local', ...r })}\n`))
  work.catch((error: unknown) => {
    process.stderr.write(`bulk-local failed: ${(error as Error)?.stack ?? String(error)}\n`)
    process.exitCode = 1
  })
}
