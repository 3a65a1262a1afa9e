/**
 * Multipart upload through the real ali-oss client: `multipartUpload` (how large files and
 * ossbrowser uploads arrive), resumed uploads, ListParts / ListMultipartUploads, abort, part copy,
 * and OSS's errors (InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload).
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, rejection, removeDir, tempRoot, walk, raw } from './helpers'

const md5 = (data: Buffer) => createHash('md5').update(data).digest()


describe('multipart upload', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: join(root, 'data'), buckets: ['mp-bucket'] })
    oss = client(sandbox, 'mp-bucket')
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  it('multipartUpload stores a file in parts, with OSS\'s multipart ETag and type', async () => {
    const data = randomBytes(350 * 1024)
    const file = join(root, 'big.bin')
    writeFileSync(file, data)
    const result = await oss.multipartUpload('big/file.bin', file, { partSize: 100 * 1024, mime: 'application/x-test', meta: { origin: 'mp' } as never })
    expect(result.res.status).toBe(200)
    const got = await oss.get('big/file.bin')
    expect(Buffer.compare(got.content as Buffer, data)).toBe(0)
    const head = await oss.head('big/file.bin')
    const headers = head.res.headers as Record<string, string>
    const expected = createHash('md5')
      .update(Buffer.concat([0, 1, 2, 3].map((i) => md5(data.subarray(i * 102400, (i + 1) * 102400)))))
      .digest('hex')
      .toUpperCase()
    expect(headers.etag).toBe(`"${expected}-4"`)
    expect(headers['x-oss-object-type']).toBe('Multipart')
    expect(headers['content-type']).toBe('application/x-test')
    expect(head.meta).toEqual({ origin: 'mp' })
    // The upload's folder is gone once complete.
    expect(walk(join(root, 'data')).some((f) => f.includes('uploads/'))).toBe(false)
  })

  it('lists uploads in progress and their parts, and aborts them', async () => {
    const { uploadId } = await oss.initMultipartUpload('pending/a.bin')
    const part = await oss.uploadPart('pending/a.bin', uploadId, 1, Buffer.alloc(1000, 1) as never, 0, 1000)
    expect(part.etag).toBe(`"${md5(Buffer.alloc(1000, 1)).toString('hex').toUpperCase()}"`)
    const uploads = (await oss.listUploads({})) as unknown as { uploads: { name: string; uploadId: string }[] }
    expect(uploads.uploads).toEqual([expect.objectContaining({ name: 'pending/a.bin', uploadId })])
    await oss.uploadPart('pending/a.bin', uploadId, 3, Buffer.alloc(5, 3) as never, 0, 5)
    const parts = (await oss.listParts('pending/a.bin', uploadId, {} as never)) as unknown as { parts: { PartNumber: string; Size: string }[] }
    expect(parts.parts.map((p) => [p.PartNumber, p.Size])).toEqual([
      ['1', '1000'],
      ['3', '5']
    ])
    await oss.abortMultipartUpload('pending/a.bin', uploadId)
    expect(((await oss.listUploads({})) as unknown as { uploads: unknown[] }).uploads).toEqual([])
    const gone = await rejection(oss.listParts('pending/a.bin', uploadId, {} as never))
    expect(gone).toMatchObject({ status: 404, code: 'NoSuchUpload' })
  })

  it('refuses wrong parts as OSS does: InvalidPart, InvalidPartOrder, EntityTooSmall', async () => {
    const { uploadId } = await oss.initMultipartUpload('bad.bin')
    const small = await oss.uploadPart('bad.bin', uploadId, 1, Buffer.alloc(10, 1) as never, 0, 10)
    const second = await oss.uploadPart('bad.bin', uploadId, 2, Buffer.alloc(10, 2) as never, 0, 10)
    const wrongTag = await rejection(oss.completeMultipartUpload('bad.bin', uploadId, [{ number: 1, etag: '"00000000000000000000000000000000"' }]))
    expect(wrongTag).toMatchObject({ status: 400, code: 'InvalidPart' })
    // ali-oss sorts the parts itself: send the XML by hand.
    const xml = `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${second.etag}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>${small.etag}</ETag></Part></CompleteMultipartUpload>`
    const order = await rejection(raw(oss)({ method: 'POST', bucket: 'mp-bucket', object: 'bad.bin', subres: { uploadId }, mime: 'xml', content: Buffer.from(xml), successStatuses: [200] }))
    expect(order).toMatchObject({ status: 400, code: 'InvalidPartOrder' })
    const tooSmall = await rejection(oss.completeMultipartUpload('bad.bin', uploadId, [{ number: 1, etag: small.etag }, { number: 2, etag: second.etag }]))
    expect(tooSmall).toMatchObject({ status: 400, code: 'EntityTooSmall' })
    // Nothing was stored by the failed completions; a one-part upload may be small.
    expect((await rejection(oss.head('bad.bin'))).status).toBe(404)
    await oss.completeMultipartUpload('bad.bin', uploadId, [{ number: 1, etag: small.etag }])
    expect((await oss.get('bad.bin')).content).toEqual(Buffer.alloc(10, 1))
    const again = await rejection(oss.uploadPart('bad.bin', uploadId, 3, Buffer.alloc(1) as never, 0, 1))
    expect(again).toMatchObject({ status: 404, code: 'NoSuchUpload' })
    const badNumber = await rejection(oss.uploadPart('bad.bin', 'F'.repeat(32), 0, Buffer.alloc(1) as never, 0, 1))
    expect(badNumber.status).toBe(400)
  })

  it('copies ranges of an object into parts (UploadPartCopy)', async () => {
    const source = randomBytes(250 * 1024)
    await oss.put('copy/source.bin', source)
    const result = await (oss as unknown as { multipartUploadCopy(name: string, source: { sourceKey: string; sourceBucketName: string }, options: object): Promise<{ res: { status: number } }> }).multipartUploadCopy(
      'copy/target.bin',
      { sourceKey: 'copy/source.bin', sourceBucketName: 'mp-bucket' },
      { partSize: 100 * 1024 }
    )
    expect(result.res.status).toBe(200)
    expect(Buffer.compare((await oss.get('copy/target.bin')).content as Buffer, source)).toBe(0)
  })

  it('keeps uploads in progress across a restart', async () => {
    const { uploadId } = await oss.initMultipartUpload('restart.bin')
    const part = await oss.uploadPart('restart.bin', uploadId, 1, Buffer.from('survives') as never, 0, 8)
    await sandbox.close()
    sandbox = await startSandbox({ dataDir: join(root, 'data'), accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret })
    oss = client(sandbox, 'mp-bucket')
    await oss.completeMultipartUpload('restart.bin', uploadId, [{ number: 1, etag: part.etag }])
    expect((await oss.get('restart.bin')).content.toString()).toBe('survives')
    expect(existsSync(join(root, 'data', 'mp-bucket', 'uploads', uploadId))).toBe(false)
  })
})
