/**
 * The OSS service's pure parts: addressing, error mapping and redaction, backoff, naming rules,
 * style XML, the saveas body. No network.
 */
import { describe, expect, it } from 'vitest'
import { decodeBase64Url } from '../../../src-shared/img/base64url'
import { isLoopbackHost, resolveAddressing } from '../../../src-main/services/oss/config'
import { CredentialStore, normalizeCredentials } from '../../../src-main/services/oss/credentials'
import { OssError, isRetryableStatus, redact, toOssError } from '../../../src-main/services/oss/errors'
import { assertBucketName, assertObjectKey, assertStyleName } from '../../../src-main/services/oss/names'
import { backoffDelay, sleep, withRetry } from '../../../src-main/services/oss/retry'
import { parseSaveAsResult, saveAsBody, saveAsProcessValue } from '../../../src-main/services/oss/save-as'
import { contentDisposition } from '../../../src-main/services/oss/sign'
import { assertStyleContent, escapeXml, parseStyleList, styleBody } from '../../../src-main/services/oss/styles'

function thrown(fn: () => unknown): OssError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(OssError)
    return error as OssError
  }
  throw new Error('expected a throw')
}

describe('addressing', () => {
  it('addresses loopback endpoints path-style on localhost, keeping the port', () => {
    for (const endpoint of ['http://localhost:9000', 'http://127.0.0.1:9000', '127.0.0.1:9000', 'http://[::1]:9000', 'http://127.1.2.3:9000']) {
      expect(resolveAddressing({ endpoint })).toEqual({ endpoint: 'http://localhost:9000', region: 'cn-hangzhou', style: 'path' })
    }
    expect(isLoopbackHost('10.0.0.1')).toBe(false)
  })

  it('addresses real OSS virtual-hosted and derives the V4 region from the endpoint', () => {
    expect(resolveAddressing({ endpoint: 'oss-cn-shanghai.aliyuncs.com' })).toEqual({ endpoint: 'https://oss-cn-shanghai.aliyuncs.com', region: 'cn-shanghai', style: 'virtual-hosted' })
    expect(resolveAddressing({ endpoint: 'https://oss-ap-southeast-1-internal.aliyuncs.com' }).region).toBe('ap-southeast-1')
    expect(resolveAddressing({ region: 'oss-cn-beijing' })).toEqual({ endpoint: 'https://oss-cn-beijing.aliyuncs.com', region: 'cn-beijing', style: 'virtual-hosted' })
    expect(resolveAddressing({ region: 'cn-beijing', internal: true, secure: false }).endpoint).toBe('http://oss-cn-beijing-internal.aliyuncs.com')
  })

  it('needs a region for V4 when the endpoint does not name one', () => {
    expect(thrown(() => resolveAddressing({ endpoint: 'https://oss-accelerate.aliyuncs.com' })).code).toBe('InvalidConfig')
    expect(resolveAddressing({ endpoint: 'https://oss-accelerate.aliyuncs.com', region: 'cn-hangzhou' }).region).toBe('cn-hangzhou')
    expect(resolveAddressing({ endpoint: 'https://img.example.com', cname: true, signatureVersion: 'v1' }).style).toBe('cname')
  })

  it('refuses what ali-oss cannot address', () => {
    expect(thrown(() => resolveAddressing({ endpoint: 'http://10.1.2.3:9000' })).message).toMatch(/IP endpoint/)
    expect(thrown(() => resolveAddressing({ endpoint: 'https://demo.oss-cn-hangzhou.aliyuncs.com' })).message).toMatch(/without the bucket/)
    expect(thrown(() => resolveAddressing({ endpoint: 'http://localhost:9000/x' })).code).toBe('InvalidConfig')
    expect(thrown(() => resolveAddressing({ endpoint: 'ftp://host' })).code).toBe('InvalidConfig')
    expect(thrown(() => resolveAddressing({})).code).toBe('InvalidConfig')
  })
})

describe('errors', () => {
  const secret = 'S3cr3tS3cr3tS3cr3t'
  it('maps ali-oss server errors with code, status, request id and EC', () => {
    const raw = Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKeyError', status: 404, code: 'NoSuchKey', requestId: 'RID', ecCode: '0026-00000001' })
    const error = toOssError(raw, { operation: 'getObject' })
    expect(error).toMatchObject({ code: 'NoSuchKey', status: 404, requestId: 'RID', ec: '0026-00000001', retryable: false, origin: 'server', operation: 'getObject' })
  })

  it('maps transport errors and marks them retryable', () => {
    const refused = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:1, GET http://localhost:1/b/k?Signature=abc -1 (connected: false)\nheaders: {}`), { name: 'RequestError', status: -1 })
    expect(toOssError(refused)).toMatchObject({ code: 'RequestError', status: -1, retryable: true, message: 'connect ECONNREFUSED 127.0.0.1:1' })
    const connect = Object.assign(new Error('Connect timeout for 10ms'), { name: 'ConnectionTimeoutError', status: -2 })
    expect(toOssError(connect)).toMatchObject({ code: 'ConnectionTimeout', status: -2, retryable: true })
    // ali-oss: ResponseTimeoutError has neither status nor code.
    const response = Object.assign(new Error('Response timeout for 10ms, please increase the timeout, see …'), { name: 'ResponseTimeoutError' })
    expect(toOssError(response)).toMatchObject({ code: 'ResponseTimeout', status: -2, retryable: true, message: 'Response timeout for 10ms' })
  })

  it('retries 5xx and SlowDown, never another 4xx', () => {
    expect(isRetryableStatus(500, 'InternalError')).toBe(true)
    expect(isRetryableStatus(503, 'SlowDown')).toBe(true)
    expect(isRetryableStatus(400, 'SlowDown')).toBe(true)
    expect(isRetryableStatus(501, 'NotImplemented')).toBe(false)
    for (const [status, code] of [[400, 'InvalidArgument'], [403, 'SignatureDoesNotMatch'], [404, 'NoSuchKey'], [409, 'BucketNotEmpty'], [429, 'TooManyRequests']] as const) {
      expect(isRetryableStatus(status, code)).toBe(false)
    }
  })

  it('maps a non-XML error body without guessing a code', () => {
    const raw = Object.assign(new Error('Non-whitespace before first tag.\nLine: 0\nraw xml: <html>bad gateway</html>'), { status: 502 })
    expect(toOssError(raw)).toMatchObject({ code: 'UnknownError', status: 502, retryable: true })
    expect(toOssError(raw).message).not.toContain('raw xml')
  })

  it('never lets a secret into a message', () => {
    const raw = Object.assign(new Error(`bad ${secret} OSS AKID:c2lnbmF0dXJl Signature=abc%2F&security-token=tok OSS4-HMAC-SHA256 Credential=AK/2024/cn/oss/aliyun_v4_request,Signature=ff`), { status: 400, code: 'InvalidArgument' })
    const message = toOssError(raw, { secrets: [secret] }).message
    expect(message).not.toContain(secret)
    expect(message).not.toContain('c2lnbmF0dXJl')
    expect(message).not.toContain('abc%2F')
    expect(message).not.toContain('=tok')
    expect(message).not.toContain('Signature=ff')
    expect(redact('x-oss-signature=deadbeef&x-oss-credential=AK%2F2024', [])).toBe('x-oss-signature=***&x-oss-credential=***')
  })

  it('serialises like ImgError', () => {
    const error = new OssError({ code: 'NoSuchStyle', status: 404, origin: 'server', message: 'The specified style does not exist.', requestId: 'R1' })
    expect(JSON.parse(JSON.stringify(error))).toEqual({ status: 404, code: 'NoSuchStyle', message: 'The specified style does not exist.', requestId: 'R1', retryable: false })
  })
})

describe('retry', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 }
  it('backs off exponentially with full jitter under a cap', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([100, 200, 250, 250])
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
  })

  it('stops after maxAttempts and reports the attempts', async () => {
    let calls = 0
    const error = new OssError({ code: 'InternalError', status: 500, origin: 'server', message: 'boom' })
    await expect(withRetry(async () => { calls++; throw error }, { policy: { ...policy, baseDelayMs: 1, maxDelayMs: 1 }, isRetryable: () => true })).rejects.toBe(error)
    expect(calls).toBe(4)
    expect(error.attempts).toBe(4)
  })

  it('does not retry what is not retryable', async () => {
    let calls = 0
    await expect(withRetry(async () => { calls++; throw new Error('4xx') }, { policy, isRetryable: () => false })).rejects.toThrow('4xx')
    expect(calls).toBe(1)
  })

  it('aborts a pending backoff', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const run = withRetry(async () => { throw new Error('x') }, { policy: { maxAttempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 }, isRetryable: () => true, signal: controller.signal, random: () => 1 })
    setTimeout(() => controller.abort(), 20)
    await expect(run).rejects.toMatchObject({ code: 'Aborted' })
    expect(Date.now() - started).toBeLessThan(2_000)
    await expect(sleep(10, AbortSignal.abort())).rejects.toMatchObject({ code: 'Aborted' })
  })
})

describe('names', () => {
  it('checks style names with OSS EC 0017-00000250 (length) and 0017-00000251 (charset)', () => {
    expect(() => assertStyleName('thumb_v1.2-x')).not.toThrow()
    expect(thrown(() => assertStyleName(''))).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0017-00000250', message: 'The value:  of parameter: stylename is invalid.' })
    expect(thrown(() => assertStyleName('a'.repeat(64)))).toMatchObject({ ec: '0017-00000250' })
    expect(thrown(() => assertStyleName('缩略图'))).toMatchObject({ ec: '0017-00000251' })
    expect(thrown(() => assertStyleName('a b'))).toMatchObject({ ec: '0017-00000251' })
  })

  it('checks object keys and bucket names', () => {
    expect(() => assertObjectKey('out/缩略图.jpg')).not.toThrow()
    for (const bad of ['', '/a', '\\a', 'a\u0001b', 'x'.repeat(1024), '\uD800x']) expect(thrown(() => assertObjectKey(bad)).code).toBe('InvalidObjectName')
    expect(thrown(() => assertBucketName('Bad_Bucket')).code).toBe('InvalidBucketName')
    expect(() => assertBucketName('demo-bucket')).not.toThrow()
  })

  it('refuses keys with "." or ".." segments (ali-oss would normalise the URL to another object), naming the key', () => {
    for (const bad of ['..', '.', 'a/../b.jpg', 'a/./b.jpg', '../x', 'a/..', 'a/.']) {
      const error = thrown(() => assertObjectKey(bad))
      expect(error).toMatchObject({ code: 'InvalidObjectName', status: 400 })
      expect(error.message).toContain(JSON.stringify(bad))
    }
    for (const fine of ['a/..b/c..', '.hidden', 'a/.../b', 'x..', 'a\\..\\b']) expect(() => assertObjectKey(fine)).not.toThrow()
  })
})

describe('styles XML', () => {
  it('escapes the content', () => {
    expect(escapeXml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;')
    expect(styleBody('image/resize,p_50').toString()).toContain('<Style><Content>image/resize,p_50</Content></Style>')
  })

  it('parses a ListStyle with none, one or many styles', () => {
    expect(parseStyleList(undefined)).toEqual([])
    expect(parseStyleList('')).toEqual([])
    const one = { Style: { Name: 'a', Content: 'image/resize,p_50', Category: 'image', CreateTime: 'Wed, 20 May 2020 12:07:15 GMT', LastModifyTime: 'Thu, 21 May 2020 12:07:15 GMT' } }
    expect(parseStyleList(one)).toEqual([{ name: 'a', content: 'image/resize,p_50', category: 'image', createTime: '2020-05-20T12:07:15.000Z', lastModifyTime: '2020-05-21T12:07:15.000Z' }])
    expect(parseStyleList({ Style: [one.Style, { ...one.Style, Name: 'b' }] }).map((s) => s.name)).toEqual(['a', 'b'])
  })

  it('validates content with parseProcess', () => {
    expect(() => assertStyleContent('image/resize,w_100/quality,q_90')).not.toThrow()
    expect(thrown(() => assertStyleContent('style/other'))).toMatchObject({ code: 'InvalidArgument', status: 400 })
    expect(thrown(() => assertStyleContent('image/resize,m_abc'))).toMatchObject({ code: 'InvalidArgument', ec: '0040-00000311' })
    expect(thrown(() => assertStyleContent('image/resize,w_10|sys/saveas,o_YQ'))).toMatchObject({ code: 'InvalidArgument' })
  })
})

describe('saveas body', () => {
  it('encodes targets URL-safe without padding, also non-ASCII keys', () => {
    // Standard Base64 of `out/缩略图.jpg` is b3V0L+e8qeeVpeWbvi5qcGc= (what ali-oss would send).
    expect(saveAsProcessValue('image/resize,w_100', 'out/缩略图.jpg', 'other-bucket')).toBe('image/resize,w_100|sys/saveas,o_b3V0L-e8qeeVpeWbvi5qcGc,b_b3RoZXItYnVja2V0')
    expect(saveAsProcessValue('style/thumb', 'out.jpg')).toBe('style/thumb|sys/saveas,o_b3V0LmpwZw')
    const body = saveAsBody('image/resize,w_100', 'out/缩略图.jpg')
    const value = new URLSearchParams(body).get('x-oss-process')
    expect(value).toBe('image/resize,w_100|sys/saveas,o_b3V0L-e8qeeVpeWbvi5qcGc')
    expect(decodeBase64Url('b3V0L-e8qeeVpeWbvi5qcGc')).toBe('out/缩略图.jpg')
  })

  it('parses the JSON result and refuses anything else', () => {
    expect(parseSaveAsResult(Buffer.from('{"bucket":"b","fileSize":3267,"object":"out.jpg","status":"OK"}'))).toEqual({ bucket: 'b', fileSize: 3267, object: 'out.jpg', status: 'OK' })
    expect(() => parseSaveAsResult(Buffer.from('\xff\xd8'))).toThrow(OssError)
    expect(() => parseSaveAsResult(Buffer.from('{"bucket":"b"}'))).toThrow(OssError)
  })
})

describe('credentials', () => {
  it('accepts STS AssumeRole casing', () => {
    expect(normalizeCredentials({ AccessKeyId: 'STS.a', AccessKeySecret: 's', SecurityToken: 't', Expiration: '2030-01-01T00:00:00Z' })).toEqual({ accessKeyId: 'STS.a', accessKeySecret: 's', stsToken: 't', expiresAt: Date.parse('2030-01-01T00:00:00Z') })
    expect(() => normalizeCredentials({ accessKeyId: 'a', accessKeySecret: 's' })).toThrow(/stsToken/)
  })

  it('refreshes once for concurrent callers, when due', async () => {
    let now = 0
    let calls = 0
    const store = new CredentialStore({ accessKeyId: 'a', accessKeySecret: 's', stsToken: 't' }, async () => ({ accessKeyId: `a${++calls}`, accessKeySecret: 's2', stsToken: 't2' }), 1000, () => now)
    expect((await store.fresh()).accessKeyId).toBe('a')
    now = 1000
    const [x, y] = await Promise.all([store.fresh(), store.fresh()])
    expect([x.accessKeyId, y.accessKeyId, calls]).toEqual(['a1', 'a1', 1])
    expect((await store.fresh(true)).accessKeyId).toBe('a2')
    expect(store.secrets()).toEqual(expect.arrayContaining(['s2', 't2']))
  })
})

describe('content disposition', () => {
  it('is ASCII with an RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('缩略图 (1).jpg')).toBe(`attachment; filename="___ (1).jpg"; filename*=UTF-8''%E7%BC%A9%E7%95%A5%E5%9B%BE%20%281%29.jpg`)
  })
})
