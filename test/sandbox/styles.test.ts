/**
 * PutStyle / GetStyle / ListStyle / DeleteStyle with the real ali-oss client (`client.request`
 * with `subres: { style, styleName }`, as oss-rest-and-ali-oss.md §1.7 prescribes), V1 and V4:
 * OSS's name rules and ECs, content validation, the 50-per-bucket limit (also under concurrency),
 * the `style=<BucketName>` form, and styles in use by processed GETs.
 */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, rejection, removeDir, tempRoot } from './helpers'
import { raw, sample, size, xmlStyle } from './img-helpers'

const BUCKET = 'style-bucket'
const LIMIT = 'limit-bucket'
const RACE = 'race-bucket'
const OPEN = 'open-bucket'
const CREDS = { accessKeyId: 'LTAI5tStyleKey', accessKeySecret: 'style-secret' }
let root: string
let sandbox: Sandbox
let oss: OSS

const put = (c: OSS, bucket: string, styleName: string, content: string | Buffer) =>
  raw(c)({ method: 'PUT', bucket, subres: { style: '', styleName }, mime: 'xml', content: typeof content === 'string' ? xmlStyle(content) : content, successStatuses: [200] })
const get = (c: OSS, bucket: string, styleName: string) => raw(c)({ method: 'GET', bucket, subres: { style: '', styleName }, xmlResponse: true, successStatuses: [200] })
const listStyles = (c: OSS, bucket: string) => raw(c)({ method: 'GET', bucket, subres: { style: '' }, xmlResponse: true, successStatuses: [200] })
const del = (c: OSS, bucket: string, styleName: string, style = '') => raw(c)({ method: 'DELETE', bucket, subres: { style, styleName }, successStatuses: [204] })

/** ListStyle's `Style` as an array (ali-oss's XML parser gives one element as an object). */
function styles(data: unknown): { Name: string; Content: string }[] {
  const value = (data as { Style?: unknown } | null)?.Style
  return value === undefined ? [] : Array.isArray(value) ? value : [value as { Name: string; Content: string }]
}

beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandbox({
    dataDir: root,
    buckets: [BUCKET, LIMIT, RACE, { name: OPEN, acl: 'public-read-write' }],
    ...CREDS
  })
  oss = client(sandbox, BUCKET)
  await oss.put('photo.jpg', sample('landscape.jpg'))
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('PutStyle / GetStyle / ListStyle / DeleteStyle', () => {
  it('round-trips a style with OSS’s fields', async () => {
    const before = Date.now() - 1000
    const res = await put(oss, BUCKET, 'thumb', 'image/resize,m_fill,w_100,h_100')
    expect(res.status).toBe(200)
    const got = await get(oss, BUCKET, 'thumb')
    expect(got.data).toMatchObject({ Name: 'thumb', Content: 'image/resize,m_fill,w_100,h_100', Category: 'image' })
    const fields = got.data as { CreateTime: string; LastModifyTime: string }
    expect(fields.CreateTime).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
    expect(Date.parse(fields.CreateTime)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    expect(got.res.headers['content-type']).toBe('application/xml')
  })

  it('a style is used by ?x-oss-process=style/NAME at once, and replaced in place', async () => {
    expect(await size((await oss.get('photo.jpg', { process: 'style/thumb' })).content as Buffer)).toMatchObject({ width: 100, height: 100 })
    const created = ((await get(oss, BUCKET, 'thumb')).data as { CreateTime: string }).CreateTime
    await put(oss, BUCKET, 'thumb', 'image/resize,m_fill,w_64,h_48/format,png')
    const got = (await get(oss, BUCKET, 'thumb')).data as { Content: string; CreateTime: string }
    expect(got.Content).toBe('image/resize,m_fill,w_64,h_48/format,png')
    expect(got.CreateTime).toBe(created)
    expect(await size((await oss.get('photo.jpg', { process: 'style/thumb' })).content as Buffer)).toMatchObject({ format: 'png', width: 64, height: 48 })
  })

  it('lists styles by name, also through V4 signatures', async () => {
    const v4 = client(sandbox, BUCKET, { authorizationV4: true, region: 'oss-cn-hangzhou' })
    await put(v4, BUCKET, 'a.small-1_x', 'image/resize,p_50')
    await put(oss, BUCKET, 'Zed', 'image/rotate,90')
    const listed = await listStyles(v4, BUCKET)
    expect(styles(listed.data).map((s) => s.Name)).toEqual(['Zed', 'a.small-1_x', 'thumb'])
    expect(styles(listed.data)[0]).toMatchObject({ Content: 'image/rotate,90', Category: 'image' })
    expect(((await get(v4, BUCKET, 'a.small-1_x')).data as { Content: string }).Content).toBe('image/resize,p_50')
  })

  it('deletes (204), also in the documented style=<BucketName> form; then 404 NoSuchStyle', async () => {
    expect((await del(oss, BUCKET, 'Zed')).status).toBe(204)
    expect((await rejection(get(oss, BUCKET, 'Zed'))).code).toBe('NoSuchStyle')
    expect((await del(oss, BUCKET, 'a.small-1_x', BUCKET)).status).toBe(204)
    expect(styles((await listStyles(oss, BUCKET)).data).map((s) => s.Name)).toEqual(['thumb'])
    const again = await rejection(del(oss, BUCKET, 'Zed'))
    expect(again).toMatchObject({ status: 404, code: 'NoSuchStyle' })
    const use = await rejection(oss.get('photo.jpg', { process: 'style/Zed' }))
    expect(use).toMatchObject({ status: 404, code: 'NoSuchStyle' })
  })

  it('an empty list is an empty StyleList', async () => {
    const res = await raw(client(sandbox, LIMIT))({ method: 'GET', bucket: LIMIT, subres: { style: '' }, successStatuses: [200] })
    expect(Buffer.from(res.data as Buffer).toString()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<StyleList></StyleList>')
  })

  it('names that are object-ish (__proto__, constructor) are plain names', async () => {
    await put(oss, BUCKET, '__proto__', 'image/resize,w_10')
    await put(oss, BUCKET, 'constructor', 'image/resize,w_20')
    expect(((await get(oss, BUCKET, '__proto__')).data as { Content: string }).Content).toBe('image/resize,w_10')
    expect(styles((await listStyles(oss, BUCKET)).data).map((s) => s.Name)).toEqual(['__proto__', 'constructor', 'thumb'])
    await del(oss, BUCKET, '__proto__')
    await del(oss, BUCKET, 'constructor')
  })
})

describe('name and content rules', () => {
  it('1–63 characters: 63 is fine, 64 (or none) → 400 EC 0017-00000250', async () => {
    expect((await put(oss, BUCKET, 'n'.repeat(63), 'image/resize,w_10')).status).toBe(200)
    await del(oss, BUCKET, 'n'.repeat(63))
    const long = await rejection(put(oss, BUCKET, 'n'.repeat(64), 'image/resize,w_10'))
    expect(long).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0017-00000250' })
    expect(long.message).toBe(`The value: ${'n'.repeat(64)} of parameter: stylename is invalid.`)
    const none = await rejection(raw(oss)({ method: 'PUT', bucket: BUCKET, subres: { style: '' }, content: xmlStyle('image/resize,w_10'), successStatuses: [200] }))
    expect(none).toMatchObject({ status: 400, ecCode: '0017-00000250' })
  })

  it('characters other than letters, digits, _ - . → 400 EC 0017-00000251 (on every style API)', async () => {
    for (const name of ['bad name', 'bad!', '中文', 'a/b']) {
      const e = await rejection(put(oss, BUCKET, name, 'image/resize,w_10'))
      expect(e, name).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0017-00000251' })
    }
    expect(await rejection(get(oss, BUCKET, 'bad!'))).toMatchObject({ status: 400, ecCode: '0017-00000251' })
    expect(await rejection(del(oss, BUCKET, 'bad!'))).toMatchObject({ status: 400, ecCode: '0017-00000251' })
  })

  it('content must be a valid image/ chain without saveas; the body must be <Style><Content>', async () => {
    const invalid = await rejection(put(oss, BUCKET, 'x', 'image/resize,m_abc'))
    expect(invalid).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0040-00000311' })
    expect((await rejection(put(oss, BUCKET, 'x', 'style/thumb'))).status).toBe(400)
    expect((await rejection(put(oss, BUCKET, 'x', 'image/resize,w_10|sys/saveas,o_eC5qcGc'))).status).toBe(400)
    expect(await rejection(put(oss, BUCKET, 'x', Buffer.from('<Style><Nope>1</Nope></Style>')))).toMatchObject({ status: 400, code: 'MalformedXML' })
    expect(await rejection(put(oss, BUCKET, 'x', Buffer.from('not xml')))).toMatchObject({ status: 400, code: 'MalformedXML' })
    expect((await rejection(get(oss, BUCKET, 'x'))).code).toBe('NoSuchStyle')
  })

  it('a pretty-printed body works (whitespace around the content is dropped)', async () => {
    const body = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Style>\n  <Content>\n    image/resize,w_30/format,png\n  </Content>\n</Style>\n')
    await put(oss, BUCKET, 'pretty', body)
    expect(((await get(oss, BUCKET, 'pretty')).data as { Content: string }).Content).toBe('image/resize,w_30/format,png')
    await del(oss, BUCKET, 'pretty')
  })
})

describe('the 50-styles-per-bucket limit', () => {
  it('the 51st style → 403 AccessDenied; replacing one at 50 is fine; deleting frees a place', async () => {
    const c = client(sandbox, LIMIT)
    for (let i = 0; i < 50; i++) await put(c, LIMIT, `s${i}`, `image/resize,w_${i + 1}`)
    const over = await rejection(put(c, LIMIT, 's50', 'image/resize,w_10'))
    expect(over).toMatchObject({ status: 403, code: 'AccessDenied' })
    expect(over.message).toBe('Your style count is exceeded 50.')
    expect((await put(c, LIMIT, 's0', 'image/resize,w_99')).status).toBe(200)
    expect(styles((await listStyles(c, LIMIT)).data)).toHaveLength(50)
    await del(c, LIMIT, 's1')
    expect((await put(c, LIMIT, 's50', 'image/resize,w_10')).status).toBe(200)
  })

  it('holds under concurrent puts: exactly 50 of 60 succeed', async () => {
    const c = client(sandbox, RACE)
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => put(c, RACE, `r${i}`, 'image/resize,w_10')))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50)
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.status)).toEqual(Array(10).fill(403))
    expect(styles((await listStyles(c, RACE)).data)).toHaveLength(50)
  })
})

describe('access', () => {
  it('style APIs are owner-only, even on a public-read-write bucket', async () => {
    for (const [method, query] of [
      ['PUT', 'style&styleName=a'],
      ['GET', 'style&styleName=a'],
      ['GET', 'style'],
      ['DELETE', 'style&styleName=a']
    ] as const) {
      const res = await fetch(`${sandbox.endpoint}/${OPEN}/?${query}`, { method, ...(method === 'PUT' ? { body: xmlStyle('image/resize,w_10') } : {}) })
      expect(res.status, `${method} ?${query}`).toBe(403)
      expect(errorFields(await res.text()).Code).toBe('AccessDenied')
    }
  })

  it('styles on a missing bucket → 404 NoSuchBucket', async () => {
    expect(await rejection(get(oss, 'no-such-bucket', 'thumb'))).toMatchObject({ status: 404, code: 'NoSuchBucket' })
  })

  it('styles survive a restart over the same data folder', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ dataDir: root, ...CREDS })
    oss = client(sandbox, BUCKET)
    expect(((await get(oss, BUCKET, 'thumb')).data as { Content: string }).Content).toBe('image/resize,m_fill,w_64,h_48/format,png')
  })
})
