/**
 * "Test connection" against a real sandbox (real ali-oss over HTTP underneath the OSS service), and
 * the rule that a secret never leaves the vault in clear: every summary, result, thrown error, log
 * line, console line and file is searched for the distinctive secrets.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSandbox, type Sandbox } from '../../../src-main/sandbox'
import { OssError } from '../../../src-main/services/oss'
import { createFileKeyCipher, createVault, VaultError, type ProfileInput, type TestConnectionResult, type Vault } from '../../../src-main/services/vault'
import { describeOssFailure } from '../../../src-main/services/vault/test-connection'
import { makeResolvedCredentials } from '../../../src-main/services/vault/credentials'
import { allFiles, KEY_ID, removeTempDirs, SECRET, secretsIn, STS_TOKEN, tempDir, unusedLauncher, WRONG_SECRET } from './helpers'

const seen: string[] = []
const record = (value: unknown) => {
  seen.push(typeof value === 'string' ? value : `${JSON.stringify(value)}\n${inspect(value, { depth: 10, showHidden: true })}`)
  return value
}

let sandbox: Sandbox
let vault: Vault
let dataDir: string
const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    seen.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '))
  })
)

beforeAll(async () => {
  sandbox = await startSandbox({ dataDir: tempDir('vault-sandbox-'), port: 0, buckets: ['demo-bucket'], accessKeyId: KEY_ID, accessKeySecret: SECRET })
  dataDir = tempDir()
  vault = await createVault({ dataDir, cipher: createFileKeyCipher(dataDir), sandbox: unusedLauncher, log: (level, message) => seen.push(`${level} ${message}`) })
})

afterAll(async () => {
  await sandbox.close()
  for (const spy of consoleSpies) spy.mockRestore()
  removeTempDirs()
})

async function profile(overrides: Partial<ProfileInput> = {}): Promise<string> {
  const created = await vault.create({ name: 'Sandbox as OSS', endpoint: sandbox.endpoint, bucket: 'demo-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET, ...overrides })
  record(created)
  return created.id
}

async function test(id: string, timeoutMs?: number): Promise<TestConnectionResult> {
  return record(await vault.testConnection(id, timeoutMs ? { timeoutMs } : {})) as TestConnectionResult
}

function failure(result: TestConnectionResult) {
  if (result.ok) throw new Error('expected a failure')
  return result.error
}

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('testConnection against a real sandbox', () => {
  it('ok with the right keys', async () => {
    const result = await test(await profile())
    expect(result).toEqual({ ok: true, latencyMs: expect.any(Number) })
  })

  it('ok with STS credentials; a wrong STS token is InvalidSecurityToken', async () => {
    const sts = sandbox.issueStsCredentials()
    const id = await profile({ accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, stsToken: sts.securityToken })
    expect((await test(id)).ok).toBe(true)
    await vault.update(id, { stsToken: STS_TOKEN })
    const error = failure(await test(id))
    expect(error).toMatchObject({ code: 'InvalidSecurityToken', status: 403, requestId: expect.any(String) })
    expect(error.message).toMatch(/^The STS token is not valid for this AccessKey ID\. OSS 403 InvalidSecurityToken: /)
  })

  it('wrong secret → SignatureDoesNotMatch, shown clearly, without the secret', async () => {
    const error = failure(await test(await profile({ accessKeySecret: WRONG_SECRET })))
    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403, requestId: expect.any(String) })
    expect(error.message).toMatch(/^Wrong AccessKey secret: .*OSS 403 SignatureDoesNotMatch: The request signature we calculated does not match/)
  })

  it('unknown key id → InvalidAccessKeyId', async () => {
    const error = failure(await test(await profile({ accessKeyId: 'LTAIunknownKeyId0000' })))
    expect(error).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 })
    expect(error.message).toMatch(/^Wrong AccessKey ID: OSS does not know this key.*OSS 403 InvalidAccessKeyId: /)
  })

  it('missing bucket → NoSuchBucket', async () => {
    const error = failure(await test(await profile({ bucket: 'no-such-bucket' })))
    expect(error).toMatchObject({ code: 'NoSuchBucket', status: 404 })
    expect(error.message).toMatch(/^Bucket "no-such-bucket" does not exist/)
  })

  it('unreachable port → NetworkError (connection refused), quickly and without retries', async () => {
    const port = await closedPort()
    const started = Date.now()
    const error = failure(await test(await profile({ endpoint: `http://127.0.0.1:${port}` })))
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(error.code).toBe('NetworkError')
    expect(error.status).toBe(-1)
    expect(error.message).toMatch(new RegExp(`^Cannot reach http://127\\.0\\.0\\.1:${port}: connection refused .*ECONNREFUSED`))
  })

  it('a host that accepts but never answers → ResponseTimeout within the test timeout', async () => {
    const sockets: Socket[] = []
    const server: Server = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as { port: number }).port
      const error = failure(await test(await profile({ endpoint: `http://localhost:${port}` }), 300))
      expect(error.status).toBe(-2)
      expect(error.code).toBe('ResponseTimeout')
      expect(error.message).toMatch(/^No answer from http:\/\/localhost:\d+ in time/)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('an unknown profile id throws NotFound (a programming error, not a connection result)', async () => {
    await expect(vault.testConnection('0000-missing')).rejects.toMatchObject({ code: 'NotFound' })
  })
})

describe('OSS errors in words (mapping)', () => {
  const credentials = makeResolvedCredentials(
    { profileId: 'p', kind: 'oss', endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', region: undefined, bucket: 'my-images', customDomain: undefined, accessKeyId: KEY_ID },
    { accessKeySecret: SECRET, stsToken: STS_TOKEN }
  )
  const map = (init: Partial<ConstructorParameters<typeof OssError>[0]>) =>
    record(describeOssFailure(new OssError({ code: 'X', status: 403, message: 'm', origin: 'server', ...init }), credentials)) as ReturnType<typeof describeOssFailure>

  it('wrong region, no permission, expired STS token, server errors', () => {
    expect(map({ code: 'AccessDenied', message: 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', requestId: 'R1', ec: '0003-00001403' })).toEqual({
      code: 'AccessDenied',
      status: 403,
      requestId: 'R1',
      ec: '0003-00001403',
      message: 'Wrong region: bucket "my-images" must be accessed through another endpoint. OSS 403 AccessDenied: The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.'
    })
    expect(map({ code: 'AccessDenied', message: 'You have no right to access this object because of bucket acl.' }).message).toMatch(/^No permission: this AccessKey may not list bucket "my-images"\. OSS 403 AccessDenied: You have no right/)
    expect(map({ code: 'InvalidArgument', status: 400, message: 'Invalid signing region in Authorization header.' }).message).toMatch(/^Wrong region for this bucket\./)
    expect(map({ code: 'SecurityTokenExpired', message: 'The security token you provided has expired.' }).message).toMatch(/^The STS token has expired/)
    expect(map({ code: 'InternalError', status: 500, message: 'We encountered an internal error.' }).message).toMatch(/^OSS had a server error/)
  })

  it('redacts any secret that slipped into a message', () => {
    const mapped = map({ code: 'SignatureDoesNotMatch', message: `calculated with ${SECRET} and ${STS_TOKEN}` })
    expect(mapped.message).toBe('Wrong AccessKey secret: OSS could not verify the request signature (check the secret, and that the region matches the bucket). OSS 403 SignatureDoesNotMatch: calculated with *** and ***')
  })
})

describe('the secrets never leave the vault in clear', () => {
  it('appear in no summary, result, thrown error, log or console line, and in no file (not even the vault’s)', async () => {
    // Provoke thrown errors with secrets in play too.
    const id = await profile({ stsToken: STS_TOKEN })
    const thrown: unknown[] = []
    for (const attempt of [
      () => vault.update(id, { accessKeyId: 'LTAIanotherKey1234' }),
      () => vault.update(id, { accessKeySecret: `${WRONG_SECRET} x` }),
      () => vault.create({ name: '', endpoint: sandbox.endpoint, bucket: 'demo-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET, stsToken: `${STS_TOKEN} ` + 'y' }),
      () => vault.update(id, { name: SECRET.replace(/./g, '\u0001') })
    ]) {
      try {
        await attempt()
      } catch (error) {
        expect(error).toBeInstanceOf(VaultError)
        thrown.push(error)
      }
    }
    expect(thrown).toHaveLength(4)
    for (const error of thrown) {
      record(error)
      record((error as Error).message)
      record((error as Error).stack)
      record((error as VaultError).toJSON())
    }
    record(await vault.list())
    record(await vault.credentialsFor(id))
    expect(seen.length).toBeGreaterThan(20)
    for (const text of seen) expect(secretsIn(text), text.slice(0, 200)).toEqual([])
    const files = allFiles(dataDir)
    expect(files.length).toBeGreaterThan(3)
    for (const { path, bytes } of files) {
      expect(secretsIn(bytes.toString('latin1')), path).toEqual([])
      expect(secretsIn(bytes.toString('utf8')), path).toEqual([])
    }
  })
})
