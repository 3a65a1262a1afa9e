/**
 * Multipart upload: InitiateMultipartUpload (`POST ?uploads`), UploadPart (`PUT ?partNumber&uploadId`),
 * UploadPartCopy (the same with `x-oss-copy-source`), CompleteMultipartUpload (`POST ?uploadId`),
 * AbortMultipartUpload (`DELETE ?uploadId`), ListParts (`GET ?uploadId`), ListMultipartUploads
 * (`GET /<bucket>?uploads`). ali-oss's `multipartUpload` arrives here. Files: multipart-store.ts.
 */
import { bucketOf, keyOf, sendEmpty, sendXml, type RequestContext } from '../context'
import { Err } from '../errors'
import {
  abortUpload,
  completeUpload,
  getUpload,
  initiateUpload,
  listParts,
  listUploads,
  parsePartNumber,
  uploadPart,
  type UploadRecord
} from '../multipart-store'
import type { Route } from '../router'
import { asArray, parseXml, textOf } from '../xml'
import { parseObjectAcl } from './acl'
import { attributesFromRequest, checkConditions, parseCopySource, parseRange } from './objects'
import { parseStorageClass } from './storage-class'
import { parseTaggingHeader } from './tagging'

function encoder(ctx: RequestContext): (s: string) => string {
  const encoding = ctx.query.get('encoding-type')
  if (encoding === undefined || encoding === '') return (s) => s
  if (encoding !== 'url') throw Err.invalidArgument('The encoding-type must be url.', { ArgumentName: 'encoding-type', ArgumentValue: encoding })
  return (s) => encodeURIComponent(s)
}

function limitParam(ctx: RequestContext, name: string, fallback: number): number {
  const value = ctx.query.get(name)
  if (value === undefined || value === '') return fallback
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
    throw Err.invalidArgument(`Argument ${name} must be an integer between 1 and 1000.`, { ArgumentName: name, ArgumentValue: value })
  }
  return Number(value)
}

async function initiate(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const key = keyOf(ctx)
  const storageClass = parseStorageClass(ctx.header('x-oss-storage-class'))
  const tags = parseTaggingHeader(ctx.header('x-oss-tagging'))
  if (ctx.header('x-oss-forbid-overwrite') === 'true' && ctx.storage.headObject(bucket, key)) throw Err.fileAlreadyExists(key)
  const upload = await initiateUpload(ctx.storage, bucket, key, { ...attributesFromRequest(ctx), storageClass, tags, acl: parseObjectAcl(ctx.header('x-oss-object-acl')) })
  const encode = encoder(ctx)
  sendXml(ctx, 'InitiateMultipartUploadResult', {
    EncodingType: ctx.query.get('encoding-type') || undefined,
    Bucket: bucket,
    Key: encode(key),
    UploadId: upload.uploadId
  })
}

function uploadOf(ctx: RequestContext): { bucket: string; key: string; uploadId: string } {
  return { bucket: bucketOf(ctx), key: keyOf(ctx), uploadId: ctx.query.get('uploadId') ?? '' }
}

async function putPart(ctx: RequestContext): Promise<void> {
  const upload = uploadOf(ctx)
  const partNumber = parsePartNumber(ctx.query.get('partNumber'))
  const declared = ctx.header('content-length')
  const md5 = ctx.header('content-md5')
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw Err.invalidDigest()
  const part = await uploadPart(ctx.storage, upload, partNumber, ctx.req, { contentLength: declared !== undefined ? Number(declared) : undefined, contentMd5: md5 })
  sendEmpty(ctx, 200, { ETag: `"${part.etag}"` })
}

async function copyPart(ctx: RequestContext): Promise<void> {
  const upload = uploadOf(ctx)
  const partNumber = parsePartNumber(ctx.query.get('partNumber'))
  await getUpload(ctx.storage, upload.bucket, upload.key, upload.uploadId)
  const source = parseCopySource(ctx.header('x-oss-copy-source') ?? '')
  const sourceBucket = ctx.storage.getBucket(source.bucket)
  if (!sourceBucket) throw Err.noSuchBucket(source.bucket)
  const meta = ctx.storage.headObject(source.bucket, source.key)
  if (!meta) throw Err.noSuchKey(source.key)
  if (checkConditions(ctx, meta, 'x-oss-copy-source-') === 'not-modified') {
    sendEmpty(ctx, 304)
    return
  }
  const opened = await ctx.storage.openObject(source.bucket, source.key, (m) => parseRange(ctx.header('x-oss-copy-source-range'), m.size))
  if (!opened) throw Err.noSuchKey(source.key)
  const part = await uploadPart(ctx.storage, upload, partNumber, opened.stream, {})
  sendXml(ctx, 'CopyPartResult', { LastModified: new Date(part.lastModified).toISOString(), ETag: `"${part.etag}"` }, 200, { ETag: `"${part.etag}"` })
}

function listedParts(body: Buffer): { partNumber: number; etag: string }[] {
  const doc = parseXml(body).CompleteMultipartUpload
  if (!doc || typeof doc !== 'object') throw Err.malformedXml()
  return asArray((doc as Record<string, unknown>).Part).map((entry) => {
    const fields = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {}
    const number = textOf(fields.PartNumber)
    const etag = textOf(fields.ETag)
    if (number === undefined || etag === undefined || !/^\d+$/.test(number.trim())) throw Err.malformedXml()
    return { partNumber: Number(number.trim()), etag: etag.trim() }
  })
}

async function complete(ctx: RequestContext): Promise<void> {
  const { bucket, key, uploadId } = uploadOf(ctx)
  const upload: UploadRecord = await getUpload(ctx.storage, bucket, key, uploadId)
  const body = await ctx.readBody(4 * 1024 * 1024)
  // `x-oss-complete-all: yes` takes every uploaded part (then the body must be empty).
  const all = ctx.header('x-oss-complete-all') === 'yes'
  if (all && body.length > 0) throw Err.invalidArgument('Should not specify both complete all header and http body.', { ArgumentName: 'x-oss-complete-all', ArgumentValue: 'yes' })
  const parts = all ? (await listParts(ctx.storage, bucket, uploadId)).map((p) => ({ partNumber: p.partNumber, etag: p.etag })) : listedParts(body)
  if (parts.length === 0) throw Err.malformedXml()
  const meta = await completeUpload(ctx.storage, { ...upload, bucket }, parts)
  const encode = encoder(ctx)
  sendXml(ctx, 'CompleteMultipartUploadResult', {
    EncodingType: ctx.query.get('encoding-type') || undefined,
    Location: `${ctx.server.endpoint}/${bucket}/${encodeURIComponent(key)}`,
    Bucket: bucket,
    Key: encode(key),
    ETag: `"${meta.etag}"`
  })
}

async function abort(ctx: RequestContext): Promise<void> {
  const { bucket, key, uploadId } = uploadOf(ctx)
  await abortUpload(ctx.storage, bucket, key, uploadId)
  sendEmpty(ctx, 204)
}

async function listPartsHandler(ctx: RequestContext): Promise<void> {
  const { bucket, key, uploadId } = uploadOf(ctx)
  const upload = await getUpload(ctx.storage, bucket, key, uploadId)
  const maxParts = limitParam(ctx, 'max-parts', 1000)
  const marker = Number(ctx.query.get('part-number-marker') || 0)
  const after = (await listParts(ctx.storage, bucket, uploadId)).filter((p) => p.partNumber > marker)
  const page = after.slice(0, maxParts)
  const truncated = after.length > page.length
  const encode = encoder(ctx)
  sendXml(ctx, 'ListPartsResult', {
    EncodingType: ctx.query.get('encoding-type') || undefined,
    Bucket: bucket,
    Key: encode(upload.key),
    UploadId: uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length > 0 ? (page[page.length - 1] as { partNumber: number }).partNumber : marker,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: page.map((p) => ({ PartNumber: p.partNumber, LastModified: new Date(p.lastModified).toISOString(), ETag: `"${p.etag}"`, Size: p.size }))
  })
}

async function listUploadsHandler(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const prefix = ctx.query.get('prefix') ?? ''
  const delimiter = ctx.query.get('delimiter') ?? ''
  const keyMarker = ctx.query.get('key-marker') ?? ''
  const uploadIdMarker = ctx.query.get('upload-id-marker') ?? ''
  const maxUploads = limitParam(ctx, 'max-uploads', 1000)
  const encode = encoder(ctx)
  const uploads: UploadRecord[] = []
  const prefixes: string[] = []
  let truncated = false
  let last: { key: string; uploadId: string } | undefined
  for (const upload of await listUploads(ctx.storage, bucket)) {
    if (!upload.key.startsWith(prefix)) continue
    if (keyMarker !== '' && (upload.key < keyMarker || (upload.key === keyMarker && (uploadIdMarker === '' || upload.uploadId <= uploadIdMarker)))) continue
    const at = delimiter === '' ? -1 : upload.key.indexOf(delimiter, prefix.length)
    const common = at >= 0 ? upload.key.slice(0, at + delimiter.length) : undefined
    if (common !== undefined && prefixes.includes(common)) continue
    if (uploads.length + prefixes.length >= maxUploads) {
      truncated = true
      break
    }
    if (common !== undefined) prefixes.push(common)
    else uploads.push(upload)
    last = { key: common ?? upload.key, uploadId: common !== undefined ? '' : upload.uploadId }
  }
  sendXml(ctx, 'ListMultipartUploadsResult', {
    EncodingType: ctx.query.get('encoding-type') || undefined,
    Bucket: bucket,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: truncated && last ? encode(last.key) : '',
    NextUploadIdMarker: truncated && last ? last.uploadId : '',
    Delimiter: encode(delimiter),
    Prefix: encode(prefix),
    MaxUploads: maxUploads,
    IsTruncated: truncated,
    Upload: uploads.map((u) => ({ Key: encode(u.key), UploadId: u.uploadId, Initiated: new Date(u.initiated).toISOString() })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) }))
  })
}

const hasCopySource = (r: { header(name: string): string | undefined }) => r.header('x-oss-copy-source') !== undefined

export const multipartRoutes: Route[] = [
  { name: 'InitiateMultipartUpload', method: 'POST', scope: 'object', subresource: 'uploads', access: 'write', handler: initiate },
  { name: 'UploadPartCopy', method: 'PUT', scope: 'object', subresource: 'uploadId', when: hasCopySource, access: 'write', handler: copyPart },
  { name: 'UploadPart', method: 'PUT', scope: 'object', subresource: 'uploadId', access: 'write', handler: putPart },
  { name: 'CompleteMultipartUpload', method: 'POST', scope: 'object', subresource: 'uploadId', access: 'write', handler: complete },
  { name: 'AbortMultipartUpload', method: 'DELETE', scope: 'object', subresource: 'uploadId', access: 'write', handler: abort },
  { name: 'ListParts', method: 'GET', scope: 'object', subresource: 'uploadId', access: 'read', handler: listPartsHandler },
  { name: 'ListMultipartUploads', method: 'GET', scope: 'bucket', subresource: 'uploads', access: 'read', handler: listUploadsHandler }
]
