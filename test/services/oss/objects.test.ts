/**
 * Objects end to end: OssService → real ali-oss → HTTP → sandbox, with V1 and V4 request signing,
 * long-term keys and STS; typed errors; 4xx never retried; the preview byte cap.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OssError, OssService } from '../../../src-main/services/oss'
import { makeImage } from '../../support/images'
import { BUCKET, bytes, failure, md5Hex, startTestBed, type TestBed } from './helpers'

let bed: TestBed

beforeAll(async () => {
  bed = await startTestBed()
})

afterAll(async () => {
  await bed?.close()
})


describe.each(['v1', 'v4'] as const)('objects with %s signing', (signatureVersion) => {
  const prefix = `${signatureVersion}/`

  it('connects path-style to a loopback endpoint, also given as 127.0.0.1', () => {
    const service = bed.service({ signatureVersion, endpoint: bed.sandbox.endpoint.replace('localhost', '127.0.0.1') })
    expect(service.addressing).toBe('path')
    expect(service.endpoint).toBe(bed.sandbox.endpoint)
  })

  it('puts, heads, gets, lists and deletes an object with a non-ASCII key, content type and meta', async () => {
    const service = bed.service({ signatureVersion })
    const key = `${prefix}dir/中文 名+1.png`
    const body = bytes(4096, 7)
    const put = await service.putObject(key, body, { contentType: 'image/png', meta: { Author: 'studio', 'x-tag': 'a b' } })
    expect(put).toEqual({ key, etag: md5Hex(body) })

    const head = await service.headObject(key)
    expect(head).toMatchObject({ key, size: 4096, etag: md5Hex(body), contentType: 'image/png', meta: { author: 'studio', 'x-tag': 'a b' } })
    expect(new Date(head.lastModified).toISOString()).toBe(head.lastModified)

    const got = await service.getObject(key)
    expect(got.content.equals(body)).toBe(true)
    expect(got).toMatchObject({ size: 4096, etag: md5Hex(body), contentType: 'image/png', meta: { author: 'studio' } })

    const page = await service.listObjects({ prefix: `${prefix}dir/` })
    expect(page.objects).toEqual([{ key, size: 4096, etag: md5Hex(body), lastModified: expect.any(String), storageClass: expect.any(String) }])
    expect(page.isTruncated).toBe(false)

    await service.deleteObject(key)
    expect((await failure(service.headObject(key))).code).toBe('NoSuchKey')
    // Deleting a missing object succeeds, as on OSS.
    await service.deleteObject(key)
  })

  it('pages a listing with continuation tokens and groups by delimiter', async () => {
    const service = bed.service({ signatureVersion })
    const keys = Array.from({ length: 7 }, (_, i) => `${prefix}page/${String(i).padStart(2, '0')}.bin`)
    for (const key of keys) await service.putObject(key, Buffer.from(key))
    await service.putObject(`${prefix}page/sub/a.bin`, Buffer.from('a'))
    await service.putObject(`${prefix}page/sub2/b.bin`, Buffer.from('b'))

    const pages = []
    for await (const page of service.listAllObjects({ prefix: `${prefix}page/`, delimiter: '/', maxKeys: 3 })) pages.push(page)
    expect(pages.map((p) => p.objects.length + p.prefixes.length)).toEqual([3, 3, 3])
    expect(pages.flatMap((p) => p.objects.map((o) => o.key))).toEqual(keys)
    expect(pages.flatMap((p) => p.prefixes)).toEqual([`${prefix}page/sub/`, `${prefix}page/sub2/`])
    expect(pages.at(-1)?.isTruncated).toBe(false)
    expect(pages[0]?.nextContinuationToken).toEqual(expect.any(String))

    const manual = await service.listObjects({ prefix: `${prefix}page/`, maxKeys: 2, continuationToken: pages[0]?.nextContinuationToken })
    expect(manual.objects.length).toBe(2)
    expect(manual.objects[0]?.key).toBe(keys[3])
  })

  it('deletes many objects (missing ones included) in one request', async () => {
    const service = bed.service({ signatureVersion })
    const keys = [`${prefix}many/a`, `${prefix}many/b`, `${prefix}many/中文`]
    for (const key of keys) await service.putObject(key, Buffer.from(key))
    bed.agent.reset()
    const result = await service.deleteObjects([...keys, `${prefix}many/missing`, keys[0] as string])
    expect(bed.agent.count(/^POST .*\?delete/)).toBe(1)
    expect([...result.deleted].sort()).toEqual([...keys, `${prefix}many/missing`].sort())
    expect((await service.listObjects({ prefix: `${prefix}many/` })).objects).toEqual([])
  })
})

describe('typed errors, never retried', () => {
  it('NoSuchKey for GET and HEAD, one request each', async () => {
    const service = bed.service()
    bed.agent.reset()
    const get = await failure(service.getObject('missing/x.jpg'))
    expect(get).toMatchObject({ code: 'NoSuchKey', status: 404, origin: 'server', retryable: false, attempts: 1 })
    expect(get.requestId).toMatch(/^[0-9A-F]{24}$/)
    const head = await failure(service.headObject('missing/x.jpg'))
    expect(head).toMatchObject({ code: 'NoSuchKey', status: 404, attempts: 1 })
    expect(head.requestId).toEqual(expect.any(String))
    expect(bed.agent.count()).toBe(2)
  })

  it('NoSuchBucket for GET, HEAD (from x-oss-err), PUT and LIST', async () => {
    const service = bed.service({ bucket: 'no-such-bucket' })
    bed.agent.reset()
    for (const op of [service.getObject('a.jpg'), service.headObject('a.jpg'), service.putObject('a.jpg', Buffer.from('x')), service.listObjects()]) {
      expect(await failure(op)).toMatchObject({ code: 'NoSuchBucket', status: 404, retryable: false })
    }
    expect(bed.agent.count()).toBe(4)
  })

  it.each(['v1', 'v4'] as const)('SignatureDoesNotMatch for a wrong secret (%s), without the secret in the message', async (signatureVersion) => {
    const wrong = 'wrong-secret-0123456789abcdef'
    const service = bed.service({ signatureVersion, accessKeySecret: wrong })
    bed.agent.reset()
    for (const op of [service.listObjects(), service.putObject('x.bin', Buffer.from('x')), service.headObject('x.bin')]) {
      const error = await failure(op)
      expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403, retryable: false, attempts: 1 })
      expect(error.message).not.toContain(wrong)
      expect(JSON.stringify(error)).not.toContain(wrong)
    }
    expect(bed.agent.count()).toBe(3)
  })

  it('InvalidAccessKeyId for an unknown key id', async () => {
    const service = bed.service({ accessKeyId: 'LTAInobodyknowsthisid' })
    expect(await failure(service.listObjects())).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 })
  })

  it('refuses invalid names before sending anything', async () => {
    const service = bed.service()
    bed.agent.reset()
    expect(await failure(service.getObject('/abs.jpg'))).toMatchObject({ code: 'InvalidObjectName', status: 400, origin: 'client' })
    expect(await failure(service.putObject('', Buffer.from('x')))).toMatchObject({ code: 'InvalidObjectName' })
    expect(await failure(service.listObjects({ maxKeys: 1001 }))).toMatchObject({ code: 'InvalidArgument' })
    expect(await failure(service.putObject('a', Buffer.from('x'), { meta: { 'bad name': 'x' } }))).toMatchObject({ code: 'InvalidArgument' })
    expect(await failure(service.putObject('a', Buffer.from('x'), { meta: { ok: '中文' } }))).toMatchObject({ code: 'InvalidArgument' })
    expect(() => bed.service({ bucket: 'Bad_Bucket' })).toThrow(OssError)
    expect(bed.agent.count()).toBe(0)
  })

  it('reports an unreachable endpoint as a retried network error', async () => {
    const service = bed.service({ endpoint: 'http://localhost:1', retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } })
    bed.agent.reset()
    const error = await failure(service.listObjects())
    expect(error).toMatchObject({ code: 'RequestError', status: -1, origin: 'network', retryable: true, attempts: 3 })
    expect(bed.agent.count()).toBe(3)
  })
})

describe('preview byte cap', () => {
  const big = bytes(3 * 1024 * 1024, 3)

  beforeAll(async () => {
    await bed.service().putObject('cap/big.bin', big)
  })

  it('refuses an object larger than maxBytes without downloading it', async () => {
    const service = bed.service()
    bed.agent.reset()
    const error = await failure(service.getObject('cap/big.bin', { maxBytes: 1000 }))
    expect(error).toMatchObject({ code: 'ObjectTooLarge', origin: 'client', retryable: false })
    expect(error.message).toContain(String(big.length))
    expect(bed.agent.count()).toBe(1)
    expect(bed.agent.bytesRead()).toBeLessThan(big.length / 4)
  })

  it('returns objects up to maxBytes', async () => {
    const got = await bed.service().getObject('cap/big.bin', { maxBytes: big.length })
    expect(got.content.equals(big)).toBe(true)
  })
})

describe('processed objects (x-oss-process GET)', () => {
  beforeAll(async () => {
    await bed.service().putObject('img/photo.jpg', await makeImage(640, 480), { contentType: 'image/jpeg' })
  })

  it.each(['v1', 'v4'] as const)('returns the processed bytes and type (%s)', async (signatureVersion) => {
    const got = await bed.service({ signatureVersion }).getProcessedObject('img/photo.jpg', 'image/resize,w_64/format,png')
    expect(got.contentType).toBe('image/png')
    expect(await sharp(got.content).metadata()).toMatchObject({ width: 64, height: 48, format: 'png' })
  })

  it('returns image/info as JSON', async () => {
    const got = await bed.service().getProcessedObject('img/photo.jpg', 'image/info')
    expect(got.contentType).toMatch(/^application\/json/)
    expect(JSON.parse(got.content.toString())).toMatchObject({ ImageWidth: { value: '640' }, ImageHeight: { value: '480' } })
  })

  it('caps the processed result too', async () => {
    expect(await failure(bed.service().getProcessedObject('img/photo.jpg', 'image/resize,w_600/format,png', { maxBytes: 2000 }))).toMatchObject({ code: 'ObjectTooLarge' })
  })

  it('validates the process string before sending, with OSS EC and span', async () => {
    bed.agent.reset()
    const error = await failure(bed.service().getProcessedObject('img/photo.jpg', 'image/resize,m_abc'))
    expect(error).toMatchObject({ code: 'InvalidArgument', status: 400, ec: '0040-00000311', origin: 'client', span: { start: expect.any(Number), end: expect.any(Number) } })
    expect(await failure(bed.service().getProcessedObject('img/photo.jpg', 'image/resize,w_10|sys/saveas,o_YQ'))).toMatchObject({ code: 'InvalidArgument' })
    expect(bed.agent.count()).toBe(0)
  })

  it('reports server-side IMG errors from the streamed error body, not retried', async () => {
    await bed.service().putObject('img/not-an-image.jpg', Buffer.from('plain text'))
    bed.agent.reset()
    const error = await failure(bed.service().getProcessedObject('img/not-an-image.jpg', 'image/resize,w_10'))
    expect(error.status).toBeGreaterThanOrEqual(400)
    expect(error.status).toBeLessThan(500)
    expect(error).toMatchObject({ origin: 'server', retryable: false, attempts: 1 })
    expect(error.ec).toMatch(/^\d{4}-\d{8}$/)
    expect(bed.agent.count()).toBe(1)
  })
})

describe('STS credentials', () => {
  it.each(['v1', 'v4'] as const)('works with an STS token (%s)', async (signatureVersion) => {
    const sts = bed.sandbox.issueStsCredentials({ expiresInSeconds: 600 })
    const service = bed.service({ signatureVersion, accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, stsToken: sts.securityToken, expiration: sts.expiration })
    await service.putObject(`sts/${signatureVersion}.txt`, Buffer.from('hello'))
    expect((await service.getObject(`sts/${signatureVersion}.txt`)).content.toString()).toBe('hello')
  })

  it('refreshes expired STS credentials once through the callback', async () => {
    const expired = bed.sandbox.issueStsCredentials({ expiresInSeconds: 0 })
    let calls = 0
    const service = bed.service({
      accessKeyId: expired.accessKeyId,
      accessKeySecret: expired.accessKeySecret,
      stsToken: expired.securityToken,
      expiration: expired.expiration,
      refreshCredentials: async () => {
        calls++
        return bed.sandbox.issueStsCredentials({ expiresInSeconds: 600 })
      }
    })
    // The expiration is known and past: refreshed before the first request.
    bed.agent.reset()
    await service.putObject('sts/refreshed.txt', Buffer.from('x'))
    expect(calls).toBe(1)
    expect(bed.agent.count()).toBe(1)
    await service.listObjects({ prefix: 'sts/' })
    expect(calls).toBe(1)
  })

  it('on SecurityTokenExpired, refreshes and re-signs once', async () => {
    const expired = bed.sandbox.issueStsCredentials({ expiresInSeconds: 0 })
    let calls = 0
    // No expiration given: the client only learns it from OSS's 403.
    const service = bed.service({
      accessKeyId: expired.accessKeyId,
      accessKeySecret: expired.accessKeySecret,
      stsToken: expired.securityToken,
      refreshCredentials: async () => {
        calls++
        return bed.sandbox.issueStsCredentials({ expiresInSeconds: 600 })
      }
    })
    bed.agent.reset()
    await service.listObjects({ prefix: 'sts/' })
    expect(calls).toBe(1)
    expect(bed.agent.count()).toBe(2)
  })

  it('without a callback, SecurityTokenExpired is reported, not retried', async () => {
    const expired = bed.sandbox.issueStsCredentials({ expiresInSeconds: 0 })
    const service = bed.service({ accessKeyId: expired.accessKeyId, accessKeySecret: expired.accessKeySecret, stsToken: expired.securityToken })
    bed.agent.reset()
    expect(await failure(service.listObjects())).toMatchObject({ code: 'SecurityTokenExpired', status: 403, attempts: 1 })
    expect(bed.agent.count()).toBe(1)
  })

  it('reports a failing refresh callback without leaking secrets', async () => {
    const sts = bed.sandbox.issueStsCredentials({ expiresInSeconds: 0 })
    const service = bed.service({
      accessKeyId: sts.accessKeyId,
      accessKeySecret: sts.accessKeySecret,
      stsToken: sts.securityToken,
      expiration: sts.expiration,
      refreshCredentials: async () => {
        throw new Error(`vault locked (${sts.accessKeySecret})`)
      }
    })
    const error = await failure(service.listObjects())
    expect(error).toMatchObject({ code: 'CredentialsRefreshFailed', retryable: false })
    expect(error.message).not.toContain(sts.accessKeySecret)
  })
})

describe('service shape', () => {
  it('exposes its resolved connection', () => {
    const service = new OssService({ region: 'cn-shanghai', bucket: BUCKET, accessKeyId: 'a', accessKeySecret: 'b' })
    expect([service.endpoint, service.region, service.addressing, service.signatureVersion]).toEqual(['https://oss-cn-shanghai.aliyuncs.com', 'cn-shanghai', 'virtual-hosted', 'v4'])
  })
})
