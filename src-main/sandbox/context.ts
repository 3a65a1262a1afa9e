/**
 * The per-request context handlers receive, and the helpers they answer with. See routes.ts for
 * how handlers are registered.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { createHash } from 'node:crypto'
import type { Credentials, Principal } from './auth'
import { header as readHeader } from './auth'
import { Err, type OssError } from './errors'
import type { BucketRecord, Storage } from './storage'
import { toXml, type XmlNode } from './xml'

/** Facts about the running sandbox that responses need. */
export interface ServerInfo {
  /** `http://localhost:PORT` */
  readonly endpoint: string
  /** `localhost:PORT` (ExtranetEndpoint / IntranetEndpoint in bucket info). */
  readonly host: string
  /** Bucket location, e.g. `oss-cn-hangzhou`. */
  readonly location: string
  /** The account that owns every bucket (Owner in listings and ACLs). */
  readonly owner: { readonly id: string; readonly displayName: string }
  /** Largest object PutObject/CopyObject accept, in bytes. */
  readonly maxObjectSize: number
}

/** Query parameters, percent-decoded, in arrival order; `?a` and `?a=` both read as ''. */
export class QueryParams {
  private readonly map: Map<string, string>
  constructor(readonly pairs: readonly (readonly [string, string])[]) {
    this.map = new Map()
    for (const [k, v] of pairs) if (!this.map.has(k)) this.map.set(k, v)
  }
  has(name: string): boolean {
    return this.map.has(name)
  }
  /** The first value of a parameter, or undefined if absent. */
  get(name: string): string | undefined {
    return this.map.get(name)
  }
}

export interface RequestContext {
  /** Also sent as `x-oss-request-id` and in `<Error><RequestId>`. */
  readonly requestId: string
  /** Upper-case HTTP method. */
  readonly method: string
  /** Bucket from the path (path style) or the Host (`<bucket>.localhost`); validated. */
  readonly bucket: string | undefined
  /** Decoded object key, validated (no `..`, `\`, NUL, ≤ 1023 bytes); undefined for bucket/service requests. */
  readonly key: string | undefined
  readonly query: QueryParams
  readonly headers: IncomingHttpHeaders
  /** A header's value (first/joined), UTF-8 re-decoded where the client sent UTF-8. */
  header(name: string): string | undefined
  /** Anonymous, or signed (V1/V4, header/query, main or STS credentials). */
  readonly principal: Principal
  /** Record of `bucket`, when the route requires an existing bucket (the default). */
  readonly bucketRecord: BucketRecord | undefined
  readonly storage: Storage
  readonly server: ServerInfo
  /** The account's keys and minted STS credentials, for handlers that verify a signature themselves (PostObject). */
  readonly credentials: Credentials
  /** The raw request: a readable stream of the body (use it for large bodies). */
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /**
   * The whole body in memory, for small bodies (XML, forms): > `limit` bytes (default 1 MiB) →
   * 400 EntityTooLarge; a `Content-MD5` header is verified (400 InvalidDigest / BadDigest).
   */
  readBody(limit?: number): Promise<Buffer>
}

/** The bucket of a bucket/object-scoped request (routes guarantee it). */
export function bucketOf(ctx: RequestContext): string {
  if (ctx.bucket === undefined) throw Err.invalidArgument('A bucket is required for this request.')
  return ctx.bucket
}

/** The key of an object-scoped request (routes guarantee it). */
export function keyOf(ctx: RequestContext): string {
  if (ctx.key === undefined) throw Err.invalidObjectName('The Object name can not be empty', '0016-00000001')
  return ctx.key
}

export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) throw Err.entityTooLarge(limit)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw Err.entityTooLarge(limit)
    chunks.push(chunk)
  }
  const body = Buffer.concat(chunks)
  const md5 = readHeader(req.headers, 'content-md5')
  if (md5 !== undefined) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw Err.invalidDigest()
    const calculated = createHash('md5').update(body).digest('base64')
    if (calculated !== md5) throw Err.badDigest(md5, calculated)
  }
  return body
}

// ---- responses ------------------------------------------------------------------------------

type Headers = Record<string, string | number | readonly string[]>

function writeHead(res: ServerResponse, status: number, headers: Headers): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.statusCode = status
}

/** An XML document (`<?xml …?><root>…</root>`), Content-Type application/xml. */
export function sendXml(ctx: RequestContext, root: string, body: XmlNode, status = 200, headers: Headers = {}): void {
  sendBytes(ctx, Buffer.from(toXml(root, body), 'utf8'), 'application/xml', status, headers)
}

/** A JSON body, Content-Type application/json. */
export function sendJson(ctx: RequestContext, value: unknown, status = 200, headers: Headers = {}): void {
  sendBytes(ctx, Buffer.from(JSON.stringify(value), 'utf8'), 'application/json', status, headers)
}

/** No body (e.g. 200 after PutObject, 204 after DeleteObject). */
export function sendEmpty(ctx: RequestContext, status = 200, headers: Headers = {}): void {
  writeHead(ctx.res, status, { 'Content-Length': 0, ...headers })
  ctx.res.end()
}

/** Bytes with a Content-Type; HEAD requests get the headers only. */
export function sendBytes(ctx: RequestContext, data: Buffer, contentType: string, status = 200, headers: Headers = {}): void {
  writeHead(ctx.res, status, { 'Content-Type': contentType, 'Content-Length': data.length, ...headers })
  ctx.res.end(ctx.method === 'HEAD' ? undefined : data)
}

/**
 * Stream a body (set Content-Length in `headers` when known). Resolves when the response is
 * done; if the source fails mid-way the connection is cut (the client sees a short body).
 */
export async function sendStream(ctx: RequestContext, stream: Readable, status = 200, headers: Headers = {}): Promise<void> {
  writeHead(ctx.res, status, headers)
  if (ctx.method === 'HEAD') {
    stream.destroy()
    ctx.res.end()
    return
  }
  stream.on('error', () => ctx.res.destroy())
  ctx.res.on('close', () => stream.destroy())
  stream.pipe(ctx.res)
  try {
    await finished(ctx.res)
  } catch {
    // client went away
  }
}

/** The `<Error>` document for an error (as OSS: Code, Message, RequestId, HostId, extras, EC, RecommendDoc). */
export function errorXml(error: OssError, requestId: string, hostId: string): string {
  return toXml('Error', {
    Code: error.code,
    Message: error.message,
    RequestId: requestId,
    HostId: hostId,
    ...error.extra,
    EC: error.ec,
    RecommendDoc: error.ec ? `https://api.aliyun.com/troubleshoot?q=${error.ec}` : undefined
  })
}

/**
 * Answer with an OSS error: status, `x-oss-request-id`, `x-oss-ec`, XML body — or, for HEAD,
 * no body and `x-oss-err` = Base64 of the XML. If a response is already under way, cut it.
 */
export function sendError(res: ServerResponse, method: string, requestId: string, hostId: string, error: OssError): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const xml = Buffer.from(errorXml(error, requestId, hostId), 'utf8')
  for (const name of res.getHeaderNames()) {
    if (!['x-oss-request-id', 'server', 'date'].includes(name)) res.removeHeader(name)
  }
  res.statusCode = error.status
  res.setHeader('Content-Type', 'application/xml')
  if (error.ec) res.setHeader('x-oss-ec', error.ec)
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
  if (method === 'HEAD') {
    res.setHeader('x-oss-err', xml.toString('base64'))
    res.setHeader('Content-Length', 0)
    res.end()
  } else {
    res.setHeader('Content-Length', xml.length)
    res.end(xml)
  }
}
