/**
 * PostObject: a browser form upload (`POST /<bucket>/`, multipart/form-data). The form carries
 * the key, an optional Base64 policy with its signature (V1 or V4, auth.ts), object headers and
 * finally the `file` field; fields after the file are ignored, as OSS does. The policy's
 * conditions (`{field: value}`, `eq`, `starts-with`, `in`, `not-in`, `content-length-range`) are
 * checked before a byte is stored; the file streams to disk like any put. Unsigned forms need a
 * public-read-write bucket. The answer follows `success_action_redirect` (303) or
 * `success_action_status` (200, 201 with `<PostResponse>`, else 204).
 */
import { Readable } from 'node:stream'
import { authenticatePostPolicy } from '../auth'
import { bucketOf, sendEmpty, sendXml, type RequestContext } from '../context'
import { Err, OssError } from '../errors'
import { assertObjectKey } from '../names'
import type { Route } from '../router'
import { STORED_HEADERS, type ObjectMeta, type StoredHeader } from '../storage'
import { parseStorageClass } from './storage-class'
import { parseTaggingHeader } from './tagging'

const MAX_FORM_FIELD_BYTES = 64 * 1024

const PostErr = {
  notMultipart: () =>
    new OssError({ status: 400, code: 'RequestIsNotMultiPartContent', message: 'Bucket POST must be of the enclosure-type multipart/form-data', ec: '0016-00000601' }),
  policy: (message: string) => new OssError({ status: 403, code: 'AccessDenied', message: `Invalid according to Policy: ${message}`, ec: '0003-00000002' }),
  invalidPolicy: (message: string) => new OssError({ status: 400, code: 'InvalidPolicyDocument', message: `Invalid Policy: ${message}`, ec: '0016-00000602' }),
  malformedForm: () =>
    new OssError({ status: 400, code: 'MalformedPOSTRequest', message: 'The body of your POST request is not well-formed multipart/form-data.', ec: '0016-00000604' }),
  missing: (field: string) =>
    new OssError({ status: 400, code: 'InvalidArgument', message: `The form must carry the field ${field}.`, ec: '0016-00000603', extra: { ArgumentName: field, ArgumentValue: '' } })
}

type Fields = ReadonlyMap<string, string>

interface SizeRange {
  min: number | undefined
  max: number | undefined
}

function fieldOf(fields: Fields, name: string): string {
  return fields.get(name.replace(/^\$/, '').toLowerCase()) ?? ''
}

function describe(condition: unknown): string {
  return JSON.stringify(condition)
}

/** Check the policy's expiration and conditions; returns its content-length-range. */
function checkPolicy(base64: string, fields: Fields, bucket: string): SizeRange {
  let policy: { expiration?: unknown; conditions?: unknown }
  try {
    policy = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as typeof policy
  } catch {
    throw PostErr.invalidPolicy('Invalid JSON.')
  }
  if (typeof policy !== 'object' || policy === null) throw PostErr.invalidPolicy('Invalid JSON.')
  const expires = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : NaN
  if (Number.isNaN(expires)) throw PostErr.invalidPolicy('Invalid expiration.')
  if (expires < Date.now()) throw PostErr.policy('Policy expired.')
  if (!Array.isArray(policy.conditions)) throw PostErr.invalidPolicy('Invalid conditions.')
  const range: SizeRange = { min: undefined, max: undefined }
  const valueOf = (name: string) => (name.replace(/^\$/, '').toLowerCase() === 'bucket' ? bucket : fieldOf(fields, name))
  for (const condition of policy.conditions as unknown[]) {
    const failed = () => PostErr.policy(`Policy Condition failed: ${describe(condition)}`)
    if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
      for (const [name, expected] of Object.entries(condition)) if (valueOf(name) !== String(expected)) throw failed()
      continue
    }
    if (!Array.isArray(condition) || typeof condition[0] !== 'string') throw PostErr.invalidPolicy(`Invalid condition ${describe(condition)}.`)
    const [op, name, expected] = condition as [string, unknown, unknown]
    switch (op.toLowerCase()) {
      case 'content-length-range':
        if (!Number.isInteger(name) || !Number.isInteger(expected)) throw PostErr.invalidPolicy(`Invalid condition ${describe(condition)}.`)
        range.min = name as number
        range.max = expected as number
        break
      case 'eq':
        if (valueOf(String(name)) !== String(expected)) throw failed()
        break
      case 'starts-with':
        if (!valueOf(String(name)).startsWith(String(expected))) throw failed()
        break
      case 'in':
        if (!Array.isArray(expected) || !expected.map(String).includes(valueOf(String(name)))) throw failed()
        break
      case 'not-in':
        if (!Array.isArray(expected) || expected.map(String).includes(valueOf(String(name)))) throw failed()
        break
      default:
        throw PostErr.invalidPolicy(`Unknown condition ${describe(condition)}.`)
    }
  }
  return range
}

/** Verify the form (signature, ACL, policy), then store the file under its key. */
async function store(ctx: RequestContext, fields: Fields, file: Readable, info: { filename?: string | undefined; mimeType: string }): Promise<ObjectMeta> {
  const bucket = bucketOf(ctx)
  const principal = authenticatePostPolicy(fields, ctx.credentials)
  if (principal.anonymous && ctx.bucketRecord?.acl !== 'public-read-write') throw Err.bucketAclDenied()
  const policy = fields.get('policy')
  const range = policy ? checkPolicy(policy, fields, bucket) : { min: undefined, max: undefined }
  const template = fields.get('key')
  if (template === undefined || template === '') throw PostErr.missing('key')
  const key = template.replace(/\$\{filename\}/g, info.filename ?? '')
  assertObjectKey(key)
  const headers: Partial<Record<StoredHeader, string>> = {}
  for (const name of STORED_HEADERS) {
    const value = fields.get(name)
    if (value !== undefined) headers[name] = value
  }
  const userMeta: Record<string, string> = {}
  for (const [name, value] of fields) if (name.startsWith('x-oss-meta-')) userMeta[name.slice('x-oss-meta-'.length)] = value
  return ctx.storage.putObject(bucket, key, file, {
    contentType: fields.get('content-type') || info.mimeType || 'application/octet-stream',
    userMeta,
    headers,
    minSize: range.min,
    maxSize: range.max,
    storageClass: parseStorageClass(fields.get('x-oss-storage-class')),
    tags: parseTaggingHeader(fields.get('x-oss-tagging')),
    forbidOverwrite: fields.get('x-oss-forbid-overwrite') === 'true'
  })
}

/** Parse the form; the `file` field triggers `store` with the fields seen so far. */
async function receive(ctx: RequestContext): Promise<{ fields: Fields; meta: ObjectMeta }> {
  const { default: busboy } = await import('busboy')
  let parser: ReturnType<typeof busboy>
  try {
    parser = busboy({ headers: ctx.req.headers, defParamCharset: 'utf8', limits: { fieldSize: MAX_FORM_FIELD_BYTES, fields: 200, files: 1 } })
  } catch {
    throw PostErr.notMultipart()
  }
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>()
    let job: Promise<ObjectMeta> | undefined
    parser.on('field', (name, value) => {
      if (job) return
      // A `file` sent as a plain field (no filename) is the object's content all the same.
      if (name.toLowerCase() === 'file') job = store(ctx, fields, Readable.from([Buffer.from(value, 'utf8')]), { mimeType: '' })
      else fields.set(name.toLowerCase(), value)
    })
    parser.on('file', (name, stream, info) => {
      if (job || name.toLowerCase() !== 'file') {
        stream.resume()
        return
      }
      job = store(ctx, fields, stream, info)
      // A refused form still has its body read, so the answer reaches the client.
      job.catch(() => stream.resume())
    })
    parser.on('error', () => reject(PostErr.malformedForm()))
    parser.on('close', () => {
      if (!job) reject(PostErr.missing('file'))
      else job.then((meta) => resolve({ fields, meta }), reject)
    })
    ctx.req.pipe(parser)
  })
}

async function postObject(ctx: RequestContext): Promise<void> {
  if (!/^multipart\/form-data\b/i.test(ctx.header('content-type') ?? '')) throw PostErr.notMultipart()
  const bucket = bucketOf(ctx)
  const { fields, meta } = await receive(ctx)
  const location = `${ctx.server.endpoint}/${bucket}/${encodeURIComponent(meta.key)}`
  const etag = `"${meta.etag}"`
  const redirect = fields.get('success_action_redirect')
  if (redirect) {
    const url = `${redirect}${redirect.includes('?') ? '&' : '?'}bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(meta.key)}&etag=${encodeURIComponent(etag)}`
    sendEmpty(ctx, 303, { Location: url, ETag: etag })
    return
  }
  const status = fields.get('success_action_status')
  if (status === '201') sendXml(ctx, 'PostResponse', { Bucket: bucket, Location: location, Key: meta.key, ETag: etag }, 201, { ETag: etag, Location: location })
  else sendEmpty(ctx, status === '200' ? 200 : 204, { ETag: etag, Location: location })
}

export const postObjectRoutes: Route[] = [{ name: 'PostObject', method: 'POST', scope: 'bucket', access: 'form', handler: postObject }]
