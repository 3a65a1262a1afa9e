/**
 * The HTTP side: bind 127.0.0.1, parse the target (path-style `/<bucket>/<key>` or virtual-host
 * `<bucket>.localhost`), inject faults, authenticate, route, and turn failures into OSS errors.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { authenticate, Credentials, header as readHeader, randomToken, type AuthRequest, type Principal } from './auth'
import { errorXml, QueryParams, readBody, sendError, type RequestContext, type ServerInfo } from './context'
import { Err, OssError, toOssError } from './errors'
import { FaultInjector } from './faults'
import type { Sandbox, SandboxOptions } from './index'
import { assertBucketName, assertObjectKey, isValidBucketName } from './names'
import { RouteTable, selectingSubresources, type Route, type Scope } from './router'
import { SANDBOX_ROUTES } from './routes'
import { seedBuckets } from './seed'
import { effectiveAcl } from './handlers/acl'
import { delimiterForm, isRawRead, readImageSettings, updateImageSettings } from './img-settings'
import type { BucketRecord, ObjectMeta } from './storage'
import { Storage } from './storage'

/** Options beyond the public `SandboxOptions`, for tests and embedding. */
export interface SandboxServerOptions extends SandboxOptions {
  /** Largest object accepted, bytes (default 5 GiB). */
  maxObjectSize?: number
  /** Routes to serve instead of `SANDBOX_ROUTES`. */
  routes?: readonly Route[]
  /** Location reported for buckets (default `oss-cn-hangzhou`). */
  location?: string
}

interface Target {
  bucket: string | undefined
  key: string | undefined
  query: [string, string][]
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw Err.invalidUri()
  }
}

function parseQuery(raw: string): [string, string][] {
  const pairs: [string, string][] = []
  for (const part of raw.split('&')) {
    if (part === '') continue
    const at = part.indexOf('=')
    const name = at < 0 ? part : part.slice(0, at)
    const value = at < 0 ? '' : part.slice(at + 1)
    pairs.push([decode(name.replace(/\+/g, ' ')), decode(value.replace(/\+/g, ' '))])
  }
  return pairs
}

/** `<bucket>.localhost[:port]` or `<bucket>.oss-<region>[-internal].aliyuncs.com` → the bucket. */
function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined
  const hostname = host.replace(/:\d+$/, '').toLowerCase()
  const m = /^([^.]+)\.(?:localhost|oss-[a-z0-9-]+\.aliyuncs\.com)$/.exec(hostname)
  return m && isValidBucketName(m[1] as string) ? m[1] : undefined
}

export function parseTarget(url: string, host: string | undefined): Target {
  let path = url
  if (!path.startsWith('/')) {
    const m = /^https?:\/\/[^/]+(\/.*)?$/.exec(path)
    if (!m) throw Err.invalidUri()
    path = m[1] ?? '/'
  }
  const q = path.indexOf('?')
  const rawPath = q < 0 ? path : path.slice(0, q)
  const query = q < 0 ? [] : parseQuery(path.slice(q + 1))
  const hostBucket = bucketFromHost(host)
  let bucket: string | undefined
  let rawKey: string | undefined
  if (hostBucket) {
    bucket = hostBucket
    rawKey = rawPath.slice(1)
  } else {
    const rest = rawPath.slice(1)
    const slash = rest.indexOf('/')
    bucket = decode(slash < 0 ? rest : rest.slice(0, slash)) || undefined
    rawKey = slash < 0 ? undefined : rest.slice(slash + 1)
  }
  if (bucket !== undefined) assertBucketName(bucket)
  const key = rawKey ? decode(rawKey) : undefined
  if (key !== undefined) assertObjectKey(key)
  return { bucket, key, query }
}

/** Anonymous callers get what the effective ACL allows: the object's own, else the bucket's (acl.ts). */
function authorize(route: Route, principal: Principal, record: BucketRecord | undefined, object: ObjectMeta | undefined): void {
  if (!principal.anonymous || route.access === 'form') return
  const { acl, from } = effectiveAcl(record, route.scope === 'object' ? object : undefined)
  const denied = from === 'object' ? Err.objectAclDenied() : Err.bucketAclDenied()
  if (route.access === 'owner') {
    if (route.scope === 'service' || !record) throw Err.accessDenied('Anonymous access is forbidden for this operation.')
    throw denied
  }
  if (route.access === 'read' && (acl === 'public-read' || acl === 'public-read-write')) return
  if (route.access === 'write' && acl === 'public-read-write') return
  throw denied
}

/** What Node's HTTP parser refused, as the OSS error to answer with (status, Code, message). */
function parserRefusal(error: NodeJS.ErrnoException & { rawPacket?: Buffer }): OssError {
  const raw = error.rawPacket?.toString('latin1') ?? ''
  const lineEnd = raw.indexOf('\r\n')
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    // Node counts the request line into the 16 KB header budget: a line that never ended is an oversized target.
    if (lineEnd < 0 || lineEnd > 8192) return new OssError({ status: 414, code: 'InvalidArgument', message: 'The request target (URL) is too long.', ec: '0016-00000107' })
    return new OssError({ status: 431, code: 'RequestHeaderFieldsTooLarge', message: 'The request headers are too large.', ec: '0016-00000108' })
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new OssError({ status: 408, code: 'RequestTimeout', message: 'The request was not completed in time.', ec: '0016-00000109' })
  return new OssError({ status: 400, code: 'InvalidRequest', message: `The request is not well-formed HTTP/1.1 (${error.code ?? 'parse error'}).`, ec: '0016-00000110' })
}

/**
 * A request Node's parser refused gets an answer, as OSS gives one: the OSS XML error with
 * `Connection: close`, then the connection ends. Only when nothing can be written any more
 * (the client is gone, or a response is already under way) is the socket destroyed.
 */
function answerUnparsable(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  const httpSocket = socket as Duplex & { _httpMessage?: unknown }
  if (error.code === 'ECONNRESET' || !socket.writable || httpSocket._httpMessage) {
    socket.destroy()
    return
  }
  const refusal = parserRefusal(error)
  const requestId = randomBytes(12).toString('hex').toUpperCase()
  const body = Buffer.from(errorXml(refusal, requestId, 'localhost'), 'utf8')
  const head = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Bad Request'}`,
    'Server: AliyunOSS',
    `Date: ${new Date().toUTCString()}`,
    `x-oss-request-id: ${requestId}`,
    `x-oss-ec: ${refusal.ec}`,
    'Content-Type: application/xml',
    `Content-Length: ${body.length}`,
    'Connection: close',
    '',
    ''
  ].join('\r\n')
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]))
  // A client that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 5000).unref()
}

function ownerId(accessKeyId: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 15)}`).toString()
  return digits.padStart(16, '1').slice(0, 16)
}

export async function startSandboxServer(options: SandboxServerOptions): Promise<Sandbox> {
  const faults = new FaultInjector(options.faults)
  const accessKeyId = options.accessKeyId ?? `LTAI${randomToken(20)}`
  const accessKeySecret = options.accessKeySecret ?? randomToken(30)
  const credentials = new Credentials(accessKeyId, accessKeySecret)
  const table = new RouteTable(options.routes ?? SANDBOX_ROUTES)
  const storage = await Storage.open(options.dataDir, { ...(options.maxObjectSize !== undefined ? { maxObjectSize: options.maxObjectSize } : {}) })
  try {
    await seedBuckets(storage, options.buckets ?? [])
  } catch (error) {
    await storage.close()
    throw error
  }

  const info: { -readonly [K in keyof ServerInfo]: ServerInfo[K] } = {
    endpoint: '',
    host: '',
    location: options.location ?? 'oss-cn-hangzhou',
    owner: { id: ownerId(accessKeyId), displayName: ownerId(accessKeyId) },
    maxObjectSize: storage.maxObjectSize
  }
  const pending = new Set<Promise<void>>()

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(12).toString('hex').toUpperCase()
    const method = (req.method ?? 'GET').toUpperCase()
    const hostName = (req.headers.host ?? 'localhost').replace(/:\d+$/, '')
    // HostId as OSS writes it: <bucket>.<endpoint host> (already so for virtual-host requests).
    let hostId = hostName
    res.setHeader('x-oss-request-id', requestId)
    res.setHeader('Server', 'AliyunOSS')
    res.setHeader('Date', new Date().toUTCString())
    try {
      if (faults.enabled) {
        if (faults.latencyMs > 0) await sleep(faults.latencyMs)
        const action = faults.next()
        if (action === 'drop') {
          req.socket.destroy()
          return
        }
        if (action === 'internal-error') throw Err.internalError()
        if (action === 'slow-down') throw Err.slowDown()
      }
      let target = parseTarget(req.url ?? '/', req.headers.host)
      if (target.bucket !== undefined && !bucketFromHost(req.headers.host)) hostId = `${target.bucket}.${hostName}`
      const authRequest: AuthRequest = { method, bucket: target.bucket, key: target.key, query: target.query, headers: req.headers }
      const principal = authenticate(authRequest, credentials)
      const scope: Scope = target.key !== undefined ? 'object' : target.bucket !== undefined ? 'bucket' : 'service'
      let query = new QueryParams(target.query)
      const header = (name: string) => readHeader(req.headers, name.toLowerCase())
      let route = table.match(method, scope, { query, header })
      if (!route) {
        const selecting = selectingSubresources(query)
        if (selecting.length > 0 && ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(method)) {
          throw new OssError({ status: 501, code: 'NotImplemented', message: `The sandbox does not implement ${method} ?${selecting.join('&')} on this resource.`, ec: '0016-00000202' })
        }
        throw Err.methodNotAllowed(method)
      }
      let bucketRecord: BucketRecord | undefined
      if (target.bucket !== undefined) {
        bucketRecord = storage.getBucket(target.bucket)
        if (!bucketRecord && route.bucketMustExist !== false) throw Err.noSuchBucket(target.bucket)
      }
      // `<key><delim><style>` (signed, if at all, as that path) is the style's query form from here on.
      const styled = bucketRecord && route && isRawRead(route) ? await delimiterForm(storage, bucketRecord.name, target.key as string) : undefined
      if (styled) {
        target = { ...target, key: styled.key, query: [...target.query, ['x-oss-process', `style/${styled.style}`]] }
        query = new QueryParams(target.query)
        route = table.match(method, scope, { query, header }) ?? route
      }
      authorize(route, principal, bucketRecord, target.key !== undefined && bucketRecord ? storage.headObject(bucketRecord.name, target.key) : undefined)
      const ctx: RequestContext = {
        requestId,
        method,
        bucket: target.bucket,
        key: target.key,
        query,
        headers: req.headers,
        header,
        principal,
        bucketRecord,
        storage,
        server: info,
        credentials,
        req,
        res,
        readBody: (limit?: number) => readBody(req, limit)
      }
      await route.handler(ctx)
    } catch (error) {
      const ossError = toOssError(error)
      if (ossError.status >= 500 && !(error instanceof OssError)) console.error('[sandbox]', method, req.url, error)
      sendError(res, method, requestId, hostId, ossError)
    }
  }

  // Large uploads over loopback may take a while: allow an hour per request (Node defaults to 5 min).
  // The lenient parser accepts `Content-Length` together with `Transfer-Encoding: chunked` (the
  // chunked framing wins, RFC 9112 §6.3), which ali-oss sends for a stream of known length and OSS
  // accepts; smuggling needs a proxy in front, and the sandbox listens on loopback only. A request
  // without Host is answered by the handlers (OSS XML errors), not by Node's bare 400.
  const server = createServer({ keepAliveTimeout: 5000, requestTimeout: 3_600_000, insecureHTTPParser: true, requireHostHeader: false }, (req, res) => {
    const job = handle(req, res)
      .catch(() => void res.destroy())
      .finally(() => pending.delete(job))
    pending.add(job)
  })
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => answerUnparsable(error, socket))
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await storage.close()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  info.endpoint = `http://localhost:${port}`
  info.host = `localhost:${port}`

  let closing: Promise<void> | undefined
  return {
    endpoint: info.endpoint,
    port,
    accessKeyId,
    accessKeySecret,
    get buckets() {
      return storage.listBuckets().map((b) => b.name)
    },
    bucketAcl(bucket) {
      const record = storage.getBucket(bucket)
      if (!record) throw Err.noSuchBucket(bucket)
      return record.acl
    },
    setBucketAcl: async (bucket, acl) => void (await storage.setBucketAcl(bucket, acl)),
    imageSettings: (bucket) => readImageSettings(storage, bucket),
    updateImageSettings: (bucket, patch) => updateImageSettings(storage, bucket, patch),
    issueStsCredentials(opts = {}) {
      return credentials.issueSts(opts.expiresInSeconds ?? 3600)
    },
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections()
        await closed
        await Promise.allSettled([...pending])
        await storage.close()
      })()
      return closing
    }
  }
}
