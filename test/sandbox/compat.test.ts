/**
 * Behaviours ali-oss's own suite relies on (test/node/object.test.js of ali-oss 6.23.0): a stream
 * of known length (Content-Length + chunked), CopyObject's 412 Condition names, and PutBucketACL
 * creating a missing bucket.
 */
import { connect } from 'node:net'
import { Readable } from 'node:stream'
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, getBucketAcl, rejection, removeDir, tempRoot } from './helpers'

describe('ali-oss compatibility', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: root, buckets: ['compat-bucket'] })
    oss = client(sandbox, 'compat-bucket')
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  it('accepts a PUT with both Content-Length and Transfer-Encoding: chunked (chunked framing wins)', async () => {
    const body = Buffer.from('0123456789abcdef')
    // ali-oss sends a stream of known length with both headers.
    await oss.putStream('both.bin', Readable.from([body.subarray(0, 7), body.subarray(7)]), { contentLength: body.length } as never)
    expect((await oss.get('both.bin')).content.toString()).toBe(body.toString())
    // The same on a raw request (fetch refuses to send both): anonymous, so it is parsed and
    // answered by the bucket ACL's 403, not dropped.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(sandbox.port, '127.0.0.1', () => {
        socket.end(`PUT /compat-bucket/raw.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n`)
      })
      let text = ''
      socket.on('data', (chunk) => (text += chunk.toString()))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    expect(reply).toMatch(/^HTTP\/1\.1 403/)
    expect(errorFields(reply).Code).toBe('AccessDenied')
  })

  it('names the bare condition in CopyObject 412s, as OSS does', async () => {
    await oss.put('copy-src.txt', Buffer.from('src'))
    const ifMatch = await rejection(oss.copy('copy-dst.txt', 'copy-src.txt', { headers: { 'x-oss-copy-source-if-match': '"0000"' } }))
    expect(ifMatch).toMatchObject({ status: 412, code: 'PreconditionFailed' })
    expect(ifMatch.message).toContain('(condition: If-Match)')
    const unmodified = await rejection(
      oss.copy('copy-dst.txt', 'copy-src.txt', { headers: { 'x-oss-copy-source-if-unmodified-since': new Date(Date.now() - 3_600_000).toUTCString() } })
    )
    expect(unmodified.message).toContain('(condition: If-Unmodified-Since)')
  })

  it('PutBucketACL on a missing bucket creates it with that ACL', async () => {
    expect(sandbox.buckets).not.toContain('acl-created')
    await oss.putBucketACL('acl-created', 'public-read')
    expect(sandbox.buckets).toContain('acl-created')
    expect((await getBucketAcl(oss, 'acl-created')).acl).toBe('public-read')
  })
})
