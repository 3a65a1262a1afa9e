/**
 * Bulk at bucket scale (issue 13 §3), the built CLI (`out/main/cli.js bulk`) in fresh processes
 * with the rusage hook (peak RSS = VmHWM), against the sandbox over HTTP (real ali-oss):
 *
 * 1. An OSS inventory report of 1,000,000 keys (4 gzip CSV files in the layout ossutil downloads);
 *    `bulk --inventory … --dry-run` over it: rows per second (wall time of the whole command) and
 *    peak RSS. Goals: ≥ 50,000 rows/s, ≤ 150 MB.
 * 2. A server-side run of 20,000 small objects (a prefix listing, paged) with 10 % injected faults
 *    (500 InternalError / 503 SlowDown): killed with SIGKILL once half the items are done, then
 *    resumed with the same journal; every target must be written exactly once (counted where the
 *    sandbox stores it) and every item done. Goal: resume redoes nothing.
 * 3. Peak RSS of an uninterrupted server-side run at 20,000 items ÷ at 2,000. Goal ≤ 1.2.
 *
 *   tsx bench/bulk-scale.ts          # this scenario alone (BENCH_QUICK=1: a smoke test, figures meaningless)
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCountingSandbox, tinyJpeg, type CountingSandbox } from '../test/services/jobs/helpers'
import { writeInventory } from '../test/services/jobs/inventory-fixture'
import { round, table } from './stats'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = join(ROOT, 'out', 'main', 'cli.js')
const HOOK = join(ROOT, 'bench', 'rusage.cjs')

export const GOAL_DRY_RUN_ROWS_PER_S = 50_000
export const GOAL_DRY_RUN_RSS_MB = 150
export const GOAL_SCALE_RSS_RATIO = 1.2

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly wallMs: number
  readonly maxRssKiB: number | undefined
  readonly stderr: string
  readonly stdoutLines: number
  readonly lastStdout: string
}

/** Runs the CLI with the rusage hook; `killWhen` sees each stderr chunk and may ask for SIGKILL. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv, killWhen?: (stderr: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, ['--require', HOOK, CLI, 'bulk', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })
    let stderr = ''
    let usage = ''
    let lines = 0
    let tail = ''
    let killed = false
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString()
      const parts = text.split('\n')
      lines += parts.length - 1
      tail = parts[parts.length - 1]!
      if (parts.length > 1) lastLine = parts[parts.length - 2]!
    })
    let lastLine = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.length > 1 << 16) stderr = stderr.slice(-(1 << 15))
      if (!killed && killWhen?.(stderr)) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    ;(child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (usage += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const line = usage.trim().split('\n').pop()
      const maxRssKiB = line ? (JSON.parse(line) as { maxRssKiB: number }).maxRssKiB : undefined
      resolve({ code, signal, wallMs: performance.now() - t0, maxRssKiB, stderr, stdoutLines: lines, lastStdout: lastLine })
    })
  })
}

function finishedOf(stderr: string): number {
  const all = [...stderr.matchAll(/(\d+)\/(\d+) \(done/g)]
  const last = all[all.length - 1]
  return last ? Number(last[1]) : 0
}

export interface BulkScaleResult {
  readonly dryRun: { readonly rows: number; readonly wallMs: number; readonly rowsPerSecond: number; readonly peakRssMB: number | null }
  readonly killResume: { readonly items: number; readonly doneAtKill: number; readonly targetsWritten: number; readonly writtenTwice: number; readonly resumeSummary: string; readonly firstWallMs: number; readonly resumeWallMs: number }
  readonly rss: { readonly small: number; readonly large: number; readonly peakSmallMB: number | null; readonly peakLargeMB: number | null; readonly ratio: number | null; readonly itemsPerSecondLarge: number }
  readonly goals: { readonly dryRunRate: boolean; readonly dryRunRss: boolean; readonly resumeRedoesNothing: boolean; readonly rssRatio: boolean }
}

const mb = (kib: number | undefined) => (kib === undefined ? null : round(kib / 1024, 1))

export async function runBulkScale(options: { quick: boolean; say: (line?: string) => void }): Promise<BulkScaleResult> {
  const { say } = options
  const rows = options.quick ? 20_000 : 1_000_000
  const large = options.quick ? 2_000 : 20_000
  const small = options.quick ? 200 : 2_000
  const work = mkdtempSync(join(tmpdir(), 'bench-bulk-scale-'))
  let bed: CountingSandbox | undefined
  try {
    say(`bulk at scale: writing an inventory of ${rows.toLocaleString('en')} keys…`)
    const inventory = await writeInventory(join(work, 'inventory'), { bucket: 'inv-bucket', count: rows, key: (i) => `photos/${String(Math.floor(i / 1000)).padStart(4, '0')}/${String(i).padStart(7, '0')}.jpg`, size: (i) => 20_000 + (i % 5000) })

    const jpeg = await tinyJpeg(24, 16)
    const objects: Record<string, { data: Buffer }> = {}
    for (let i = 0; i < large; i++) objects[`big/${String(i).padStart(6, '0')}.jpg`] = { data: jpeg }
    for (let i = 0; i < small; i++) objects[`small/${String(i).padStart(6, '0')}.jpg`] = { data: jpeg }
    say(`bulk at scale: seeding the sandbox with ${(large + small).toLocaleString('en')} objects…`)
    bed = await startCountingSandbox([{ name: 'inv-bucket', objects: {} }, { name: 'src-bucket', objects }, 'dst-bucket'], { failRate: 0.1 })
    const env = { ...process.env, OSS_ACCESS_KEY_ID: bed.sandbox.accessKeyId, OSS_ACCESS_KEY_SECRET: bed.sandbox.accessKeySecret, OSS_IMG_STUDIO_HOME: join(work, 'home') }
    const endpoint = ['--endpoint', bed.sandbox.endpoint]

    // 1. Dry run over the inventory.
    say('bulk at scale: --dry-run over the inventory…')
    const dry = await cli([...endpoint, '--inventory', inventory.manifestPath, '--process', 'image/resize,w_320', '--target-bucket', 'dst-bucket', '--target', 'thumbs/{key}', '--dry-run'], env)
    if (dry.code !== 0) throw new Error(`dry run exited ${dry.code}: ${dry.stderr.slice(-400)}`)
    const dryRun = { rows, wallMs: round(dry.wallMs, 0), rowsPerSecond: Math.round(rows / (dry.wallMs / 1000)), peakRssMB: mb(dry.maxRssKiB) }

    // 2. Kill -9 half-way, then resume.
    const journal = join(work, 'kill.jsonl')
    const runArgs = [...endpoint, '--bucket', 'src-bucket', '--prefix', 'big/', '--process', 'image/resize,w_8', '--target-bucket', 'dst-bucket', '--target', 'kill/{key}', '--journal', journal]
    say(`bulk at scale: ${large.toLocaleString('en')} items server-side, killed with SIGKILL half-way…`)
    const first = await cli(runArgs, env, (stderr) => finishedOf(stderr) >= large / 2)
    if (first.signal !== 'SIGKILL') throw new Error(`the run to kill ended on its own (exit ${first.code}): ${first.stderr.slice(-400)}`)
    const doneAtKill = finishedOf(first.stderr)
    say(`bulk at scale: resuming after ${doneAtKill} items…`)
    const resumed = await cli(runArgs, env)
    if (resumed.code !== 0) throw new Error(`resume exited ${resumed.code}: ${resumed.stderr.slice(-400)}`)
    let targetsWritten = 0
    let writtenTwice = 0
    for (let i = 0; i < large; i++) {
      const n = bed.writes.get(`dst-bucket/kill/big/${String(i).padStart(6, '0')}.jpg`) ?? 0
      if (n >= 1) targetsWritten++
      if (n > 1) writtenTwice++
    }
    const killResume = { items: large, doneAtKill, targetsWritten, writtenTwice, resumeSummary: resumed.lastStdout, firstWallMs: round(first.wallMs, 0), resumeWallMs: round(resumed.wallMs, 0) }

    // 3. Peak RSS at `small` and at `large` items (fresh journals, uninterrupted).
    say(`bulk at scale: peak RSS at ${small.toLocaleString('en')} and ${large.toLocaleString('en')} items…`)
    const runOf = async (prefix: string, n: number) => {
      const run = await cli([...endpoint, '--bucket', 'src-bucket', '--prefix', prefix, '--process', 'image/resize,w_9', '--target-bucket', 'dst-bucket', '--target', `rss/{key}`, '--journal', join(work, `${prefix.replace('/', '')}.jsonl`)], env)
      if (run.code !== 0) throw new Error(`run of ${n} exited ${run.code}: ${run.stderr.slice(-400)}`)
      return run
    }
    const smallRun = await runOf('small/', small)
    const largeRun = await runOf('big/', large)
    const ratio = smallRun.maxRssKiB && largeRun.maxRssKiB ? round(largeRun.maxRssKiB / smallRun.maxRssKiB, 3) : null
    const rss = { small, large, peakSmallMB: mb(smallRun.maxRssKiB), peakLargeMB: mb(largeRun.maxRssKiB), ratio, itemsPerSecondLarge: Math.round(large / (largeRun.wallMs / 1000)) }

    const goals = {
      dryRunRate: dryRun.rowsPerSecond >= GOAL_DRY_RUN_ROWS_PER_S,
      dryRunRss: dryRun.peakRssMB !== null && dryRun.peakRssMB <= GOAL_DRY_RUN_RSS_MB,
      resumeRedoesNothing: targetsWritten === large && writtenTwice === 0 && resumed.lastStdout === JSON.stringify({ done: large, skipped: 0, failed: 0 }),
      rssRatio: ratio !== null && ratio <= GOAL_SCALE_RSS_RATIO
    }
    say()
    say(
      table(
        ['bulk at scale', 'figure', 'goal', 'met'],
        [
          [`dry run, ${rows.toLocaleString('en')}-row inventory`, `${dryRun.rowsPerSecond.toLocaleString('en')} rows/s (${round(dry.wallMs / 1000, 1)} s)`, `≥ ${GOAL_DRY_RUN_ROWS_PER_S.toLocaleString('en')} rows/s`, goals.dryRunRate ? 'yes' : 'NO'],
          ['dry run, peak RSS (VmHWM)', `${dryRun.peakRssMB} MB`, `≤ ${GOAL_DRY_RUN_RSS_MB} MB`, goals.dryRunRss ? 'yes' : 'NO'],
          [`${large.toLocaleString('en')} items, 10 % faults, kill -9 at ${doneAtKill}, resume`, `${targetsWritten} targets, ${writtenTwice} written twice; ${resumed.lastStdout}`, 'every target once, all done', goals.resumeRedoesNothing ? 'yes' : 'NO'],
          [`peak RSS ${large.toLocaleString('en')} ÷ ${small.toLocaleString('en')} items`, `${rss.peakLargeMB} / ${rss.peakSmallMB} MB = ${ratio}`, `≤ ${GOAL_SCALE_RSS_RATIO}`, goals.rssRatio ? 'yes' : 'NO'],
          ['server-side rate (10 % faults)', `${rss.itemsPerSecondLarge} items/s`, '—', '']
        ]
      )
    )
    return { dryRun, killResume, rss, goals }
  } finally {
    await bed?.close()
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runBulkScale({ quick: process.env.BENCH_QUICK === '1', say: (line = '') => console.log(line) })
  console.log(JSON.stringify({ bulkScale: result }))
}
