/**
 * One attempt at one item. Every OSS call here is a single request (`retry: false`): the runner
 * retries whole items (runner.ts), so each attempt is journaled and counted once.
 *
 * Order within an attempt:
 *   skip-existing: HEAD / stat the target → present: `skipped` (or `done`, recovered, when the
 *     item's last journaled start saw it absent: that start's write landed but its result was
 *     lost) → absent: journal `start` with `absent: true` → write.
 *   overwrite: journal `start` → write (saveas / PUT / atomic file write rewrite the same
 *     deterministic output: idempotent).
 *
 * Server mode: `processObjectSave` (OSS reads the source, processes, stores the target).
 * Local mode: read the source (GetObject within OSS's 20 MB limit, or the file), run the engine,
 * write the target (PutObject, or a durable file write).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { parseProcess } from '../../../src-shared/img/process'
import { processImage } from '../../engine/executor'
import type { ObjectResolver } from '../../engine/types'
import { CLIENT_CODES, OssError } from '../oss/errors'
import { writeFileAtomic } from '../../util/atomic-write'
import { fileError } from '../../util/file-errors'
import { chosenFolder, fileExists, pathInside } from './local-files'
import type { Connect, JobOss } from './oss-port'
import type { Semaphore } from './semaphore'
import type { JobSpec, ManifestItem } from './types'

export type ItemOutcome = { readonly status: 'done'; readonly bytes?: number | undefined; readonly recovered?: boolean | undefined } | { readonly status: 'skipped'; readonly reason: string }

export interface AttemptContext {
  readonly spec: JobSpec
  readonly item: ManifestItem
  readonly connect: Connect
  readonly signal: AbortSignal
  /** The item's latest journaled start (this run or an earlier one) found the target absent. */
  readonly startedAbsent: boolean
  /** Journals the `start` record; resolves once it is on disk. */
  readonly onStart: (absent: boolean) => Promise<void>
  /** Local mode: bounds how many items run the engine at once (CPU), while others read or write. */
  readonly engine?: Semaphore | undefined
  /** Local mode: shares one read (file or GetObject) of a source among the styles of that source. */
  readonly sources?: SourceCache | undefined
}

/**
 * One read per source for all its styles: the runner knows how many of this run's items use each
 * source and drops the bytes once the last of them has finished. A failed read is not kept.
 */
export class SourceCache {
  private readonly entries = new Map<string, { bytes?: Promise<Buffer>; users: number }>()

  /** Registers one more item of this run that reads `key`. */
  expect(key: string): void {
    const entry = this.entries.get(key)
    if (entry) entry.users++
    else this.entries.set(key, { users: 1 })
  }

  get(key: string, load: () => Promise<Buffer>): Promise<Buffer> {
    const entry = this.entries.get(key)
    if (!entry) return load()
    if (!entry.bytes) {
      const bytes = load()
      entry.bytes = bytes
      bytes.catch(() => {
        if (entry.bytes === bytes) entry.bytes = undefined
      })
    }
    return entry.bytes
  }

  /** One item of `key` is finished (or will not run any more). */
  release(key: string): void {
    const entry = this.entries.get(key)
    if (entry && --entry.users <= 0) this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof OssError && error.status === 404 && error.code !== 'NoSuchBucket'
}

async function targetExists(ctx: AttemptContext): Promise<boolean> {
  const { spec, item } = ctx
  if (spec.target.kind === 'folder') {
    const path = pathInside(spec.target.dir, item.targetKey)
    return path ? fileExists(path) : false
  }
  const oss = await ctx.connect(spec.target.bucket)
  try {
    await oss.headObject(item.targetKey, { signal: ctx.signal, retry: false })
    return true
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
}

const resizingProcesses = new Map<string, boolean>()
function resizes(process: string): boolean {
  let known = resizingProcesses.get(process)
  if (known === undefined) {
    const parsed = parseProcess(process)
    known = parsed.kind === 'image' && parsed.steps.some((s) => s.action === 'resize')
    resizingProcesses.set(process, known)
  }
  return known
}

function ossObjects(oss: JobOss, signal: AbortSignal): ObjectResolver {
  return {
    async get(key) {
      try {
        return (await oss.getObject(key, { maxBytes: LIMITS.maxSourceBytes, signal, retry: false })).content
      } catch (error) {
        if (isMissing(error)) return undefined
        throw error
      }
    }
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error as Error)
      }
    )
  })
}

async function readSource(ctx: AttemptContext, process: string): Promise<{ bytes: Buffer; objects: ObjectResolver }> {
  const { spec, item, signal } = ctx
  // Not the item's signal for the read itself (it may be shared with the source's other styles),
  // but the item stops waiting for it as soon as it is cancelled.
  const cached = (load: () => Promise<Buffer>) => untilAborted(ctx.sources ? ctx.sources.get(item.sourceKey, load) : load(), signal)
  if (spec.source.kind === 'folder') {
    const path = join(spec.source.dir, ...item.sourceKey.split('/'))
    try {
      return { bytes: await cached(() => readFile(path)), objects: chosenFolder(spec.source).objects() }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'EISDIR') {
        throw new ImgError({ code: 'NoSuchKey', ec: '0040-00000024', message: `image: ${(fileError(error, 'read', path) as Error).message}` })
      }
      throw fileError(error, 'read', path)
    }
  }
  const oss = await ctx.connect(spec.source.bucket)
  try {
    const bytes = await cached(async () => (await oss.getObject(item.sourceKey, { maxBytes: LIMITS.maxSourceBytes, retry: false })).content)
    return { bytes, objects: ossObjects(oss, signal) }
  } catch (error) {
    if (error instanceof OssError && error.code === CLIENT_CODES.objectTooLarge) {
      throw new ImgError({ code: 'ImageTooLarge', ec: resizes(process) ? '0040-00000009' : '0040-00000012', message: `image: expected a source of at most ${LIMITS.maxSourceBytes} bytes (20 MB) but received a larger object` })
    }
    throw error
  }
}

async function writeLocal(ctx: AttemptContext, process: string): Promise<number> {
  const { spec, item, signal } = ctx
  const { bytes, objects } = await readSource(ctx, process)
  const run = () => processImage(bytes, process, { objects, signal })
  const result = ctx.engine ? await ctx.engine.run(run, signal) : await run()
  const data = result.kind === 'json' ? Buffer.from(result.body, 'utf8') : result.data
  signal.throwIfAborted()
  if (spec.target.kind === 'folder') {
    const path = await chosenFolder(spec.target).writable(item.targetKey)
    if (!path) throw new OssError({ code: 'InvalidObjectName', status: 400, origin: 'client', retryable: false, message: `target: ${JSON.stringify(item.targetKey)} leaves the target folder` })
    await writeFileAtomic(path, data)
  } else {
    const oss = await ctx.connect(spec.target.bucket)
    await oss.putObject(item.targetKey, data, { contentType: result.contentType, signal, retry: false })
  }
  return data.length
}

async function writeServer(ctx: AttemptContext, process: string): Promise<number> {
  const { spec, item, signal } = ctx
  if (spec.source.kind === 'folder' || spec.target.kind !== 'bucket') throw new Error('server mode needs a bucket source and a bucket target')
  const oss = await ctx.connect(spec.source.bucket)
  const targetBucket = spec.target.bucket === spec.source.bucket ? undefined : spec.target.bucket
  const result = await oss.processObjectSave(item.sourceKey, item.targetKey, process, { targetBucket, signal, retry: false })
  return result.fileSize
}

export async function attemptItem(ctx: AttemptContext): Promise<ItemOutcome> {
  const process = ctx.spec.styles[ctx.item.styleIndex]?.process
  if (process === undefined) throw new Error(`item ${ctx.item.id}: no style ${ctx.item.styleIndex}`)
  if (ctx.spec.conflict === 'skip-existing') {
    if (await targetExists(ctx)) {
      return ctx.startedAbsent ? { status: 'done', recovered: true } : { status: 'skipped', reason: 'exists' }
    }
    ctx.signal.throwIfAborted()
    await ctx.onStart(true)
  } else {
    await ctx.onStart(false)
  }
  ctx.signal.throwIfAborted()
  const bytes = ctx.spec.mode === 'server' ? await writeServer(ctx, process) : await writeLocal(ctx, process)
  return { status: 'done', bytes }
}
