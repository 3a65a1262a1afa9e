/**
 * Live preview in main (architecture rule 5): cancellable renders over cached sources.
 *
 *   const preview = createPreviewEngine()
 *   const out = await preview.render({ source, process, engine: { objects, styles }, quality: 'interactive', maxSide: 1600, signal })
 *
 * Three caches, all LRU with an entry and a byte budget:
 *
 * - **sources** — the source bytes and their header (`inspectSource`) per source id (profile +
 *   bucket + key, or upload id), with the version they were loaded at (the object's ETag). An entry
 *   older than `revalidateMs` is checked with the caller's `check()` (a HEAD) before it is reused, so
 *   an object replaced in the bucket is fetched again. Watermark objects go through the same cache.
 *   Loads are shared: a request giving up does not abort a download others (or the next render) need.
 * - **proxies** — for a large still source (longest side > `proxyMinSide`, 2000 px), a
 *   reduced-resolution copy (longest side `proxySide`, 1024 px: a draft while a slider moves)
 *   decoded once, with JPEG shrink-on-load, and kept encoded because the engine takes encoded input
 *   (JPEG q ≥ 80 for JPEG, WebP for WebP, PNG otherwise: the chain keeps the source's output format;
 *   EXIF orientation kept as a tag, so `auto-orient,0` still means what it says). Kept with its
 *   source entry.
 * - **results** — full-resolution results per (source version, resolved chain), and the image scaled
 *   for the transport per `maxSide`: going back to an earlier string, or asking for a bigger transport
 *   image when the user zooms, costs no engine run.
 *
 * Two qualities:
 *
 * - `final`: the chain at full resolution. Every number reported (width, height, format, bytes) comes
 *   from here — it is what OSS returns.
 * - `interactive`: while a slider moves, the chain runs on the proxy with its geometry rewritten
 *   (`proxySteps`): every size is computed at full resolution with the engine's own geometry helpers
 *   (so the full-resolution width × height is known without rendering, and the picture has the final
 *   aspect), then scaled down onto the proxy; once an absolute resize brings the image within
 *   `proxySide`, the rest of the chain runs unchanged. The answer is a picture and that size.
 *   Chains that cannot be scaled faithfully (info, average-hue, image watermarks before such a resize)
 *   or that fail (so the error is OSS's own, span and EC included), sources failing the header
 *   checks, and small or animated sources are rendered at full resolution instead: `final`.
 *
 * Cancellation: every render takes the request's AbortSignal. A render waits for one of
 * `concurrency` engine slots (interactive renders first); an abort while waiting removes it from the
 * queue, an abort while running answers at once (AbortError) and the engine stops at its next step
 * boundary — the slot is held until it has, so aborted work never piles up on the CPU. `previewStats`
 * counts renders completed and cancelled (for the benchmark and the logs).
 */
import { parseProcess, serializeProcess, type Process } from '../../../src-shared/img/process'
import { inspectSource } from '../decode'
import { processImage } from '../executor'
import type { SourceInfo } from '../op'
import type { EngineOptions, EngineResult, PlacedMark } from '../types'
import { abortError, raceAbort } from '../../util/abort'
import { Lru } from './lru'
import { previewStats } from './stats'
import { buildProxy, type Proxy } from './proxy'
import { fullResolutionMarks, proxySteps, type Size } from './proxy-plan'
import { transportImage, type TransportImage } from './transport'

/** A loaded source (see the sources cache above). */
interface SourceEntry {
  readonly bytes: Buffer
  /** The header's facts; undefined when the source fails OSS's checks (the engine then reports the error, with the chain's EC). */
  readonly info: SourceInfo | undefined
  readonly version: string
  checkedAt: number
  proxy?: Promise<Proxy | undefined>
}

export type PreviewQuality = 'interactive' | 'final'

export interface PreviewSource {
  /** Stable identity: `object:<profile>\0<bucket>\0<key>` or `upload:<id>`. */
  readonly id: string
  /** Downloads the bytes; `version` is what `check` compares (an ETag). */
  load(signal: AbortSignal): Promise<{ bytes: Buffer; version: string }>
  /** The current version without downloading (a HEAD), for a cached entry older than `revalidateMs`. Absent: never changes. */
  check?(signal: AbortSignal): Promise<string>
}

export interface PreviewRequest {
  readonly source: PreviewSource
  /** `image/...` or `style/NAME`, or already parsed. */
  readonly process: string | Process
  readonly engine?: Omit<EngineOptions, 'signal'>
  readonly quality?: PreviewQuality
  /** Largest side of the transported image. */
  readonly maxSide?: number | undefined
  readonly signal?: AbortSignal | undefined
  /**
   * false: use what is cached but add nothing (one-off renders such as bucket thumbnails must not
   * push the image being edited out of the caches). Default true.
   */
  readonly store?: boolean
}

export interface PreviewResult {
  readonly quality: PreviewQuality
  /** The engine's result (full resolution for `final`, the proxy's for `interactive`). */
  readonly result: EngineResult
  /** For images: what to send to the window. */
  readonly transport: TransportImage | undefined
  readonly source: { readonly bytes: number; readonly info: SourceInfo }
  /** Engine time of the run that produced `result` (0 when served from the cache). */
  readonly renderMs: number
  readonly cached: boolean
  /**
   * The full-resolution result's size: the final result's, or for an interactive picture the size
   * computed from the engine's geometry (what the picture stands for).
   */
  readonly size: Size | undefined
  /** The single watermarks drawn, in the full-resolution result's pixels (a proxy render's scaled up). */
  readonly marks: readonly PlacedMark[]
}

export interface PreviewEngineOptions {
  readonly proxySide?: number
  /** Sources whose longest side is at most this are always rendered at full resolution. */
  readonly proxyMinSide?: number
  readonly concurrency?: number
  readonly revalidateMs?: number
  readonly maxSources?: number
  readonly maxSourceBytes?: number
  readonly maxResults?: number
  readonly maxResultBytes?: number
  readonly now?: () => number
}

export interface PreviewEngine {
  render(request: PreviewRequest): Promise<PreviewResult>
  /** The source bytes (cached). */
  source(source: PreviewSource, signal?: AbortSignal): Promise<{ bytes: Buffer; info: SourceInfo | undefined; version: string }>
  /** Drops everything cached for sources whose id starts with `prefix` (e.g. a deleted profile). */
  invalidate(prefix: string): void
  clear(): void
  readonly stats: { readonly sources: number; readonly sourceBytes: number; readonly results: number; readonly resultBytes: number; readonly running: number; readonly queued: number }
}

export const PROXY_SIDE = 1024
export const PROXY_MIN_SIDE = 2000


const isAbort = (error: unknown) => (error as Error)?.name === 'AbortError'


interface Waiter {
  readonly interactive: boolean
  readonly start: () => void
}

export function createPreviewEngine(options: PreviewEngineOptions = {}): PreviewEngine {
  const proxySide = options.proxySide ?? PROXY_SIDE
  const proxyMinSide = options.proxyMinSide ?? PROXY_MIN_SIDE
  const concurrency = Math.max(1, options.concurrency ?? 2)
  const revalidateMs = options.revalidateMs ?? 10_000
  const now = options.now ?? (() => performance.now())
  const sources = new Lru<Promise<SourceEntry>>(options.maxSources ?? 12, options.maxSourceBytes ?? 192 * 1024 * 1024)
  const results = new Lru<{ result: EngineResult; renderMs: number }>(options.maxResults ?? 48, options.maxResultBytes ?? 96 * 1024 * 1024)
  const transports = new Lru<TransportImage>(options.maxResults ?? 48, 48 * 1024 * 1024)

  // ---- engine slots: at most `concurrency` runs in sharp; interactive renders go first.
  let running = 0
  const queue: Waiter[] = []
  const next = () => {
    while (running < concurrency && queue.length > 0) {
      const index = queue.findIndex((w) => w.interactive)
      const [waiter] = queue.splice(index === -1 ? 0 : index, 1)
      running += 1
      waiter!.start()
    }
  }
  /** Runs `work` in a slot. The slot is held until `work` settles, even when the caller gave up on it. */
  const inSlot = <T>(interactive: boolean, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        previewStats.cancelledQueued += 1
        reject(abortError())
        return
      }
      let started = false
      const onAbort = () => {
        if (started) return
        const at = queue.indexOf(waiter)
        if (at !== -1) queue.splice(at, 1)
        previewStats.cancelledQueued += 1
        reject(abortError())
      }
      const waiter: Waiter = {
        interactive,
        start: () => {
          started = true
          signal?.removeEventListener('abort', onAbort)
          const done = work()
          done.then(
            () => undefined,
            (error: unknown) => {
              if (isAbort(error)) previewStats.cancelledStopped += 1
            }
          )
          done
            .catch(() => undefined)
            .finally(() => {
              running -= 1
              next()
            })
          raceAbort(done, signal).then(resolve, reject)
        }
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      queue.push(waiter)
      next()
    })

  // ---- sources
  const loadEntry = async (source: PreviewSource, signal: AbortSignal): Promise<SourceEntry> => {
    previewStats.sourceLoads += 1
    const { bytes, version } = await source.load(signal)
    const info = await inspectSource(bytes, false).catch(() => undefined)
    return { bytes, info, version, checkedAt: now() }
  }

  const acquire = async (source: PreviewSource, signal: AbortSignal | undefined, store = true): Promise<SourceEntry> => {
    // Loads are shared between requests: one request giving up must not fail the others.
    const shared = new AbortController().signal
    const cached = sources.get(source.id)
    if (cached) {
      let entry: SourceEntry | undefined
      try {
        entry = await raceAbort(cached, signal)
      } catch (error) {
        if (isAbort(error) && signal?.aborted) throw error
        // A failed load is not cached: try again below.
        if (sources.peek(source.id) === cached) sources.delete(source.id)
      }
      if (entry) {
        if (!source.check || now() - entry.checkedAt < revalidateMs) {
          previewStats.sourceHits += 1
          return entry
        }
        const version = await raceAbort(source.check(signal ?? shared), signal)
        if (version === entry.version) {
          entry.checkedAt = now()
          previewStats.sourceHits += 1
          return entry
        }
        if (sources.peek(source.id) === cached) sources.delete(source.id)
      }
    }
    const loading = loadEntry(source, shared)
    if (!store) return raceAbort(loading, signal)
    sources.set(source.id, loading, 0)
    loading.then(
      (entry) => sources.setCost(source.id, entry.bytes.length),
      () => {
        if (sources.peek(source.id) === loading) sources.delete(source.id)
      }
    )
    return raceAbort(loading, signal)
  }

  const proxyOf = (entry: SourceEntry, id: string): Promise<Proxy | undefined> => {
    if (!entry.proxy) {
      const { info } = entry
      if (!info) return Promise.resolve(undefined)
      const large = Math.max(info.width, info.height) > proxyMinSide
      const still = info.pages <= 1 && info.format !== 'gif'
      entry.proxy =
        large && still
          ? buildProxy(info, proxySide).then(
              (proxy) => {
                previewStats.proxiesBuilt += 1
                sources.setCost(id, entry.bytes.length + proxy.bytes.length)
                return proxy
              },
              // A source the proxy cannot be made of is rendered at full resolution.
              () => undefined
            )
          : Promise.resolve(undefined)
    }
    return entry.proxy
  }

  /** `style/NAME` expanded to its steps (undefined: let the engine report the missing style). */
  const resolve = async (process: string | Process, engine: Omit<EngineOptions, 'signal'>): Promise<Process> => {
    const parsed = typeof process === 'string' ? parseProcess(process) : process
    if (parsed.kind === 'image') return parsed
    const content = await engine.styles?.get(parsed.name)
    if (content === undefined) return parsed
    try {
      const expanded = parseProcess(content)
      return expanded.kind === 'image' ? { kind: 'image', steps: expanded.steps } : parsed
    } catch {
      return parsed
    }
  }

  /** Results are cached per source version and resolved chain (a style's content can change under the same name). */
  const resultKey = (entry: SourceEntry, id: string, chain: Process, engine: Omit<EngineOptions, 'signal'>) =>
    chain.kind === 'image' ? `${id}\0${entry.version}\0${engine.implicitAutoOrient ?? ''}\0${serializeProcess(chain)}` : undefined

  const final = async (key: string | undefined, entry: SourceEntry, chain: Process, engine: Omit<EngineOptions, 'signal'>, signal: AbortSignal | undefined, store: boolean): Promise<{ result: EngineResult; renderMs: number; cached: boolean }> => {
    const hit = key === undefined ? undefined : results.get(key)
    if (hit) {
      previewStats.resultHits += 1
      return { ...hit, cached: true }
    }
    return inSlot(false, signal, async () => {
      previewStats.fullRuns += 1
      const started = now()
      const result = await processImage(entry.bytes, chain, { ...engine, signal })
      const renderMs = Math.round((now() - started) * 10) / 10
      if (key !== undefined && store) results.set(key, { result, renderMs }, result.kind === 'image' ? result.data.length : result.body.length)
      return { result, renderMs, cached: false }
    })
  }

  const transportFor = async (key: string | undefined, result: EngineResult, maxSide: number | undefined, signal: AbortSignal | undefined, store = true): Promise<TransportImage | undefined> => {
    if (result.kind !== 'image') return undefined
    if (maxSide === undefined || Math.max(result.width, result.height) <= maxSide) return { data: result.data, contentType: result.contentType }
    const cacheKey = key === undefined ? undefined : `${key}\0${maxSide}`
    const hit = cacheKey === undefined ? undefined : transports.get(cacheKey)
    if (hit) return hit
    signal?.throwIfAborted()
    const image = await raceAbort(transportImage(result.data, result.format, result.contentType, result.width, result.height, maxSide), signal)
    if (cacheKey !== undefined && store) transports.set(cacheKey, image, image.data.length)
    return image
  }

  const render = async (request: PreviewRequest): Promise<PreviewResult> => {
    const { signal } = request
    const engine = request.engine ?? {}
    const quality = request.quality ?? 'final'
    previewStats.requests += 1
    try {
      signal?.throwIfAborted()
      const store = request.store ?? true
      const entry = await acquire(request.source, signal, store)
      const chain = await raceAbort(resolve(request.process, engine), signal)
      const info = entry.info

      if (quality === 'interactive' && chain.kind === 'image' && info) {
        const proxy = await raceAbort(proxyOf(entry, request.source.id), signal)
        const plan = proxy ? proxySteps(chain.steps, { full: info, proxy }, { proxySide, implicitAutoOrient: engine.implicitAutoOrient }) : undefined
        if (proxy && plan) {
          const { result, renderMs } = await inSlot(true, signal, async () => {
            previewStats.proxyRuns += 1
            const started = now()
            const result = await processImage(proxy.bytes, { kind: 'image', steps: plan.steps }, { ...engine, signal })
            return { result, renderMs: Math.round((now() - started) * 10) / 10 }
          })
          const transport = await transportFor(undefined, result, request.maxSide, signal)
          previewStats.completed += 1
          const marks = result.kind === 'image' && result.marks ? fullResolutionMarks(result.marks, plan, result) : []
          return { quality: 'interactive', result, transport, source: { bytes: entry.bytes.length, info }, renderMs, cached: false, size: { width: plan.width, height: plan.height }, marks }
        }
      }

      const key = resultKey(entry, request.source.id, chain, engine)
      const { result, renderMs, cached } = await final(key, entry, chain, engine, signal, store)
      const transport = await transportFor(key, result, request.maxSide, signal, store)
      // (A source that failed the header checks cannot render: the engine threw above.)
      const sourceInfo = info ?? (await inspectSource(entry.bytes, false))
      signal?.throwIfAborted()
      previewStats.completed += 1
      return { quality: 'final', result, transport, source: { bytes: entry.bytes.length, info: sourceInfo }, renderMs, cached, size: result.kind === 'image' ? { width: result.width, height: result.height } : undefined, marks: result.kind === 'image' ? (result.marks ?? []) : [] }
    } catch (error) {
      if (signal?.aborted || isAbort(error)) {
        previewStats.cancelled += 1
        throw signal?.aborted ? abortError() : error
      }
      previewStats.failed += 1
      throw error
    }
  }

  return {
    render,
    async source(source, signal) {
      const entry = await acquire(source, signal)
      return { bytes: entry.bytes, info: entry.info, version: entry.version }
    },
    invalidate(prefix) {
      for (const key of sources.keys()) if (key.startsWith(prefix)) sources.delete(key)
      for (const key of results.keys()) if (key.startsWith(prefix)) results.delete(key)
      for (const key of transports.keys()) if (key.startsWith(prefix)) transports.delete(key)
    },
    clear() {
      sources.clear()
      results.clear()
      transports.clear()
    },
    get stats() {
      return { sources: sources.size, sourceBytes: sources.cost, results: results.size, resultBytes: results.cost, running, queued: queue.length }
    }
  }
}
