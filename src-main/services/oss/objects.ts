/**
 * Objects: list (ListObjectsV2, paged), get (with a byte cap for previews), get processed
 * (`x-oss-process`), put, head, delete, delete many.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { parseProcess } from '../../../src-shared/img/process'
import { ImgError } from '../../../src-shared/img/errors'
import { header, readBody, type CallOptions, type OssClient } from './client'
import { CLIENT_CODES, clientError, fromImgError } from './errors'
import { assertHeaderValue, assertObjectKey, assertUserMeta } from './names'

export interface ObjectSummary {
  readonly key: string
  readonly size: number
  /** Without quotes, as OSS computes it (upper-case hex MD5 for simple uploads). */
  readonly etag: string
  /** ISO 8601. */
  readonly lastModified: string
  /** Known from GET/HEAD; ListObjects does not return it. */
  readonly contentType?: string | undefined
  readonly storageClass?: string | undefined
}

export interface ObjectInfo extends ObjectSummary {
  readonly contentType: string | undefined
  /** x-oss-meta-* values, names lower-cased without the prefix. */
  readonly meta: Readonly<Record<string, string>>
}

export interface ObjectContent extends ObjectInfo {
  readonly content: Buffer
}

export interface ListObjectsOptions extends CallOptions {
  readonly prefix?: string | undefined
  readonly delimiter?: string | undefined
  /** 1–1000, default 100 (OSS's default). */
  readonly maxKeys?: number | undefined
  /** `nextContinuationToken` of the previous page. */
  readonly continuationToken?: string | undefined
  readonly startAfter?: string | undefined
}

export interface ListObjectsPage {
  readonly objects: readonly ObjectSummary[]
  /** Common prefixes ("folders") when a delimiter is given. */
  readonly prefixes: readonly string[]
  readonly isTruncated: boolean
  readonly nextContinuationToken: string | undefined
}

export interface GetObjectOptions extends CallOptions {
  /**
   * Refuse objects larger than this: checked against Content-Length before reading, and while
   * reading (chunked/processed responses); the download stops at the cap. Throws ObjectTooLarge.
   */
  readonly maxBytes?: number | undefined
}

export interface PutObjectOptions extends CallOptions {
  /** Default: guessed by ali-oss from the key's extension. */
  readonly contentType?: string | undefined
  /** Sent as x-oss-meta-<name>; printable ASCII values. */
  readonly meta?: Readonly<Record<string, string>> | undefined
  readonly cacheControl?: string | undefined
  readonly contentDisposition?: string | undefined
}

export interface PutObjectResult {
  readonly key: string
  readonly etag: string
}

export interface DeleteObjectsResult {
  /** Keys OSS reports as deleted (OSS also reports keys that did not exist). */
  readonly deleted: readonly string[]
}

/** OSS's DeleteMultipleObjects limit. */
export const DELETE_BATCH = 1000

export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '')
}

function isoDate(value: string | undefined): string {
  if (!value) return ''
  const time = new Date(value)
  return Number.isNaN(time.getTime()) ? value : time.toISOString()
}

function metaFrom(headers: IncomingHttpHeaders): Record<string, string> {
  const meta: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-') && value !== undefined) meta[name.slice('x-oss-meta-'.length)] = Array.isArray(value) ? value.join(', ') : value
  }
  return meta
}

function infoFrom(key: string, headers: IncomingHttpHeaders, size: number): ObjectInfo {
  return {
    key,
    size,
    etag: unquoteEtag(header(headers, 'etag')),
    lastModified: isoDate(header(headers, 'last-modified')),
    contentType: header(headers, 'content-type'),
    storageClass: header(headers, 'x-oss-storage-class'),
    meta: metaFrom(headers)
  }
}

function assertMaxBytes(maxBytes: number | undefined): void {
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw clientError({ code: 'InvalidArgument', status: 0, message: `maxBytes: expected a non-negative integer but received ${String(maxBytes)}` })
  }
}

function tooLarge(key: string, maxBytes: number, size: number | undefined, operation: string) {
  const what = size === undefined ? `more than ${maxBytes} bytes` : `${size} bytes`
  return clientError({ code: CLIENT_CODES.objectTooLarge, status: 0, operation, message: `${key}: expected at most ${maxBytes} bytes but the ${operation === 'getProcessedObject' ? 'processed result' : 'object'} has ${what}` })
}

/**
 * Validates a GET process string: `image/...` or `style/NAME`, without `sys/saveas` (OSS
 * answers 400 to saveas in a GET — use processObjectSave).
 */
export function assertGetProcess(process: string, operation: string): void {
  let parsed
  try {
    parsed = parseProcess(process)
  } catch (error) {
    if (error instanceof ImgError) throw fromImgError(error, operation)
    throw error
  }
  if (parsed.saveAs) {
    throw clientError({ code: 'InvalidArgument', status: 400, operation, message: 'process: expected no sys/saveas in a GET (use processObjectSave) but received one' })
  }
}

export async function listObjects(client: OssClient, options: ListObjectsOptions = {}): Promise<ListObjectsPage> {
  const maxKeys = options.maxKeys ?? 100
  if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > 1000) {
    throw clientError({ code: 'InvalidArgument', status: 400, operation: 'listObjects', message: `maxKeys: expected an integer between 1 and 1000 but received ${String(maxKeys)}` })
  }
  return client.run('listObjects', options, async ({ oss, timeout }) => {
    // Built per attempt: ali-oss mutates the query object it is given.
    const query: Record<string, string | number> = { 'max-keys': maxKeys }
    if (options.prefix) query.prefix = options.prefix
    if (options.delimiter) query.delimiter = options.delimiter
    if (options.startAfter) query['start-after'] = options.startAfter
    if (options.continuationToken) query['continuation-token'] = options.continuationToken
    const result = await oss.listV2(query, { timeout })
    return {
      objects: (result.objects ?? []).map((o) => ({
        key: o.name,
        size: Number(o.size),
        etag: unquoteEtag(o.etag),
        lastModified: isoDate(o.lastModified),
        storageClass: o.storageClass
      })),
      prefixes: result.prefixes ?? [],
      isTruncated: result.isTruncated,
      nextContinuationToken: result.isTruncated && result.nextContinuationToken ? result.nextContinuationToken : undefined
    }
  })
}

/** Every page of a listing, following continuation tokens. */
export async function* listAllObjects(client: OssClient, options: ListObjectsOptions = {}): AsyncGenerator<ListObjectsPage, void, undefined> {
  let token = options.continuationToken
  for (;;) {
    const page = await listObjects(client, { ...options, continuationToken: token })
    yield page
    if (!page.isTruncated || !page.nextContinuationToken) return
    token = page.nextContinuationToken
  }
}

async function getWith(client: OssClient, operation: string, key: string, process: string | undefined, options: GetObjectOptions): Promise<ObjectContent> {
  const { maxBytes } = options
  return client.run(operation, options, async (attempt) => {
    const result = await client.send(
      attempt,
      { method: 'GET', bucket: client.bucket, object: key, subres: process === undefined ? undefined : { 'x-oss-process': process }, customResponse: true },
      [200]
    )
    const declared = header(result.headers, 'content-length')
    const length = declared === undefined ? undefined : Number(declared)
    if (maxBytes !== undefined && length !== undefined && length > maxBytes) {
      result.res.destroy()
      throw tooLarge(key, maxBytes, length, operation)
    }
    const { body, truncated } = await readBody(result.res, { maxBytes, idleTimeoutMs: attempt.timeout, signal: attempt.signal })
    if (truncated && maxBytes !== undefined) throw tooLarge(key, maxBytes, undefined, operation)
    return { ...infoFrom(key, result.headers, body.length), content: body }
  })
}

/** The object's bytes. With `maxBytes`, larger objects are refused without downloading them. */
export async function getObject(client: OssClient, key: string, options: GetObjectOptions = {}): Promise<ObjectContent> {
  assertObjectKey(key)
  assertMaxBytes(options.maxBytes)
  return getWith(client, 'getObject', key, undefined, options)
}

/** `GET <key>?x-oss-process=<process>`: the processed bytes (or JSON for image/info). */
export async function getProcessedObject(client: OssClient, key: string, process: string, options: GetObjectOptions = {}): Promise<ObjectContent> {
  assertObjectKey(key)
  assertMaxBytes(options.maxBytes)
  assertGetProcess(process, 'getProcessedObject')
  return getWith(client, 'getProcessedObject', key, process, options)
}

export async function headObject(client: OssClient, key: string, options: CallOptions = {}): Promise<ObjectInfo> {
  assertObjectKey(key)
  return client.run('headObject', options, async (attempt) => {
    const result = await client.send(attempt, { method: 'HEAD', bucket: client.bucket, object: key }, [200])
    return infoFrom(key, result.headers, Number(header(result.headers, 'content-length') ?? 0))
  })
}

export async function putObject(client: OssClient, key: string, body: Buffer | Uint8Array, options: PutObjectOptions = {}): Promise<PutObjectResult> {
  assertObjectKey(key)
  if (!(body instanceof Uint8Array)) throw clientError({ code: 'InvalidArgument', status: 0, operation: 'putObject', message: 'body: expected a Buffer' })
  const content = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (options.meta) assertUserMeta(options.meta)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.meta ?? {})) headers[`x-oss-meta-${name.toLowerCase()}`] = value
  if (options.contentType !== undefined) {
    assertHeaderValue('contentType', options.contentType)
    headers['Content-Type'] = options.contentType
  }
  if (options.cacheControl !== undefined) {
    assertHeaderValue('cacheControl', options.cacheControl)
    headers['Cache-Control'] = options.cacheControl
  }
  if (options.contentDisposition !== undefined) {
    assertHeaderValue('contentDisposition', options.contentDisposition)
    headers['Content-Disposition'] = options.contentDisposition
  }
  return client.run('putObject', options, async ({ oss, timeout }) => {
    const result = await oss.put(key, content, { timeout, headers: { ...headers } })
    const res = result.res as { headers?: IncomingHttpHeaders }
    return { key, etag: unquoteEtag(res.headers ? header(res.headers, 'etag') : undefined) }
  })
}

/** Deletes one object. OSS answers 204 whether or not it existed. */
export async function deleteObject(client: OssClient, key: string, options: CallOptions = {}): Promise<void> {
  assertObjectKey(key)
  await client.run('deleteObject', options, async ({ oss, timeout }) => {
    await oss.delete(key, { timeout })
  })
}

/** DeleteMultipleObjects in batches of 1000 (each batch retried on its own; deletion is idempotent). */
export async function deleteObjects(client: OssClient, keys: readonly string[], options: CallOptions = {}): Promise<DeleteObjectsResult> {
  const unique = [...new Set(keys)]
  unique.forEach((key, i) => assertObjectKey(key, `keys[${i}]`))
  const deleted: string[] = []
  for (let i = 0; i < unique.length; i += DELETE_BATCH) {
    const batch = unique.slice(i, i + DELETE_BATCH)
    const result = await client.run('deleteObjects', options, async ({ oss, timeout }) => oss.deleteMulti([...batch], { quiet: false, timeout }))
    for (const entry of result.deleted as unknown as readonly ({ Key?: string } | string)[]) {
      const key = typeof entry === 'string' ? entry : entry.Key
      if (key !== undefined) deleted.push(key)
    }
  }
  return { deleted }
}
