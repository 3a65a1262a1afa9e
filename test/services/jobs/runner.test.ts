/**
 * The runner against the sandbox over HTTP (real ali-oss): fault injection (10% 500/503 + latency)
 * with every item done exactly once and every target written once; 5,000-key prefixes paged;
 * skip-existing and overwrite; 4xx items failing without retries with their EC; pause / resume /
 * cancel; resume after an interrupted attempt; retry failed only; throttled progress.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeBase64Url } from '../../../src-shared/img/base64url'
import { Journal, JobRunner, readJournal, resolveSpec, type JobInput, type JobProgress, type JobState } from '../../../src-main/services/jobs'
import { FAST_RETRY, startCountingSandbox, tempDir, tinyJpeg, type CountingSandbox } from './helpers'

function journalLines(path: string): { t: string; item?: string }[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: string; item?: string })
}

/** Terminal records per item in a journal. */
function terminals(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const r of journalLines(path)) {
    if (r.item && (r.t === 'done' || r.t === 'skipped' || r.t === 'failed')) out.set(r.item, [...(out.get(r.item) ?? []), r.t])
  }
  return out
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('fault-injected server-side run (10% failures + latency)', () => {
  let bed: CountingSandbox
  beforeAll(async () => {
    const jpeg = await tinyJpeg()
    const objects: Record<string, { data: Buffer }> = {}
    for (let i = 0; i < 100; i++) objects[`photos/${String(i).padStart(3, '0')}.jpg`] = { data: jpeg }
    bed = await startCountingSandbox([{ name: 'src-bucket', objects }, 'dst-bucket'], { failRate: 0.1, latencyMs: 3 })
  })
  afterAll(async () => {
    await bed?.close()
  })

  it('ends every item done exactly once and writes every target once', async () => {
    const spec = await resolveSpec({
      source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'photos/' },
      styles: [{ process: 'image/resize,w_16', label: 'thumb' }, { process: 'image/resize,w_8/format,webp', label: 'tiny' }],
      target: { kind: 'bucket', bucket: 'dst-bucket' },
      template: 'd/{name}-{style}.{format}'
    })
    const journalPath = join(tempDir(), 'job.jsonl')
    const progress: JobProgress[] = []
    const states: JobState[] = []
    const runner = new JobRunner({ spec, journalPath, connect: bed.connect, concurrency: 8, retry: FAST_RETRY, onProgress: (p) => progress.push(p), onState: (s) => states.push(s) })
    const result = await runner.run()
    expect(result.state).toBe('finished')
    expect(result.counts).toEqual({ total: 200, done: 200, skipped: 0, failed: 0 })
    expect(runner.progress.retries).toBeGreaterThan(0)
    expect(states).toEqual(['planning', 'running', 'finished'])

    // Each target was stored exactly once (fault-injected requests never reach storage).
    const targets = result.items.map((i) => `dst-bucket/${i.targetKey}`)
    expect(new Set(targets).size).toBe(200)
    for (const t of targets) expect(bed.writes.get(t), t).toBe(1)
    // One terminal record per item, all done.
    const ends = terminals(journalPath)
    expect(ends.size).toBe(200)
    for (const [item, list] of ends) expect(list, item).toEqual(['done'])

    // Resuming a finished journal redoes nothing.
    const writesBefore = [...bed.writes.values()].reduce((a, b) => a + b, 0)
    const again = await new JobRunner({ spec, journalPath, connect: bed.connect, retry: FAST_RETRY }).run()
    expect(again.counts).toEqual({ total: 200, done: 200, skipped: 0, failed: 0 })
    expect([...bed.writes.values()].reduce((a, b) => a + b, 0)).toBe(writesBefore)

    // Progress: cumulative counts, rate, ETA; the last event is the end.
    const last = progress[progress.length - 1]!
    expect(last).toMatchObject({ state: 'finished', total: 200, done: 200, pending: 0, inFlight: 0, etaSeconds: 0 })
    expect(progress.some((p) => p.state === 'running' && p.rate > 0)).toBe(true)
  })
})

describe('server-side runs on a quiet sandbox', () => {
  let bed: CountingSandbox
  let jpeg: Buffer
  beforeAll(async () => {
    jpeg = await tinyJpeg(8, 8)
    const many: Record<string, { data: Buffer }> = {}
    for (let i = 0; i < 5000; i++) many[`many/${String(i).padStart(5, '0')}.jpg`] = { data: jpeg }
    many['man/other.jpg'] = { data: jpeg }
    many['many-not/x.jpg'] = { data: jpeg }
    bed = await startCountingSandbox(
      [
        {
          name: 'src-bucket',
          objects: { ...many, 'one/a.jpg': { data: jpeg }, 'one/b.jpg': { data: jpeg }, 'one/notes.txt': { data: Buffer.from('not an image') } }
        },
        { name: 'dst-bucket', objects: { 'keep/a.jpg': { data: Buffer.from('old') } } }
      ],
      { latencyMs: 1 }
    )
  }, 120_000)
  afterAll(async () => {
    await bed?.close()
  })

  it('pages through a 5,000-key prefix: every key once, in order', async () => {
    const spec = await resolveSpec({ source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'many/' }, styles: [{ process: 'image/resize,w_4', label: 's' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'm/{name}.{format}', conflict: 'overwrite' })
    const listed: number[] = []
    const result = await new JobRunner({ spec, journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect, concurrency: 32, onListed: (n) => listed.push(n) }).run()
    expect(result.counts).toEqual({ total: 5000, done: 5000, skipped: 0, failed: 0 })
    expect(result.items.map((i) => i.sourceKey)).toEqual(Array.from({ length: 5000 }, (_, i) => `many/${String(i).padStart(5, '0')}.jpg`))
    expect(listed.slice(0, 5)).toEqual([1000, 2000, 3000, 4000, 5000])
    for (let i = 0; i < 5000; i++) expect(bed.writes.get(`dst-bucket/m/${String(i).padStart(5, '0')}.jpg`)).toBe(1)
  }, 120_000)

  it('skip-existing leaves existing targets alone; overwrite replaces them', async () => {
    const base: JobInput = { source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'one/', suffixes: ['.jpg'] }, styles: [{ process: 'image/resize,w_4', label: 's' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'keep/{name}.jpg' }
    const skip = await new JobRunner({ spec: await resolveSpec(base), journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect }).run()
    expect(skip.counts).toEqual({ total: 2, done: 1, skipped: 1, failed: 0 })
    expect(skip.items.find((i) => i.targetKey === 'keep/a.jpg')?.status).toBe('skipped')
    expect(bed.writes.get('dst-bucket/keep/a.jpg')).toBeUndefined()
    expect((await bed.connect('dst-bucket').getObject('keep/a.jpg')).content.toString()).toBe('old')

    const over = await new JobRunner({ spec: await resolveSpec({ ...base, conflict: 'overwrite' }), journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect }).run()
    expect(over.counts).toEqual({ total: 2, done: 2, skipped: 0, failed: 0 })
    expect(bed.writes.get('dst-bucket/keep/a.jpg')).toBe(1)
    expect(bed.writes.get('dst-bucket/keep/b.jpg')).toBe(2)
    expect((await bed.connect('dst-bucket').headObject('keep/a.jpg')).contentType).toBe('image/jpeg')
  })

  it('fails 4xx items at once, without retries, with OSS code and EC', async () => {
    const spec = await resolveSpec({
      source: { kind: 'keys', bucket: 'src-bucket', keys: ['one/a.jpg', 'one/missing.jpg', 'one/notes.txt'] },
      styles: [{ process: 'image/resize,w_4', label: 's' }, { process: `image/watermark,image_${encodeBase64Url('none.png')}`, label: 'wm' }],
      target: { kind: 'bucket', bucket: 'dst-bucket' },
      template: 'f/{name}-{style}.jpg'
    })
    const result = await new JobRunner({ spec, journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect, retry: FAST_RETRY }).run()
    expect(result.counts).toEqual({ total: 6, done: 1, skipped: 0, failed: 5 })
    const byId = new Map(result.items.map((i) => [i.id, i]))
    expect(byId.get('s:one/missing.jpg')).toMatchObject({ status: 'failed', attempts: 1, error: { status: 404, code: 'NoSuchKey', ec: '0040-00000024', retryable: false } })
    expect(byId.get('s:one/notes.txt')!.error).toMatchObject({ status: 400, retryable: false })
    expect(byId.get('s:one/notes.txt')!.error!.ec).toMatch(/^\d{4}-\d{8}$/)
    expect(byId.get('wm:one/a.jpg')!.error).toMatchObject({ status: 404, ec: '0040-00000024' })
    for (const item of result.items.filter((i) => i.status === 'failed')) expect(item.attempts).toBe(1)
    // One saveas request per (source, style): none repeated.
    expect(bed.saveasRequests.get('src-bucket/one/missing.jpg')).toBe(2)
    expect(bed.saveasRequests.get('src-bucket/one/notes.txt')).toBe(2)
  })

  it('retries failed items only when asked', async () => {
    const spec = await resolveSpec({ source: { kind: 'keys', bucket: 'src-bucket', keys: ['one/a.jpg', 'late/x.jpg'] }, styles: [{ process: 'image/resize,w_4', label: 's' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'r/{name}.jpg', conflict: 'overwrite' })
    const journalPath = join(tempDir(), 'j.jsonl')
    const first = await new JobRunner({ spec, journalPath, connect: bed.connect }).run()
    expect(first.counts).toMatchObject({ done: 1, failed: 1 })
    await bed.connect('src-bucket').putObject('late/x.jpg', jpeg)
    const plain = await new JobRunner({ spec, journalPath, connect: bed.connect }).run()
    expect(plain.counts).toMatchObject({ done: 1, failed: 1 })
    expect(bed.saveasRequests.get('src-bucket/late/x.jpg')).toBe(1)
    const retried = await new JobRunner({ spec, journalPath, connect: bed.connect, retryFailed: true }).run()
    expect(retried.counts).toEqual({ total: 2, done: 2, skipped: 0, failed: 0 })
    expect(bed.writes.get('dst-bucket/r/a.jpg')).toBe(1)
    expect(bed.writes.get('dst-bucket/r/x.jpg')).toBe(1)
    expect(retried.items.find((i) => i.sourceKey === 'late/x.jpg')!.attempts).toBe(2)
  })

  it('resumes an interrupted attempt: skip-existing finds its write and does not redo it', async () => {
    const spec = await resolveSpec({ source: { kind: 'keys', bucket: 'src-bucket', keys: ['one/a.jpg', 'one/b.jpg'] }, styles: [{ process: 'image/resize,w_4', label: 's' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'crash/{name}.jpg' })
    const journalPath = join(tempDir(), 'j.jsonl')
    // A run that died after saving a's target but before journaling it (lost response / kill -9),
    // and before b's write.
    const { journal } = await Journal.open(journalPath, spec, { id: 'crashed' })
    const at = new Date().toISOString()
    await journal.append({ t: 'run', n: 1, at, retryFailed: false, total: 2, items: 2 })
    await journal.append({ t: 'start', item: 's:one/a.jpg', attempt: 1, at, target: 'crash/a.jpg', absent: true })
    await journal.append({ t: 'start', item: 's:one/b.jpg', attempt: 1, at, target: 'crash/b.jpg', absent: true })
    await journal.close()
    await bed.connect('src-bucket').processObjectSave('one/a.jpg', 'crash/a.jpg', 'image/resize,w_4', { targetBucket: 'dst-bucket' })
    expect(bed.writes.get('dst-bucket/crash/a.jpg')).toBe(1)

    const result = await new JobRunner({ spec, journalPath, connect: bed.connect }).run()
    expect(result.jobId).toBe('crashed')
    expect(result.counts).toEqual({ total: 2, done: 2, skipped: 0, failed: 0 })
    expect(result.items[0]).toMatchObject({ sourceKey: 'one/a.jpg', status: 'done', recovered: true })
    expect(bed.writes.get('dst-bucket/crash/a.jpg')).toBe(1)
    expect(bed.writes.get('dst-bucket/crash/b.jpg')).toBe(1)
    expect((await readJournal(journalPath))!.runs).toBe(2)
  })
})

describe('pause, resume, cancel', () => {
  let bed: CountingSandbox
  beforeAll(async () => {
    const jpeg = await tinyJpeg(8, 8)
    const objects: Record<string, { data: Buffer }> = {}
    for (let i = 0; i < 60; i++) objects[`p/${String(i).padStart(2, '0')}.jpg`] = { data: jpeg }
    bed = await startCountingSandbox([{ name: 'src-bucket', objects }, 'dst-bucket'], { latencyMs: 15 })
  })
  afterAll(async () => {
    await bed?.close()
  })

  it('pauses without losing work, resumes, cancels resumably, and a later run completes', async () => {
    const spec = await resolveSpec({ source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'p/' }, styles: [{ process: 'image/resize,w_4', label: 's' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'o/{name}.jpg' })
    const journalPath = join(tempDir(), 'j.jsonl')
    const states: JobState[] = []
    const runner = new JobRunner({ spec, journalPath, connect: bed.connect, concurrency: 2, progressIntervalMs: 20, onState: (s) => states.push(s) })
    const running = runner.run()
    await until(() => runner.progress.done >= 6)
    runner.pause()
    expect(['pausing', 'paused']).toContain(runner.state)
    await until(() => runner.state === 'paused')
    const frozen = runner.progress.done
    await new Promise((r) => setTimeout(r, 150))
    expect(runner.progress.done).toBe(frozen)
    expect(runner.progress.inFlight).toBe(0)
    runner.resume()
    expect(runner.state).toBe('running')
    await until(() => runner.progress.done >= frozen + 10)
    runner.cancel()
    const result = await running
    expect(result.state).toBe('cancelled')
    expect(states).toEqual(['planning', 'running', 'pausing', 'paused', 'running', 'cancelling', 'cancelled'])
    expect(result.counts.done).toBeGreaterThan(frozen)
    expect(result.counts.done).toBeLessThan(60)
    const doneBefore = new Set(result.items.filter((i) => i.status === 'done').map((i) => i.targetKey))

    const resumed = await new JobRunner({ spec, journalPath, connect: bed.connect, concurrency: 4 }).run()
    expect(resumed.counts).toEqual({ total: 60, done: 60, skipped: 0, failed: 0 })
    for (const item of resumed.items) {
      // Finished targets are not written again; an attempt cancelled mid-request is found in place.
      expect(bed.writes.get(`dst-bucket/${item.targetKey}`), item.targetKey).toBe(1)
      if (doneBefore.has(item.targetKey)) expect(item.attempts).toBe(1)
    }
  })

  it('throttles progress events', async () => {
    const spec = await resolveSpec({ source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'p/' }, styles: [{ process: 'image/resize,w_5', label: 't' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 't/{name}.jpg' })
    const events: number[] = []
    const started = performance.now()
    const result = await new JobRunner({ spec, journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect, concurrency: 8, progressIntervalMs: 100, onProgress: () => events.push(performance.now()) }).run()
    const elapsed = performance.now() - started
    expect(result.counts.done).toBe(60)
    // At most one per interval, plus one per state change (planning, running, finished) and the end.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 4)
    const gaps = events.slice(1).map((t, i) => t - events[i]!)
    expect(gaps.filter((g) => g < 90).length).toBeLessThanOrEqual(4)
  })
})
