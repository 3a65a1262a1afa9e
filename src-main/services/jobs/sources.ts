/**
 * The source side of a job: every selected object (bucket prefix with suffix / pattern filters, a
 * key list) or file (a local folder, recursively), with its size, in a deterministic order.
 *
 * - Bucket listings page with continuation tokens (1000 keys a page) and use the OSS service's own
 *   retries; keys ending in `/` (folder markers) are never sources.
 * - Folders: regular files only (symbolic links are not followed), names starting with `.` (hidden
 *   files, temp files of atomic writes) skipped; keys are relative paths with `/` separators.
 * - Inventory reports (inventory.ts): the rows of the report's gzip CSV files, checked against
 *   its manifest (sizes, MD5s), filtered as they stream.
 * - Order: the listing's (OSS lists in key order), the report's, or the code-unit order of the
 *   key (folders, key lists), so the same selection is always the same list.
 */
import type { Dirent } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import { fileError } from '../../util/file-errors'
import { join } from 'node:path'
import { JobError } from './errors'
import { openInventory, readInventoryObjects } from './inventory'
import type { Connect } from './oss-port'
import type { JobSource, SourceFilter } from './types'

export interface SourceObject {
  readonly key: string
  /** Bytes; 0 when unknown (key lists are not probed unless asked). */
  readonly size: number
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function sourceFilter(filter: SourceFilter): (key: string) => boolean {
  const suffixes = (filter.suffixes ?? []).map((s) => s.toLowerCase())
  const pattern = filter.pattern ? new RegExp(filter.pattern, 'u') : undefined
  return (key) => {
    if (key === '' || key.endsWith('/')) return false
    if (suffixes.length > 0) {
      const lower = key.toLowerCase()
      if (!suffixes.some((s) => lower.endsWith(s))) return false
    }
    return pattern ? pattern.test(key) : true
  }
}

async function listFolder(root: string, keep: (key: string) => boolean, signal: AbortSignal | undefined): Promise<SourceObject[]> {
  const out: SourceObject[] = []
  const walk = async (dir: string, rel: string): Promise<void> => {
    signal?.throwIfAborted()
    let entries: Dirent[]
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (error) {
      if (rel === '') throw new JobError('InvalidJob', `source folder: ${(fileError(error, 'list', root) as Error).message}`)
      return
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const key = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) await walk(join(dir, entry.name), key)
      else if (entry.isFile() && keep(key)) {
        const info = await lstat(join(dir, entry.name)).catch(() => undefined)
        if (info?.isFile()) out.push({ key, size: info.size })
      }
    }
  }
  await walk(root, '')
  return out
}

/** The report's selected objects in batches (report order); checks that it is the report of the job's bucket. */
export async function* inventoryObjects(source: Extract<JobSource, { kind: 'inventory' }>, connect: Connect | undefined, signal: AbortSignal | undefined): AsyncGenerator<SourceObject[]> {
  const inventory = await openInventory(source.manifest, connect, signal)
  if (inventory.manifest.sourceBucket !== source.bucket) {
    throw new JobError('InvalidInventory', `inventory manifest ${source.manifest}: it lists bucket ${JSON.stringify(inventory.manifest.sourceBucket)} but the job's source bucket is ${JSON.stringify(source.bucket)}`)
  }
  yield* readInventoryObjects(inventory, { prefix: source.prefix, keep: sourceFilter(source) }, { signal })
}

export interface SourceBatchOptions {
  readonly signal?: AbortSignal | undefined
}

/**
 * The job's source objects a batch at a time: a bucket listing page by page (1000 keys), an
 * inventory report's rows as they stream; folders and key lists (bounded by what a caller can hand
 * in) in one sorted batch. Throws the OSS service's error when listing fails.
 */
export async function* sourceBatches(source: JobSource, connect: Connect | undefined, options: SourceBatchOptions = {}): AsyncGenerator<readonly SourceObject[]> {
  const { signal } = options
  if (source.kind === 'folder') {
    yield (await listFolder(source.dir, sourceFilter(source), signal)).sort((a, b) => compareKeys(a.key, b.key))
  } else if (source.kind === 'keys') {
    yield source.keys.map((key) => ({ key, size: 0 })).sort((a, b) => compareKeys(a.key, b.key))
  } else if (source.kind === 'inventory') {
    yield* inventoryObjects(source, connect, signal)
  } else {
    if (!connect) throw new Error('sourceBatches: a bucket source needs an OSS connection')
    const oss = await connect(source.bucket)
    const keep = sourceFilter(source)
    // OSS lists in key order, page after page.
    for await (const page of oss.listAllObjects({ prefix: source.prefix, maxKeys: 1000, signal })) {
      yield page.objects.filter((o) => keep(o.key)).map((o) => ({ key: o.key, size: o.size }))
    }
  }
}
