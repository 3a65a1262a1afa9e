/**
 * Bucket thumbnails: `preview:render` with `image/resize,w_160`, at most 3 at a time, each
 * cancellable (a row scrolled out of view or unmounted gives its place up), cached as object URLs
 * (least recently used dropped beyond 400). Each answer's source size is noted for the aspect ghosts.
 */
import type { ErrorInfo, RequestOf } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { noteShape } from '../preview/watermark/shapes'
import { sourceOfObject } from '../sources/store'
import { objectUrlFromBase64 } from '../ui/format'

export const THUMBNAIL_PROCESS = 'image/resize,w_160'
const CONCURRENCY = 3
const CACHE_SIZE = 400

export type ThumbResult = { readonly url: string } | { readonly error: ErrorInfo }

const cache = new Map<string, ThumbResult>()

function remember(key: string, value: ThumbResult): void {
  cache.delete(key)
  cache.set(key, value)
  while (cache.size > CACHE_SIZE) {
    const [oldest, entry] = cache.entries().next().value as [string, ThumbResult]
    cache.delete(oldest)
    if ('url' in entry) URL.revokeObjectURL(entry.url)
  }
}

export function cachedThumbnail(cacheKey: string): ThumbResult | undefined {
  const hit = cache.get(cacheKey)
  if (hit) remember(cacheKey, hit)
  return hit
}

interface Job {
  readonly run: () => Promise<void>
  readonly signal: AbortSignal
}
const queue: Job[] = []
let running = 0

function pump(): void {
  while (running < CONCURRENCY && queue.length > 0) {
    const job = queue.shift()!
    if (job.signal.aborted) continue
    running += 1
    void job.run().finally(() => {
      running -= 1
      pump()
    })
  }
}

export interface ThumbRequest {
  readonly cacheKey: string
  /** A bucket object or an image added from this computer. */
  readonly source: RequestOf<'preview:render'>['source']
}

/** Resolves with the thumbnail (or OSS's error); rejects only when `signal` aborts. */
export function loadThumbnail(request: ThumbRequest, signal: AbortSignal): Promise<ThumbResult> {
  const hit = cachedThumbnail(request.cacheKey)
  if (hit) return Promise.resolve(hit)
  return new Promise<ThumbResult>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('Aborted', 'AbortError'))
    signal.addEventListener('abort', onAbort, { once: true })
    queue.push({
      signal,
      run: async () => {
        try {
          const rendered = await invoke('preview:render', { source: request.source, process: THUMBNAIL_PROCESS }, { signal })
          const result: ThumbResult = rendered.kind === 'image' ? { url: objectUrlFromBase64(rendered.data, rendered.contentType) } : { error: { code: 'NotAnImage', message: 'No picture to show.' } }
          // Every bucket image listed is a shape the aspect ghosts may show the style on.
          if (request.source.kind === 'object') noteShape(sourceOfObject(request.source.profileId, request.source.key), rendered.sourceWidth, rendered.sourceHeight)
          remember(request.cacheKey, result)
          resolve(result)
        } catch (error) {
          if (isCancelled(error)) return
          const result: ThumbResult = { error: errorInfoOf(error) }
          // Keep failures briefly out of the cache: a later visit retries them.
          resolve(result)
        } finally {
          signal.removeEventListener('abort', onAbort)
        }
      }
    })
    pump()
  })
}
