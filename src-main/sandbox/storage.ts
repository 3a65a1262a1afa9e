/**
 * The sandbox's object store: buckets are folders under the data directory; each object is an
 * immutable blob under a random name plus a metadata record under the SHA-256 of its key. Keys
 * never become paths, so `dir/`, `dir/file`, `../x` or `a\b` can neither collide nor escape.
 *
 *   <dataDir>/.sandbox.lock                  pid of the process serving this folder
 *   <dataDir>/<bucket>/bucket.json           bucket record (ACL, creation date); its presence = the bucket exists
 *   <dataDir>/<bucket>/objects/<hh>/<sha256(key)>.json   object metadata record — the commit point
 *   <dataDir>/<bucket>/blobs/<uuid>          object bytes, written once, never modified
 *   <dataDir>/<bucket>/tmp/                  uploads in progress
 *   <dataDir>/<bucket>/side/<name>.json      per-bucket JSON side data (e.g. styles.json)
 *   <dataDir>/<bucket>/uploads/<uploadId>/   multipart uploads in progress (multipart-store.ts)
 *
 * A put streams the body to tmp/ (flushed to disk), renames it into blobs/, then atomically
 * replaces the metadata record (temp file + rename). Until that rename the new bytes are
 * invisible; after it they are complete. On open, leftovers of an interrupted put (tmp files,
 * blobs no record points to, half-written record temps, records whose blob is missing or of the
 * wrong size) are removed, so a crash — even kill -9 mid-upload — never shows a partial object.
 * Commits of one key are serialised; readers that lose a race with an overwrite retry.
 *
 * One process owns a data directory at a time (the lock file); the in-memory index mirrors the
 * records and is rebuilt from them on open.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BUCKET_ACLS } from '../../src-shared/model/image-settings'
import { writeFileAtomic } from '../util/atomic-write'
import { Err, isOssError } from './errors'
import { assertBucketName, compareKeys, isValidBucketName } from './names'

export type BucketAcl = (typeof BUCKET_ACLS)[number]
export { BUCKET_ACLS }
/** An object's own ACL; `default` (or none stored) inherits the bucket's. */
export type ObjectAcl = 'default' | BucketAcl
export const OBJECT_ACLS: readonly ObjectAcl[] = ['default', ...BUCKET_ACLS]

export interface BucketRecord {
  readonly name: string
  readonly acl: BucketAcl
  /** ISO 8601. */
  readonly creationDate: string
  readonly storageClass: string
}

/** Headers stored with an object and returned on GET/HEAD. */
export const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'] as const
export type StoredHeader = (typeof STORED_HEADERS)[number]

export interface ObjectMeta {
  readonly key: string
  readonly size: number
  /** Upper-case hex MD5 of the bytes, without quotes (send it as `"<etag>"`). */
  readonly etag: string
  /** Milliseconds since the epoch. */
  readonly lastModified: number
  readonly contentType: string
  /** `x-oss-meta-*` headers: lower-case names without the prefix → values as received. */
  readonly userMeta: Readonly<Record<string, string>>
  readonly headers: Readonly<Partial<Record<StoredHeader, string>>>
  readonly type: ObjectType
  readonly storageClass: string
  /** Object tags (PutObjectTagging), in the order given. */
  readonly tags?: Readonly<Record<string, string>> | undefined
  /** For `Symlink` objects: the key they point to (in the same bucket). */
  readonly symlinkTarget?: string | undefined
  /** Archive classes: when a restore was asked for, and for how many days (RestoreObject). */
  readonly restore?: { readonly requestedAt: number; readonly days: number; readonly priority: string } | undefined
  /** PutObjectACL / `x-oss-object-acl`; absent = `default`. */
  readonly acl?: ObjectAcl | undefined
  /** Internal: the blob file name. */
  readonly blob: string
}

/** `x-oss-object-type`: how the object was written. */
export type ObjectType = 'Normal' | 'Multipart' | 'Appendable' | 'Symlink'

export interface ObjectAttributes {
  contentType?: string | undefined
  userMeta?: Record<string, string> | undefined
  headers?: Partial<Record<StoredHeader, string>> | undefined
}

export interface PutObjectOptions extends ObjectAttributes {
  /** Base64 MD5 the client sent (`Content-MD5`); a mismatch → 400 BadDigest. */
  contentMd5?: string | undefined
  /** Refuse to replace an existing object (409 FileAlreadyExists). */
  forbidOverwrite?: boolean | undefined
  /** Lower the size limit for this put (bytes). */
  maxSize?: number | undefined
  /** Smallest body accepted (PostObject's content-length-range): smaller → 400 EntityTooSmall, nothing stored. */
  minSize?: number | undefined
  /** The declared Content-Length: a body of another size → 400 IncompleteBody, nothing stored. */
  contentLength?: number | undefined
  /** Default `Normal`. */
  type?: ObjectType | undefined
  /** Default: the bucket's storage class. */
  storageClass?: string | undefined
  /** An ETag other than the body's MD5 (multipart: MD5 of the parts' MD5s + `-N`). */
  etag?: string | undefined
  tags?: Record<string, string> | undefined
  symlinkTarget?: string | undefined
  /** `x-oss-object-acl`; absent = `default`. */
  acl?: ObjectAcl | undefined
}

export interface ListOptions {
  prefix?: string | undefined
  delimiter?: string | undefined
  /** List keys (and common prefixes) strictly after this one. */
  after?: string | undefined
  maxKeys: number
}

export interface ListPage {
  readonly objects: ObjectMeta[]
  readonly prefixes: string[]
  readonly truncated: boolean
  /** The last key or common prefix returned (NextMarker / continuation point) when truncated. */
  readonly next: string | undefined
}

/** Inclusive byte range. */
export interface ByteRange {
  readonly start: number
  readonly end: number
}

export interface OpenedObject {
  readonly meta: ObjectMeta
  /** A stream of bytes [start, end] (inclusive) or the whole object. */
  readonly stream: Readable
  /** The range being streamed, if any. */
  readonly range: ByteRange | undefined
}

export interface StorageOptions {
  /** Largest object accepted, in bytes (default 5 GiB, OSS's PutObject limit). */
  maxObjectSize?: number
}

export const DEFAULT_MAX_OBJECT_SIZE = 5 * 1024 ** 3
const SIDE_NAME = /^[a-z0-9][a-z0-9._-]{0,100}\.json$/
const openDirs = new Set<string>()

interface BucketState {
  record: BucketRecord
  readonly dir: string
  readonly objects: Map<string, ObjectMeta>
  sorted: string[] | null
  deleted: boolean
}

/** Serialises async sections per key. */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>()

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => gate)
    this.tails.set(key, tail)
    await previous
    try {
      return await fn()
    } finally {
      release()
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT'
}

/** Counts and hashes bytes on their way to disk; fails past the size limit. */
class Meter extends Transform {
  size = 0
  readonly md5 = createHash('md5')
  constructor(private readonly limit: number) {
    super()
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length
    if (this.size > this.limit) {
      done(Err.entityTooLarge(this.limit))
      return
    }
    this.md5.update(chunk)
    done(null, chunk)
  }
}

export class Storage {
  private readonly buckets = new Map<string, BucketState>()
  private readonly locks = new KeyedMutex()
  private closed = false

  private constructor(
    readonly dataDir: string,
    readonly maxObjectSize: number
  ) {}

  /** Open (and recover) a data directory. Only one open Storage per directory at a time. */
  static async open(dataDir: string, options: StorageOptions = {}): Promise<Storage> {
    await mkdir(dataDir, { recursive: true })
    await acquireDirLock(dataDir)
    const storage = new Storage(dataDir, options.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE)
    try {
      for (const entry of await readdir(dataDir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue
        const state = await storage.loadBucket(entry.name)
        if (state) storage.buckets.set(entry.name, state)
      }
    } catch (error) {
      await storage.close()
      throw error
    }
    return storage
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await releaseDirLock(this.dataDir)
  }

  // ---- buckets ----------------------------------------------------------------------------

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].map((b) => b.record).sort((a, b) => compareKeys(a.name, b.name))
  }

  getBucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name)?.record
  }

  /** 409 BucketAlreadyExists if it exists. */
  async createBucket(name: string, options: { acl?: BucketAcl; storageClass?: string } = {}): Promise<BucketRecord> {
    assertBucketName(name)
    return this.locks.run(`bucket\n${name}`, async () => {
      if (this.buckets.has(name)) throw Err.bucketAlreadyExists(name)
      const dir = join(this.dataDir, name)
      for (const sub of ['objects', 'blobs', 'tmp', 'side']) await mkdir(join(dir, sub), { recursive: true })
      const record: BucketRecord = {
        name,
        acl: options.acl ?? 'private',
        creationDate: new Date().toISOString(),
        storageClass: options.storageClass ?? 'Standard'
      }
      await writeFileAtomic(join(dir, 'bucket.json'), JSON.stringify(record, null, 2))
      this.buckets.set(name, { record, dir, objects: new Map(), sorted: null, deleted: false })
      return record
    })
  }

  /** 409 BucketNotEmpty unless it has no objects. */
  async deleteBucket(name: string): Promise<void> {
    const state = this.requireBucket(name)
    await this.locks.run(`bucket\n${name}`, async () => {
      if (state.objects.size > 0) throw Err.bucketNotEmpty(name)
      state.deleted = true
      this.buckets.delete(name)
      await unlink(join(state.dir, 'bucket.json'))
      await rm(state.dir, { recursive: true, force: true })
    })
  }

  async setBucketAcl(name: string, acl: BucketAcl): Promise<BucketRecord> {
    const state = this.requireBucket(name)
    return this.locks.run(`bucket\n${name}`, async () => {
      const record = { ...state.record, acl }
      await writeFileAtomic(join(state.dir, 'bucket.json'), JSON.stringify(record, null, 2))
      state.record = record
      return record
    })
  }

  // ---- objects ----------------------------------------------------------------------------

  /** The metadata of an object, or undefined. 404 NoSuchBucket if the bucket does not exist. */
  headObject(bucket: string, key: string): ObjectMeta | undefined {
    return this.requireBucket(bucket).objects.get(key)
  }

  /**
   * Open an object for reading, optionally a byte range (inclusive). `range` may be a function
   * of the metadata actually opened (e.g. to parse a Range header against its size); if it
   * throws, nothing stays open. Undefined if the object does not exist.
   */
  async openObject(bucket: string, key: string, range?: ByteRange | ((meta: ObjectMeta) => ByteRange | undefined)): Promise<OpenedObject | undefined> {
    const opened = await this.openBlob(bucket, key)
    if (!opened) return undefined
    let picked: ByteRange | undefined
    try {
      picked = typeof range === 'function' ? range(opened.meta) : range
    } catch (error) {
      await opened.handle.close()
      throw error
    }
    const stream = opened.handle.createReadStream(picked ? { start: picked.start, end: picked.end } : {})
    return { meta: opened.meta, stream, range: picked }
  }

  /** The whole object in memory (for small objects, e.g. images to process). */
  async readObject(bucket: string, key: string): Promise<{ meta: ObjectMeta; data: Buffer } | undefined> {
    const opened = await this.openBlob(bucket, key)
    if (!opened) return undefined
    try {
      return { meta: opened.meta, data: await opened.handle.readFile() }
    } finally {
      await opened.handle.close()
    }
  }

  /**
   * Store an object from a stream or bytes. Streams go straight to disk (never buffered whole);
   * the object appears only once complete. Returns the new metadata.
   */
  async putObject(bucket: string, key: string, body: Readable | Uint8Array, options: PutObjectOptions = {}): Promise<ObjectMeta> {
    const state = this.requireBucket(bucket)
    if (options.forbidOverwrite && state.objects.has(key)) throw Err.fileAlreadyExists(key)
    const limit = Math.min(options.maxSize ?? Infinity, this.maxObjectSize)
    const source = body instanceof Readable ? body : Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)])
    const { blob, size, md5 } = await this.writeBlob(state, source, limit)
    try {
      if (options.contentLength !== undefined && size !== options.contentLength) throw Err.incompleteBody()
      if (options.minSize !== undefined && size < options.minSize) throw Err.entityTooSmall(options.minSize)
      if (options.contentMd5 !== undefined) {
        const calculated = md5.toString('base64')
        if (calculated !== options.contentMd5) throw Err.badDigest(options.contentMd5, calculated)
      }
      const meta: ObjectMeta = {
        key,
        size,
        etag: md5.toString('hex').toUpperCase(),
        lastModified: Date.now(),
        contentType: options.contentType || 'application/octet-stream',
        userMeta: { ...options.userMeta },
        headers: { ...options.headers },
        type: options.type ?? 'Normal',
        storageClass: options.storageClass ?? state.record.storageClass,
        ...(options.etag !== undefined ? { etag: options.etag } : {}),
        ...(options.tags !== undefined ? { tags: options.tags } : {}),
        ...(options.symlinkTarget !== undefined ? { symlinkTarget: options.symlinkTarget } : {}),
        ...(options.acl !== undefined && options.acl !== 'default' ? { acl: options.acl } : {}),
        blob
      }
      return await this.commit(state, meta, options.forbidOverwrite ?? false)
    } catch (error) {
      await rm(join(state.dir, 'blobs', blob), { force: true })
      throw error
    }
  }

  /**
   * Copy an object (within or across buckets). `attributes` undefined = keep the source's
   * Content-Type, user metadata and stored headers (OSS's COPY directive); otherwise replace them.
   */
  async copyObject(
    source: { bucket: string; key: string },
    target: { bucket: string; key: string },
    attributes?: ObjectAttributes,
    options: { forbidOverwrite?: boolean; acl?: ObjectAcl | undefined } = {}
  ): Promise<ObjectMeta> {
    const targetState = this.requireBucket(target.bucket)
    if (options.forbidOverwrite && targetState.objects.has(target.key)) throw Err.fileAlreadyExists(target.key)
    const opened = await this.openBlob(source.bucket, source.key)
    if (!opened) throw Err.noSuchKey(source.key)
    const src = opened.meta
    const stream = opened.handle.createReadStream()
    try {
      return await this.putObject(target.bucket, target.key, stream, {
        contentType: attributes ? attributes.contentType : src.contentType,
        userMeta: attributes ? attributes.userMeta : src.userMeta,
        headers: attributes ? attributes.headers : src.headers,
        forbidOverwrite: options.forbidOverwrite,
        acl: options.acl
      })
    } finally {
      stream.destroy()
    }
  }

  /**
   * Rewrite an object's metadata record (tags, restore state…) keeping its bytes. The updater
   * gets the current metadata and returns the next; 404 NoSuchKey if the object is gone.
   */
  async updateObject(bucket: string, key: string, update: (meta: ObjectMeta) => ObjectMeta): Promise<ObjectMeta> {
    const state = this.requireBucket(bucket)
    return this.locks.run(`object\n${bucket}\n${key}`, async () => {
      const current = state.objects.get(key)
      if (!current) throw Err.noSuchKey(key)
      const next = { ...update(current), key, blob: current.blob, size: current.size }
      await writeFileAtomic(this.recordPath(state, key), JSON.stringify(next))
      state.objects.set(key, next)
      return next
    })
  }

  /** The folder of a bucket, for stores that keep their own files there (multipart uploads). */
  bucketDir(bucket: string): string {
    return this.requireBucket(bucket).dir
  }

  /** Delete an object; true if it existed. */
  async deleteObject(bucket: string, key: string): Promise<boolean> {
    const state = this.requireBucket(bucket)
    const removed = await this.locks.run(`object\n${bucket}\n${key}`, async () => {
      const previous = state.objects.get(key)
      if (!previous) return undefined
      await rm(this.recordPath(state, key), { force: true })
      state.objects.delete(key)
      state.sorted = null
      return previous
    })
    if (!removed) return false
    await rm(join(state.dir, 'blobs', removed.blob), { force: true })
    return true
  }

  /** One page of a listing in OSS order (UTF-8 byte order), with delimiter roll-up. */
  listObjects(bucket: string, options: ListOptions): ListPage {
    const state = this.requireBucket(bucket)
    const keys = this.sortedKeys(state)
    const prefix = options.prefix ?? ''
    const delimiter = options.delimiter ?? ''
    const after = options.after ?? ''
    const objects: ObjectMeta[] = []
    const prefixes: string[] = []
    let next: string | undefined
    let truncated = false
    let count = 0
    let lastPrefix: string | undefined
    const start = compareKeys(after, prefix) > 0 ? after : prefix
    for (let i = lowerBound(keys, start); i < keys.length; i++) {
      const key = keys[i] as string
      if (after !== '' && compareKeys(key, after) <= 0) continue
      if (!key.startsWith(prefix)) break
      if (delimiter !== '') {
        const at = key.indexOf(delimiter, prefix.length)
        if (at >= 0) {
          const common = key.slice(0, at + delimiter.length)
          if (common === lastPrefix || common === after) continue
          if (count >= options.maxKeys) {
            truncated = true
            break
          }
          prefixes.push(common)
          lastPrefix = common
          next = common
          count++
          continue
        }
      }
      if (count >= options.maxKeys) {
        truncated = true
        break
      }
      objects.push(state.objects.get(key) as ObjectMeta)
      next = key
      count++
    }
    return { objects, prefixes, truncated, next: truncated ? next : undefined }
  }

  /** Number of objects in a bucket. */
  countObjects(bucket: string): number {
    return this.requireBucket(bucket).objects.size
  }

  // ---- per-bucket JSON side data (e.g. styles.json) ---------------------------------------

  /** Read `<bucket>/side/<name>` (name like `styles.json`); undefined if never written. */
  async readBucketJson<T>(bucket: string, name: string): Promise<T | undefined> {
    const state = this.requireBucket(bucket)
    const path = sidePath(state, name)
    try {
      return JSON.parse(await readFile(path, 'utf8')) as T
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  /** Replace `<bucket>/side/<name>` atomically. */
  async writeBucketJson(bucket: string, name: string, value: unknown): Promise<void> {
    await this.updateBucketJson(bucket, name, () => value)
  }

  /**
   * Read-modify-write of a side document, serialised per document and written atomically. The
   * updater gets the current value (undefined if none) and returns the new one; it may throw (an
   * `OssError`, say) to abort without writing.
   */
  async updateBucketJson<T>(bucket: string, name: string, update: (current: T | undefined) => T | Promise<T>): Promise<T> {
    const state = this.requireBucket(bucket)
    const path = sidePath(state, name)
    return this.locks.run(`side\n${bucket}\n${name}`, async () => {
      const current = await this.readBucketJson<T>(bucket, name)
      const value = await update(current)
      await mkdir(join(state.dir, 'side'), { recursive: true })
      await writeFileAtomic(path, JSON.stringify(value, null, 2))
      return value
    })
  }

  // ---- internals --------------------------------------------------------------------------

  private requireBucket(name: string): BucketState {
    const state = this.buckets.get(name)
    if (!state || state.deleted) throw Err.noSuchBucket(name)
    return state
  }

  private recordPath(state: BucketState, key: string): string {
    const hash = hashKey(key)
    return join(state.dir, 'objects', hash.slice(0, 2), `${hash}.json`)
  }

  private sortedKeys(state: BucketState): string[] {
    if (!state.sorted) state.sorted = [...state.objects.keys()].sort(compareKeys)
    return state.sorted
  }

  private async writeBlob(state: BucketState, source: Readable, limit: number): Promise<{ blob: string; size: number; md5: Buffer }> {
    const blob = randomUUID()
    try {
      return { blob, ...(await writeMeteredFile(source, join(state.dir, 'tmp', blob), join(state.dir, 'blobs', blob), limit)) }
    } catch (error) {
      if (!isOssError(error) && state.deleted) throw Err.noSuchBucket(state.record.name)
      throw error
    }
  }

  /** The commit point: atomically replace the key's record, then drop the previous blob. */
  private async commit(state: BucketState, meta: ObjectMeta, forbidOverwrite: boolean): Promise<ObjectMeta> {
    const previous = await this.locks.run(`object\n${state.record.name}\n${meta.key}`, async () => {
      if (state.deleted) throw Err.noSuchBucket(state.record.name)
      const old = state.objects.get(meta.key)
      if (forbidOverwrite && old) throw Err.fileAlreadyExists(meta.key)
      const path = this.recordPath(state, meta.key)
      await mkdir(join(path, '..'), { recursive: true })
      await writeFileAtomic(path, JSON.stringify(meta))
      state.objects.set(meta.key, meta)
      if (!old) state.sorted = null
      return old
    })
    if (previous && previous.blob !== meta.blob) await rm(join(state.dir, 'blobs', previous.blob), { force: true })
    return meta
  }

  /** Open the blob behind a key, retrying if an overwrite removed it between lookup and open. */
  private async openBlob(bucket: string, key: string): Promise<{ meta: ObjectMeta; handle: FileHandle } | undefined> {
    const state = this.requireBucket(bucket)
    for (let attempt = 0; attempt < 5; attempt++) {
      const meta = state.objects.get(key)
      if (!meta) return undefined
      try {
        return { meta, handle: await open(join(state.dir, 'blobs', meta.blob), 'r') }
      } catch (error) {
        if (!isNotFound(error)) throw error
      }
    }
    throw Err.internalError()
  }

  /** Load one bucket folder, removing whatever an interrupted write left behind. */
  private async loadBucket(name: string): Promise<BucketState | undefined> {
    if (!isValidBucketName(name)) return undefined
    const dir = join(this.dataDir, name)
    let record: BucketRecord
    try {
      record = JSON.parse(await readFile(join(dir, 'bucket.json'), 'utf8')) as BucketRecord
    } catch {
      return undefined // not a bucket (no committed bucket.json)
    }
    if (record.name !== name) record = { ...record, name }
    for (const sub of ['objects', 'blobs', 'side']) await mkdir(join(dir, sub), { recursive: true })
    await rm(join(dir, 'tmp'), { recursive: true, force: true })
    await mkdir(join(dir, 'tmp'))
    const objects = new Map<string, ObjectMeta>()
    const referenced = new Set<string>()
    const blobsDir = join(dir, 'blobs')
    for (const shard of await readdir(join(dir, 'objects'))) {
      const shardDir = join(dir, 'objects', shard)
      let names: string[]
      try {
        names = await readdir(shardDir)
      } catch {
        continue
      }
      for (const file of names) {
        const path = join(shardDir, file)
        if (file.startsWith('.') || !file.endsWith('.json')) {
          await rm(path, { force: true }) // temp of an interrupted record write
          continue
        }
        const meta = await readRecord(path)
        const size = meta ? await fileSize(join(blobsDir, meta.blob)) : undefined
        if (!meta || `${hashKey(meta.key)}.json` !== file || size !== meta.size) {
          await rm(path, { force: true }) // torn or dangling record: never show it
          continue
        }
        objects.set(meta.key, meta)
        referenced.add(meta.blob)
      }
    }
    for (const blob of await readdir(blobsDir)) {
      if (!referenced.has(blob)) await rm(join(blobsDir, blob), { force: true })
    }
    for (const file of await readdir(join(dir, 'side'))) {
      if (file.startsWith('.')) await rm(join(dir, 'side', file), { force: true })
    }
    return { record, dir, objects, sorted: null, deleted: false }
  }
}

/**
 * Stream a body to `temp` (flushed), counting and hashing it, then rename it to `destination`.
 * Past `limit` bytes → 400 EntityTooLarge; a client gone mid-body → 400 IncompleteBody; the temp
 * file never survives a failure.
 */
export async function writeMeteredFile(source: Readable, temp: string, destination: string, limit: number): Promise<{ size: number; md5: Buffer }> {
  const meter = new Meter(limit)
  try {
    await pipeline(source, meter, createWriteStream(temp, { flags: 'wx', flush: true }))
    await rename(temp, destination)
  } catch (error) {
    source.destroy()
    await rm(temp, { force: true })
    if (isOssError(error)) throw error
    // The client went away mid-body: nothing to store, nobody to tell.
    if ((error as { code?: string }).code === 'ECONNRESET' || (error as Error).message === 'aborted') throw Err.incompleteBody()
    throw Object.assign(new Error(`upload failed: ${(error as Error).message}`), { cause: error })
  }
  return { size: meter.size, md5: meter.md5.digest() }
}

function sidePath(state: BucketState, name: string): string {
  if (!SIDE_NAME.test(name)) throw new Error(`invalid side-data name ${JSON.stringify(name)}`)
  return join(state.dir, 'side', name)
}

async function readRecord(path: string): Promise<ObjectMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(path, 'utf8')) as ObjectMeta
    if (typeof meta.key !== 'string' || typeof meta.blob !== 'string' || typeof meta.size !== 'number' || /[/\\]/.test(meta.blob)) return undefined
    return meta
  } catch {
    return undefined
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size
  } catch {
    return undefined
  }
}

/** First index whose key is >= target. */
function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareKeys(keys[mid] as string, target) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

// ---- data-directory lock ----------------------------------------------------------------

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}

async function acquireDirLock(dataDir: string): Promise<void> {
  const path = join(dataDir, '.sandbox.lock')
  if (openDirs.has(path)) throw new Error(`sandbox data directory ${dataDir} is already open in this process`)
  let holder = 0
  try {
    holder = Number((await readFile(path, 'utf8')).trim())
  } catch (error) {
    if (!isNotFound(error)) throw error
  }
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
    throw new Error(`sandbox data directory ${dataDir} is in use by process ${holder}`)
  }
  await writeFile(path, String(process.pid))
  openDirs.add(path)
}

async function releaseDirLock(dataDir: string): Promise<void> {
  const path = join(dataDir, '.sandbox.lock')
  openDirs.delete(path)
  try {
    if ((await readFile(path, 'utf8')).trim() === String(process.pid)) await unlink(path)
  } catch {
    // already gone
  }
}
