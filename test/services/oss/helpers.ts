/**
 * Shared set-up for the OSS service tests: a real sandbox server over HTTP, the real ali-oss client
 * underneath OssService, and an http.Agent that counts what goes over the wire (independently of
 * the service's own retry bookkeeping).
 */
import { createHash, createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { startSandbox, type FaultOptions, type Sandbox } from '../../../src-main/sandbox'
import { OssError, OssService, type OssConnectionConfig } from '../../../src-main/services/oss'

export const BUCKET = 'demo-bucket'
export const OTHER_BUCKET = 'other-bucket'

type AddRequest = (this: http.Agent, req: http.ClientRequest, options: unknown) => void
const baseAddRequest = (http.Agent.prototype as unknown as { addRequest: AddRequest }).addRequest

/** Counts every HTTP request (`METHOD path`) and the bytes read from its sockets. */
export class CountingAgent extends http.Agent {
  readonly log: string[] = []
  private readonly sockets_: Socket[] = []

  constructor() {
    super({ keepAlive: true })
    const log = this.log
    ;(this as unknown as { addRequest: AddRequest }).addRequest = function (req, options) {
      log.push(`${req.method} ${req.path}`)
      baseAddRequest.call(this, req, options)
    }
  }

  override createConnection(...args: Parameters<http.Agent['createConnection']>): ReturnType<http.Agent['createConnection']> {
    const socket = super.createConnection(...args)
    if (socket) this.sockets_.push(socket as Socket)
    return socket
  }

  count(pattern?: RegExp): number {
    return pattern ? this.log.filter((r) => pattern.test(r)).length : this.log.length
  }

  bytesRead(): number {
    return this.sockets_.reduce((sum, s) => sum + s.bytesRead, 0)
  }

  reset(): void {
    this.log.length = 0
    this.sockets_.length = 0
  }
}

export interface TestBed {
  readonly sandbox: Sandbox
  readonly agent: CountingAgent
  /** A service on the sandbox; retries fast (5–20 ms) so fault tests stay quick. */
  service(overrides?: Partial<OssConnectionConfig>): OssService
  close(): Promise<void>
}

export async function startTestBed(faults?: FaultOptions): Promise<TestBed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-service-'))
  const sandbox = await startSandbox({ dataDir, port: 0, buckets: [BUCKET, OTHER_BUCKET], ...(faults ? { faults } : {}) })
  const agent = new CountingAgent()
  return {
    sandbox,
    agent,
    service: (overrides = {}) =>
      new OssService({
        endpoint: sandbox.endpoint,
        bucket: BUCKET,
        accessKeyId: sandbox.accessKeyId,
        accessKeySecret: sandbox.accessKeySecret,
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
        agent,
        ...overrides
      }),
    close: async () => {
      agent.destroy()
      await sandbox.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex').toUpperCase()
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex')
}

/** Pseudo-random bytes, deterministic per seed. */
export function bytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size)
  let x = seed >>> 0 || 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Independent V1 query-signature check (spec §2.3): HMAC-SHA1 over the canonical resource. */
export function expectedV1Signature(secret: string, url: URL, bucket: string): string {
  const expires = url.searchParams.get('Expires') ?? ''
  const key = decodeURIComponent(url.pathname.replace(new RegExp(`^/${bucket}/`), '/').slice(1))
  const sub = [...url.searchParams.entries()]
    .filter(([k]) => !['OSSAccessKeyId', 'Expires', 'Signature'].includes(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
  const resource = `/${bucket}/${key}${sub.length ? `?${sub.join('&')}` : ''}`
  return createHmac('sha1', secret).update(`GET\n\n\n${expires}\n${resource}`, 'utf8').digest('base64')
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Independent V4 query-signature check (spec §2.4), for `GET /<bucket>/<key>` presigned URLs. */
export function expectedV4Signature(secret: string, url: URL, bucket: string, key: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'x-oss-signature')
  const query = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join('&')
  const uri = `/${rfc3986(bucket)}/${key.split('/').map(rfc3986).join('/')}`
  const canonicalRequest = ['GET', uri, query, '', '', 'UNSIGNED-PAYLOAD'].join('\n')
  const date = url.searchParams.get('x-oss-date') ?? ''
  const [, day, region, product] = (url.searchParams.get('x-oss-credential') ?? '').split('/')
  const scope = `${day}/${region}/${product}/aliyun_v4_request`
  const stringToSign = ['OSS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n')
  const hmac = (k: string | Buffer, d: string) => createHmac('sha256', k).update(d, 'utf8').digest()
  const signingKey = hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, day ?? ''), region ?? ''), product ?? ''), 'aliyun_v4_request')
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex')
}

/** Awaits an operation that must fail with the OSS service's typed error, and returns it. */
export async function failure(promise: Promise<unknown>): Promise<OssError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(OssError)
    return error as OssError
  }
  throw new Error('expected the operation to fail')
}
