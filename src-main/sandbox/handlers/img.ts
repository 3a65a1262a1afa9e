/**
 * OSS image processing through the engine (spec oss-img.md §1.1, §4, §6, §8):
 *
 * - `GET|HEAD /<bucket>/<key>?x-oss-process=image/…|style/NAME` → the processed bytes with the
 *   output format's Content-Type (JSON for info / average-hue). `x-oss-process` is a signed
 *   sub-resource, so a signed URL must have signed it (auth.ts; appending one breaks the
 *   signature). Only the lower-case name selects this route: `X-Oss-Process` is an ordinary query
 *   parameter and the plain GetObject answers with the unprocessed object (§1.1).
 * - `POST /<bucket>/<key>?x-oss-process` with the body `x-oss-process=<chain>|sys/saveas,o_…,b_…`
 *   (form data whatever the Content-Type: ali-oss sends the source's MIME type, §8.1) → the
 *   result is stored atomically with `storage.putObject` and the answer is the JSON
 *   `{"bucket","fileSize","object","status":"OK"}` (§8.2). Without `sys/saveas` a POST answers the
 *   processed bytes like a GET (§8.2, go-sdk #258). `o_`/`b_` may be URL-safe or standard Base64,
 *   padded or not (§1.3, decoded by the engine's parser).
 * - `sys/saveas` in a GET → 400 InvalidArgument (§8.1).
 *
 * Image watermarks resolve to objects of the same bucket, styles to the bucket's styles
 * (styles.ts). A missing source object → 404 NoSuchKey with EC 0040-00000024 (§5.2). The engine
 * runs with an AbortSignal tied to the connection: a client that goes away aborts the work.
 * Source-image protection (img-settings.ts) lets anonymous callers use styles only.
 */
import { Readable } from 'node:stream'
import { processImage } from '../../engine/executor'
import type { EngineResult, ObjectResolver } from '../../engine/types'
import { ImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { parseProcess, type Process, type SaveAs } from '../../../src-shared/img/process'
import { bucketOf, keyOf, sendJson, sendStream, type RequestContext } from '../context'
import { Err, OssError } from '../errors'
import { assertSourceAccess } from '../img-settings'
import { assertObjectKey, isValidBucketName, isValidObjectKey } from '../names'
import type { Route } from '../router'
import type { ObjectMeta, Storage } from '../storage'
import { responseOverrides } from './objects'
import { bucketStyles } from './styles'

/** Spec §5.2: EC 0040-00000024, "source object does not exist"; Code per the §5.1 project decision. */
export function noSuchSource(key: string): OssError {
  return new OssError({ status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', ec: '0040-00000024', extra: { Key: key } })
}

/**
 * The object's bytes for the engine. At most 20 MB + 1 byte are read: a larger object fails the
 * engine's source-size check (400 ImageTooLarge) without being loaded whole.
 */
async function readSource(storage: Storage, bucket: string, key: string): Promise<{ meta: ObjectMeta; data: Buffer } | undefined> {
  const opened = await storage.openObject(bucket, key, (meta) => (meta.size > LIMITS.maxSourceBytes ? { start: 0, end: LIMITS.maxSourceBytes } : undefined))
  if (!opened) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of opened.stream as AsyncIterable<Buffer>) chunks.push(chunk)
  return { meta: opened.meta, data: Buffer.concat(chunks) }
}

/** Watermark images: objects of the same bucket (spec §3.15.2). */
function bucketObjects(storage: Storage, bucket: string): ObjectResolver {
  return {
    get: async (key) => {
      if (!isValidObjectKey(key) || !storage.getBucket(bucket)) return undefined
      return (await readSource(storage, bucket, key))?.data
    }
  }
}

/**
 * Run the engine, aborted when the connection closes before the answer is sent. Undefined when
 * the client went away (nothing left to answer).
 */
async function run(ctx: RequestContext, bucket: string, bytes: Buffer, process: Process): Promise<EngineResult | undefined> {
  const controller = new AbortController()
  const onClose = () => {
    if (!ctx.res.writableFinished) controller.abort()
  }
  ctx.res.once('close', onClose)
  try {
    return await processImage(bytes, process, { objects: bucketObjects(ctx.storage, bucket), styles: bucketStyles(ctx.storage, bucket), signal: controller.signal })
  } catch (error) {
    if (controller.signal.aborted) {
      ctx.res.destroy()
      return undefined
    }
    throw error
  } finally {
    ctx.res.off('close', onClose)
  }
}

function resultBytes(result: EngineResult): Buffer {
  return result.kind === 'json' ? Buffer.from(result.body, 'utf8') : result.data
}

/** Spec §6: Content-Type of the output format, Content-Length, x-oss-request-id (server.ts). */
async function answerProcessed(ctx: RequestContext, process: Process): Promise<void> {
  const bucket = bucketOf(ctx)
  const key = keyOf(ctx)
  const source = await readSource(ctx.storage, bucket, key)
  if (!source) throw noSuchSource(key)
  const result = await run(ctx, bucket, source.data, process)
  if (!result) return
  const data = resultBytes(result)
  // Node re-encodes a Content-Disposition stored after Content-Length, or sent with
  // `res.end(buffer)` (nodejs/node#46528), which mangles the UTF-8 bytes of a signed
  // response-content-disposition. So: streamed (not sendBytes), Content-Length last.
  await sendStream(ctx, Readable.from([data]), 200, {
    'Content-Type': result.contentType,
    'Last-Modified': new Date(source.meta.lastModified).toUTCString(),
    ...responseOverrides(ctx),
    'Content-Length': data.length
  })
}

async function getProcessed(ctx: RequestContext): Promise<void> {
  const value = ctx.query.get('x-oss-process') ?? ''
  await assertSourceAccess(ctx, value.startsWith('style/'))
  const process = parseProcess(value) // 400 with the engine's EC when invalid
  if (process.saveAs) {
    throw new ImgError({ code: 'InvalidArgument', message: 'sys/saveas: expected a POST request (processObjectSave) but received it in a GET' })
  }
  await answerProcessed(ctx, process)
}

/**
 * The process string of a POST body: form data (`x-oss-process=…`, spec §8.1) whatever the
 * Content-Type; a bare `image/…`/`style/…` body or a non-empty query value are accepted too.
 */
export function processFromBody(body: Buffer, queryValue: string | undefined): string {
  const text = body.toString('utf8')
  let value = new URLSearchParams(text).get('x-oss-process')
  if (value === null) {
    const bare = text.trim()
    if (/^(image|style)\//.test(bare)) value = bare
    else if (queryValue) value = queryValue
  }
  if (value === null || value === '') {
    throw Err.invalidArgument('The x-oss-process form field is required in the body of a POST ?x-oss-process request.', { ArgumentName: 'x-oss-process', ArgumentValue: '' })
  }
  // Form decoding turns an unencoded '+' of standard Base64 (o_/b_) into a space; no valid process
  // string contains a space, so read spaces back as '+'.
  return value.replace(/ /g, '+')
}

interface SaveTarget {
  bucket: string
  key: string
}

/** Spec §8.1: valid names (else 400), an existing bucket (else 404), same region and account. */
function saveTarget(ctx: RequestContext, saveAs: SaveAs): SaveTarget {
  const bucket = saveAs.bucket ?? bucketOf(ctx)
  if (!isValidBucketName(bucket)) throw Err.invalidBucketName(bucket)
  assertObjectKey(saveAs.object)
  const record = ctx.storage.getBucket(bucket)
  if (!record) throw Err.noSuchBucket(bucket)
  // Same region and account always hold: every sandbox bucket lives in ctx.server.location under
  // the one sandbox account. Anonymous callers need write access to the target (oss:PutObject).
  if (ctx.principal.anonymous && record.acl !== 'public-read-write') throw Err.bucketAclDenied()
  return { bucket, key: saveAs.object }
}

async function postProcess(ctx: RequestContext): Promise<void> {
  const value = processFromBody(await ctx.readBody(64 * 1024), ctx.query.get('x-oss-process'))
  await assertSourceAccess(ctx, value.startsWith('style/'))
  const process = parseProcess(value) // 400 with the engine's EC when invalid
  if (!process.saveAs) {
    await answerProcessed(ctx, process)
    return
  }
  const target = saveTarget(ctx, process.saveAs)
  const key = keyOf(ctx)
  const source = await readSource(ctx.storage, bucketOf(ctx), key)
  if (!source) throw noSuchSource(key)
  const result = await run(ctx, bucketOf(ctx), source.data, { ...process, saveAs: undefined })
  if (!result) return
  const data = resultBytes(result)
  // Atomic: the target appears only once complete (storage.ts). Its ACL is the bucket's (§8.1).
  await ctx.storage.putObject(target.bucket, target.key, data, { contentType: result.contentType })
  sendJson(ctx, { bucket: target.bucket, fileSize: data.length, object: target.key, status: 'OK' })
}

export const imgRoutes: Route[] = [
  { name: 'GetObject?x-oss-process', method: 'GET', scope: 'object', subresource: 'x-oss-process', access: 'read', handler: getProcessed },
  { name: 'HeadObject?x-oss-process', method: 'HEAD', scope: 'object', subresource: 'x-oss-process', access: 'read', handler: getProcessed },
  { name: 'PostProcessTask', method: 'POST', scope: 'object', subresource: 'x-oss-process', access: 'read', handler: postProcess }
]
