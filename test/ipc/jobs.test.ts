/**
 * `jobs:*` through the router, against a real sandbox over HTTP (the real ali-oss client under the
 * app's OSS services): create → example → dry run → start with state / progress / item events →
 * targets in the bucket with the expected size; failures with OSS's code and EC, the report and
 * its CSV, retry failed; pause / resume / cancel; refused payloads; services closed mid-run leave
 * the job resumable, and new services on the same data folder list and finish it.
 */
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ResponseOf } from '../../src-shared/ipc/contract'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { OssService } from '../../src-main/services/oss'
import { err, makeBed, makeJpeg, ok, removeTempDirs, tempDir, type Bed } from './helpers'

type Job = ResponseOf<'jobs:start'>
type Manifest = ResponseOf<'jobs:dryRun'>
type Report = ResponseOf<'jobs:report'>
type Progress = ResponseOf<'jobs:start'>['counts'] & { jobId: string; state: string; rate: number; etaSeconds: number | null }

const KEY_ID = 'LTAI5tJobsIpcTestKey'
const SECRET = 'jobs-ipc-test-secret'
const MANY = 40

let ext: Sandbox
let bed: Bed
let profileId: string

beforeAll(async () => {
  const photo = await makeJpeg(320, 240)
  const tiny = await makeJpeg(16, 16)
  const objects: Record<string, { data: Buffer }> = {
    'photos/a.jpg': { data: photo },
    'photos/b.jpg': { data: photo },
    'photos/nested/c.jpg': { data: photo },
    'photos/readme.txt': { data: Buffer.from('not an image') },
    'mixed/ok.jpg': { data: photo },
    'mixed/notes.txt': { data: Buffer.from('plain text, not an image') }
  }
  for (let i = 0; i < MANY; i++) objects[`many/${String(i).padStart(2, '0')}.jpg`] = { data: tiny }
  // Latency makes a run last long enough to pause and cancel it mid-way.
  ext = await startSandbox({
    dataDir: tempDir('jobs-ext-'),
    port: 0,
    accessKeyId: KEY_ID,
    accessKeySecret: SECRET,
    buckets: [{ name: 'src-bucket', objects, styles: { thumb: 'image/resize,w_64' } }, 'dst-bucket'],
    faults: { latencyMs: 15 }
  })
  bed = await makeBed()
  profileId = ok<{ id: string }>(await bed.services.router.dispatch('profiles:create', { name: 'Jobs', endpoint: ext.endpoint, bucket: 'src-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET })).id
})

afterAll(async () => {
  await bed?.services.close()
  await ext?.close()
  removeTempDirs()
})

const call = (channel: string, payload: unknown) => bed.services.router.dispatch(channel, payload)
const dst = () => new OssService({ endpoint: ext.endpoint, bucket: 'dst-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET })

function eventsOf<T>(target: Bed, event: string, jobId: string): T[] {
  return target.events
    .filter((e) => e.event === event)
    .map((e) => e.payload as { job?: { id: string }; jobId?: string })
    .filter((p) => (p.job?.id ?? p.jobId) === jobId) as T[]
}

const statesOf = (target: Bed, jobId: string) => eventsOf<{ job: Job }>(target, 'jobs:state', jobId).map((e) => e.job.state)

async function get(target: Bed, id: string): Promise<Job> {
  const { jobs } = ok<{ jobs: Job[] }>(await target.services.router.dispatch('jobs:list', {}))
  const job = jobs.find((j) => j.id === id)
  if (!job) throw new Error(`job ${id} not listed`)
  return job
}

const manyJob = (name: string) => ({
  profileId,
  name,
  source: { kind: 'bucket', prefix: 'many/' },
  styles: [{ process: 'image/resize,w_8', label: 'small' }],
  target: { kind: 'bucket', bucket: 'dst-bucket' },
  template: `${name}/{name}.{format}`,
  concurrency: 1
})

describe('jobs:* through the router', () => {
  it('create → example → dry run → start: events, counts and the targets in the bucket', async () => {
    const input = {
      profileId,
      source: { kind: 'bucket', prefix: 'photos/', suffixes: ['.jpg'] },
      styles: [{ style: 'thumb' }, { process: 'image/resize,w_100/format,webp', label: 'web' }],
      target: { kind: 'bucket', bucket: 'dst-bucket' },
      template: '{style}/{dir}/{name}.{format}'
    }
    const example = ok<ResponseOf<'jobs:example'>>(await call('jobs:example', input))
    expect(example.items.map((i) => [i.sourceKey, i.targetKey, i.format])).toEqual([
      ['photos/a.jpg', 'thumb/photos/a.jpg', 'jpg'],
      ['photos/a.jpg', 'web/photos/a.webp', 'webp']
    ])

    // A dry run of the input creates nothing.
    const preview = ok<Manifest>(await call('jobs:dryRun', { job: input }))
    expect(preview.summary).toMatchObject({ sources: 3, items: 6, runnable: 6, collisions: 0 })
    expect(ok<{ jobs: Job[] }>(await call('jobs:list', {})).jobs).toEqual([])

    const job = ok<Job>(await call('jobs:create', { ...input, name: 'thumbs and webp' }))
    expect(job).toMatchObject({ name: 'thumbs and webp', profileId, state: 'created', spec: { mode: 'server', source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'photos/' }, styles: [{ label: 'thumb', process: 'image/resize,w_64', name: 'thumb' }, { label: 'web' }] } })
    expect(statesOf(bed, job.id)).toEqual(['created'])

    const manifest = ok<Manifest>(await call('jobs:dryRun', { id: job.id }))
    const photoBytes = (await new OssService({ endpoint: ext.endpoint, bucket: 'src-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET }).headObject('photos/a.jpg')).size
    expect(manifest.summary).toMatchObject({ sources: 3, items: 6, byStyle: { thumb: 3, web: 3 }, estimatedBytes: 6 * photoBytes, runnable: 6 })
    expect(manifest.issues).toEqual([])
    expect(manifest.omitted).toBe(0)
    expect(manifest.items.map((i) => i.targetKey).sort()).toEqual(['thumb/photos/a.jpg', 'thumb/photos/b.jpg', 'thumb/photos/nested/c.jpg', 'web/photos/a.webp', 'web/photos/b.webp', 'web/photos/nested/c.webp'])

    ok(await call('jobs:start', { id: job.id }))
    await expect.poll(() => statesOf(bed, job.id).at(-1), { timeout: 20_000 }).toBe('finished')
    expect(statesOf(bed, job.id)).toEqual(['created', 'planning', 'running', 'finished'])
    const progress = eventsOf<Progress>(bed, 'jobs:progress', job.id)
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)).toMatchObject({ total: 6, done: 6, failed: 0 })
    const finished = await get(bed, job.id)
    expect(finished).toMatchObject({ state: 'finished', counts: { total: 6, done: 6, skipped: 0, failed: 0 } })
    expect(eventsOf(bed, 'jobs:item', job.id)).toEqual([])

    const out = dst()
    for (const key of ['thumb/photos/a.jpg', 'thumb/photos/b.jpg', 'thumb/photos/nested/c.jpg']) {
      expect(await sharp((await out.getObject(key)).content).metadata()).toMatchObject({ format: 'jpeg', width: 64, height: 48 })
    }
    for (const key of ['web/photos/a.webp', 'web/photos/b.webp', 'web/photos/nested/c.webp']) {
      expect(await sharp((await out.getObject(key)).content).metadata()).toMatchObject({ format: 'webp', width: 100, height: 75 })
    }

    // Run again with skip-existing: everything is there already.
    ok(await call('jobs:start', { id: job.id }))
    await expect.poll(async () => (await get(bed, job.id)).state, { timeout: 20_000 }).toBe('finished')
    expect((await get(bed, job.id)).counts).toEqual({ total: 6, done: 6, skipped: 0, failed: 0 })
    expect(bed.logs.filter((line) => line.includes('outside the contract'))).toEqual([])
  })

  it('failures carry OSS code and EC, live and in the report and its CSV; retry failed', async () => {
    const job = ok<Job>(
      await call('jobs:create', { profileId, source: { kind: 'bucket', prefix: 'mixed/' }, styles: [{ style: 'thumb' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'mixed-out/{name}.jpg' })
    )
    ok(await call('jobs:start', { id: job.id }))
    await expect.poll(async () => (await get(bed, job.id)).state, { timeout: 20_000 }).toBe('finished')
    expect((await get(bed, job.id)).counts).toEqual({ total: 2, done: 1, skipped: 0, failed: 1 })

    const live = eventsOf<{ result: { sourceKey: string; status: string; error: { status: number; code: string; ec?: string; message: string } } }>(bed, 'jobs:item', job.id)
    expect(live).toHaveLength(1)
    const failure = live[0]!.result
    expect(failure).toMatchObject({ sourceKey: 'mixed/notes.txt', status: 'failed', error: { status: 400 } })
    expect(failure.error.code).toMatch(/^[A-Za-z]+$/)
    expect(failure.error.ec).toMatch(/^\d{4}-\d{8}$/)

    const report = ok<Report>(await call('jobs:report', { id: job.id, csv: true, failedOnly: true }))
    expect(report).toMatchObject({ state: 'finished', counts: { total: 2, done: 1, failed: 1 }, failuresOmitted: 0 })
    expect(report.failures).toEqual([expect.objectContaining({ sourceKey: 'mixed/notes.txt', attempts: 1, error: expect.objectContaining({ code: failure.error.code, ec: failure.error.ec, retryable: false }) })])
    const lines = report.csv!.trimEnd().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain('mixed/notes.txt')
    expect(lines[1]).toContain(failure.error.ec)
    const all = ok<Report>(await call('jobs:report', { id: job.id, csv: true }))
    expect(all.csv!.trimEnd().split('\r\n')).toHaveLength(3)
    expect(ok<Report>(await call('jobs:report', { id: job.id })).csv).toBeUndefined()

    // Retry failed only: the same 4xx again (never retried within a run), one more attempt.
    ok(await call('jobs:start', { id: job.id, retryFailed: true }))
    // The job was already `finished`: wait for the retry's attempt, then for the run to end again.
    await expect.poll(async () => ok<Report>(await call('jobs:report', { id: job.id })).failures[0]?.attempts, { timeout: 20_000 }).toBe(2)
    await expect.poll(async () => (await get(bed, job.id)).state, { timeout: 20_000 }).toBe('finished')
    const again = ok<Report>(await call('jobs:report', { id: job.id }))
    expect(again.failures).toEqual([expect.objectContaining({ sourceKey: 'mixed/notes.txt', attempts: 2 })])
    expect(again.counts).toMatchObject({ done: 1, failed: 1 })

    ok(await call('jobs:remove', { id: job.id }))
    expect(bed.events.at(-1)).toEqual({ event: 'jobs:removed', payload: { id: job.id } })
    expect(err(await call('jobs:report', { id: job.id }))).toMatchObject({ code: 'NotFound', status: 404 })
  })

  it('pauses, resumes and cancels; a cancelled job resumes with start and finishes every item once', async () => {
    const job = ok<Job>(await call('jobs:create', manyJob('pausing')))
    ok(await call('jobs:start', { id: job.id }))
    await expect.poll(async () => (await get(bed, job.id)).counts.done, { timeout: 20_000 }).toBeGreaterThanOrEqual(3)
    ok(await call('jobs:pause', { id: job.id }))
    await expect.poll(async () => (await get(bed, job.id)).state, { timeout: 20_000 }).toBe('paused')
    const held = (await get(bed, job.id)).counts.done
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect((await get(bed, job.id)).counts.done).toBe(held)
    expect(ok<Job>(await call('jobs:resume', { id: job.id })).state).toBe('running')
    await expect.poll(async () => (await get(bed, job.id)).counts.done, { timeout: 20_000 }).toBeGreaterThan(held)

    const cancelled = ok<Job>(await call('jobs:cancel', { id: job.id }))
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.counts.done).toBeLessThan(MANY)
    expect(err(await call('jobs:pause', { id: job.id }))).toMatchObject({ code: 'InvalidState', status: 409 })
    expect(statesOf(bed, job.id)).toEqual(expect.arrayContaining(['running', 'pausing', 'paused', 'cancelled']))

    ok(await call('jobs:start', { id: job.id }))
    await expect.poll(async () => (await get(bed, job.id)).state, { timeout: 20_000 }).toBe('finished')
    expect((await get(bed, job.id)).counts).toEqual({ total: MANY, done: MANY, skipped: 0, failed: 0 })
    const listed = await dst().listObjects({ prefix: 'pausing/', maxKeys: 1000 })
    expect(listed.objects).toHaveLength(MANY)
  })

  it('refuses bad payloads and invalid jobs', async () => {
    const base = { profileId, source: { kind: 'bucket', prefix: 'photos/' }, styles: [{ style: 'thumb' }], target: { kind: 'bucket' }, template: '{name}.{format}' }
    const refused = [
      { ...base, secret: 'x' },
      { ...base, styles: [] },
      { ...base, source: { kind: 'folder', dir: '/tmp' } },
      { ...base, target: { kind: 'bucket', bucket: 'Not_A_Bucket' } },
      { ...base, concurrency: 0 },
      { ...base, template: 'x'.repeat(1025) }
    ]
    for (const payload of refused) expect(err(await call('jobs:create', payload)).code).toBe('InvalidPayload')
    expect(err(await call('jobs:start', { id: '../x' })).code).toBe('InvalidPayload')
    expect(err(await call('jobs:dryRun', { id: 'a', job: base })).code).toBe('InvalidPayload')

    expect(err(await call('jobs:create', { ...base, target: { kind: 'folder', dir: 'relative/out' } }))).toMatchObject({ code: 'InvalidPayload', status: 400 })
    // Never into the studio's data folder (vault, journals, sandbox storage), nor above it.
    for (const dir of [bed.dataDir, join(bed.dataDir, 'jobs'), dirname(bed.dataDir)]) {
      expect(err(await call('jobs:create', { ...base, target: { kind: 'folder', dir } }))).toMatchObject({ code: 'InvalidPayload', message: expect.stringContaining('outside the studio') })
    }
    expect(err(await call('jobs:create', { ...base, template: '{nope}' }))).toMatchObject({ code: 'InvalidJob', status: 400, message: expect.stringContaining('{nope}') })
    expect(err(await call('jobs:example', { ...base, styles: [{ style: 'no-such-style' }] }))).toMatchObject({ code: 'InvalidJob', message: expect.stringContaining('no-such-style') })
    expect(err(await call('jobs:example', { ...base, source: { kind: 'bucket', pattern: '(' } }))).toMatchObject({ code: 'InvalidJob' })
    expect(err(await call('jobs:create', { ...base, profileId: 'no-such-profile' }))).toMatchObject({ code: 'NotFound' })
    expect(err(await call('jobs:start', { id: 'no-such-job' }))).toMatchObject({ code: 'NotFound', status: 404 })
  })

  it('services closed mid-run leave the job resumable; new services on the same data folder list it and finish it', async () => {
    const dataDir = tempDir()
    const first = await makeBed({ dataDir })
    const id = ok<{ id: string }>(await first.services.router.dispatch('profiles:create', { name: 'Jobs', endpoint: ext.endpoint, bucket: 'src-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET })).id
    const job = ok<Job>(await first.services.router.dispatch('jobs:create', { ...manyJob('closing'), profileId: id }))
    ok(await first.services.router.dispatch('jobs:start', { id: job.id }))
    await expect.poll(async () => (await get(first, job.id)).counts.done, { timeout: 20_000 }).toBeGreaterThanOrEqual(3)
    await first.services.close()

    const second = await makeBed({ dataDir })
    try {
      const found = await get(second, job.id)
      expect(['cancelled', 'interrupted']).toContain(found.state)
      expect(found.counts.done).toBeGreaterThanOrEqual(3)
      expect(found.counts.done).toBeLessThan(MANY)
      ok(await second.services.router.dispatch('jobs:start', { id: job.id }))
      await expect.poll(async () => (await get(second, job.id)).state, { timeout: 20_000 }).toBe('finished')
      expect((await get(second, job.id)).counts).toEqual({ total: MANY, done: MANY, skipped: 0, failed: 0 })
      expect((await dst().listObjects({ prefix: 'closing/', maxKeys: 1000 })).objects).toHaveLength(MANY)
    } finally {
      await second.services.close()
    }
  })
})
