/**
 * Processed GETs through the real ali-oss client and plain fetch: the sandbox answers exactly what
 * the engine produces (watermarks from the same bucket, styles), with OSS's headers; signed URLs
 * (V1, V4, STS) must have signed the process string; OSS errors with `x-oss-ec`; the
 * case-sensitive parameter name; source-image protection; client disconnects abort the engine.
 */
import type OSS from 'ali-oss'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { encodeBase64Url } from '../../src-shared/img/base64url'
import { processImage } from '../../src-main/engine/executor'
import type * as Executor from '../../src-main/engine/executor'
import { demoBucket, startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, rejection, removeDir, tempRoot } from './helpers'
import { engine, sample, size } from './img-helpers'

// Pass-through spy: lets the abort test see the signal the sandbox gives the engine.
vi.mock('../../src-main/engine/executor', async (importOriginal) => {
  const original = await importOriginal<typeof Executor>()
  return { ...original, processImage: vi.fn(original.processImage) }
})

const BUCKET = 'demo-bucket'
const PROTECTED = 'protected-bucket'
const PUBLIC = 'public-bucket'
let root: string
let sandbox: Sandbox
let oss: OSS

async function fetchError(url: string, init?: RequestInit) {
  const res = await fetch(url, init)
  return { status: res.status, fields: errorFields(await res.text()), ec: res.headers.get('x-oss-ec') }
}

beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandbox({
    dataDir: root,
    buckets: [
      demoBucket(),
      { name: PROTECTED, acl: 'public-read', sourceProtection: true, styles: { thumb: 'image/resize,m_fill,w_200,h_200' }, objects: { 'a.jpg': { data: sample('landscape.jpg') } } },
      { name: PUBLIC, acl: 'public-read', objects: { 'a.jpg': { data: sample('landscape.jpg') } } }
    ],
    accessKeyId: 'LTAI5tImgTestKey',
    accessKeySecret: 'img-secret'
  })
  oss = client(sandbox, BUCKET)
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('GET ?x-oss-process through ali-oss', () => {
  const logo = encodeBase64Url('logo.png')
  const cases: [string, string, { format: string; width: number; height: number; pages?: number }][] = [
    ['landscape.jpg', 'image/resize,w_300', { format: 'jpeg', width: 300, height: 200 }],
    ['landscape.jpg', 'image/resize,m_fill,w_200,h_100/format,png', { format: 'png', width: 200, height: 100 }],
    ['landscape.jpg', 'image/crop,w_100,h_50,g_center/rotate,90', { format: 'jpeg', width: 50, height: 100 }],
    ['portrait.jpg', 'image/resize,w_400', { format: 'jpeg', width: 400, height: 600 }],
    ['large.jpg', 'image/resize,l_1000/format,webp/quality,q_70', { format: 'webp', width: 1000, height: 667 }],
    ['animated.gif', 'image/resize,w_160', { format: 'gif', width: 160, height: 120, pages: 20 }],
    ['landscape.jpg', `image/resize,w_600/watermark,image_${logo},g_nw,x_10,y_10/format,png`, { format: 'png', width: 600, height: 400 }],
    ['landscape.jpg', `image/watermark,image_${encodeBase64Url('logo.png?x-oss-process=image/resize,P_20')},g_se,t_70`, { format: 'jpeg', width: 1200, height: 800 }]
  ]

  it.each(cases)('%s ?x-oss-process=%s → the engine’s bytes', async (key, process, expected) => {
    const res = await oss.get(key, { process })
    const content = res.content as Buffer
    expect(await size(content)).toMatchObject({ pages: 1, ...expected })
    expect(content.equals(await engine(key, process))).toBe(true)
    const headers = res.res.headers as Record<string, string>
    expect(headers['content-type']).toBe(`image/${expected.format}`)
    expect(Number(headers['content-length'])).toBe(content.length)
    expect(headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/)
  })

  it('a watermark really draws the bucket’s logo.png', async () => {
    const plain = (await oss.get('landscape.jpg', { process: 'image/resize,w_600/format,png' })).content as Buffer
    const marked = (await oss.get('landscape.jpg', { process: `image/resize,w_600/watermark,image_${logo},g_nw,x_0,y_0/format,png` })).content as Buffer
    const pixel = async (data: Buffer) => [...(await sharp(data).extract({ left: 40, top: 40, width: 1, height: 1 }).raw().toBuffer())]
    expect(await pixel(marked)).not.toEqual(await pixel(plain))
  })

  it('style/NAME uses the bucket’s style', async () => {
    const res = await oss.get('landscape.jpg', { process: 'style/thumb' })
    expect(await size(res.content as Buffer)).toMatchObject({ format: 'jpeg', width: 200, height: 200 })
    expect((res.content as Buffer).equals(await engine('landscape.jpg', 'style/thumb'))).toBe(true)
    const webp = await oss.get('large.jpg', { process: 'style/webp-800' })
    expect(await size(webp.content as Buffer)).toMatchObject({ format: 'webp', width: 800, height: 533 })
  })

  it('image/info answers JSON', async () => {
    const res = await oss.get('portrait.jpg', { process: 'image/info' })
    expect(res.res.headers['content-type' as never]).toBe('application/json')
    expect(JSON.parse((res.content as Buffer).toString())).toMatchObject({ ImageWidth: { value: '1200' }, ImageHeight: { value: '800' }, Orientation: { value: '6' } })
  })

  it('HEAD with a process string: the processed size, no body', async () => {
    const url = oss.signatureUrl('landscape.jpg', { method: 'HEAD', process: 'image/resize,w_300/format,png', expires: 60 } as never)
    const res = await fetch(url, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Number(res.headers.get('content-length'))).toBe((await engine('landscape.jpg', 'image/resize,w_300/format,png')).length)
  })

  it('only the lower-case x-oss-process processes: X-Oss-Process gets the unprocessed object', async () => {
    const signed = oss.signatureUrl('landscape.jpg', { expires: 60 })
    const res = await fetch(`${signed}&X-Oss-Process=${encodeURIComponent('image/resize,w_10')}`)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(sample('landscape.jpg'))).toBe(true)
  })
})

describe('signed URLs with a process string', () => {
  const process = 'image/resize,w_120/format,png'

  it('V1 signatureUrl({ process }) is served processed', async () => {
    const url = oss.signatureUrl('landscape.jpg', { process, expires: 60 })
    expect(url).toContain('x-oss-process=')
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(await size(Buffer.from(await res.arrayBuffer()))).toMatchObject({ format: 'png', width: 120, height: 80 })
  })

  it('signed response-* overrides apply to the processed answer', async () => {
    const url = oss.signatureUrl('landscape.jpg', { process, expires: 60, response: { 'content-disposition': 'attachment; filename="缩略图.png"', 'cache-control': 'no-store' } })
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(Buffer.from(res.headers.get('content-disposition') as string, 'latin1').toString('utf8')).toBe('attachment; filename="缩略图.png"')
    expect(res.headers.get('content-type')).toBe('image/png')
    const headUrl = oss.signatureUrl('landscape.jpg', { method: 'HEAD', process, expires: 60, response: { 'content-disposition': 'inline; filename="图.png"' } } as never)
    const head = await fetch(headUrl, { method: 'HEAD' })
    expect(Buffer.from(head.headers.get('content-disposition') as string, 'latin1').toString('utf8')).toBe('inline; filename="图.png"')
  })

  it('V4 signatureUrlV4 with queries { x-oss-process } is served processed', async () => {
    const v4 = client(sandbox, BUCKET, { authorizationV4: true, region: 'oss-cn-hangzhou' })
    const url = await v4.signatureUrlV4('GET', 60, { headers: {}, queries: { 'x-oss-process': process } }, 'landscape.jpg')
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(await size(Buffer.from(await res.arrayBuffer()))).toMatchObject({ format: 'png', width: 120, height: 80 })
  })

  it('STS credentials sign processed URLs (V1 and V4) and requests', async () => {
    // ali-oss warns about refreshSTSToken whenever stsToken is set.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const creds = sandbox.issueStsCredentials({ expiresInSeconds: 600 })
    const sts = client(sandbox, BUCKET, { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, stsToken: creds.securityToken })
    const v1 = sts.signatureUrl('landscape.jpg', { process: 'style/thumb', expires: 60 })
    expect(v1).toContain('security-token=')
    expect(await size(Buffer.from(await (await fetch(v1)).arrayBuffer()))).toMatchObject({ width: 200, height: 200 })
    const stsV4 = client(sandbox, BUCKET, { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, stsToken: creds.securityToken, authorizationV4: true, region: 'oss-cn-hangzhou' })
    const v4 = await stsV4.signatureUrlV4('GET', 60, { headers: {}, queries: { 'x-oss-process': process } }, 'landscape.jpg')
    expect(await size(Buffer.from(await (await fetch(v4)).arrayBuffer()))).toMatchObject({ width: 120, height: 80 })
    expect(await size((await stsV4.get('portrait.jpg', { process: 'image/resize,h_300' })).content as Buffer)).toMatchObject({ width: 200, height: 300 })
    warn.mockRestore()
  })

  it('a process string appended to a URL that did not sign it → 403', async () => {
    const v1 = `${oss.signatureUrl('landscape.jpg', { expires: 60 })}&x-oss-process=${encodeURIComponent(process)}`
    const e1 = await fetchError(v1)
    expect(e1.status).toBe(403)
    expect(e1.fields.Code).toBe('SignatureDoesNotMatch')
    expect(e1.ec).toBe('0002-00000040')

    const signedOther = `${oss.signatureUrl('landscape.jpg', { process: 'style/thumb', expires: 60 })}`.replace(encodeURIComponent('style/thumb'), encodeURIComponent(process))
    expect((await fetchError(signedOther)).fields.Code).toBe('SignatureDoesNotMatch')

    const v4 = client(sandbox, BUCKET, { authorizationV4: true, region: 'oss-cn-hangzhou' })
    const v4url = `${await v4.signatureUrlV4('GET', 60, { headers: {}, queries: {} }, 'landscape.jpg')}&x-oss-process=${encodeURIComponent(process)}`
    const e4 = await fetchError(v4url)
    expect(e4.status).toBe(403)
    expect(e4.fields.Code).toBe('SignatureDoesNotMatch')
  })

  it('tampered or expired → 403', async () => {
    const url = new URL(oss.signatureUrl('landscape.jpg', { process, expires: 60 }))
    url.searchParams.set('Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')
    const tampered = await fetchError(url.toString())
    expect(tampered.status).toBe(403)
    expect(tampered.fields.Code).toBe('SignatureDoesNotMatch')
    expect(tampered.fields.StringToSign).toBe(`GET\n\n\n${url.searchParams.get('Expires')}\n/${BUCKET}/landscape.jpg?x-oss-process=${process}`)

    const expired = await fetchError(oss.signatureUrl('landscape.jpg', { process, expires: -5 }))
    expect(expired.status).toBe(403)
    expect(expired.fields.Message).toBe('Request has expired.')
    expect(expired.ec).toBe('0002-00000069')
  })
})

describe('errors', () => {
  it('an invalid process string → 400 with the engine’s EC in x-oss-ec and the XML', async () => {
    const e = await fetchError(oss.signatureUrl('landscape.jpg', { process: 'image/resize,m_abc,w_100', expires: 60 }))
    expect(e.status).toBe(400)
    expect(e.ec).toBe('0040-00000311')
    expect(e.fields).toMatchObject({ Code: 'InvalidArgument', EC: '0040-00000311' })
    expect(e.fields.Message).toContain('resize')
    const viaClient = await rejection(oss.get('landscape.jpg', { process: 'image/slim,1' }))
    expect(viaClient).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0040-00000213' })
  })

  it('sys/saveas in a GET → 400', async () => {
    const e = await rejection(oss.get('landscape.jpg', { process: `image/resize,w_100|sys/saveas,o_${encodeBase64Url('x.jpg')}` }))
    expect(e.status).toBe(400)
    expect(e.code).toBe('InvalidArgument')
    expect(await oss.head('x.jpg').catch((error: { status: number }) => error.status)).toBe(404)
  })

  it('missing object → 404 NoSuchKey EC 0040-00000024; missing watermark object → 404 NoSuchKey', async () => {
    const missing = await fetchError(oss.signatureUrl('nope.jpg', { process: 'image/resize,w_100', expires: 60 }))
    expect(missing.status).toBe(404)
    expect(missing.fields).toMatchObject({ Code: 'NoSuchKey', EC: '0040-00000024', Key: 'nope.jpg' })
    expect(missing.ec).toBe('0040-00000024')
    const wm = await rejection(oss.get('landscape.jpg', { process: `image/watermark,image_${encodeBase64Url('no-logo.png')}` }))
    expect(wm).toMatchObject({ status: 404, code: 'NoSuchKey' })
  })

  it('missing style → 404 NoSuchStyle; missing bucket → 404 NoSuchBucket', async () => {
    const style = await rejection(oss.get('landscape.jpg', { process: 'style/nope' }))
    expect(style).toMatchObject({ status: 404, code: 'NoSuchStyle' })
    const bucket = await rejection(client(sandbox, 'no-such-bucket').get('a.jpg', { process: 'image/resize,w_10' }))
    expect(bucket).toMatchObject({ status: 404, code: 'NoSuchBucket' })
  })

  it('a source over 20 MB → 400 ImageTooLarge (read no further than the limit)', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0)
    sample('landscape.jpg').copy(big)
    await oss.put('too-big.jpg', big)
    const e = await rejection(oss.get('too-big.jpg', { process: 'image/resize,w_100' }))
    expect(e).toMatchObject({ status: 400, code: 'ImageTooLarge', ecCode: '0040-00000009' })
    await oss.delete('too-big.jpg')
  })
})

describe('source-image protection', () => {
  const anon = (bucket: string, query = '') => fetch(`${sandbox.endpoint}/${bucket}/a.jpg${query}`)

  it('anonymous raw GET/HEAD and image/... → 403 EC 0040-00000031', async () => {
    for (const [method, query] of [
      ['GET', ''],
      ['HEAD', ''],
      ['GET', `?x-oss-process=${encodeURIComponent('image/resize,w_100')}`],
      ['HEAD', `?x-oss-process=${encodeURIComponent('image/resize,w_100')}`]
    ] as const) {
      const res = await fetch(`${sandbox.endpoint}/${PROTECTED}/a.jpg${query}`, { method })
      expect(res.status, `${method} ${query}`).toBe(403)
      expect(res.headers.get('x-oss-ec')).toBe('0040-00000031')
      if (method === 'GET') expect(errorFields(await res.text())).toMatchObject({ Code: 'AccessDenied', EC: '0040-00000031' })
    }
  })

  it('anonymous style/NAME → 200', async () => {
    const res = await anon(PROTECTED, `?x-oss-process=${encodeURIComponent('style/thumb')}`)
    expect(res.status).toBe(200)
    expect(await size(Buffer.from(await res.arrayBuffer()))).toMatchObject({ width: 200, height: 200 })
  })

  it('signed requests still read the original and any process', async () => {
    const signed = client(sandbox, PROTECTED)
    expect(((await signed.get('a.jpg')).content as Buffer).equals(sample('landscape.jpg'))).toBe(true)
    expect(await size((await signed.get('a.jpg', { process: 'image/resize,w_100' })).content as Buffer)).toMatchObject({ width: 100 })
    expect((await fetch(signed.signatureUrl('a.jpg', { process: 'image/resize,w_90', expires: 60 }))).status).toBe(200)
  })

  it('unprotected public buckets serve anonymous raw and processed GETs', async () => {
    expect((await anon(PUBLIC)).status).toBe(200)
    expect((await anon(PUBLIC, `?x-oss-process=${encodeURIComponent('image/resize,w_100')}`)).status).toBe(200)
  })
})

describe('client disconnects', () => {
  it('abort the engine through the request’s signal', async () => {
    const spy = vi.mocked(processImage)
    const errors = vi.spyOn(console, 'error')
    spy.mockClear()
    const heavy = 'image/blur,r_50,s_50/rotate,33/blur,r_50,s_50/rotate,17/blur,r_50,s_50/rotate,11/blur,r_50,s_50'
    const controller = new AbortController()
    const pending = fetch(oss.signatureUrl('large.jpg', { process: heavy, expires: 60 }), { signal: controller.signal })
    await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1), { timeout: 5000, interval: 5 })
    controller.abort()
    await expect(pending).rejects.toThrow()
    const signal = (spy.mock.calls[0]?.[2] as { signal?: AbortSignal }).signal
    await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 5000 })
    await expect(spy.mock.results[0]?.value).rejects.toMatchObject({ name: 'AbortError' })
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
    // The sandbox carries on.
    expect(await size((await oss.get('landscape.jpg', { process: 'image/resize,w_50' })).content as Buffer)).toMatchObject({ width: 50 })
  })
})
