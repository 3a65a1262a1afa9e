/**
 * processObjectSave: `POST /<bucket>/<source>?x-oss-process` with the form body
 * `x-oss-process=<process>|sys/saveas,o_<b64(target)>[,b_<b64(bucket)>]` (spec oss-img.md §8).
 *
 * We send the body ourselves instead of calling ali-oss's `processObjectSave`, which encodes the
 * target with *standard* padded Base64 (`+`, `/`, `=`): OSS documents URL-safe Base64 without
 * padding for `o`/`b`, and non-ASCII keys such as `out/缩略图.jpg` are exactly the ones whose
 * standard encoding contains `+`/`/` (spec oss-rest-and-ali-oss.md §1.5). We also return the
 * JSON result, which ali-oss leaves unparsed in `res.data`.
 *
 * Content-Type is `application/x-www-form-urlencoded`, as OSS's own request example shows (ali-oss
 * sends the source's MIME type; OSS reads the body as form data either way).
 *
 * Retries: saveas is retried like every other operation (network errors, timeouts, 5xx, SlowDown).
 * It is idempotent in effect: the output is a deterministic function of the source object and the
 * process string, written to a fixed target key, so a repeated POST — including one whose first
 * attempt was applied but whose response was lost — rewrites the same bytes (same ETag, one object).
 * The only visible difference is the target's Last-Modified. Not retrying would turn a lost
 * response into a reported failure although the target exists.
 */
import { encodeBase64Url } from '../../../src-shared/img/base64url'
import { ImgError } from '../../../src-shared/img/errors'
import { parseProcess } from '../../../src-shared/img/process'
import type { CallOptions, OssClient } from './client'
import { CLIENT_CODES, OssError, clientError, fromImgError } from './errors'
import { assertBucketName, assertObjectKey } from './names'

export interface SaveAsOptions extends CallOptions {
  /** Another bucket of the same account and region; default the client's bucket. */
  readonly targetBucket?: string | undefined
}

/** OSS's JSON answer (Go SDK `ProcessObjectResult`). */
export interface SaveAsResult {
  readonly bucket: string
  readonly fileSize: number
  readonly object: string
  readonly status: string
}

/** `image/...` or `style/NAME`, valid, and without its own `sys/saveas` (we append it). */
export function assertSaveAsProcess(process: unknown): asserts process is string {
  if (typeof process !== 'string' || !(process.startsWith('image/') || process.startsWith('style/'))) {
    throw clientError({ code: 'InvalidArgument', status: 400, operation: 'processObjectSave', message: `process: expected "image/..." or "style/NAME" but received ${JSON.stringify(process)}` })
  }
  let parsed
  try {
    parsed = parseProcess(process)
  } catch (error) {
    if (error instanceof ImgError) throw fromImgError(error, 'processObjectSave')
    throw error
  }
  if (parsed.saveAs) {
    throw clientError({ code: 'InvalidArgument', status: 400, operation: 'processObjectSave', message: 'process: expected no sys/saveas (the target is given separately) but received one' })
  }
}

/** The `x-oss-process` value, e.g. `image/resize,w_100|sys/saveas,o_b3V0L-e8qeeVpeWbvi5qcGc`. */
export function saveAsProcessValue(process: string, targetKey: string, targetBucket?: string): string {
  const bucket = targetBucket === undefined ? '' : `,b_${encodeBase64Url(targetBucket)}`
  return `${process}|sys/saveas,o_${encodeBase64Url(targetKey)}${bucket}`
}

/** The form-encoded request body. */
export function saveAsBody(process: string, targetKey: string, targetBucket?: string): string {
  return `x-oss-process=${encodeURIComponent(saveAsProcessValue(process, targetKey, targetBucket))}`
}

function invalid(message: string): OssError {
  return new OssError({ code: CLIENT_CODES.invalidResponse, status: 0, origin: 'server', retryable: false, operation: 'processObjectSave', message })
}

export function parseSaveAsResult(data: Buffer | null): SaveAsResult {
  let json: unknown
  try {
    json = JSON.parse((data ?? Buffer.alloc(0)).toString('utf8'))
  } catch {
    throw invalid('processObjectSave: expected a JSON body {bucket, fileSize, object, status} but received something else')
  }
  const r = json as Record<string, unknown> | null
  const fileSize = typeof r?.fileSize === 'string' ? Number(r.fileSize) : r?.fileSize
  if (!r || typeof r.bucket !== 'string' || typeof r.object !== 'string' || typeof r.status !== 'string' || typeof fileSize !== 'number' || !Number.isFinite(fileSize)) {
    throw invalid('processObjectSave: expected {bucket, fileSize, object, status} in the JSON body')
  }
  return { bucket: r.bucket, fileSize, object: r.object, status: r.status }
}

/** Processes `sourceKey` and stores the result as `targetKey` (optionally in `targetBucket`). */
export async function processObjectSave(client: OssClient, sourceKey: string, targetKey: string, process: string, options: SaveAsOptions = {}): Promise<SaveAsResult> {
  assertObjectKey(sourceKey, 'sourceKey')
  assertObjectKey(targetKey, 'targetKey')
  if (options.targetBucket !== undefined) assertBucketName(options.targetBucket, 'targetBucket')
  assertSaveAsProcess(process)
  const body = Buffer.from(saveAsBody(process, targetKey, options.targetBucket), 'utf8')
  return client.run('processObjectSave', options, async (attempt) => {
    const result = await client.send(
      attempt,
      { method: 'POST', bucket: client.bucket, object: sourceKey, subres: 'x-oss-process', content: body, mime: 'application/x-www-form-urlencoded' },
      [200]
    )
    return parseSaveAsResult(result.data)
  })
}
