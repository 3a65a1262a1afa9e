/**
 * Authentication as OSS does it, exercised with the real ali-oss client and plain fetch: V1 and
 * V4 header signatures, V1 (`signatureUrl`) and V4 (`signatureUrlV4`) signed URLs, STS tokens,
 * expiry, tampering, wrong secrets, and anonymous access by bucket ACL.
 */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, errorFields, list, listBuckets, listV2, rejection, removeDir, tempRoot } from './helpers'

const BUCKET = 'auth-bucket'
const PUBLIC = 'public-bucket'
const KEY = 'dir/中文 名.jpg'
let root: string
let sandbox: Sandbox
let oss: OSS

async function fetchError(url: string, init?: RequestInit): Promise<{ status: number; fields: Record<string, string>; headers: Headers }> {
  const res = await fetch(url, init)
  return { status: res.status, fields: errorFields(await res.text()), headers: res.headers }
}

beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandbox({ dataDir: root, buckets: [BUCKET], accessKeyId: 'LTAI5tSandboxTestKey', accessKeySecret: 'sandbox-secret' })
  oss = client(sandbox, BUCKET)
  await oss.put(KEY, Buffer.from('secret image'))
  await oss.putBucket(PUBLIC, { acl: 'public-read' } as never)
  await client(sandbox, PUBLIC).put('open.jpg', Buffer.from('public image'))
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('V1 signed URLs (signatureUrl)', () => {
  it('are served, with signed response-* overrides', async () => {
    const url = oss.signatureUrl(KEY, { expires: 600, response: { 'content-disposition': 'attachment; filename="a.jpg"', 'content-type': 'text/plain' } })
    expect(url).toContain(`${sandbox.endpoint}/${BUCKET}/dir/%E4%B8%AD%E6%96%87%20%E5%90%8D.jpg?`)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="a.jpg"')
    expect(res.headers.get('content-type')).toBe('text/plain')
    expect(await res.text()).toBe('secret image')
  })

  it('allow a PUT when signed for it', async () => {
    const url = oss.signatureUrl('uploads/via-url.txt', { method: 'PUT', 'Content-Type': 'text/plain', expires: 60 })
    const res = await fetch(url, { method: 'PUT', body: 'uploaded', headers: { 'Content-Type': 'text/plain' } })
    expect(res.status).toBe(200)
    expect((await oss.get('uploads/via-url.txt')).content.toString()).toBe('uploaded')
  })

  it('expire: 403 AccessDenied "Request has expired."', async () => {
    const url = oss.signatureUrl(KEY, { expires: -10 })
    const { status, fields, headers } = await fetchError(url)
    expect(status).toBe(403)
    expect(fields.Code).toBe('AccessDenied')
    expect(fields.Message).toBe('Request has expired.')
    expect(fields.EC).toBe('0002-00000069')
    expect(headers.get('x-oss-ec')).toBe('0002-00000069')
  })

  it('tampered: 403 SignatureDoesNotMatch with the StringToSign OSS computed', async () => {
    const url = new URL(oss.signatureUrl(KEY, { expires: 600 }))
    const expires = url.searchParams.get('Expires')
    url.searchParams.set('Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')
    const { status, fields } = await fetchError(url.toString())
    expect(status).toBe(403)
    expect(fields.Code).toBe('SignatureDoesNotMatch')
    expect(fields.StringToSign).toBe(`GET\n\n\n${expires}\n/${BUCKET}/${KEY}`)
    expect(fields.SignatureProvided).toBe('AAAAAAAAAAAAAAAAAAAAAAAAAAA=')
    expect(fields.OSSAccessKeyId).toBe(sandbox.accessKeyId)
    expect(fields.StringToSignBytes).toMatch(/^47 45 54 0A /)

    // An extra sub-resource that was not signed breaks the signature too.
    const extended = `${oss.signatureUrl(KEY, { expires: 600 })}&response-content-type=text%2Fhtml`
    expect((await fetchError(extended)).fields.Code).toBe('SignatureDoesNotMatch')
    // Ordinary query params are not signed (as in OSS) and do not.
    expect((await fetch(`${oss.signatureUrl(KEY, { expires: 600 })}&cachebust=1`)).status).toBe(200)
  })

  it('signed with a wrong secret: SignatureDoesNotMatch', async () => {
    const wrong = client(sandbox, BUCKET, { accessKeySecret: 'not-the-secret' })
    const { status, fields } = await fetchError(wrong.signatureUrl(KEY))
    expect(status).toBe(403)
    expect(fields.Code).toBe('SignatureDoesNotMatch')
  })
})

describe('V4 signed URLs (signatureUrlV4)', () => {
  it('are served, with queries in the signature', async () => {
    const url = await oss.signatureUrlV4('GET', 300, { headers: {}, queries: { 'response-content-type': 'image/x-test' } }, KEY)
    expect(url).toContain('x-oss-signature-version=OSS4-HMAC-SHA256')
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/x-test')
    expect(await res.text()).toBe('secret image')
  })

  it('expired or tampered URLs are refused', async () => {
    const url = new URL(await oss.signatureUrlV4('GET', 60, { headers: {}, queries: {} }, KEY))
    const old = new Date(Date.now() - 3600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
    const expired = new URL(url)
    expired.searchParams.set('x-oss-date', old)
    expired.searchParams.set('x-oss-credential', (url.searchParams.get('x-oss-credential') as string).replace(/\/\d{8}\//, `/${old.slice(0, 8)}/`))
    const e = await fetchError(expired.toString())
    expect(e.status).toBe(403)
    expect(e.fields.Code).toBe('AccessDenied')
    expect(e.fields.Message).toBe('Request has expired.')

    const tampered = new URL(url)
    tampered.searchParams.set('x-oss-signature', '0'.repeat(64))
    const t = await fetchError(tampered.toString())
    expect(t.status).toBe(403)
    expect(t.fields.Code).toBe('SignatureDoesNotMatch')
    expect(t.fields.StringToSign).toMatch(/^OSS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/)
    expect(t.fields.CanonicalRequest).toContain(`GET\n/${BUCKET}/dir/%E4%B8%AD%E6%96%87%20%E5%90%8D.jpg\n`)

    const moved = new URL(url)
    moved.pathname = `/${BUCKET}/other.jpg`
    expect((await fetchError(moved.toString())).fields.Code).toBe('SignatureDoesNotMatch')
  })
})

describe('header signatures', () => {
  it('V4 (authorizationV4: true) works for every object and bucket call', async () => {
    const v4 = client(sandbox, BUCKET, { authorizationV4: true, region: 'oss-cn-hangzhou' })
    await v4.put('v4/中文 名.png', Buffer.from('v4 bytes'), { meta: { via: 'v4' } as unknown as OSS.UserMeta })
    expect((await v4.get('v4/中文 名.png')).content.toString()).toBe('v4 bytes')
    expect((await v4.head('v4/中文 名.png')).meta).toEqual({ via: 'v4' })
    expect((await v4.get('v4/中文 名.png', { headers: { Range: 'bytes=0-1' } })).content.toString()).toBe('v4')
    await v4.copy('v4/copy.png', 'v4/中文 名.png')
    const listed = await list(v4, { prefix: 'v4/', 'max-keys': 10 })
    expect(listed.objects.map((o) => o.name)).toEqual(['v4/copy.png', 'v4/中文 名.png'])
    const v2 = await listV2(v4, { prefix: 'v4/', 'max-keys': 1 })
    const next = await listV2(v4, { prefix: 'v4/', 'max-keys': 1, 'continuation-token': v2.nextContinuationToken })
    expect(next.objects.map((o) => o.name)).toEqual(['v4/中文 名.png'])
    expect((await v4.getBucketInfo(BUCKET)).bucket.Name).toBe(BUCKET)
    expect((await listBuckets(v4)).buckets?.map((b) => b.name)).toContain(BUCKET)
    await v4.deleteMulti(['v4/copy.png', 'v4/中文 名.png'])
    expect((await list(v4, { prefix: 'v4/' })).objects).toEqual([])
  })

  it('a wrong secret is SignatureDoesNotMatch (V1 and V4)', async () => {
    const v1 = await rejection(client(sandbox, BUCKET, { accessKeySecret: 'wrong' }).get(KEY))
    expect(v1.status).toBe(403)
    expect(v1.code).toBe('SignatureDoesNotMatch')
    expect(v1.ecCode).toBe('0002-00000040')
    const v4 = await rejection(client(sandbox, BUCKET, { accessKeySecret: 'wrong', authorizationV4: true }).put('x.txt', Buffer.from('x')))
    expect(v4.status).toBe(403)
    expect(v4.code).toBe('SignatureDoesNotMatch')
    expect((await rejection(oss.get('x.txt'))).code).toBe('NoSuchKey')
  })

  it('an unknown access key is InvalidAccessKeyId', async () => {
    const err = await rejection(client(sandbox, BUCKET, { accessKeyId: 'LTAI-nobody' }).get(KEY))
    expect(err.status).toBe(403)
    expect(err.code).toBe('InvalidAccessKeyId')
  })

  it('a skewed clock is RequestTimeTooSkewed', async () => {
    const skewed = client(sandbox, BUCKET, { amendTimeSkewed: -3600_000 } as never)
    const err = await rejection(skewed.get(KEY))
    expect(err.status).toBe(403)
    expect(err.code).toBe('RequestTimeTooSkewed')
  })

  it('a HEAD error carries the code in x-oss-err', async () => {
    const err = await rejection(client(sandbox, BUCKET, { accessKeySecret: 'wrong' }).head(KEY))
    expect(err.status).toBe(403)
    expect(err.code).toBe('SignatureDoesNotMatch')
  })
})

describe('STS temporary credentials', () => {
  // ali-oss warns on every STS client without refreshSTSToken; expected here.
  beforeAll(() => void vi.spyOn(console, 'warn').mockImplementation(() => undefined))
  afterAll(() => vi.restoreAllMocks())
  const stsClient = (creds: ReturnType<Sandbox['issueStsCredentials']>, extra = {}) =>
    client(sandbox, BUCKET, { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, stsToken: creds.securityToken, ...extra })

  it('work for requests and signed URLs (V1 and V4)', async () => {
    const creds = sandbox.issueStsCredentials({ expiresInSeconds: 900 })
    expect(creds.accessKeyId).toMatch(/^STS\./)
    expect(Date.parse(creds.expiration) - Date.now()).toBeGreaterThan(890_000)
    const sts = stsClient(creds)
    await sts.put('sts/a.txt', Buffer.from('via sts'))
    expect((await sts.get('sts/a.txt')).content.toString()).toBe('via sts')
    expect((await list(sts, { prefix: 'sts/' })).objects.length).toBe(1)
    const url = sts.signatureUrl('sts/a.txt', { expires: 60 })
    expect(url).toContain('security-token=')
    expect(await (await fetch(url)).text()).toBe('via sts')
    const v4 = stsClient(creds, { authorizationV4: true })
    expect((await v4.get('sts/a.txt')).content.toString()).toBe('via sts')
    const v4url = await v4.signatureUrlV4('GET', 60, { headers: {}, queries: {} }, 'sts/a.txt')
    expect(await (await fetch(v4url)).text()).toBe('via sts')
  })

  it('are refused once expired, with a wrong token, or without one', async () => {
    const creds = sandbox.issueStsCredentials({ expiresInSeconds: 1 })
    const sts = stsClient(creds)
    const url = sts.signatureUrl(KEY, { expires: 600 })
    expect((await sts.get(KEY)).res.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const expired = await rejection(sts.get(KEY))
    expect(expired.status).toBe(403)
    expect(expired.code).toBe('SecurityTokenExpired')
    expect((await fetchError(url)).fields.Code).toBe('SecurityTokenExpired')

    const fresh = sandbox.issueStsCredentials()
    const wrongToken = await rejection(stsClient({ ...fresh, securityToken: `${fresh.securityToken}x` }).get(KEY))
    expect(wrongToken.status).toBe(403)
    expect(wrongToken.code).toBe('InvalidSecurityToken')
    const noToken = await rejection(client(sandbox, BUCKET, { accessKeyId: fresh.accessKeyId, accessKeySecret: fresh.accessKeySecret }).get(KEY))
    expect(noToken.code).toBe('InvalidAccessKeyId')
    const mainKeyWithToken = await rejection(client(sandbox, BUCKET, { stsToken: fresh.securityToken }).get(KEY))
    expect(mainKeyWithToken.code).toBe('InvalidAccessKeyId')
  })
})

describe('anonymous access and bucket ACL', () => {
  it('public-read: anonymous reads and listings work, writes do not', async () => {
    const res = await fetch(`${sandbox.endpoint}/${PUBLIC}/open.jpg`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('public image')
    expect((await fetch(`${sandbox.endpoint}/${PUBLIC}/open.jpg`, { method: 'HEAD' })).status).toBe(200)
    const list = await fetch(`${sandbox.endpoint}/${PUBLIC}/?list-type=2`)
    expect(list.status).toBe(200)
    expect(await list.text()).toContain('<Key>open.jpg</Key>')
    const put = await fetchError(`${sandbox.endpoint}/${PUBLIC}/new.jpg`, { method: 'PUT', body: 'x' })
    expect(put.status).toBe(403)
    expect(put.fields.Code).toBe('AccessDenied')
    expect((await fetch(`${sandbox.endpoint}/${PUBLIC}/open.jpg`, { method: 'DELETE' })).status).toBe(403)
    expect((await fetch(`${sandbox.endpoint}/${PUBLIC}/?acl`)).status).toBe(403)
  })

  it('private: anonymous reads are 403 AccessDenied', async () => {
    const get = await fetchError(`${sandbox.endpoint}/${BUCKET}/${encodeURIComponent('dir')}/${encodeURIComponent('中文 名.jpg')}`)
    expect(get.status).toBe(403)
    expect(get.fields.Code).toBe('AccessDenied')
    expect(get.fields.Message).toBe('You have no right to access this object because of bucket acl.')
    expect((await fetch(`${sandbox.endpoint}/${BUCKET}/`)).status).toBe(403)
    const buckets = await fetchError(`${sandbox.endpoint}/`)
    expect(buckets.status).toBe(403)
    expect(buckets.fields.Code).toBe('AccessDenied')
  })

  it('public-read-write: anonymous writes work', async () => {
    await oss.putBucket('open-bucket', { acl: 'public-read-write' } as never)
    expect((await fetch(`${sandbox.endpoint}/open-bucket/anon.txt`, { method: 'PUT', body: 'anon' })).status).toBe(200)
    expect((await client(sandbox, 'open-bucket').get('anon.txt')).content.toString()).toBe('anon')
  })
})
