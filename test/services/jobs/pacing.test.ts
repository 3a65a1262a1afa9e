/**
 * Server-side pacing: the `qps` cap (object requests spaced 1/qps apart, checked where they leave
 * for the sandbox) and the adaptive limit on items in flight, which halves on OSS's 503 SlowDown
 * (the sandbox's fault injection answers every other injected failure with it) and grows back —
 * through the runner, the sandbox over HTTP and the real ali-oss client.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobRunner, resolveSpec, type JobProgress } from '../../../src-main/services/jobs'
import type { JobOss } from '../../../src-main/services/jobs/oss-port'
import { AdaptiveLimit, isThrottling, QpsLimiter } from '../../../src-main/services/jobs/pacing'
import { FAST_RETRY, startCountingSandbox, tempDir, tinyJpeg, type CountingSandbox } from './helpers'

describe('AdaptiveLimit (AIMD)', () => {
  it('halves on throttling once per cool-down, grows by one per window of successes, stays in 1..max', () => {
    let now = 0
    const limit = new AdaptiveLimit(16, () => now, 1000)
    expect(limit.limit).toBe(16)
    expect(limit.onSuccess()).toBe(false)
    expect(limit.onThrottled()).toBe(true)
    expect(limit.limit).toBe(8)
    // The rest of the same burst is one signal.
    expect(limit.onThrottled()).toBe(false)
    expect(limit.limit).toBe(8)
    now = 1000
    limit.onThrottled()
    now = 2000
    limit.onThrottled()
    now = 3000
    limit.onThrottled()
    now = 4000
    limit.onThrottled()
    expect(limit.limit).toBe(1)
    expect(limit.throttled).toBe(6)
    // One more after `limit` successes.
    expect(limit.onSuccess()).toBe(true)
    expect(limit.limit).toBe(2)
    expect(limit.onSuccess()).toBe(false)
    expect(limit.onSuccess()).toBe(true)
    expect(limit.limit).toBe(3)
    for (let i = 0; i < 1000; i++) limit.onSuccess()
    expect(limit.limit).toBe(16)
  })

  it('counts 503, 429 and SlowDown-like codes as throttling, not other 5xx', () => {
    expect(isThrottling({ status: 503, code: 'SlowDown' })).toBe(true)
    expect(isThrottling({ status: 429, code: 'TooManyRequests' })).toBe(true)
    expect(isThrottling({ status: 400, code: 'QpsLimitExceeded' })).toBe(true)
    expect(isThrottling({ status: 500, code: 'InternalError' })).toBe(false)
    expect(isThrottling({ status: 404, code: 'NoSuchKey' })).toBe(false)
  })

  it('refuses a qps that is not a positive number', () => {
    expect(() => new QpsLimiter(0)).toThrow(/qps must be a positive number/)
    expect(() => new QpsLimiter(Number.NaN)).toThrow(/qps must be a positive number/)
  })
})

describe('pacing a server-side run against the sandbox', () => {
  let bed: CountingSandbox
  beforeAll(async () => {
    const jpeg = await tinyJpeg()
    const objects: Record<string, { data: Buffer }> = {}
    for (let i = 0; i < 40; i++) objects[`q/${String(i).padStart(2, '0')}.jpg`] = { data: jpeg }
    bed = await startCountingSandbox([{ name: 'src-bucket', objects }, 'dst-bucket'], { failRate: 0.2, latencyMs: 2 })
  })
  afterAll(async () => {
    await bed?.close()
  })

  /** The sandbox connection, recording when each object request is sent (after the qps limiter). */
  function recording(sent: number[]): (bucket: string) => JobOss {
    return (bucket) => {
      const oss = bed.connect(bucket)
      const stamp = <T>(call: () => Promise<T>) => (sent.push(performance.now()), call())
      return {
        bucket: oss.bucket,
        region: oss.region,
        listAllObjects: (options) => oss.listAllObjects(options),
        headObject: (key, options) => stamp(() => oss.headObject(key, options)),
        getObject: (key, options) => stamp(() => oss.getObject(key, options)),
        putObject: (key, data, options) => stamp(() => oss.putObject(key, data, options)),
        processObjectSave: (key, target, process, options) => stamp(() => oss.processObjectSave(key, target, process, options))
      } as JobOss
    }
  }

  it('backs off on 503 SlowDown (fewer items in flight), retries with jitter and still ends every item done once', async () => {
    const spec = await resolveSpec({ source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'q/' }, styles: [{ process: 'image/resize,w_5', label: 'a' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'adaptive/{name}.jpg' })
    const events: JobProgress[] = []
    const result = await new JobRunner({ spec, journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect, concurrency: 8, retry: { ...FAST_RETRY, maxAttempts: 12 }, progressIntervalMs: 0, onProgress: (p) => events.push(p) }).run()
    expect(result.counts).toMatchObject({ total: 40, done: 40, failed: 0 })
    for (let i = 0; i < 40; i++) expect(bed.writes.get(`dst-bucket/adaptive/${String(i).padStart(2, '0')}.jpg`)).toBe(1)
    const last = events[events.length - 1]!
    expect(last.throttled).toBeGreaterThan(0)
    expect(Math.min(...events.map((e) => e.concurrency))).toBeLessThanOrEqual(4)
    expect(Math.max(...events.map((e) => e.inFlight))).toBeLessThanOrEqual(8)
  })

  it('--qps caps object requests per second: any qps+1 consecutive requests span about a second (timers may fire a ms early)', async () => {
    const spec = await resolveSpec({ source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'q/' }, styles: [{ process: 'image/resize,w_6', label: 'b' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'qps/{name}.jpg' })
    const sent: number[] = []
    const qps = 25
    const result = await new JobRunner({ spec, journalPath: join(tempDir(), 'j.jsonl'), connect: recording(sent), concurrency: 16, qps, retry: { ...FAST_RETRY, maxAttempts: 12 } }).run()
    expect(result.counts).toMatchObject({ total: 40, done: 40, failed: 0 })
    // HEAD (skip-existing) and the processing POST per item, plus retries of the injected failures.
    expect(sent.length).toBeGreaterThanOrEqual(80)
    sent.sort((a, b) => a - b)
    for (let i = 0; i + qps < sent.length; i++) expect(sent[i + qps]! - sent[i]!).toBeGreaterThanOrEqual(990)
  })
})
