/**
 * Style sync between the library and one bucket, through an injected `BucketStyles` (the OSS
 * service via `bucketStylesFromOss`, or an in-memory fake in tests).
 *
 *   const sync = createStyleSync(library, bucketStylesFromOss(oss))
 *   await sync.diff()                  // per style: same | local-only | bucket-only | different
 *   await sync.push(['thumb'])         // PutStyle, after OSS rules and the 50-per-bucket check
 *   await sync.pull(['banner'])        // GetStyle → a new library version if different
 *   await sync.deleteRemote(['old'])   // DeleteStyle
 *
 * Contents compare by canonical form (parse, then serializeProcess), so `image/resize,w_100,h_50`
 * and `image/resize,h_50,w_100` are the same style. Every operation reports per style and never
 * throws for one style's problem. Names and contents are checked against OSS's rules before any
 * request; push lists the bucket once and refuses the whole push, before any PutStyle, when it
 * would leave more than 50 styles in the bucket.
 */
import { ImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { canonicalStyleProcess, sameStyleProcess, styleNameError, tryCanonicalStyleProcess } from '../../../src-shared/model/style'
import type { CallOptions, OssService, StyleInfo } from '../oss'
import type { StyleLibrary } from './library'

/** A style as the bucket has it. */
export interface BucketStyle {
  readonly name: string
  /** The process string as stored on the bucket (not necessarily canonical). */
  readonly content: string
  /** ISO 8601, when the bucket says. */
  readonly lastModifyTime?: string | undefined
}

/** What sync needs from a bucket. Errors are the implementation's (OssError for the OSS service). */
export interface BucketStyles {
  list(): Promise<BucketStyle[]>
  get(name: string): Promise<BucketStyle>
  put(name: string, content: string): Promise<void>
  delete(name: string): Promise<void>
}

export type StyleDiffState = 'same' | 'local-only' | 'bucket-only' | 'different'

export interface StyleDiff {
  readonly name: string
  readonly state: StyleDiffState
  /** The library's content (canonical). */
  readonly local?: string | undefined
  /** The bucket's content, as stored there. */
  readonly bucket?: string | undefined
  readonly localUpdatedAt?: string | undefined
  readonly bucketLastModifyTime?: string | undefined
  /** The local file cannot be read (state is `different` if the bucket has the name, else `local-only`). */
  readonly localError?: string | undefined
  /** The bucket's content is not a valid style for this app's parser (compared as text). */
  readonly bucketError?: string | undefined
}

export type PushStatus = 'created' | 'updated' | 'unchanged' | 'invalid' | 'refused' | 'failed'
export type PullStatus = 'created' | 'updated' | 'unchanged' | 'invalid' | 'failed'
export type DeleteStatus = 'deleted' | 'not-found' | 'invalid' | 'failed'

export interface SyncResult<S extends string> {
  readonly name: string
  readonly status: S
  /** Why, for invalid / refused / failed / not-found. */
  readonly error?: Error | undefined
}

export interface PushReport {
  readonly results: SyncResult<PushStatus>[]
  /** Styles in the bucket before the push (undefined when the bucket was not listed). */
  readonly bucketCount?: number | undefined
}

export interface PullReport {
  readonly results: SyncResult<PullStatus>[]
}

export interface DeleteReport {
  readonly results: SyncResult<DeleteStatus>[]
}

export interface StyleSync {
  diff(): Promise<StyleDiff[]>
  push(names: readonly string[]): Promise<PushReport>
  pull(names: readonly string[]): Promise<PullReport>
  deleteRemote(names: readonly string[]): Promise<DeleteReport>
}

export interface StyleSyncOptions {
  /** Styles allowed per bucket; default OSS's 50 (LIMITS.maxStylesPerBucket). */
  readonly maxStyles?: number
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

function isNoSuchStyle(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown } | undefined
  return e?.code === 'NoSuchStyle'
}

/** Local vs bucket, per style, sorted by name. */
export async function diffStyles(library: StyleLibrary, bucket: BucketStyles): Promise<StyleDiff[]> {
  const [listing, remote] = await Promise.all([library.list(), bucket.list()])
  const remoteByName = new Map(remote.map((s) => [s.name, s]))
  const seen = new Set<string>()
  const out: StyleDiff[] = []
  const bucketFields = (b: BucketStyle) => {
    let bucketError: string | undefined
    try {
      canonicalStyleProcess(b.content)
    } catch (error) {
      bucketError = asError(error).message
    }
    return { bucket: b.content, bucketLastModifyTime: b.lastModifyTime, ...(bucketError ? { bucketError } : {}) }
  }
  for (const doc of listing.styles) {
    seen.add(doc.name)
    const b = remoteByName.get(doc.name)
    const local = { local: doc.process, localUpdatedAt: doc.updatedAt }
    if (!b) out.push({ name: doc.name, state: 'local-only', ...local })
    else out.push({ name: doc.name, state: sameStyleProcess(doc.process, b.content) ? 'same' : 'different', ...local, ...bucketFields(b) })
  }
  for (const broken of listing.broken) {
    seen.add(broken.name)
    const b = remoteByName.get(broken.name)
    out.push({ name: broken.name, state: b ? 'different' : 'local-only', localError: broken.error.message, ...(b ? bucketFields(b) : {}) })
  }
  for (const b of remote) if (!seen.has(b.name)) out.push({ name: b.name, state: 'bucket-only', ...bucketFields(b) })
  return out.sort(byName)
}

export function createStyleSync(library: StyleLibrary, bucket: BucketStyles, options: StyleSyncOptions = {}): StyleSync {
  const maxStyles = options.maxStyles ?? LIMITS.maxStylesPerBucket

  return {
    diff: () => diffStyles(library, bucket),

    async push(names) {
      const results = new Map<string, SyncResult<PushStatus>>()
      const ready: { name: string; content: string }[] = []
      // 1. OSS rules and the local documents: no request yet.
      for (const name of new Set(names)) {
        const nameError = styleNameError(name)
        if (nameError) {
          results.set(name, { name, status: 'invalid', error: nameError })
          continue
        }
        try {
          const doc = await library.get(name)
          ready.push({ name, content: canonicalStyleProcess(doc.process) })
        } catch (error) {
          results.set(name, { name, status: 'invalid', error: asError(error) })
        }
      }
      const ordered = () => [...new Set(names)].map((n) => results.get(n)!)
      if (ready.length === 0) return { results: ordered() }

      // 2. One ListStyle: what is there, and the 50-per-bucket rule.
      let remote: BucketStyle[]
      try {
        remote = await bucket.list()
      } catch (error) {
        for (const { name } of ready) results.set(name, { name, status: 'failed', error: asError(error) })
        return { results: ordered() }
      }
      const remoteByName = new Map(remote.map((s) => [s.name, s]))
      const toPut: { name: string; content: string; exists: boolean }[] = []
      for (const style of ready) {
        const existing = remoteByName.get(style.name)
        if (existing && tryCanonicalStyleProcess(existing.content) === style.content) results.set(style.name, { name: style.name, status: 'unchanged' })
        else toPut.push({ ...style, exists: existing !== undefined })
      }
      const adding = toPut.filter((s) => !s.exists).length
      if (remote.length + adding > maxStyles) {
        // OSS's legacy answer (spec §7), with the numbers.
        const error = new ImgError({
          code: 'AccessDenied',
          message: `Your style count is exceeded ${maxStyles}. (The bucket has ${remote.length} styles; pushing ${adding} new ones would make ${remote.length + adding}. Nothing was pushed.)`
        })
        for (const { name } of toPut) results.set(name, { name, status: 'refused', error })
        return { results: ordered(), bucketCount: remote.length }
      }

      // 3. PutStyle, one at a time.
      for (const style of toPut) {
        try {
          await bucket.put(style.name, style.content)
          results.set(style.name, { name: style.name, status: style.exists ? 'updated' : 'created' })
        } catch (error) {
          results.set(style.name, { name: style.name, status: 'failed', error: asError(error) })
        }
      }
      return { results: ordered(), bucketCount: remote.length }
    },

    async pull(names) {
      const results: SyncResult<PullStatus>[] = []
      for (const name of new Set(names)) {
        const nameError = styleNameError(name)
        if (nameError) {
          results.push({ name, status: 'invalid', error: nameError })
          continue
        }
        let content: string
        try {
          content = (await bucket.get(name)).content
        } catch (error) {
          results.push({ name, status: 'failed', error: asError(error) })
          continue
        }
        let process: string
        try {
          process = canonicalStyleProcess(content)
        } catch (error) {
          results.push({ name, status: 'invalid', error: asError(error) })
          continue
        }
        try {
          const { change } = await library.save({ name, process })
          results.push({ name, status: change })
        } catch (error) {
          results.push({ name, status: 'failed', error: asError(error) })
        }
      }
      return { results }
    },

    async deleteRemote(names) {
      const results: SyncResult<DeleteStatus>[] = []
      for (const name of new Set(names)) {
        const nameError = styleNameError(name)
        if (nameError) {
          results.push({ name, status: 'invalid', error: nameError })
          continue
        }
        try {
          await bucket.delete(name)
          results.push({ name, status: 'deleted' })
        } catch (error) {
          results.push({ name, status: isNoSuchStyle(error) ? 'not-found' : 'failed', error: asError(error) })
        }
      }
      return { results }
    }
  }
}

/** The part of OssService that bucket styles need. */
export type OssStyleApi = Pick<OssService, 'listStyles' | 'getStyle' | 'putStyle' | 'deleteStyle'>

function fromStyleInfo(info: StyleInfo): BucketStyle {
  return { name: info.name, content: info.content, lastModifyTime: info.lastModifyTime }
}

/**
 * Adapts the OSS service (src-main/services/oss) to BucketStyles. Its putStyle keeps its own
 * 50-per-bucket check (one more ListStyle per put), a second guard for buckets that changed
 * since push listed them. Errors are the service's OssError.
 */
export function bucketStylesFromOss(oss: OssStyleApi, options: CallOptions = {}): BucketStyles {
  return {
    list: async () => (await oss.listStyles(options)).map(fromStyleInfo),
    get: async (name) => fromStyleInfo(await oss.getStyle(name, options)),
    put: (name, content) => oss.putStyle(name, content, options),
    delete: (name) => oss.deleteStyle(name, options)
  }
}
