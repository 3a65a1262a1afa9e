/**
 * Object operations: PutObject, CopyObject, GetObject (Range, conditional, response-* overrides),
 * HeadObject, GetObjectMeta, DeleteObject, DeleteMultipleObjects.
 */
import { bucketOf, keyOf, sendEmpty, sendStream, sendXml, type RequestContext } from '../context'
import { Err } from '../errors'
import { assertBucketName, assertObjectKey } from '../names'
import type { Route } from '../router'
import { STORED_HEADERS, type ObjectAttributes, type ObjectMeta, type StoredHeader } from '../storage'
import { asArray, parseXml, textOf } from '../xml'
import { parseObjectAcl } from './acl'
import { assertReadable, parseStorageClass, restoreInfo } from './storage-class'
import { resolveSymlink, symlinkHeaders } from './symlink'
import { parseTaggingHeader } from './tagging'

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding'
}

/** A header value as bytes on the wire: UTF-8 text travels as its bytes (Node writes Latin-1). */
function wire(value: string): string {
  if (value.includes('\r') || value.includes('\n') || value.includes('\0')) throw Err.invalidArgument('Header values must not contain control characters.')
  return [...value].some((c) => c.charCodeAt(0) > 0xff) ? Buffer.from(value, 'utf8').toString('latin1') : value
}

/** ETag, Last-Modified, Content-Type, stored headers and `x-oss-meta-*` of an object. */
export function objectHeaders(ctx: RequestContext, meta: ObjectMeta): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'Content-Type': meta.contentType,
    ETag: `"${meta.etag}"`,
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
    'x-oss-object-type': meta.type,
    'x-oss-storage-class': meta.storageClass
  }
  for (const name of STORED_HEADERS) {
    const value = meta.headers[name]
    if (value !== undefined) headers[name] = value
  }
  for (const [name, value] of Object.entries(meta.userMeta)) headers[`x-oss-meta-${name}`] = value
  if (meta.type === 'Appendable') headers['x-oss-next-append-position'] = meta.size
  if (meta.tags && Object.keys(meta.tags).length > 0) headers['x-oss-tagging-count'] = Object.keys(meta.tags).length
  const restore = restoreInfo(meta)
  if (restore !== undefined) headers['x-oss-restore'] = restore
  for (const [name, value] of Object.entries(responseOverrides(ctx))) {
    delete headers[name.toLowerCase()]
    headers[name] = value
  }
  return headers
}

/** Signed `response-*` query overrides, as headers (UTF-8 travels as its bytes); raw and processed GETs alike. */
export function responseOverrides(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = ctx.query.get(param)
    if (value !== undefined && value !== '') headers[name] = wire(value)
  }
  return headers
}

/** Content-Type, stored headers and `x-oss-meta-*` from a request (raw header values kept). */
export function attributesFromRequest(ctx: RequestContext): ObjectAttributes {
  const userMeta: Record<string, string> = {}
  let metaBytes = 0
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (!name.startsWith('x-oss-meta-') || value === undefined) continue
    const text = Array.isArray(value) ? value.join(',') : value
    userMeta[name.slice('x-oss-meta-'.length)] = text
    metaBytes += name.length + text.length
  }
  if (metaBytes > 8192) throw Err.invalidArgument('Your metadata headers exceed the maximum allowed metadata size (8 KB).')
  const headers: Partial<Record<StoredHeader, string>> = {}
  for (const name of STORED_HEADERS) {
    const value = ctx.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  const contentType = ctx.headers['content-type']
  return { contentType: contentType || 'application/octet-stream', userMeta, headers }
}

function etagMatches(condition: string, etag: string): boolean {
  return condition
    .split(',')
    .map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((t) => t === '*' || t.toUpperCase() === etag)
}

/**
 * If-Match / If-Unmodified-Since → 412; If-None-Match / If-Modified-Since → 'not-modified'.
 * `prefix` reads the CopyObject forms (`x-oss-copy-source-if-match`, …); OSS's `<Condition>`
 * names the bare condition either way (`If-Match`).
 */
export function checkConditions(ctx: RequestContext, meta: ObjectMeta, prefix = ''): 'ok' | 'not-modified' {
  const seconds = Math.floor(meta.lastModified / 1000) * 1000
  const ifMatch = ctx.header(`${prefix}if-match`)
  if (ifMatch !== undefined && !etagMatches(ifMatch, meta.etag)) throw Err.preconditionFailed('If-Match')
  const ifUnmodified = Date.parse(ctx.header(`${prefix}if-unmodified-since`) ?? '')
  if (!Number.isNaN(ifUnmodified) && seconds > ifUnmodified) throw Err.preconditionFailed('If-Unmodified-Since')
  const ifNoneMatch = ctx.header(`${prefix}if-none-match`)
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, meta.etag) ? 'not-modified' : 'ok'
  const ifModified = Date.parse(ctx.header(`${prefix}if-modified-since`) ?? '')
  if (!Number.isNaN(ifModified) && seconds <= ifModified) return 'not-modified'
  return 'ok'
}

/**
 * `Range: bytes=a-b | a- | -n` → inclusive byte range; undefined (whole object) when absent or
 * not a single valid range, as OSS does; 416 InvalidRange when it starts past the end.
 */
export function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim())
  if (!m || (m[1] === '' && m[2] === '') || size === 0) return undefined
  if (m[1] === '') {
    const n = Number(m[2])
    if (n === 0) return undefined
    return { start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(m[1])
  if (m[2] !== '' && Number(m[2]) < start) return undefined
  if (start >= size) throw Err.invalidRange(size)
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) }
}

async function getObject(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const key = keyOf(ctx)
  const link = ctx.storage.headObject(bucket, key)
  if (!link) throw Err.noSuchKey(key)
  // Through a symlink: the target's bytes, under the link's type and metadata (symlink.ts).
  const meta = resolveSymlink(ctx, link)
  const describe = (m: typeof meta) => (m === link ? objectHeaders(ctx, m) : symlinkHeaders(ctx, link, m))
  const headers = describe(meta)
  if (checkConditions(ctx, meta) === 'not-modified') {
    sendEmpty(ctx, 304, { ETag: headers.ETag as string, 'Last-Modified': headers['Last-Modified'] as string })
    return
  }
  if (ctx.method === 'HEAD') {
    sendEmpty(ctx, 200, { ...headers, 'Content-Length': meta.size })
    return
  }
  assertReadable(meta)
  const opened = await ctx.storage.openObject(bucket, meta.key, (m) => parseRange(ctx.header('range'), m.size))
  if (!opened) throw Err.noSuchKey(key)
  // Describe what is actually sent (the object may have been replaced since the lookup).
  const sent = opened.meta === meta ? headers : describe(opened.meta)
  if (opened.range) {
    const { start, end } = opened.range
    await sendStream(ctx, opened.stream, 206, { ...sent, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${opened.meta.size}` })
  } else {
    await sendStream(ctx, opened.stream, 200, { ...sent, 'Content-Length': opened.meta.size })
  }
}

async function getObjectMeta(ctx: RequestContext): Promise<void> {
  const key = keyOf(ctx)
  const meta = ctx.storage.headObject(bucketOf(ctx), key)
  if (!meta) throw Err.noSuchKey(key)
  sendEmpty(ctx, 200, {
    ETag: `"${meta.etag}"`,
    'Last-Modified': new Date(meta.lastModified).toUTCString(),
    'x-oss-object-content-length': meta.size,
    'Content-Length': meta.size
  })
}

async function putObject(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const key = keyOf(ctx)
  const declared = ctx.header('content-length')
  const contentLength = declared !== undefined ? Number(declared) : undefined
  if (contentLength !== undefined && contentLength > ctx.server.maxObjectSize) throw Err.entityTooLarge(ctx.server.maxObjectSize)
  const md5 = ctx.header('content-md5')
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw Err.invalidDigest()
  const meta = await ctx.storage.putObject(bucket, key, ctx.req, {
    ...attributesFromRequest(ctx),
    contentMd5: md5,
    contentLength,
    forbidOverwrite: ctx.header('x-oss-forbid-overwrite') === 'true',
    storageClass: parseStorageClass(ctx.header('x-oss-storage-class')),
    tags: parseTaggingHeader(ctx.header('x-oss-tagging')),
    acl: parseObjectAcl(ctx.header('x-oss-object-acl'))
  })
  sendEmpty(ctx, 200, { ETag: `"${meta.etag}"`, 'Content-MD5': Buffer.from(meta.etag, 'hex').toString('base64') })
}

/** `x-oss-copy-source: /<bucket>/<percent-encoded key>[?versionId=…]`. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  const path = value.split('?')[0] as string
  const m = /^\/?([^/]+)\/(.+)$/.exec(path)
  if (!m) throw Err.invalidArgument('Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.', { ArgumentName: 'x-oss-copy-source', ArgumentValue: value })
  let bucket: string
  let key: string
  try {
    bucket = decodeURIComponent(m[1] as string)
    key = decodeURIComponent(m[2] as string)
  } catch {
    throw Err.invalidArgument('Copy Source is not correctly encoded.', { ArgumentName: 'x-oss-copy-source', ArgumentValue: value })
  }
  assertBucketName(bucket)
  assertObjectKey(key)
  return { bucket, key }
}

async function copyObject(ctx: RequestContext): Promise<void> {
  const target = { bucket: bucketOf(ctx), key: keyOf(ctx) }
  const source = parseCopySource(ctx.header('x-oss-copy-source') ?? '')
  const sourceBucket = ctx.storage.getBucket(source.bucket)
  if (!sourceBucket) throw Err.noSuchBucket(source.bucket)
  if (ctx.principal.anonymous && sourceBucket.acl === 'private') throw Err.bucketAclDenied()
  const meta = ctx.storage.headObject(source.bucket, source.key)
  if (!meta) throw Err.noSuchKey(source.key)
  if (checkConditions(ctx, meta, 'x-oss-copy-source-') === 'not-modified') {
    sendEmpty(ctx, 304)
    return
  }
  const directive = (ctx.header('x-oss-metadata-directive') ?? 'COPY').toUpperCase()
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw Err.invalidArgument('Invalid x-oss-metadata-directive.', { ArgumentName: 'x-oss-metadata-directive', ArgumentValue: directive })
  }
  const copied = await ctx.storage.copyObject(source, target, directive === 'REPLACE' ? attributesFromRequest(ctx) : undefined, {
    forbidOverwrite: ctx.header('x-oss-forbid-overwrite') === 'true',
    acl: parseObjectAcl(ctx.header('x-oss-object-acl'))
  })
  sendXml(ctx, 'CopyObjectResult', { ETag: `"${copied.etag}"`, LastModified: new Date(copied.lastModified).toISOString() })
}

async function deleteObject(ctx: RequestContext): Promise<void> {
  await ctx.storage.deleteObject(bucketOf(ctx), keyOf(ctx))
  sendEmpty(ctx, 204)
}

async function deleteMultipleObjects(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const body = await ctx.readBody(2 * 1024 * 1024)
  const doc = parseXml(body)
  const del = doc.Delete
  if (!del || typeof del !== 'object') throw Err.malformedXml()
  const fields = del as Record<string, unknown>
  const quiet = (textOf(fields.Quiet) ?? 'false').trim() === 'true'
  const objects = asArray(fields.Object)
  if (objects.length === 0 || objects.length > 1000) throw Err.malformedXml()
  const encoding = ctx.query.get('encoding-type')
  const url = encoding === 'url'
  const keys = objects.map((o) => {
    const raw = o && typeof o === 'object' ? textOf((o as Record<string, unknown>).Key) : undefined
    if (raw === undefined) throw Err.malformedXml()
    let key = raw
    if (url) {
      try {
        key = decodeURIComponent(raw)
      } catch {
        throw Err.invalidArgument('The key is not correctly url-encoded.', { ArgumentName: 'Key', ArgumentValue: raw })
      }
    }
    assertObjectKey(key)
    return key
  })
  for (const key of keys) await ctx.storage.deleteObject(bucket, key)
  sendXml(ctx, 'DeleteResult', {
    EncodingType: url ? 'url' : undefined,
    Deleted: quiet ? [] : keys.map((k) => ({ Key: url ? encodeURIComponent(k) : k }))
  })
}

export const objectRoutes: Route[] = [
  { name: 'GetObjectMeta', method: 'HEAD', scope: 'object', subresource: 'objectMeta', access: 'read', handler: getObjectMeta },
  { name: 'GetObject', method: 'GET', scope: 'object', access: 'read', handler: getObject },
  { name: 'HeadObject', method: 'HEAD', scope: 'object', access: 'read', handler: getObject },
  { name: 'CopyObject', method: 'PUT', scope: 'object', when: (r) => r.header('x-oss-copy-source') !== undefined, access: 'write', handler: copyObject },
  { name: 'PutObject', method: 'PUT', scope: 'object', access: 'write', handler: putObject },
  { name: 'DeleteObject', method: 'DELETE', scope: 'object', access: 'write', handler: deleteObject },
  { name: 'DeleteMultipleObjects', method: 'POST', scope: 'bucket', subresource: 'delete', access: 'write', handler: deleteMultipleObjects }
]
