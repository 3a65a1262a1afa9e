/**
 * `oss-img bulk` end to end: the built CLI as a child process against a sandbox started here (the
 * real ali-oss client over HTTP, fault injection on), checking the last stdout JSON line, exit
 * codes, the journal, and — through the sandbox's routes — how often each target was written.
 * Includes a run killed with SIGKILL and resumed with the same --journal.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStyleLibrary } from '../../src-main/services/styles'
import { chooseCipher, createSandboxLauncher, createVault } from '../../src-main/services/vault'
import { startCountingSandbox, tempDir, tinyJpeg, type CountingSandbox } from '../services/jobs/helpers'
import { writeInventory } from '../services/jobs/inventory-fixture'

const CLI = resolve('out/main/cli.js')

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (/\.(ts|tsx|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

let env: NodeJS.ProcessEnv

function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, 'bulk', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<Run>((resolvePromise) => child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })))
  return { child, done }
}

function bulk(...args: string[]): Promise<Run> {
  return start(args).done
}

function lastJson(run: Run): Record<string, unknown> {
  const lines = run.stdout.trim().split('\n')
  return JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>
}

function journalRecords(path: string): { t: string; item?: string; target?: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { t: string; item?: string }]
      } catch {
        return []
      }
    })
}

let bed: CountingSandbox
let jpeg: Buffer

beforeAll(async () => {
  const sources = [newestSource(resolve('src-main')), newestSource(resolve('src-shared'))]
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < Math.max(...sources)) {
    const build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  }
  jpeg = await tinyJpeg(24, 16)
  const objects: Record<string, { data: Buffer }> = {}
  for (let i = 0; i < 150; i++) objects[`kill/${String(i).padStart(3, '0')}.jpg`] = { data: jpeg }
  for (let i = 0; i < 20; i++) objects[`photos/${String(i).padStart(2, '0')}.jpg`] = { data: jpeg }
  objects['photos/notes.txt'] = { data: Buffer.from('not an image') }
  bed = await startCountingSandbox([{ name: 'src-bucket', objects, styles: { thumb: 'image/resize,w_12' } }, 'dst-bucket'], { failRate: 0.1, latencyMs: 2 })
  env = { ...process.env, OSS_ACCESS_KEY_ID: bed.sandbox.accessKeyId, OSS_ACCESS_KEY_SECRET: bed.sandbox.accessKeySecret, OSS_IMG_STUDIO_HOME: tempDir('bulk-home-') }
}, 120_000)

afterAll(async () => {
  await bed?.close()
})

describe('oss-img bulk', () => {
  it('documents itself in --help', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' })
    expect(help.status).toBe(0)
    for (const word of ['bulk', '--target-bucket', '--to-dir', '--journal', '--dry-run', '--overwrite', '{format}']) expect(help.stdout).toContain(word)
  })

  it('runs server-side under fault injection, writes each target once, and resumes to a no-op', async () => {
    const journal = join(tempDir(), 'job.jsonl')
    const args = ['--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'photos/', '--suffix', '.jpg', '--style', 'thumb', '--process', 'w8=image/resize,w_8/format,webp', '--target-bucket', 'dst-bucket', '--target', 'cli/{name}-{style}.{format}', '--journal', journal, '--concurrency', '6']
    const run = await bulk(...args)
    expect(run.stderr).toContain('finished 40/40')
    expect(run.code).toBe(0)
    expect(lastJson(run)).toEqual({ done: 40, skipped: 0, failed: 0 })
    for (let i = 0; i < 20; i++) {
      expect(bed.writes.get(`dst-bucket/cli/${String(i).padStart(2, '0')}-thumb.jpg`)).toBe(1)
      expect(bed.writes.get(`dst-bucket/cli/${String(i).padStart(2, '0')}-w8.webp`)).toBe(1)
    }
    const again = await bulk(...args)
    expect(again.code).toBe(0)
    expect(lastJson(again)).toEqual({ done: 40, skipped: 0, failed: 0 })
    expect(bed.writes.get('dst-bucket/cli/00-thumb.jpg')).toBe(1)
    // A journal is only resumed by the same job.
    const other = await bulk(...args, '--overwrite')
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('SpecMismatch')
  })

  it('reports failures with OSS code and EC, exits 1, and writes the CSV report', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'keys.txt'), '# keys\nphotos/00.jpg\r\nphotos/missing.jpg\n\nphotos/notes.txt\n')
    const report = join(dir, 'report.csv')
    const run = await bulk('--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--keys', join(dir, 'keys.txt'), '--process', 'image/resize,w_8', '--target-bucket', 'dst-bucket', '--target', 'fail/{name}.jpg', '--report', report, '--json', '--journal', join(dir, 'j.jsonl'))
    expect(run.code).toBe(1)
    expect(lastJson(run)).toEqual({ done: 1, skipped: 0, failed: 2 })
    const items = run.stdout.trim().split('\n').slice(0, -1).map((l) => JSON.parse(l) as { sourceKey: string; status: string; error?: { ec?: string; code: string } })
    expect(items).toHaveLength(3)
    expect(items.find((i) => i.sourceKey === 'photos/missing.jpg')).toMatchObject({ status: 'failed', error: { code: 'NoSuchKey', ec: '0040-00000024' } })
    expect(run.stderr).toMatch(/failed: photos\/missing\.jpg .* 404 NoSuchKey EC 0040-00000024/)
    const csv = readFileSync(report, 'utf8')
    expect(csv.split('\r\n')[0]).toBe('item,source,style,target,status,attempts,bytes,http_status,code,ec,message,request_id')
    expect(csv).toContain('photos/missing.jpg')
    expect(csv).toContain('0040-00000024')
    // Each failing (4xx) item was sent once: no retries.
    expect(bed.saveasRequests.get('src-bucket/photos/missing.jpg')).toBe(1)
  })

  it('prints the dry-run manifest and writes nothing', async () => {
    const before = bed.writes.size
    const run = await bulk('--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'photos/', '--suffix', '.jpg', '--style', 'thumb', '--process', 'image/resize,w_9', '--target-bucket', 'dst-bucket', '--target', 'dry/{name}.jpg', '--dry-run', '--json')
    expect(run.code).toBe(1) // two styles, one target per source: collisions
    const summary = lastJson(run)
    expect(summary).toMatchObject({ dryRun: true, sources: 20, items: 40, collisions: 40, runnable: 0, estimatedBytes: 40 * jpeg.length })
    const lines = run.stdout.trim().split('\n')
    expect(lines).toHaveLength(41)
    expect(JSON.parse(lines[0]!)).toMatchObject({ source: 'photos/00.jpg', style: 'thumb', target: 'dry/00.jpg', issues: [{ code: 'TargetCollision' }] })
    const clean = await bulk('--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'photos/', '--suffix', '.jpg', '--style', 'thumb', '--target-bucket', 'dst-bucket', '--target', 'dry/{name}.jpg', '--dry-run')
    expect(clean.code).toBe(0)
    expect(lastJson(clean)).toMatchObject({ dryRun: true, items: 20, runnable: 20, collisions: 0 })
    expect(bed.writes.size).toBe(before)
  })

  it('runs from a downloaded inventory report (--inventory), and stops before any write on a bad MD5', async () => {
    const dir = tempDir()
    const keys = ['photos/00.jpg', 'photos/01.jpg', 'photos/notes.txt', 'photos/02.jpg']
    const inv = await writeInventory(join(dir, 'download'), { bucket: 'src-bucket', count: keys.length, key: (i) => keys[i]!, rowsPerFile: 2 })
    const args = ['--endpoint', bed.sandbox.endpoint, '--inventory', inv.manifestPath, '--suffix', '.jpg', '--process', 'inv=image/resize,w_8', '--target-bucket', 'dst-bucket', '--target', 'inventory/{name}.{format}', '--journal', join(dir, 'inv.jsonl')]
    const run = await bulk(...args)
    expect(run.stderr).not.toContain('oss-img bulk:')
    expect(run.code).toBe(0)
    expect(lastJson(run)).toEqual({ done: 3, skipped: 0, failed: 0 })
    for (const n of ['00', '01', '02']) expect(bed.writes.get(`dst-bucket/inventory/${n}.jpg`)).toBe(1)
    const manifest = JSON.parse(readFileSync(inv.manifestPath, 'utf8')) as { files: { MD5checksum: string }[] }
    manifest.files[1]!.MD5checksum = 'F'.repeat(32)
    writeFileSync(inv.manifestPath, JSON.stringify(manifest))
    const before = bed.writes.size
    const bad = await bulk(...args.slice(0, -3), 'inventory-bad/{name}.{format}', '--journal', join(dir, 'bad.jsonl'))
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(`InvalidInventory: inventory data file ${inv.dataFiles[1]!.path}: MD5`)
    expect(bed.writes.size).toBe(before)
  })

  it('answers usage errors with exit 2', async () => {
    const noTarget = await bulk('--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'photos/', '--style', 'thumb', '--target-bucket', 'dst-bucket')
    expect(noTarget.code).toBe(2)
    expect(noTarget.stderr).toContain('--target TEMPLATE')
    const noCredentials = await bulk('--bucket', 'src-bucket', '--prefix', 'p/', '--style', 'thumb', '--target-bucket', 'dst-bucket', '--target', '{name}')
    expect(noCredentials.code).toBe(2)
    const badTemplate = await bulk('--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'photos/', '--process', 'image/resize,w_5', '--target-bucket', 'dst-bucket', '--target', '{nope}')
    expect(badTemplate.code).toBe(2)
    expect(badTemplate.stderr).toContain('{nope}')
  })

  it('paces a server-side run with --qps, backs off on SlowDown and shows rate, ETA and throttling', async () => {
    const help = spawnSync(process.execPath, [CLI, 'bulk', '--help'], { encoding: 'utf8' })
    expect(help.stdout).toContain('--qps N')
    const badQps = await bulk('--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'photos/', '--style', 'thumb', '--target-bucket', 'dst-bucket', '--target', 'q/{name}', '--qps', '0')
    expect(badQps.code).toBe(2)
    expect(badQps.stderr).toContain('--qps expects a number of requests per second above 0')
    const run = await bulk('--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'photos/', '--suffix', '.jpg', '--style', 'thumb', '--target-bucket', 'dst-bucket', '--target', 'qps/{name}.{format}', '--qps', '200', '--concurrency', '8', '--journal', join(tempDir(), 'q.jsonl'))
    expect(run.code).toBe(0)
    expect(lastJson(run)).toEqual({ done: 20, skipped: 0, failed: 0 })
    for (let i = 0; i < 20; i++) expect(bed.writes.get(`dst-bucket/qps/${String(i).padStart(2, '0')}.jpg`)).toBe(1)
    // The sandbox answers 10 % of requests 500 / 503 SlowDown: the last progress line says so.
    expect(run.stderr).toMatch(/finished 20\/20 .*throttled \d+× → \d+ in flight\) [\d.]+\/s ETA 0s/)
  })

  it('uses a stored profile (--profile NAME) and a named style of the style library', async () => {
    const home = tempDir('bulk-profile-home-')
    const launcher = createSandboxLauncher(home)
    const vault = await createVault({ dataDir: home, cipher: await chooseCipher({ dataDir: home }), sandbox: launcher })
    await vault.create({ name: 'Test sandbox', endpoint: bed.sandbox.endpoint, bucket: 'src-bucket', accessKeyId: bed.sandbox.accessKeyId, accessKeySecret: bed.sandbox.accessKeySecret })
    await createStyleLibrary({ dataDir: home }).save({ name: 'libthumb', process: 'image/resize,w_7/format,png' })
    const saved = env
    env = { ...process.env, OSS_IMG_STUDIO_HOME: home }
    try {
      const run = await bulk('--profile', 'Test sandbox', '--bucket', 'src-bucket', '--prefix', 'photos/0', '--suffix', '.jpg', '--style', 'libthumb', '--style', 'thumb', '--target-bucket', 'dst-bucket', '--target', 'prof/{name}-{style}.{format}', '--json')
      expect(run.stderr).not.toContain('oss-img bulk:')
      expect(run.code).toBe(0)
      expect(lastJson(run)).toEqual({ done: 20, skipped: 0, failed: 0 })
      // libthumb from the library (png), thumb from the bucket's styles (the source's format).
      expect(bed.writes.get('dst-bucket/prof/03-libthumb.png')).toBe(1)
      expect(bed.writes.get('dst-bucket/prof/03-thumb.jpg')).toBe(1)
      const unknown = await bulk('--profile', 'No such profile', '--bucket', 'src-bucket', '--prefix', 'photos/', '--style', 'thumb', '--target-bucket', 'dst-bucket', '--target', 'x/{name}')
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toContain('Test sandbox')
    } finally {
      env = saved
      await launcher.close()
    }
  })

  it('processes a local folder on this machine', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'in', 'a'), { recursive: true })
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, 'in', i % 2 ? 'a' : '', `p${i}.jpg`), await tinyJpeg(40, 20))
    const run = await bulk('--from-dir', join(dir, 'in'), '--process', 'half=image/resize,w_20', '--to-dir', join(dir, 'out'), '--target', '{dir}/{name}-{style}.{format}', '--journal', join(dir, 'j.jsonl'))
    expect(run.code).toBe(0)
    expect(lastJson(run)).toEqual({ done: 12, skipped: 0, failed: 0 })
    expect(await sharp(join(dir, 'out', 'a', 'p1-half.jpg')).metadata()).toMatchObject({ width: 20, height: 10 })
    expect(existsSync(join(dir, 'out', 'p0-half.jpg'))).toBe(true)
  })

  it('resumes a run killed with SIGKILL without rewriting finished targets', async () => {
    const journal = join(tempDir(), 'kill.jsonl')
    const args = ['--endpoint', bed.sandbox.endpoint, '--bucket', 'src-bucket', '--prefix', 'kill/', '--process', 'a=image/resize,w_10', '--process', 'b=image/resize,w_6/format,png', '--target-bucket', 'dst-bucket', '--target', 'killed/{name}-{style}.{format}', '--journal', journal, '--concurrency', '4']
    const first = start(args)
    // Wait until a good part is done, then kill -9 mid-run.
    const deadline = Date.now() + 60_000
    for (;;) {
      const done = existsSync(journal) ? journalRecords(journal).filter((r) => r.t === 'done').length : 0
      if (done >= 80) break
      if (Date.now() > deadline) throw new Error('the first run made no progress')
      await new Promise((r) => setTimeout(r, 10))
    }
    first.child.kill('SIGKILL')
    const killed = await first.done
    expect(killed.signal).toBe('SIGKILL')
    const records = journalRecords(journal)
    const doneBefore = new Set(records.filter((r) => r.t === 'done').map((r) => r.item!))
    expect(doneBefore.size).toBeGreaterThanOrEqual(80)
    expect(doneBefore.size).toBeLessThan(300)
    expect(records.some((r) => r.t === 'end')).toBe(false)

    const resumed = await bulk(...args)
    expect(resumed.code).toBe(0)
    expect(lastJson(resumed)).toEqual({ done: 300, skipped: 0, failed: 0 })
    const after = journalRecords(journal)
    // Items finished before the kill were not started again.
    const startedAgain = after.slice(records.length).filter((r) => r.t === 'start' && doneBefore.has(r.item!))
    expect(startedAgain).toEqual([])
    // Every target exists and was written exactly once — finished ones before the kill, the rest after
    // (an attempt cut off mid-request is found in place by skip-existing, not rewritten).
    for (let i = 0; i < 150; i++) {
      const n = String(i).padStart(3, '0')
      expect(bed.writes.get(`dst-bucket/killed/${n}-a.jpg`), n).toBe(1)
      expect(bed.writes.get(`dst-bucket/killed/${n}-b.png`), n).toBe(1)
    }
    // One terminal record per item over both runs.
    const terminal = new Map<string, number>()
    for (const r of after) if (r.item && ['done', 'skipped', 'failed'].includes(r.t)) terminal.set(r.item, (terminal.get(r.item) ?? 0) + 1)
    expect(terminal.size).toBe(300)
    expect([...terminal.values()].every((n) => n === 1)).toBe(true)
  }, 120_000)
})
