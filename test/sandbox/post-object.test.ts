/**
 * PostObject form uploads over HTTP (fetch + FormData, as a browser sends them), signed with
 * ali-oss's own calculatePostSignature (V1) and signPostObjectPolicyV4 (V4): policy conditions,
 * content-length-range, expiry, tampering, anonymous forms and success_action_status.
 */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, removeDir, tempRoot } from './helpers'

type PostSigning = {
  calculatePostSignature(policy: object): { OSSAccessKeyId: string; Signature: string; policy: string }
  signPostObjectPolicyV4(policy: object, date: Date): string
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString()

describe('PostObject', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS
  let url: string

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: root, buckets: ['form-bucket', 'open-bucket'] })
    oss = client(sandbox, 'form-bucket', { region: 'oss-cn-hangzhou' })
    await oss.putBucketACL('open-bucket', 'public-read-write')
    url = `${sandbox.endpoint}/form-bucket/`
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  function form(fields: Record<string, string>, file: Blob | string = new Blob(['hello form'], { type: 'text/plain' }), filename = 'hello.txt'): FormData {
    const data = new FormData()
    for (const [name, value] of Object.entries(fields)) data.append(name, value)
    if (typeof file === 'string') data.append('file', file)
    else data.append('file', file, filename)
    return data
  }

  const v1 = (policy: object) => (oss as unknown as PostSigning).calculatePostSignature(policy)

  it('stores a V1-signed form upload (204 by default), with the policy\'s fields', async () => {
    const policy = { expiration: tomorrow(), conditions: [{ bucket: 'form-bucket' }, ['starts-with', '$key', 'uploads/']] }
    const res = await fetch(url, { method: 'POST', body: form({ key: 'uploads/${filename}', 'x-oss-meta-who': 'browser', ...v1(policy) }, undefined, '你好.txt') })
    expect(res.status).toBe(204)
    const head = await oss.head('uploads/你好.txt')
    expect(head.meta).toEqual({ who: 'browser' })
    expect((await oss.get('uploads/你好.txt')).content.toString()).toBe('hello form')
    expect(head.res.headers).toMatchObject({ 'content-type': 'text/plain' })
  })

  it('stores a V4-signed form, answering success_action_status 201 with <PostResponse>', async () => {
    const date = new Date()
    const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
    const credential = `${sandbox.accessKeyId}/${stamp.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`
    const fields = { 'x-oss-date': stamp, 'x-oss-credential': credential, 'x-oss-signature-version': 'OSS4-HMAC-SHA256' }
    const policy = {
      expiration: tomorrow(),
      conditions: [{ bucket: 'form-bucket' }, ...Object.entries(fields).map(([k, v]) => ({ [k]: v })), ['content-length-range', 1, 10], ['in', '$content-type', ['text/plain']]]
    }
    const signature = (oss as unknown as PostSigning).signPostObjectPolicyV4(policy, date)
    const body = form({ key: 'v4.txt', 'Content-Type': 'text/plain', ...fields, policy: Buffer.from(JSON.stringify(policy)).toString('base64'), 'x-oss-signature': signature, success_action_status: '201' }, 'short')
    const res = await fetch(url, { method: 'POST', body })
    expect(res.status).toBe(201)
    expect(errorFields(await res.text())).toMatchObject({ Bucket: 'form-bucket', Key: 'v4.txt' })
    expect((await oss.get('v4.txt')).content.toString()).toBe('short')
  })

  it('refuses a policy condition that fails, an expired policy, a tampered signature, too large a file', async () => {
    const attempt = async (fields: Record<string, string>, file?: string) => {
      const res = await fetch(url, { method: 'POST', body: form(fields, file) })
      return { status: res.status, ...errorFields(await res.text()) }
    }
    const wrongPrefix = v1({ expiration: tomorrow(), conditions: [['starts-with', '$key', 'uploads/']] })
    expect(await attempt({ key: 'elsewhere.txt', ...wrongPrefix })).toMatchObject({ status: 403, Code: 'AccessDenied' })
    const expired = v1({ expiration: new Date(Date.now() - 1000).toISOString(), conditions: [] })
    expect(await attempt({ key: 'late.txt', ...expired })).toMatchObject({ status: 403, Code: 'AccessDenied', Message: 'Invalid according to Policy: Policy expired.' })
    const signed = v1({ expiration: tomorrow(), conditions: [] })
    expect(await attempt({ key: 'tampered.txt', ...signed, Signature: `x${signed.Signature.slice(1)}` })).toMatchObject({ status: 403, Code: 'SignatureDoesNotMatch' })
    const small = v1({ expiration: tomorrow(), conditions: [['content-length-range', 1, 4]] })
    expect(await attempt({ key: 'big.txt', ...small }, 'more than four bytes')).toMatchObject({ status: 400, Code: 'EntityTooLarge' })
    const large = v1({ expiration: tomorrow(), conditions: [['content-length-range', 100, 200]] })
    expect(await attempt({ key: 'tiny.txt', ...large }, 'tiny')).toMatchObject({ status: 400, Code: 'EntityTooSmall' })
    // Nothing was stored by any refused form.
    const list = await oss.list({ prefix: '' } as never, {})
    expect(list.objects?.map((o) => o.name).sort()).toEqual(['uploads/你好.txt', 'v4.txt'])
  })

  it('unsigned forms need a public-read-write bucket; a non-form POST is refused', async () => {
    const denied = await fetch(url, { method: 'POST', body: form({ key: 'anon.txt' }) })
    expect(denied.status).toBe(403)
    const open = await fetch(`${sandbox.endpoint}/open-bucket/`, { method: 'POST', body: form({ key: 'anon.txt', success_action_status: '200' }) })
    expect(open.status).toBe(200)
    expect((await client(sandbox, 'open-bucket').get('anon.txt')).content.toString()).toBe('hello form')
    const plain = await fetch(url, { method: 'POST', body: 'key=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(plain.status).toBe(400)
    expect(errorFields(await plain.text()).Code).toBe('RequestIsNotMultiPartContent')
  })
})
