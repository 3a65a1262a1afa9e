/**
 * JobManager, the app's API: create / dryRun / start / pause / resume / cancel / list / get /
 * report / reportCsv / retry failed / remove, events; jobs on disk found again by a new manager
 * (a run that never ended is `interrupted` and resumes).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobError, openJobManager, type JobEvent, type JobManager } from '../../../src-main/services/jobs'
import { startCountingSandbox, tempDir, tinyJpeg, type CountingSandbox } from './helpers'

let bed: CountingSandbox
beforeAll(async () => {
  const jpeg = await tinyJpeg(8, 8)
  const objects: Record<string, { data: Buffer }> = {}
  for (let i = 0; i < 40; i++) objects[`p/${String(i).padStart(2, '0')}.jpg`] = { data: jpeg }
  bed = await startCountingSandbox([{ name: 'src-bucket', objects, styles: { thumb: 'image/resize,w_6' } }, 'dst-bucket'], { latencyMs: 10 })
})
afterAll(async () => {
  await bed?.close()
})

function manager(dataDir: string): Promise<JobManager> {
  return openJobManager({
    dataDir,
    progressIntervalMs: 20,
    connect: (connection, bucket) => {
      expect(connection).toEqual({ profileId: 'local-sandbox' })
      return bed.connect(bucket)
    },
    styleLookup: async (name, { sourceBucket }) => (await bed.connect(sourceBucket!).getStyle(name)).content
  })
}

describe('JobManager', () => {
  it('a job is never seen as ended while its run is still winding down: it can be started again at once', async () => {
    const jobs = await manager(tempDir())
    const job = await jobs.create({
      connection: { profileId: 'local-sandbox' },
      source: { kind: 'keys', bucket: 'src-bucket', keys: ['p/00.jpg', 'q/missing.jpg'] },
      styles: [{ style: 'thumb' }],
      target: { kind: 'bucket', bucket: 'dst-bucket' },
      template: 'again/{name}.{format}'
    })
    for (const retryFailed of [false, true]) {
      await jobs.start(job.id)
      // Watch get() as closely as the event loop allows: the moment it says the run ended, start must accept.
      while (jobs.get(job.id).state !== 'finished') await new Promise((resolve) => setImmediate(resolve))
      await jobs.start(job.id, { retryFailed })
      await expect(jobs.wait(job.id)).resolves.toMatchObject({ state: 'finished' })
    }
    await jobs.close()
  })

  it('runs a job from creation to its report, with events', async () => {
    const dataDir = tempDir()
    const jobs = await manager(dataDir)
    const events: JobEvent[] = []
    jobs.on((e) => events.push(e))
    const job = await jobs.create({
      name: 'thumbs',
      connection: { profileId: 'local-sandbox' },
      source: { kind: 'keys', bucket: 'src-bucket', keys: ['p/00.jpg', 'p/01.jpg', 'q/missing.jpg'] },
      styles: [{ style: 'thumb' }],
      target: { kind: 'bucket', bucket: 'dst-bucket' },
      template: 'm/{name}-{style}.{format}'
    })
    expect(job).toMatchObject({ name: 'thumbs', state: 'created', spec: { mode: 'server', styles: [{ label: 'thumb', process: 'image/resize,w_6' }] } })
    expect(jobs.list().map((j) => j.id)).toEqual([job.id])

    const manifest = await jobs.dryRun(job.id)
    expect(manifest.summary).toMatchObject({ items: 3, missingSources: 1 })

    await jobs.start(job.id)
    await expect(jobs.start(job.id)).rejects.toMatchObject({ code: 'InvalidState' })
    const ended = await jobs.wait(job.id)
    expect(ended).toMatchObject({ state: 'finished', counts: { total: 3, done: 2, skipped: 0, failed: 1 } })
    expect(events.filter((e) => e.type === 'state').map((e) => (e as { job: { state: string } }).job.state)).toEqual(['created', 'planning', 'running', 'finished'])
    expect(events.some((e) => e.type === 'item' && e.result.status === 'failed' && e.result.error?.ec === '0040-00000024')).toBe(true)
    expect(events.some((e) => e.type === 'progress')).toBe(true)

    const report = await jobs.report(job.id)
    expect(report.failures).toEqual([expect.objectContaining({ sourceKey: 'q/missing.jpg', error: expect.objectContaining({ code: 'NoSuchKey' }) })])
    const csv = await jobs.reportCsv(job.id, { failedOnly: true })
    expect(csv.split('\r\n')[1]).toContain('0040-00000024')

    // Retry failed only, after the source appears.
    await bed.connect('src-bucket').putObject('q/missing.jpg', await tinyJpeg(8, 8))
    await jobs.start(job.id, { retryFailed: true })
    expect(await jobs.wait(job.id)).toMatchObject({ state: 'finished', counts: { done: 3, failed: 0 } })

    // A new manager over the same folder finds the job, and its report, on disk.
    const reopened = await manager(dataDir)
    expect(reopened.get(job.id)).toMatchObject({ state: 'finished', name: 'thumbs', counts: { total: 3, done: 3, failed: 0 }, connection: { profileId: 'local-sandbox' } })
    expect((await reopened.report(job.id)).counts).toEqual({ total: 3, done: 3, skipped: 0, failed: 0 })
    await reopened.remove(job.id)
    expect(() => reopened.get(job.id)).toThrow(JobError)
    await jobs.close()
  })

  it('pauses, resumes and cancels; an interrupted job resumes in a new manager', async () => {
    const dataDir = tempDir()
    const jobs = await manager(dataDir)
    const job = await jobs.create({
      connection: { profileId: 'local-sandbox' },
      source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'p/' },
      styles: [{ process: 'image/resize,w_3', label: 'x' }],
      target: { kind: 'bucket', bucket: 'dst-bucket' },
      template: 'x/{name}.jpg',
      concurrency: 2
    })
    await jobs.start(job.id)
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise((r) => setTimeout(r, 5))
    }
    await until(() => (jobs.get(job.id).counts.done ?? 0) >= 4)
    jobs.pause(job.id)
    await until(() => jobs.get(job.id).state === 'paused')
    jobs.resume(job.id)
    expect(jobs.get(job.id).state).toBe('running')
    await until(() => (jobs.get(job.id).counts.done ?? 0) >= 10)
    const cancelled = await jobs.cancel(job.id)
    expect(cancelled.state).toBe('cancelled')
    expect(() => jobs.pause(job.id)).toThrow(/not running/)

    // Simulate a crash mid-run: a run record without its end.
    writeFileSync(job.journalPath, `{"t":"run","n":9,"at":"2026-01-01T00:00:00.000Z","retryFailed":false,"total":40,"items":30}\n`, { flag: 'a' })
    const after = await manager(dataDir)
    expect(after.get(job.id).state).toBe('interrupted')
    await after.start(job.id)
    expect(await after.wait(job.id)).toMatchObject({ state: 'finished', counts: { total: 40, done: 40, failed: 0 } })
    for (let i = 0; i < 40; i++) expect(bed.writes.get(`dst-bucket/x/${String(i).padStart(2, '0')}.jpg`)).toBe(1)
    await jobs.close()
    await after.close()
  })

  it('refuses invalid jobs and unknown ids', async () => {
    const jobs = await manager(tempDir())
    await expect(jobs.create({ source: { kind: 'folder', dir: join(tempDir(), 'x') }, styles: [], target: { kind: 'folder', dir: tempDir() }, template: '{name}' })).rejects.toMatchObject({ code: 'InvalidJob' })
    expect(() => jobs.get('nope')).toThrow(/no job/)
    await expect(jobs.start('nope')).rejects.toMatchObject({ code: 'NotFound' })
  })
})
