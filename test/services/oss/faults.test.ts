/**
 * Retries against the sandbox's fault injection (500 InternalError / 503 SlowDown / dropped
 * connections, deterministic rates): every operation eventually succeeds, nothing is applied twice,
 * retries are bounded, timeouts and aborts surface as typed errors.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OssError, RetryEvent } from '../../../src-main/services/oss'
import { makeImage } from '../../support/images'
import { bytes, failure, md5Hex, startTestBed, type TestBed } from './helpers'


const FAST = { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5 }
const TRANSIENT = ['InternalError', 'SlowDown', 'RequestError']

describe('flaky sandbox (30% 5xx, 20% dropped connections)', () => {
  let bed: TestBed
  beforeAll(async () => {
    bed = await startTestBed({ failRate: 0.3, dropRate: 0.2 })
  })
  afterAll(async () => {
    await bed?.close()
  })

  it.each(['v1', 'v4'] as const)('object operations all succeed, each applied once (%s)', async (signatureVersion) => {
    const events: RetryEvent[] = []
    const service = bed.service({ signatureVersion, retry: FAST, onRetry: (e) => events.push(e) })
    const prefix = `flaky-${signatureVersion}/`
    const objects = Array.from({ length: 12 }, (_, i) => ({ key: `${prefix}${i}-图.bin`, body: bytes(2048 + i, i + 1) }))
    bed.agent.reset()

    for (const { key, body } of objects) expect((await service.putObject(key, body)).etag).toBe(md5Hex(body))

    const listed = []
    for await (const page of service.listAllObjects({ prefix, maxKeys: 5 })) listed.push(...page.objects)
    expect(listed.map((o) => o.key).sort()).toEqual(objects.map((o) => o.key).sort())
    for (const o of listed) expect(o.etag).toBe(md5Hex(objects.find((x) => x.key === o.key)?.body ?? Buffer.alloc(0)))

    for (const { key, body } of objects) {
      expect((await service.getObject(key)).content.equals(body)).toBe(true)
      expect((await service.headObject(key)).size).toBe(body.length)
    }

    const doomed = objects.slice(0, 6).map((o) => o.key)
    expect([...(await service.deleteObjects(doomed)).deleted].sort()).toEqual([...doomed].sort())
    await service.deleteObject(objects[6]?.key ?? '')
    const left = []
    for await (const page of service.listAllObjects({ prefix })) left.push(...page.objects.map((o) => o.key))
    expect(left.sort()).toEqual(objects.slice(7).map((o) => o.key).sort())

    // Faults did happen, were retried, and were all transient ones.
    expect(events.length).toBeGreaterThan(5)
    for (const event of events) expect(TRANSIENT).toContain((event.error as OssError).code)
    const logical = objects.length * 3 + 3 + 1 + 1 + 1
    expect(bed.agent.count()).toBe(logical + events.length)
  })

  it('4xx answers are still never retried (only the injected faults before them are)', async () => {
    const events: RetryEvent[] = []
    const service = bed.service({ retry: FAST, onRetry: (e) => events.push(e) })
    for (let i = 0; i < 5; i++) {
      bed.agent.reset()
      events.length = 0
      const error = await failure(service.getObject('flaky-none/missing.bin'))
      expect(error).toMatchObject({ code: 'NoSuchKey', attempts: events.length + 1 })
      expect(bed.agent.count()).toBe(events.length + 1)
      expect(events.every((e) => TRANSIENT.includes((e.error as OssError).code))).toBe(true)
    }
  })

  it('styles and saveas succeed, each applied once', async () => {
    const service = bed.service({ retry: FAST })
    await service.putObject('flaky-img/src.jpg', await makeImage(300, 200), { contentType: 'image/jpeg' })
    await service.putStyle('flaky', 'image/resize,w_60')
    expect((await service.getStyle('flaky')).content).toBe('image/resize,w_60')
    expect((await service.listStyles()).filter((s) => s.name === 'flaky')).toHaveLength(1)
    const saved = await service.processObjectSave('flaky-img/src.jpg', 'flaky-img/out/缩略图.jpg', 'style/flaky')
    expect(saved.object).toBe('flaky-img/out/缩略图.jpg')
    const again = await service.processObjectSave('flaky-img/src.jpg', 'flaky-img/out/缩略图.jpg', 'style/flaky')
    const listed = []
    for await (const page of service.listAllObjects({ prefix: 'flaky-img/out/' })) listed.push(...page.objects)
    expect(listed.map((o) => o.key)).toEqual(['flaky-img/out/缩略图.jpg'])
    expect(listed[0]?.size).toBe(again.fileSize)
    expect(await sharp((await service.getObject('flaky-img/out/缩略图.jpg')).content).metadata()).toMatchObject({ width: 60 })
    await service.deleteStyle('flaky')
    expect((await service.listStyles()).some((s) => s.name === 'flaky')).toBe(false)
  })
})

describe('a sandbox that always fails', () => {
  let bed: TestBed
  beforeAll(async () => {
    bed = await startTestBed({ failRate: 1 })
  })
  afterAll(async () => {
    await bed?.close()
  })

  it('gives up after maxAttempts with the last transient error', async () => {
    const service = bed.service({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } })
    bed.agent.reset()
    const error = await failure(service.putObject('x.bin', Buffer.from('x')))
    expect(error).toMatchObject({ status: 500, code: 'InternalError', retryable: true, attempts: 3 })
    expect(bed.agent.count()).toBe(3)
  })

  it('makes a single attempt with retry: false', async () => {
    bed.agent.reset()
    expect(await failure(bed.service().listObjects({ retry: false }))).toMatchObject({ retryable: true, attempts: 1 })
    expect(bed.agent.count()).toBe(1)
  })
})

describe('a slow sandbox (1.5 s per request)', () => {
  let bed: TestBed
  beforeAll(async () => {
    bed = await startTestBed({ latencyMs: 1_500 })
  })
  afterAll(async () => {
    await bed?.close()
  })

  it('aborts an in-flight request at once', async () => {
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(), 50)
    const error = await failure(bed.service().listObjects({ signal: controller.signal }))
    expect(error).toMatchObject({ code: 'Aborted', retryable: false })
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('aborts a download waiting for its response', async () => {
    const controller = new AbortController()
    await bed.service().putObject('slow.bin', bytes(1000))
    setTimeout(() => controller.abort(), 50)
    expect(await failure(bed.service().getObject('slow.bin', { signal: controller.signal }))).toMatchObject({ code: 'Aborted' })
  })

  it('reports a response timeout as retryable status -2 and retries it', async () => {
    bed.agent.reset()
    const error = await failure(bed.service({ timeoutMs: 200, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).listObjects())
    expect(error).toMatchObject({ code: 'ResponseTimeout', status: -2, origin: 'network', retryable: true, attempts: 2 })
    expect(bed.agent.count()).toBe(2)
  })
})
