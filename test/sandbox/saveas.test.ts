/**
 * `POST ?x-oss-process` with `…|sys/saveas,o_…,b_…` (spec oss-img.md §8): ali-oss
 * `processObjectSave` (standard Base64, the source's MIME type as Content-Type) and raw requests
 * with URL-safe / unpadded Base64; non-ASCII targets; target buckets; the JSON answer read from
 * `res.data`; errors; POST without saveas; anonymous access and source-image protection.
 */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeBase64Url } from '../../src-shared/img/base64url'
import { demoBucket, startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, rejection, removeDir, tempRoot } from './helpers'
import { engine, postProcess, processObjectSave, sample, saveResult, size } from './img-helpers'

const BUCKET = 'demo-bucket'
const TARGET = 'saveas-target'
const READ_ONLY = 'read-only-bucket'
const OPEN = 'open-bucket'
const GUARDED = 'guarded-bucket'
let root: string
let sandbox: Sandbox
let oss: OSS

const std = (text: string) => Buffer.from(text, 'utf8').toString('base64')
const form = (value: string) => `x-oss-process=${encodeURIComponent(value)}`

beforeAll(async () => {
  root = tempRoot()
  const photo = { 'a.jpg': { data: sample('landscape.jpg') } }
  sandbox = await startSandbox({
    dataDir: root,
    buckets: [
      demoBucket(),
      TARGET,
      { name: READ_ONLY, acl: 'public-read', objects: photo },
      { name: OPEN, acl: 'public-read-write', objects: photo, styles: { small: 'image/resize,w_64' } },
      { name: GUARDED, acl: 'public-read-write', sourceProtection: true, objects: photo, styles: { small: 'image/resize,w_64' } }
    ]
  })
  oss = client(sandbox, BUCKET)
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('processObjectSave (ali-oss: standard Base64, padded)', () => {
  it('saves into the same bucket and answers {bucket,fileSize,object,status}', async () => {
    const result = await processObjectSave(oss, 'landscape.jpg', 'out.jpg', 'image/resize,w_100')
    expect(result.status).toBe(200)
    expect(result.res.headers['content-type']).toBe('application/json')
    const json = saveResult(result)
    expect(Object.keys(json)).toEqual(['bucket', 'fileSize', 'object', 'status'])
    const saved = (await oss.get('out.jpg')).content as Buffer
    expect(json).toEqual({ bucket: BUCKET, fileSize: saved.length, object: 'out.jpg', status: 'OK' })
    expect(saved.equals(await engine('landscape.jpg', 'image/resize,w_100'))).toBe(true)
    expect((await oss.head('out.jpg')).res.headers['content-type' as never]).toBe('image/jpeg')
  })

  it('saves a non-ASCII key into another bucket (Base64 with + and /)', async () => {
    expect(std('out/缩略图.jpg')).toMatch(/[+/]/)
    const result = await processObjectSave(oss, 'portrait.jpg', 'out/缩略图.jpg', 'image/resize,w_120/format,png', TARGET)
    expect(saveResult(result)).toMatchObject({ bucket: TARGET, object: 'out/缩略图.jpg', status: 'OK' })
    const saved = (await client(sandbox, TARGET).get('out/缩略图.jpg')).content as Buffer
    expect(await size(saved)).toMatchObject({ format: 'png', width: 120, height: 180 })
    expect(saveResult(result).fileSize).toBe(saved.length)
    await expect(oss.head('out/缩略图.jpg')).rejects.toMatchObject({ status: 404 })
  })

  it('accepts a trailing comma before |sys/saveas, as ali-oss’s own test sends to OSS (issue 17 §3)', async () => {
    const text = encodeBase64Url('Hello OSS')
    const process = `image/watermark,text_${text},color_ff6a00,`
    const result = await processObjectSave(oss, 'landscape.jpg', 'trailing-comma.jpg', process)
    expect(result.status).toBe(200)
    expect(saveResult(result)).toMatchObject({ object: 'trailing-comma.jpg', status: 'OK' })
    const saved = (await oss.get('trailing-comma.jpg')).content as Buffer
    expect(saved.equals(await engine('landscape.jpg', `image/watermark,text_${text},color_ff6a00`))).toBe(true)
  })

  it('saves a style’s result (style/NAME|sys/saveas)', async () => {
    const result = await processObjectSave(oss, 'large.jpg', 'styled/thumb.jpg', 'style/thumb')
    expect(saveResult(result).object).toBe('styled/thumb.jpg')
    expect(await size((await oss.get('styled/thumb.jpg')).content as Buffer)).toMatchObject({ width: 200, height: 200 })
  })

  it('works with V4 and STS signatures', async () => {
    const v4 = client(sandbox, BUCKET, { authorizationV4: true, region: 'oss-cn-hangzhou' })
    expect(saveResult(await processObjectSave(v4, 'landscape.jpg', 'v4.jpg', 'image/resize,w_40')).fileSize).toBeGreaterThan(0)
    const creds = sandbox.issueStsCredentials()
    const sts = client(sandbox, BUCKET, { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, stsToken: creds.securityToken, refreshSTSTokenInterval: 3_600_000, refreshSTSToken: async () => ({ accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, stsToken: creds.securityToken }) })
    expect(saveResult(await processObjectSave(sts, 'landscape.jpg', 'sts.jpg', 'image/resize,w_40')).object).toBe('sts.jpg')
  })
})

describe('raw POST bodies', () => {
  it('accepts URL-safe and standard Base64, padded or not, for o_ and b_', async () => {
    const key = 'out/缩略图-?.jpg'
    const variants: [string, (s: string) => string][] = [
      ['url-safe unpadded', encodeBase64Url],
      ['url-safe padded', (s) => std(s).replace(/\+/g, '-').replace(/\//g, '_')],
      ['standard unpadded', (s) => std(s).replace(/=+$/, '')],
      ['standard padded', std]
    ]
    for (const [name, encode] of variants) {
      const target = key.replace('?', name.replace(' ', '-'))
      const body = form(`image/resize,w_150|sys/saveas,o_${encode(target)},b_${encode(TARGET)}`)
      const json = saveResult(await postProcess(oss, 'landscape.jpg', body, 'application/x-www-form-urlencoded'))
      expect(json, name).toMatchObject({ bucket: TARGET, object: target, status: 'OK' })
      expect(await size((await client(sandbox, TARGET).get(target)).content as Buffer)).toMatchObject({ width: 150, height: 100 })
    }
  })

  it('parses the body as form data whatever the Content-Type; an unencoded + still reads as +', async () => {
    const target = 'out/缩略图+plus.jpg'
    const raw = `x-oss-process=image/resize,w_90|sys/saveas,o_${std(target)}`
    expect(raw).toContain('+')
    const json = saveResult(await postProcess(oss, 'landscape.jpg', raw, 'image/jpeg'))
    expect(json.object).toBe(target)
    const bare = saveResult(await postProcess(oss, 'landscape.jpg', `image/resize,w_80|sys/saveas,o_${encodeBase64Url('bare.jpg')}`, 'text/plain'))
    expect(bare.object).toBe('bare.jpg')
  })

  it('without sys/saveas answers the processed bytes', async () => {
    const result = await postProcess(oss, 'landscape.jpg', form('image/resize,w_77/format,webp'))
    expect(result.res.headers['content-type']).toBe('image/webp')
    const data = Buffer.from(result.res.data as Buffer)
    expect(await size(data)).toMatchObject({ format: 'webp', width: 77 })
    expect(data.equals(await engine('landscape.jpg', 'image/resize,w_77/format,webp'))).toBe(true)
  })
})

describe('errors (nothing is stored)', () => {
  const fails = (body: string) => rejection(postProcess(oss, 'landscape.jpg', body))

  it('missing target bucket → 404 NoSuchBucket', async () => {
    const e = await fails(form(`image/resize,w_10|sys/saveas,o_${encodeBase64Url('x.jpg')},b_${encodeBase64Url('no-such-bucket')}`))
    expect(e).toMatchObject({ status: 404, code: 'NoSuchBucket' })
  })

  it('invalid target names → 400; o_ that is not Base64 → 400', async () => {
    expect(await fails(form(`image/resize,w_10|sys/saveas,o_${encodeBase64Url('x.jpg')},b_${encodeBase64Url('Bad_Bucket')}`))).toMatchObject({ status: 400, code: 'InvalidBucketName' })
    expect(await fails(form(`image/resize,w_10|sys/saveas,o_${encodeBase64Url('../x.jpg')}`))).toMatchObject({ status: 400, code: 'InvalidObjectName' })
    expect(await fails(form(`image/resize,w_10|sys/saveas,o_${encodeBase64Url('/abs.jpg')}`))).toMatchObject({ status: 400, code: 'InvalidObjectName' })
    expect(await fails(form('image/resize,w_10|sys/saveas,o_!!!'))).toMatchObject({ status: 400, code: 'InvalidArgument' })
    expect(await fails(form('image/resize,w_10|sys/saveas,b_ZGVtby1idWNrZXQ'))).toMatchObject({ status: 400 })
  })

  it('an invalid chain → 400 with the engine’s EC; an empty body → 400', async () => {
    const e = await fails(form(`image/resize,m_abc|sys/saveas,o_${encodeBase64Url('bad.jpg')}`))
    expect(e).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0040-00000311' })
    await expect(oss.head('bad.jpg')).rejects.toMatchObject({ status: 404 })
    expect(await fails('')).toMatchObject({ status: 400, code: 'InvalidArgument' })
  })

  it('missing source → 404 NoSuchKey EC 0040-00000024; missing style → 404 NoSuchStyle', async () => {
    // ali-oss gives processObjectSave no successStatuses: it resolves with the error status and
    // leaves the <Error> XML in res.data instead of throwing. Callers must check `status`.
    const missing = await processObjectSave(oss, 'nope.jpg', 'n.jpg', 'image/resize,w_10')
    expect(missing.status).toBe(404)
    expect(missing.res.headers['x-oss-ec']).toBe('0040-00000024')
    expect(errorFields(Buffer.from(missing.res.data as Buffer).toString())).toMatchObject({ Code: 'NoSuchKey', EC: '0040-00000024', Key: 'nope.jpg' })
    const style = await processObjectSave(oss, 'landscape.jpg', 'n.jpg', 'style/nope')
    expect(style.status).toBe(404)
    expect(errorFields(Buffer.from(style.res.data as Buffer).toString()).Code).toBe('NoSuchStyle')
    expect(await rejection(postProcess(oss, 'nope.jpg', form(`image/resize,w_10|sys/saveas,o_${encodeBase64Url('n.jpg')}`)))).toMatchObject({ status: 404, code: 'NoSuchKey', ecCode: '0040-00000024' })
    await expect(oss.head('n.jpg')).rejects.toMatchObject({ status: 404 })
  })

  it('saveas in a GET → 400', async () => {
    const e = await rejection(oss.get('landscape.jpg', { process: `image/resize,w_10|sys/saveas,o_${encodeBase64Url('get.jpg')}` }))
    expect(e).toMatchObject({ status: 400, code: 'InvalidArgument' })
    await expect(oss.head('get.jpg')).rejects.toMatchObject({ status: 404 })
  })
})

describe('anonymous callers', () => {
  const anonPost = (bucket: string, value: string) =>
    fetch(`${sandbox.endpoint}/${bucket}/a.jpg?x-oss-process`, { method: 'POST', body: form(value), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })

  it('need write access to the target bucket (oss:PutObject)', async () => {
    const denied = await anonPost(READ_ONLY, `image/resize,w_10|sys/saveas,o_${encodeBase64Url('anon.jpg')}`)
    expect(denied.status).toBe(403)
    expect(errorFields(await denied.text()).Code).toBe('AccessDenied')
    const allowed = await anonPost(OPEN, `image/resize,w_10|sys/saveas,o_${encodeBase64Url('anon.jpg')}`)
    expect(allowed.status).toBe(200)
    expect(await allowed.json()).toMatchObject({ bucket: OPEN, object: 'anon.jpg', status: 'OK' })
    const processed = await anonPost(READ_ONLY, 'image/resize,w_10')
    expect(processed.status).toBe(200)
    expect(processed.headers.get('content-type')).toBe('image/jpeg')
  })

  it('may only use styles on a bucket with source-image protection', async () => {
    const denied = await anonPost(GUARDED, `image/resize,w_10|sys/saveas,o_${encodeBase64Url('guarded.jpg')}`)
    expect(denied.status).toBe(403)
    expect(denied.headers.get('x-oss-ec')).toBe('0040-00000031')
    const styled = await anonPost(GUARDED, `style/small|sys/saveas,o_${encodeBase64Url('guarded.jpg')}`)
    expect(styled.status).toBe(200)
    expect(await size((await client(sandbox, GUARDED).get('guarded.jpg')).content as Buffer)).toMatchObject({ width: 64 })
  })
})
