/**
 * Issue 13 §2 through the real ali-oss client and plain (anonymous) fetch: the style delimiter
 * form `<key><delim><style>` (spec oss-img.md §7), object ACLs (PutObjectACL / GetObjectACL,
 * `x-oss-object-acl` on put, `default` inheriting the bucket's), and source-image protection rules.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, rejection, removeDir, tempRoot } from './helpers'
import { sample } from './img-helpers'

const BANG = 'bang-bucket'
const DASH = 'dash-bucket'
const SLASH = 'slash-bucket'
const PRIVATE = 'private-bucket'
const RULES = 'rules-bucket'
const jpg = { data: sample('landscape.jpg') }
const styles = { thumb: 'image/resize,m_fill,w_200,h_200', 'webp-80': 'image/resize,w_80/format,webp' }
let root: string
let sandbox: Sandbox

beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandbox({
    dataDir: root,
    buckets: [
      { name: BANG, acl: 'public-read', styleDelimiter: '!', styles, objects: { 'a.jpg': jpg, 'dir/b.jpg': jpg, 'literal.jpg!thumb': { data: Buffer.from('not an image'), contentType: 'text/plain' } } },
      { name: DASH, acl: 'public-read', styleDelimiter: '-', styles, objects: { 'my-photo.jpg': jpg } },
      { name: SLASH, acl: 'public-read', styleDelimiter: '/', styles, objects: { 'a.jpg': jpg } },
      { name: PRIVATE, acl: 'private', styleDelimiter: '!', styles, objects: { 'a.jpg': jpg, 'b.jpg': jpg } },
      {
        name: RULES,
        acl: 'public-read',
        styleDelimiter: '!',
        sourceProtection: true,
        protectionRules: [{ prefix: '', suffix: '.jpg' }, { prefix: 'raw/', suffix: '' }],
        protectionIgnoreCase: true,
        styles,
        objects: { 'a.jpg': jpg, 'B.JPG': jpg, 'c.png': { data: sample('logo.png') }, 'raw/d.png': { data: sample('logo.png') } }
      }
    ],
    accessKeyId: 'LTAI5tDelimKey',
    accessKeySecret: 'delim-secret'
  })
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

const anon = (bucket: string, path: string, init?: RequestInit) => fetch(`${sandbox.endpoint}/${bucket}/${path}`, init)

async function dims(res: Response) {
  const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata()
  return { width: meta.width, height: meta.height, format: meta.format }
}

describe('style delimiter form', () => {
  it('serves <key>!<style> exactly as ?x-oss-process=style/<style>', async () => {
    const styled = await anon(BANG, 'a.jpg!thumb')
    expect(styled.status).toBe(200)
    expect(styled.headers.get('content-type')).toBe('image/jpeg')
    const bytes = Buffer.from(await styled.arrayBuffer())
    const query = Buffer.from(await (await anon(BANG, `a.jpg?x-oss-process=${encodeURIComponent('style/thumb')}`)).arrayBuffer())
    expect(bytes.equals(query)).toBe(true)
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 200, height: 200 })
    expect(await dims(await anon(BANG, 'dir/b.jpg!webp-80'))).toMatchObject({ width: 80, format: 'webp' })
  })

  it('HEAD on the delimiter form answers the processed headers', async () => {
    const res = await anon(BANG, 'a.jpg!webp-80', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/webp')
  })

  it('"-" splits at the delimiter whose left part is an object (keys and style names may contain "-")', async () => {
    expect(await dims(await anon(DASH, 'my-photo.jpg-webp-80'))).toMatchObject({ width: 80, format: 'webp' })
    expect(await dims(await anon(DASH, 'my-photo.jpg-thumb'))).toMatchObject({ width: 200, height: 200 })
  })

  it('"/" works too', async () => {
    expect(await dims(await anon(SLASH, 'a.jpg/thumb'))).toMatchObject({ width: 200, height: 200 })
  })

  it('an existing object of the whole key is served as is', async () => {
    const res = await anon(BANG, 'literal.jpg!thumb')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('not an image')
  })

  it('a missing style → 404 NoSuchStyle; a missing source → 404 NoSuchKey', async () => {
    const style = await anon(BANG, 'a.jpg!nope')
    expect(style.status).toBe(404)
    expect(errorFields(await style.text()).Code).toBe('NoSuchStyle')
    const key = await anon(BANG, 'missing.jpg!thumb')
    expect(key.status).toBe(404)
    expect(errorFields(await key.text()).Code).toBe('NoSuchKey')
  })

  it('only the bucket’s delimiter counts', async () => {
    expect((await anon(DASH, 'my-photo.jpg!thumb')).status).toBe(404)
    expect((await anon(BANG, 'a.jpg-thumb')).status).toBe(404)
  })

  it('signed V1 and V4 URLs of the delimiter form (private bucket) work; unsigned ones are refused', async () => {
    const oss = client(sandbox, PRIVATE)
    const v1 = oss.signatureUrl('a.jpg!thumb', { expires: 60 })
    expect(await dims(await fetch(v1))).toMatchObject({ width: 200, height: 200 })
    const v4 = await (client(sandbox, PRIVATE, { region: 'oss-cn-hangzhou' }) as unknown as { signatureUrlV4(m: string, e: number, r: object, k: string): Promise<string> }).signatureUrlV4('GET', 60, { headers: {}, queries: {} }, 'a.jpg!thumb')
    expect(await dims(await fetch(v4))).toMatchObject({ width: 200, height: 200 })
    const refused = await anon(PRIVATE, 'a.jpg!thumb')
    expect(refused.status).toBe(403)
    expect(errorFields(await refused.text())).toMatchObject({ Code: 'AccessDenied', Message: 'You have no right to access this object because of bucket acl.' })
  })

  it('the settings can be read and changed at run time; invalid ones are refused', async () => {
    expect(await sandbox.imageSettings(SLASH)).toMatchObject({ styleDelimiter: '/' })
    await sandbox.updateImageSettings(SLASH, { styleDelimiter: '_' })
    expect((await anon(SLASH, 'a.jpg/thumb')).status).toBe(404)
    expect(await dims(await anon(SLASH, 'a.jpg_thumb'))).toMatchObject({ width: 200 })
    await expect(sandbox.updateImageSettings(SLASH, { styleDelimiter: '#' as never })).rejects.toThrow(/styleDelimiter: expected one of - _ \/ ! but received "#"/)
    await expect(sandbox.updateImageSettings('no-such-bucket', { sourceProtection: true })).rejects.toMatchObject({ code: 'NoSuchBucket' })
    expect(await sandbox.imageSettings(SLASH)).toMatchObject({ styleDelimiter: '_' })
  })
})

describe('object ACL', () => {
  it('putACL / getACL as ali-oss sends them; default inherits the bucket', async () => {
    const oss = client(sandbox, PRIVATE)
    expect((await oss.getACL('a.jpg')).acl).toBe('default')
    expect((await anon(PRIVATE, 'a.jpg')).status).toBe(403)
    await oss.putACL('a.jpg', 'public-read')
    expect((await oss.getACL('a.jpg')).acl).toBe('public-read')
    const res = await anon(PRIVATE, 'a.jpg')
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(sample('landscape.jpg'))).toBe(true)
    // The delimiter form reads the source object, so its ACL applies.
    expect(await dims(await anon(PRIVATE, 'a.jpg!thumb'))).toMatchObject({ width: 200 })
    expect((await anon(PRIVATE, 'b.jpg')).status).toBe(403)
    await oss.putACL('a.jpg', 'default' as never)
    expect((await anon(PRIVATE, 'a.jpg')).status).toBe(403)
  })

  it('putBucketACL / getBucketACL as ali-oss sends them; objects with the default ACL follow the bucket', async () => {
    const oss = client(sandbox, PRIVATE)
    expect((await anon(PRIVATE, 'b.jpg')).status).toBe(403)
    await oss.putBucketACL(PRIVATE, 'public-read')
    expect((await oss.getBucketACL(PRIVATE)).acl).toBe('public-read')
    expect((await anon(PRIVATE, 'b.jpg')).status).toBe(200)
    expect((await anon(PRIVATE, 'b.jpg', { method: 'PUT', body: 'x' })).status).toBe(403)
    await oss.putBucketACL(PRIVATE, 'private')
    expect((await anon(PRIVATE, 'b.jpg')).status).toBe(403)
  })

  it('a private object in a public-read bucket refuses anonymous reads (object acl)', async () => {
    const oss = client(sandbox, BANG)
    await oss.put('secret.jpg', sample('landscape.jpg'), { headers: { 'x-oss-object-acl': 'private' } })
    expect((await oss.getACL('secret.jpg')).acl).toBe('private')
    const res = await anon(BANG, 'secret.jpg')
    expect(res.status).toBe(403)
    expect(errorFields(await res.text())).toMatchObject({ Code: 'AccessDenied', Message: 'You have no right to access this object because of object acl.' })
    expect((await anon(BANG, 'secret.jpg!thumb')).status).toBe(403)
    expect((await oss.get('secret.jpg')).res.status).toBe(200)
  })

  it('x-oss-object-acl on CopyObject and multipart uploads sets the new object’s ACL', async () => {
    const oss = client(sandbox, PRIVATE)
    await oss.copy('copied.jpg', 'a.jpg', { headers: { 'x-oss-object-acl': 'public-read' } })
    expect((await oss.getACL('copied.jpg')).acl).toBe('public-read')
    expect((await anon(PRIVATE, 'copied.jpg')).status).toBe(200)
    await oss.multipartUpload('parts.jpg', sample('landscape.jpg'), { partSize: 100 * 1024, headers: { 'x-oss-object-acl': 'public-read' } } as never)
    expect((await oss.getACL('parts.jpg')).acl).toBe('public-read')
    const res = await anon(PRIVATE, 'parts.jpg')
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(sample('landscape.jpg'))).toBe(true)
  })

  it('a public-read-write object accepts anonymous overwrites only for itself', async () => {
    const oss = client(sandbox, PRIVATE)
    await oss.put('drop.txt', Buffer.from('one'), { headers: { 'x-oss-object-acl': 'public-read-write' } })
    expect((await anon(PRIVATE, 'drop.txt', { method: 'PUT', body: 'two' })).status).toBe(200)
    expect(((await oss.get('drop.txt')).content as Buffer).toString()).toBe('two')
    expect((await anon(PRIVATE, 'other.txt', { method: 'PUT', body: 'x' })).status).toBe(403)
  })

  it('an unknown ACL → 400 InvalidArgument naming the header; getACL of a missing key → 404; anonymous ACL calls → 403', async () => {
    const oss = client(sandbox, BANG)
    const bad = await rejection(oss.putACL('a.jpg', 'world-writable' as never))
    expect(bad).toMatchObject({ status: 400, code: 'InvalidArgument' })
    expect(bad.message).toContain('no such object access control exists')
    expect(await rejection(oss.getACL('missing.jpg'))).toMatchObject({ status: 404, code: 'NoSuchKey' })
    expect((await anon(BANG, 'a.jpg?acl')).status).toBe(403)
  })
})

describe('source-image protection rules', () => {
  it('covered keys (suffix .jpg, any case; prefix raw/) refuse anonymous raw and image/ reads with EC 0040-00000031', async () => {
    for (const path of ['a.jpg', 'B.JPG', 'raw/d.png', `a.jpg?x-oss-process=${encodeURIComponent('image/resize,w_50')}`]) {
      const res = await anon(RULES, path)
      expect(res.status, path).toBe(403)
      expect(res.headers.get('x-oss-ec')).toBe('0040-00000031')
      expect(errorFields(await res.text())).toMatchObject({ Code: 'AccessDenied', Message: 'The channel can be only accessed using style.' })
    }
  })

  it('keys no rule covers are served raw; styles (both forms) always work; signed reads too', async () => {
    const png = await anon(RULES, 'c.png')
    expect(png.status).toBe(200)
    expect(Buffer.from(await png.arrayBuffer()).equals(sample('logo.png'))).toBe(true)
    expect(await dims(await anon(RULES, 'a.jpg!thumb'))).toMatchObject({ width: 200 })
    expect(await dims(await anon(RULES, `B.JPG?x-oss-process=${encodeURIComponent('style/thumb')}`))).toMatchObject({ width: 200 })
    const oss = client(sandbox, RULES)
    expect(((await oss.get('a.jpg')).content as Buffer).equals(sample('landscape.jpg'))).toBe(true)
    expect((await fetch(oss.signatureUrl('B.JPG', { process: 'image/resize,w_60', expires: 60 }))).status).toBe(200)
  })

  it('case-sensitive rules leave other cases unprotected; more than 10 rules are refused', async () => {
    await sandbox.updateImageSettings(RULES, { protectionIgnoreCase: false })
    expect((await anon(RULES, 'B.JPG')).status).toBe(200)
    expect((await anon(RULES, 'a.jpg')).status).toBe(403)
    const rules = Array.from({ length: 11 }, (_, i) => ({ prefix: `p${i}/`, suffix: '' }))
    await expect(sandbox.updateImageSettings(RULES, { protectionRules: rules })).rejects.toThrow(/at most 10 rules but received 11/)
  })
})
