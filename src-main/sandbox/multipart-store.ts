/**
 * Multipart uploads on disk, beside the bucket's objects:
 *
 *   <bucket>/uploads/<uploadId>/upload.json      key, initiation time, the object's attributes
 *   <bucket>/uploads/<uploadId>/<n>.part         part n's bytes (renamed in once complete)
 *   <bucket>/uploads/<uploadId>/<n>.json         part n's ETag, size, time — written after the bytes
 *
 * A part is visible once its record exists; re-uploading a part number replaces it. Complete
 * streams the listed parts, in order, into an ordinary object commit (storage.putObject), so the
 * object appears whole or not at all, then removes the upload. Uploads survive a restart, as OSS's do.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { writeFileAtomic } from '../util/atomic-write'
import { Err, OssError } from './errors'
import type { ObjectAcl, ObjectAttributes, ObjectMeta, Storage } from './storage'
import { compareKeys } from './names'
import { writeMeteredFile } from './storage'

/** OSS: parts are numbered 1–10000; each but the last is at least 100 KiB, at most 5 GiB. */
export const MAX_PART_NUMBER = 10_000
export const MIN_PART_SIZE = 100 * 1024
export const MAX_PART_SIZE = 5 * 1024 ** 3

export interface UploadRecord {
  readonly uploadId: string
  readonly key: string
  /** Milliseconds since the epoch. */
  readonly initiated: number
  readonly attributes: ObjectAttributes & { storageClass?: string | undefined; tags?: Record<string, string> | undefined; acl?: ObjectAcl | undefined }
}

export interface PartRecord {
  readonly partNumber: number
  /** Upper-case hex MD5, unquoted. */
  readonly etag: string
  readonly size: number
  readonly lastModified: number
}

// Error codes as OSS names them; ECs in OSS's multipart family (0042-*), assigned where OSS documents none.
export const MultipartErr = {
  noSuchUpload: (uploadId: string) =>
    new OssError({
      status: 404,
      code: 'NoSuchUpload',
      message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      ec: '0042-00000002',
      extra: { UploadId: uploadId }
    }),
  invalidPart: (partNumber: number) =>
    new OssError({
      status: 400,
      code: 'InvalidPart',
      message: 'One or more of the specified parts could not be found or the specified entity tag might not have matched the part\'s entity tag.',
      ec: '0042-00000003',
      extra: { PartNumber: String(partNumber) }
    }),
  invalidPartOrder: () =>
    new OssError({ status: 400, code: 'InvalidPartOrder', message: 'The list of parts was not in ascending order. Parts must be ordered by part number.', ec: '0042-00000004' }),
  entityTooSmall: (partNumber: number, size: number) =>
    new OssError({
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size.',
      ec: '0042-00000005',
      extra: { PartNumber: String(partNumber), ProposedSize: String(size), MinSizeAllowed: String(MIN_PART_SIZE) }
    }),
  invalidPartNumber: (value: string) =>
    new OssError({
      status: 400,
      code: 'InvalidArgument',
      message: `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`,
      ec: '0042-00000006',
      extra: { ArgumentName: 'partNumber', ArgumentValue: value }
    })
}

const UPLOAD_ID = /^[0-9A-F]{32}$/

function uploadsDir(storage: Storage, bucket: string): string {
  return join(storage.bucketDir(bucket), 'uploads')
}

function uploadDir(storage: Storage, bucket: string, uploadId: string): string {
  return join(uploadsDir(storage, bucket), uploadId)
}

export function parsePartNumber(value: string | undefined): number {
  const text = value ?? ''
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > MAX_PART_NUMBER) throw MultipartErr.invalidPartNumber(text)
  return Number(text)
}

export async function initiateUpload(storage: Storage, bucket: string, key: string, attributes: UploadRecord['attributes']): Promise<UploadRecord> {
  const record: UploadRecord = { uploadId: randomBytes(16).toString('hex').toUpperCase(), key, initiated: Date.now(), attributes }
  const dir = uploadDir(storage, bucket, record.uploadId)
  await mkdir(dir, { recursive: true })
  await writeFileAtomic(join(dir, 'upload.json'), JSON.stringify(record))
  return record
}

/** The upload, if it exists and belongs to `key`; else 404 NoSuchUpload. */
export async function getUpload(storage: Storage, bucket: string, key: string, uploadId: string): Promise<UploadRecord> {
  if (!UPLOAD_ID.test(uploadId)) throw MultipartErr.noSuchUpload(uploadId)
  try {
    const record = JSON.parse(await readFile(join(uploadDir(storage, bucket, uploadId), 'upload.json'), 'utf8')) as UploadRecord
    if (record.key === key) return record
  } catch {
    // missing or torn: no such upload
  }
  throw MultipartErr.noSuchUpload(uploadId)
}

export async function uploadPart(
  storage: Storage,
  upload: { bucket: string; key: string; uploadId: string },
  partNumber: number,
  body: Readable,
  options: { contentLength?: number | undefined; contentMd5?: string | undefined }
): Promise<PartRecord> {
  await getUpload(storage, upload.bucket, upload.key, upload.uploadId)
  const dir = uploadDir(storage, upload.bucket, upload.uploadId)
  const temp = join(dir, `.${randomUUID()}.tmp`)
  const bytes = join(dir, `.${randomUUID()}.part`)
  const { size, md5 } = await writeMeteredFile(body, temp, bytes, MAX_PART_SIZE)
  const fail = async (error: OssError): Promise<never> => {
    await rm(bytes, { force: true })
    throw error
  }
  if (options.contentLength !== undefined && size !== options.contentLength) await fail(Err.incompleteBody())
  const calculated = md5.toString('base64')
  if (options.contentMd5 !== undefined && calculated !== options.contentMd5) await fail(Err.badDigest(options.contentMd5, calculated))
  const part: PartRecord = { partNumber, etag: md5.toString('hex').toUpperCase(), size, lastModified: Date.now() }
  // Bytes first, then the record that makes them the part (a reader never sees a half part).
  await rename(bytes, join(dir, `${partNumber}.part`))
  await writeFileAtomic(join(dir, `${partNumber}.json`), JSON.stringify(part))
  return part
}

/** The parts uploaded so far, by part number. */
export async function listParts(storage: Storage, bucket: string, uploadId: string): Promise<PartRecord[]> {
  const dir = uploadDir(storage, bucket, uploadId)
  const parts: PartRecord[] = []
  for (const name of await readdir(dir)) {
    if (!/^\d+\.json$/.test(name)) continue
    try {
      parts.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as PartRecord)
    } catch {
      // a part being replaced: skip it this time
    }
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber)
}

/**
 * Assemble the listed parts into the object (OSS's rules: ascending part numbers, every part
 * present with its ETag, all but the last ≥ 100 KiB). The ETag is OSS's multipart form: MD5 of
 * the parts' binary MD5s, upper-case hex, `-<count>`.
 */
export async function completeUpload(
  storage: Storage,
  upload: UploadRecord & { bucket: string },
  listed: readonly { partNumber: number; etag: string }[]
): Promise<ObjectMeta> {
  const uploaded = new Map((await listParts(storage, upload.bucket, upload.uploadId)).map((p) => [p.partNumber, p]))
  const chosen: PartRecord[] = []
  for (const [i, entry] of listed.entries()) {
    if (i > 0 && entry.partNumber <= (listed[i - 1] as { partNumber: number }).partNumber) throw MultipartErr.invalidPartOrder()
    const part = uploaded.get(entry.partNumber)
    if (!part || part.etag !== entry.etag.replace(/"/g, '').toUpperCase()) throw MultipartErr.invalidPart(entry.partNumber)
    chosen.push(part)
  }
  for (const part of chosen.slice(0, -1)) if (part.size < MIN_PART_SIZE) throw MultipartErr.entityTooSmall(part.partNumber, part.size)
  const dir = uploadDir(storage, upload.bucket, upload.uploadId)
  const files = chosen.map((p) => join(dir, `${p.partNumber}.part`))
  const body = Readable.from(
    (async function* () {
      for (const file of files) yield* createReadStream(file)
    })()
  )
  const digest = createHash('md5')
  for (const part of chosen) digest.update(Buffer.from(part.etag, 'hex'))
  const meta = await storage.putObject(upload.bucket, upload.key, body, {
    ...upload.attributes,
    type: 'Multipart',
    etag: `${digest.digest('hex').toUpperCase()}-${chosen.length}`
  })
  await rm(dir, { recursive: true, force: true })
  return meta
}

export async function abortUpload(storage: Storage, bucket: string, key: string, uploadId: string): Promise<void> {
  await getUpload(storage, bucket, key, uploadId)
  await rm(uploadDir(storage, bucket, uploadId), { recursive: true, force: true })
}

/** Every upload in progress in a bucket, in key order, then initiation order (as OSS lists them). */
export async function listUploads(storage: Storage, bucket: string): Promise<UploadRecord[]> {
  let ids: string[]
  try {
    ids = await readdir(uploadsDir(storage, bucket))
  } catch {
    return []
  }
  const uploads: UploadRecord[] = []
  for (const id of ids) {
    if (!UPLOAD_ID.test(id)) continue
    try {
      uploads.push(JSON.parse(await readFile(join(uploadsDir(storage, bucket), id, 'upload.json'), 'utf8')) as UploadRecord)
    } catch {
      // being aborted or completed
    }
  }
  return uploads.sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated || compareKeys(a.uploadId, b.uploadId))
}
