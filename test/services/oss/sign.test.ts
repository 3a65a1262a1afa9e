/**
 * Signed URLs fetched with plain `fetch`: V1 and V4, objects, `image/...`, `style/NAME`, response
 * header overrides, STS; CNAME URLs checked for shape and against an independent signature check.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentDisposition } from '../../../src-main/services/oss'
import { makeImage } from '../../support/images'
import { BUCKET, failure, startTestBed, type TestBed, expectedV1Signature, expectedV4Signature } from './helpers'

let bed: TestBed
const KEY = 'dir/中文 photo.jpg'
let original: Buffer

beforeAll(async () => {
  bed = await startTestBed()
  original = await makeImage(200, 100)
  await bed.service().putObject(KEY, original, { contentType: 'image/jpeg' })
})

afterAll(async () => {
  await bed?.close()
})


describe.each(['v1', 'v4'] as const)('%s signed URLs', (version) => {
  it('fetch the object, path-style on the sandbox, with response overrides', async () => {
    const disposition = contentDisposition('中文 photo.jpg', 'inline')
    const signed = await bed.service().signUrl({ key: KEY, version, expiresSeconds: 600, response: { contentDisposition: disposition, cacheControl: 'max-age=60' } })
    expect(signed.version).toBe(version)
    const url = new URL(signed.url)
    expect(url.origin).toBe(bed.sandbox.endpoint)
    expect(url.pathname).toBe(`/${BUCKET}/dir/%E4%B8%AD%E6%96%87%20photo.jpg`)
    expect([...url.searchParams.keys()]).toEqual(expect.arrayContaining(version === 'v1' ? ['OSSAccessKeyId', 'Expires', 'Signature'] : ['x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature-version', 'x-oss-signature']))
    const response = await fetch(signed.url)
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer()).equals(original)).toBe(true)
    expect(response.headers.get('content-disposition')).toBe(disposition)
    expect(response.headers.get('cache-control')).toBe('max-age=60')
    expect(Date.parse(signed.expiresAt) - Date.now()).toBeGreaterThan(590_000)
  })

  it('sign the process string: it cannot be added afterwards', async () => {
    const signed = await bed.service().signUrl({ key: KEY, version })
    const tampered = `${signed.url}&x-oss-process=${encodeURIComponent('image/resize,w_50')}`
    expect((await fetch(tampered)).status).toBe(403)
  })

  it('fetch an image/... result', async () => {
    const signed = await bed.service().signUrl({ key: KEY, version, process: 'image/resize,w_50/format,png' })
    expect(new URL(signed.url).searchParams.get('x-oss-process')).toBe('image/resize,w_50/format,png')
    const response = await fetch(signed.url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({ width: 50, height: 25, format: 'png' })
  })

  it('fetch a style/NAME result', async () => {
    const service = bed.service()
    await service.putStyle('signed-thumb', 'image/resize,w_40')
    const signed = await service.signUrl({ key: KEY, version, process: 'style/signed-thumb' })
    const response = await fetch(signed.url)
    expect(response.status).toBe(200)
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({ width: 40 })
  })

  it('carry the STS token and work with STS credentials', async () => {
    const sts = bed.sandbox.issueStsCredentials({ expiresInSeconds: 300 })
    const service = bed.service({ accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, stsToken: sts.securityToken, expiration: sts.expiration })
    const signed = await service.signUrl({ key: KEY, version, expiresSeconds: 3600 })
    const url = new URL(signed.url)
    expect(url.searchParams.get(version === 'v1' ? 'security-token' : 'x-oss-security-token')).toBe(sts.securityToken)
    // The STS credentials expire first.
    expect(signed.expiresAt).toBe(new Date(sts.expiration).toISOString())
    const response = await fetch(signed.url)
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer()).equals(original)).toBe(true)
  })
})

describe('signed URL checks', () => {
  it('expire', async () => {
    const signed = await bed.service().signUrl({ key: KEY, version: 'v1', expiresSeconds: 1 })
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    expect((await fetch(signed.url)).status).toBe(403)
  })

  it('refuse bad arguments before signing', async () => {
    const service = bed.service()
    expect(await failure(service.signUrl({ key: KEY, expiresSeconds: 0 }))).toMatchObject({ code: 'InvalidArgument' })
    expect(await failure(service.signUrl({ key: KEY, expiresSeconds: 604_801 }))).toMatchObject({ code: 'InvalidArgument' })
    expect(await failure(service.signUrl({ key: KEY, process: 'image/resize,w_100|sys/saveas,o_b3V0LmpwZw' }))).toMatchObject({ code: 'InvalidArgument' })
    expect(await failure(service.signUrl({ key: KEY, process: 'image/rotate,400' }))).toMatchObject({ code: 'InvalidArgument', ec: expect.any(String) })
    expect(await failure(service.signUrl({ key: KEY, response: { contentDisposition: 'attachment; filename="中文.jpg"' } }))).toMatchObject({ code: 'InvalidArgument' })
  })
})

describe('CNAME (custom domain) URLs', () => {
  const domain = 'https://img.example.com'

  it('V1: the domain as host, the key as path, the signature over /bucket/key?x-oss-process', async () => {
    const signed = await bed.service().signUrl({ key: KEY, version: 'v1', customDomain: domain, process: 'style/thumb' })
    const url = new URL(signed.url)
    expect(url.origin).toBe(domain)
    expect(url.pathname).toBe('/dir/%E4%B8%AD%E6%96%87%20photo.jpg')
    expect(url.searchParams.get('x-oss-process')).toBe('style/thumb')
    expect(url.searchParams.get('Signature')).toBe(expectedV1Signature(bed.sandbox.accessKeySecret, new URL(`http://x/${BUCKET}${url.pathname}${url.search}`), BUCKET))
  })

  it('V4: the same shape, the canonical URI still /bucket/key', async () => {
    const signed = await bed.service().signUrl({ key: KEY, version: 'v4', customDomain: domain, process: 'image/resize,w_100' })
    const url = new URL(signed.url)
    expect(url.origin).toBe(domain)
    expect(url.pathname).toBe('/dir/%E4%B8%AD%E6%96%87%20photo.jpg')
    expect(url.searchParams.get('x-oss-credential')).toMatch(/\/cn-hangzhou\/oss\/aliyun_v4_request$/)
    expect(url.searchParams.get('x-oss-signature')).toBe(expectedV4Signature(bed.sandbox.accessKeySecret, url, BUCKET, KEY))
  })

  it('the independent checks agree with the sandbox on a URL it accepts', async () => {
    const v1 = new URL((await bed.service().signUrl({ key: KEY, version: 'v1', response: { contentType: 'image/jpeg' } })).url)
    expect(v1.searchParams.get('Signature')).toBe(expectedV1Signature(bed.sandbox.accessKeySecret, v1, BUCKET))
    const v4 = new URL((await bed.service().signUrl({ key: KEY, version: 'v4', response: { contentType: 'image/jpeg' } })).url)
    expect(v4.searchParams.get('x-oss-signature')).toBe(expectedV4Signature(bed.sandbox.accessKeySecret, v4, BUCKET, KEY))
    expect((await fetch(v1)).status).toBe(200)
    expect((await fetch(v4)).status).toBe(200)
  })

  it('include the STS token', async () => {
    const sts = bed.sandbox.issueStsCredentials({ expiresInSeconds: 300 })
    const service = bed.service({ accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, stsToken: sts.securityToken })
    const url = new URL((await service.signUrl({ key: KEY, version: 'v1', customDomain: domain })).url)
    expect(url.searchParams.get('security-token')).toBe(sts.securityToken)
    expect(url.searchParams.get('OSSAccessKeyId')).toBe(sts.accessKeyId)
    expect(url.searchParams.get('Signature')).toBe(expectedV1Signature(sts.accessKeySecret, new URL(`http://x/${BUCKET}${url.pathname}${url.search}`), BUCKET))
  })
})
