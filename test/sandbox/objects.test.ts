/**
 * Bucket and object operations through the real ali-oss client (path style against
 * http://localhost:PORT): metadata, non-ASCII keys, Range, copy, deleteMulti, ACL, errors.
 */
import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { startSandboxServer } from '../../src-main/sandbox/server'
import { client, errorFields, getBucketAcl, getObjectMeta, list, listBuckets, rejection, removeDir, tempRoot, raw } from './helpers'

const BUCKET = 'demo-bucket'
const CN_KEY = 'dir/中文 名.jpg'
let root: string
let sandbox: Sandbox
let oss: OSS

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex').toUpperCase()


beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandbox({ dataDir: root, buckets: [BUCKET, 'other-bucket'] })
  oss = client(sandbox, BUCKET)
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('objects', () => {
  it('puts, gets, heads and deletes a non-ASCII key with metadata', async () => {
    const body = Buffer.from('fake jpeg bytes \u00ff'.repeat(100))
    const put = await oss.put(CN_KEY, body, { meta: { author: 'alice', n: 7 } as unknown as OSS.UserMeta, headers: { 'Cache-Control': 'max-age=60' } })
    expect(put.res.status).toBe(200)
    expect(put.url).toBe(`${sandbox.endpoint}/${BUCKET}/dir/%E4%B8%AD%E6%96%87%20%E5%90%8D.jpg`)
    const etag = `"${md5(body)}"`
    expect((put.res.headers as Record<string, string>).etag).toBe(etag)

    const got = await oss.get(CN_KEY)
    expect(Buffer.compare(got.content as Buffer, body)).toBe(0)
    const headers = got.res.headers as Record<string, string>
    expect(headers['content-type']).toBe('image/jpeg')
    expect(headers.etag).toBe(etag)
    expect(headers['cache-control']).toBe('max-age=60')
    expect(headers['x-oss-meta-author']).toBe('alice')
    expect(new Date(headers['last-modified'] as string).getTime()).toBeGreaterThan(Date.now() - 60_000)

    const head = await oss.head(CN_KEY)
    expect(head.status).toBe(200)
    expect(head.meta).toEqual({ author: 'alice', n: '7' })
    expect((head.res.headers as Record<string, string>)['content-length']).toBe(String(body.length))

    const objectMeta = await getObjectMeta(oss, CN_KEY)
    expect(objectMeta.res.headers.etag).toBe(etag)

    await oss.delete(CN_KEY)
    const missing = await rejection(oss.get(CN_KEY))
    expect(missing.status).toBe(404)
    expect(missing.code).toBe('NoSuchKey')
    expect(missing.ecCode).toBe('0026-00000001')
    const headMissing = await rejection(oss.head(CN_KEY))
    expect(headMissing.code).toBe('NoSuchKey')
    // Deleting a missing key is a success, as in OSS.
    expect((await oss.delete(CN_KEY)).res.status).toBe(204)
  })

  it('keeps `dir/` and `dir/file` as two objects, and metadata survives a restart', async () => {
    await oss.put('nest/', Buffer.alloc(0))
    await oss.put('nest/file', Buffer.from('inside'))
    expect((await oss.get('nest/')).content.length).toBe(0)
    expect((await oss.get('nest/file')).content.toString()).toBe('inside')
    await oss.put('persist.txt', Buffer.from('kept'), { mime: 'text/x-custom', meta: { k: 'v' } as unknown as OSS.UserMeta })

    await sandbox.close()
    sandbox = await startSandbox({ dataDir: root, accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret })
    oss = client(sandbox, BUCKET)
    expect(sandbox.buckets).toEqual(['demo-bucket', 'other-bucket'])
    const got = await oss.get('persist.txt')
    expect(got.content.toString()).toBe('kept')
    expect((got.res.headers as Record<string, string>)['content-type']).toBe('text/x-custom')
    expect((got.res.headers as Record<string, string>)['x-oss-meta-k']).toBe('v')
    expect((await oss.get('nest/file')).content.toString()).toBe('inside')
  })

  it('serves byte ranges', async () => {
    const body = Buffer.from('0123456789abcdef')
    await oss.put('range.bin', body)
    const part = await oss.get('range.bin', { headers: { Range: 'bytes=2-5' } })
    expect(part.res.status).toBe(206)
    expect(part.content.toString()).toBe('2345')
    expect((part.res.headers as Record<string, string>)['content-range']).toBe('bytes 2-5/16')
    expect((await oss.get('range.bin', { headers: { Range: 'bytes=-3' } })).content.toString()).toBe('def')
    expect((await oss.get('range.bin', { headers: { Range: 'bytes=10-' } })).content.toString()).toBe('abcdef')
    expect((await oss.get('range.bin', { headers: { Range: 'bytes=14-99' } })).content.toString()).toBe('ef')
    // Not a valid single range: the whole object, 200 (OSS behaviour).
    const whole = await oss.get('range.bin', { headers: { Range: 'bytes=5-2' } })
    expect(whole.res.status).toBe(200)
    expect(whole.content.length).toBe(16)
    const past = await rejection(oss.get('range.bin', { headers: { Range: 'bytes=16-20' } }))
    expect(past.status).toBe(416)
    expect(past.code).toBe('InvalidRange')
  })

  it('answers conditional GETs', async () => {
    const put = await oss.put('cond.txt', Buffer.from('x'))
    const etag = (put.res.headers as Record<string, string>).etag as string
    const notModified = await oss.get('cond.txt', { headers: { 'If-None-Match': etag } })
    expect(notModified.res.status).toBe(304)
    const failed = await rejection(oss.get('cond.txt', { headers: { 'If-Match': '"0000"' } }))
    expect(failed.status).toBe(412)
  })

  it('copies objects, keeping or replacing metadata, across buckets too', async () => {
    await oss.put('src/a.png', Buffer.from('png!'), { meta: { origin: 'upload' } as unknown as OSS.UserMeta })
    const kept = await oss.copy('dst/kept.png', 'src/a.png')
    expect(kept.res.status).toBe(200)
    expect(kept.data?.etag).toBe(`"${md5('png!')}"`)
    const keptHead = await oss.head('dst/kept.png')
    expect(keptHead.meta).toEqual({ origin: 'upload' })

    await oss.copy('dst/replaced.png', 'src/a.png', { meta: { origin: 'copy' } as unknown as OSS.UserMeta })
    expect((await oss.head('dst/replaced.png')).meta).toEqual({ origin: 'copy' })

    const other = client(sandbox, 'other-bucket')
    await other.copy('from-demo.png', 'src/a.png', BUCKET)
    expect((await other.get('from-demo.png')).content.toString()).toBe('png!')

    // Non-ASCII source keys travel percent-encoded in x-oss-copy-source.
    await oss.put(CN_KEY, Buffer.from('cn'))
    await oss.copy('dst/中文 copy.jpg', CN_KEY)
    expect((await oss.get('dst/中文 copy.jpg')).content.toString()).toBe('cn')

    const missing = await rejection(oss.copy('dst/none', 'src/none'))
    expect(missing.code).toBe('NoSuchKey')
  })

  it('deletes many objects at once', async () => {
    const keys = ['multi/a', 'multi/b & <c>', 'multi/中文', 'multi/never-existed']
    for (const key of keys.slice(0, 3)) await oss.put(key, Buffer.from(key))
    const result = await oss.deleteMulti(keys)
    expect((result.deleted as unknown as { Key: string }[]).map((d) => d.Key).sort()).toEqual([...keys].sort())
    const listed = await list(oss, { prefix: 'multi/', 'max-keys': 100 })
    expect(listed.objects).toEqual([])

    await oss.put('multi/q', Buffer.from('q'))
    const quiet = await oss.deleteMulti(['multi/q'], { quiet: true })
    expect(quiet.deleted).toEqual([])
    expect((await rejection(oss.get('multi/q'))).code).toBe('NoSuchKey')
  })

  it('refuses overwrites with x-oss-forbid-overwrite', async () => {
    await oss.put('once.txt', Buffer.from('1'))
    const err = await rejection(oss.put('once.txt', Buffer.from('2'), { headers: { 'x-oss-forbid-overwrite': 'true' } }))
    expect(err.status).toBe(409)
    expect(err.code).toBe('FileAlreadyExists')
    expect((await oss.get('once.txt')).content.toString()).toBe('1')
  })

  it('streams uploads (chunked) and rejects a wrong Content-MD5', async () => {
    const { Readable } = await import('node:stream')
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i))
    await oss.putStream('stream.bin', Readable.from(chunks))
    const got = await oss.get('stream.bin')
    expect(md5(got.content as Buffer)).toBe(md5(Buffer.concat(chunks)))

    const bad = await rejection(oss.put('bad-md5.txt', Buffer.from('abc'), { headers: { 'Content-MD5': createHash('md5').update('xyz').digest('base64') } }))
    expect(bad.code).toBe('BadDigest')
    expect((await rejection(oss.get('bad-md5.txt'))).code).toBe('NoSuchKey')
  })
})

describe('buckets', () => {
  it('creates, lists, describes and deletes buckets', async () => {
    await oss.putBucket('new-bucket')
    const listed = await listBuckets(oss)
    expect(listed.buckets?.map((b) => b.name)).toEqual(['demo-bucket', 'new-bucket', 'other-bucket'])
    expect(listed.owner.id).toMatch(/^\d{16}$/)
    expect(listed.buckets?.[0]?.region).toBe('oss-cn-hangzhou')

    const paged = await listBuckets(oss, { 'max-keys': 2 })
    expect(paged.buckets?.length).toBe(2)
    expect(paged.isTruncated).toBe(true)
    expect(paged.nextMarker).toBe('new-bucket')

    const info = await oss.getBucketInfo('new-bucket')
    expect(info.bucket.Name).toBe('new-bucket')
    expect(info.bucket.AccessControlList.Grant).toBe('private')
    expect(info.bucket.Location).toBe('oss-cn-hangzhou')

    const exists = await rejection(oss.putBucket('new-bucket'))
    expect(exists.status).toBe(409)
    expect(exists.code).toBe('BucketAlreadyExists')

    const scoped = client(sandbox, 'new-bucket')
    await scoped.put('x', Buffer.from('x'))
    const notEmpty = await rejection(oss.deleteBucket('new-bucket'))
    expect(notEmpty.code).toBe('BucketNotEmpty')
    await scoped.delete('x')
    await oss.deleteBucket('new-bucket')
    const gone = await rejection(oss.getBucketInfo('new-bucket'))
    expect(gone.status).toBe(404)
    expect(gone.code).toBe('NoSuchBucket')
    expect(sandbox.buckets).not.toContain('new-bucket')
  })

  it('sets and reads the bucket ACL, at creation or later', async () => {
    await oss.putBucket('acl-bucket', { acl: 'public-read' } as never)
    expect((await getBucketAcl(oss, 'acl-bucket')).acl).toBe('public-read')
    await oss.putBucketACL('acl-bucket', 'private')
    const acl = await getBucketAcl(oss, 'acl-bucket')
    expect(acl.acl).toBe('private')
    expect(acl.owner.id).toMatch(/^\d{16}$/)
    const bad = await rejection(oss.putBucketACL('acl-bucket', 'everyone' as never))
    expect(bad.code).toBe('InvalidArgument')
  })

  it('rejects invalid bucket names and unknown buckets', async () => {
    const res = await fetch(`${sandbox.endpoint}/Bad_Bucket/x.jpg`)
    expect(res.status).toBe(400)
    expect(errorFields(await res.text()).Code).toBe('InvalidBucketName')
    const missing = await rejection(client(sandbox, 'no-such-bucket').get('a.jpg'))
    expect(missing.status).toBe(404)
    expect(missing.code).toBe('NoSuchBucket')
  })

  it('answers MalformedXML and InvalidArgument as OSS does', async () => {
    const malformed = await rejection(
      raw(oss)({ method: 'POST', bucket: BUCKET, subres: { delete: '' }, mime: 'xml', content: Buffer.from('<Delete><Object><Key>a</Key>'), successStatuses: [200] })
    )
    expect(malformed.status).toBe(400)
    expect(malformed.code).toBe('MalformedXML')
    const tooMany = await rejection(list(oss, { 'max-keys': 5000 }))
    expect(tooMany.code).toBe('InvalidArgument')
    const notImplemented = await rejection(raw(oss)({ method: 'GET', bucket: BUCKET, subres: { lifecycle: '' }, successStatuses: [200] }))
    expect(notImplemented.status).toBe(501)
  })
})

describe('error wire format', () => {
  it('sends <Error> with Code, Message, RequestId, HostId, EC and the x-oss-* headers', async () => {
    await oss.putBucketACL(BUCKET, 'public-read')
    try {
      const res = await fetch(`${sandbox.endpoint}/${BUCKET}/missing.jpg`)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toBe('application/xml')
      const fields = errorFields(await res.text())
      expect(fields.Code).toBe('NoSuchKey')
      expect(fields.Message).toBe('The specified key does not exist.')
      expect(fields.RequestId).toBe(res.headers.get('x-oss-request-id'))
      expect(fields.HostId).toBe(`${BUCKET}.localhost`)
      expect(fields.EC).toBe('0026-00000001')
      expect(fields.Key).toBe('missing.jpg')
      expect(res.headers.get('x-oss-ec')).toBe('0026-00000001')

      const head = await fetch(`${sandbox.endpoint}/${BUCKET}/missing.jpg`, { method: 'HEAD' })
      expect(head.status).toBe(404)
      const err = head.headers.get('x-oss-err')
      expect(err).toBeTruthy()
      expect(errorFields(Buffer.from(err as string, 'base64').toString('utf8')).Code).toBe('NoSuchKey')
    } finally {
      await oss.putBucketACL(BUCKET, 'private')
    }
  })

  it('tolerates virtual-host style requests (Host: <bucket>.localhost)', async () => {
    await oss.putBucketACL('other-bucket', 'public-read')
    await client(sandbox, 'other-bucket').put('vhost.txt', Buffer.from('vhost!'))
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: sandbox.port, path: '/vhost.txt', headers: { host: `other-bucket.localhost:${sandbox.port}` } }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(`${res.statusCode} ${text}`))
      })
      req.on('error', reject)
      req.end()
    })
    expect(body).toBe('200 vhost!')
  })
})

describe('size limit', () => {
  it('answers 400 EntityTooLarge past the configured limit and stores nothing', async () => {
    const dir = tempRoot()
    const small = await startSandboxServer({ dataDir: dir, buckets: ['tiny-bucket'], maxObjectSize: 1024 })
    try {
      const c = client(small, 'tiny-bucket')
      await c.put('ok.bin', Buffer.alloc(1024))
      const tooLarge = await rejection(c.put('big.bin', Buffer.alloc(1025)))
      expect(tooLarge.status).toBe(400)
      expect(tooLarge.code).toBe('EntityTooLarge')
      const { Readable } = await import('node:stream')
      const streamed = await rejection(c.putStream('big-stream.bin', Readable.from([Buffer.alloc(800), Buffer.alloc(800)])))
      expect(streamed.code).toBe('EntityTooLarge')
      expect((await list(c, {})).objects.map((o) => o.name)).toEqual(['ok.bin'])
    } finally {
      await small.close()
      removeDir(dir)
    }
  })
})
