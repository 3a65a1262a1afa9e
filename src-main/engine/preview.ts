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
import type { Sharp } from 'sharp'
import sharp from 'sharp'
import { watermark as watermarkSchema } from '../../src-shared/img/actions/watermark'
import { isImgError } from '../../src-shared/img/errors'
import { parseProcess, serializeProcess, type Process, type Step } from '../../src-shared/img/process'
import { withDefaults } from '../../src-shared/img/schema'
import { decodeHeic } from './codecs/heic'
import { sniffFormat } from './codecs/sniff'
import { assertRotatable, inspectSource, openSource } from './decode'
import { chainSettings, processImage } from './executor'
import type { SourceInfo } from './op'
import { circleGeometry } from './ops/circle'
import { cropGeometry, isWholeFrame, type Region } from './ops/crop'
import { indexcropGeometry } from './ops/indexcrop'
import { resizeGeometry } from './ops/resize'
import { normalizeAngle, rotatedSize } from './ops/rotate'
import type { EngineOptions, EngineResult } from './types'
import { abortError, raceAbort } from '../util/abort'

// ---------------------------------------------------------------------------------------------
// LRU
// ---------------------------------------------------------------------------------------------

/** A Map in recency order, bounded by entry count and by a total cost (bytes). */
export class Lru<V> {
  private readonly map = new Map<string, { value: V; cost: number }>()
  private total = 0

  constructor(
    readonly maxEntries: number,
    readonly maxCost: number
  ) {}

  get size(): number {
    return this.map.size
  }

  get cost(): number {
    return this.total
  }

  get(key: string): V | undefined {
    const hit = this.map.get(key)
    if (!hit) return undefined
    this.map.delete(key)
    this.map.set(key, hit)
    return hit.value
  }

  peek(key: string): V | undefined {
    return this.map.get(key)?.value
  }

  has(key: string): boolean {
    return this.map.has(key)
  }

  /** Adds or replaces; then evicts the least recently used entries over the budgets (never the new one). */
  set(key: string, value: V, cost = 0): void {
    this.delete(key)
    this.map.set(key, { value, cost })
    this.total += cost
    for (const [oldest, entry] of this.map) {
      if (this.map.size <= this.maxEntries && this.total <= this.maxCost) break
      if (oldest === key) break
      this.map.delete(oldest)
      this.total -= entry.cost
    }
  }

  /** Updates an entry's cost in place (e.g. once a lazily built part is known). */
  setCost(key: string, cost: number): void {
    const entry = this.map.get(key)
    if (!entry) return
    this.total += cost - entry.cost
    entry.cost = cost
  }

  delete(key: string): boolean {
    const entry = this.map.get(key)
    if (!entry) return false
    this.map.delete(key)
    this.total -= entry.cost
    return true
  }

  clear(): void {
    this.map.clear()
    this.total = 0
  }

  keys(): string[] {
    return [...this.map.keys()]
  }
}

// ---------------------------------------------------------------------------------------------
// Stats
// ---------------------------------------------------------------------------------------------

export interface PreviewStats {
  /** Renders asked for (each `render` call). */
  requests: number
  /** Answered with a result. */
  completed: number
  /** Answered `Cancelled` because their signal aborted. */
  cancelled: number
  /** …of which were still waiting for a slot: no engine work done at all. */
  cancelledQueued: number
  /** …of which the engine stopped early (at a step boundary) rather than finishing in the background. */
  cancelledStopped: number
  /** Answered with an error. */
  failed: number
  /** Engine runs on a proxy / at full resolution. */
  proxyRuns: number
  fullRuns: number
  /** Full-resolution results served from the results cache. */
  resultHits: number
  /** Source loads (downloads) and cache hits; proxies built. */
  sourceLoads: number
  sourceHits: number
  proxiesBuilt: number
}

const emptyStats = (): PreviewStats => ({
  requests: 0,
  completed: 0,
  cancelled: 0,
  cancelledQueued: 0,
  cancelledStopped: 0,
  failed: 0,
  proxyRuns: 0,
  fullRuns: 0,
  resultHits: 0,
  sourceLoads: 0,
  sourceHits: 0,
  proxiesBuilt: 0
})

/** Process-wide counters over every preview engine (there is one per set of main services). */
export const previewStats: PreviewStats = emptyStats()

export function resetPreviewStats(): void {
  Object.assign(previewStats, emptyStats())
}

// ---------------------------------------------------------------------------------------------
// Transport image
// ---------------------------------------------------------------------------------------------

/** What a browser shows as is; anything else is sent as PNG when it has to be re-encoded. */
const DISPLAYABLE: Readonly<Record<string, 'jpeg' | 'png' | 'webp' | 'gif' | 'avif'>> = { jpg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', avif: 'avif' }
const CONTENT_TYPE = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif' } as const

export interface TransportImage {
  readonly data: Buffer
  readonly contentType: string
}

/**
 * Encoded image bytes opened for pixels. HEVC HEIC (what `format,heic` writes where heif-enc exists,
 * and what OSS returns) is decoded with heic-decode: sharp reads only its header.
 */
async function openEncoded(data: Buffer, options: { animated?: boolean } = {}): Promise<Sharp> {
  if (sniffFormat(data) !== 'heic') return sharp(data, { ...options, limitInputPixels: false, pages: options.animated ? -1 : 1 })
  const decoded = await decodeHeic(data)
  return sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: decoded.channels }, limitInputPixels: false })
}

/**
 * The image as sent to the window: as it is when it fits `maxSide`, else scaled to fit (same format when
 * displayable, else PNG). HEVC HEIC, which browsers do not show, always goes as PNG.
 */
export async function transportImage(data: Buffer, format: string, contentType: string, width: number, height: number, maxSide: number | undefined): Promise<TransportImage> {
  const hevc = sniffFormat(data) === 'heic'
  const fits = maxSide === undefined || Math.max(width, height) <= maxSide
  if (fits && !hevc) return { data, contentType }
  const target = hevc ? 'png' : (DISPLAYABLE[format] ?? 'png')
  const animated = target === 'gif' || target === 'webp'
  const opened = await openEncoded(data, { animated })
  if (fits) return { data: await opened.png().toBuffer(), contentType: CONTENT_TYPE.png }
  const scaled = opened.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
  const out = target === 'jpeg' ? scaled.jpeg({ quality: 90 }) : target === 'webp' ? scaled.webp({ quality: 90 }) : target === 'avif' ? scaled.avif({ quality: 70 }) : target === 'gif' ? scaled.gif() : scaled.png()
  return { data: await out.toBuffer(), contentType: CONTENT_TYPE[target] }
}

// ---------------------------------------------------------------------------------------------
// Proxy geometry
// ---------------------------------------------------------------------------------------------

export interface Size {
  readonly width: number
  readonly height: number
}

const clampInt = (value: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(value)))

/** A step with new parameters (same action and span). */
function withParams(step: Step, params: Record<string, unknown>): Step {
  return { action: step.action, params, span: step.span } as unknown as Step
}

function regionOnProxy(region: Region, full: Size, proxy: Size): Region {
  const rx = proxy.width / full.width
  const ry = proxy.height / full.height
  const left = Math.min(proxy.width - 1, Math.floor(region.left * rx))
  const top = Math.min(proxy.height - 1, Math.floor(region.top * ry))
  const width = Math.max(1, Math.min(proxy.width - left, Math.round(region.width * rx)))
  const height = Math.max(1, Math.min(proxy.height - top, Math.round(region.height * ry)))
  return { left, top, width, height }
}

export interface ProxySource {
  /** Full-resolution source facts (stored size, orientation, format). */
  readonly full: Pick<SourceInfo, 'width' | 'height' | 'orientation' | 'format' | 'pages'>
  /** Stored size of the proxy. */
  readonly proxy: Size
}

export interface ProxyPlan {
  /** The chain to run on the proxy. */
  readonly steps: Step[]
  /** The full-resolution result's size, from the engine's own geometry (no pixels touched). */
  readonly width: number
  readonly height: number
}

/**
 * The chain rewritten to run on a proxy, or `undefined` when it cannot be (the caller then renders
 * at full resolution, which also produces OSS's exact error for a chain that fails).
 *
 * Two frames are tracked: F, the image at full resolution (exact, with the engine's own geometry
 * helpers: the final size is known without rendering), and Q, the same image on the proxy.
 * Geometry steps are rewritten so Q stays F scaled (crop rectangles and radii scaled; resizes
 * replaced by exact `m_fixed`/`m_fill`/`m_pad` boxes of F's result fitted within `proxySide`). Once
 * Q equals F, the rest of the chain is kept as it is.
 */
export function proxySteps(steps: readonly Step[], source: ProxySource, options: { proxySide: number; implicitAutoOrient?: boolean | undefined }): ProxyPlan | undefined {
  if (steps.some((s) => s.action === 'info' || s.action === 'average-hue')) return undefined
  const settings = chainSettings(steps)
  const orient = settings.orient ?? options.implicitAutoOrient ?? true
  try {
    if (orient && (source.full.orientation ?? 1) > 1) assertRotatable(source.full)
    const swap = orient && (source.full.orientation ?? 1) >= 5
    let F: Size = swap ? { width: source.full.height, height: source.full.width } : { width: source.full.width, height: source.full.height }
    let Q: Size = swap ? { width: source.proxy.height, height: source.proxy.width } : { width: source.proxy.width, height: source.proxy.height }
    const gif = source.full.format === 'gif'
    const out: Step[] = []
    for (const step of steps) {
      // Same frame: the step runs exactly as at full resolution (only F is tracked).
      const exact = Q.width === F.width && Q.height === F.height
      const r = Math.sqrt((Q.width / F.width) * (Q.height / F.height))
      const p = step.params as Record<string, unknown>
      switch (step.action) {
        case 'resize': {
          const G = resizeGeometry(F, step.params, { gif })
          if (G.fit === 'none') break
          if (exact) {
            out.push(step)
            F = Q = { width: G.width, height: G.height }
            break
          }
          const k = Math.min(1, options.proxySide / Math.max(G.width, G.height))
          const T = { width: Math.max(1, Math.round(G.width * k)), height: Math.max(1, Math.round(G.height * k)) }
          const mode = G.fit === 'cover' ? 'fill' : G.fit === 'contain' ? 'pad' : 'fixed'
          out.push(withParams(step, { m: mode, w: T.width, h: T.height, limit: 0, ...(mode === 'pad' && p.color !== undefined ? { color: p.color } : {}) }))
          F = { width: G.width, height: G.height }
          Q = T
          break
        }
        case 'crop':
        case 'indexcrop': {
          const region = step.action === 'crop' ? cropGeometry(F, step.params) : indexcropGeometry(F, step.params)
          if (region === undefined || isWholeFrame(region, F)) break
          if (exact) {
            out.push(step)
            F = Q = { width: region.width, height: region.height }
            break
          }
          const onProxy = regionOnProxy(region, F, Q)
          out.push({ action: 'crop', params: { x: onProxy.left, y: onProxy.top, w: onProxy.width, h: onProxy.height }, span: step.span })
          F = { width: region.width, height: region.height }
          Q = { width: onProxy.width, height: onProxy.height }
          break
        }
        case 'circle': {
          const region = circleGeometry(F, step.params)
          if (exact) {
            out.push(step)
            F = Q = { width: region.width, height: region.height }
            break
          }
          const radius = clampInt(step.params.r! * r, 1, 4096)
          const onProxy = circleGeometry(Q, { r: radius })
          out.push(withParams(step, { r: radius }))
          F = { width: region.width, height: region.height }
          Q = { width: onProxy.width, height: onProxy.height }
          break
        }
        case 'rotate': {
          const angle = normalizeAngle(step.params.value ?? 0)
          // Project decision §3.6: the limit applies to the full-resolution image entering rotate.
          if (angle !== 0) assertRotatable(F)
          out.push(step)
          F = rotatedSize(F.width, F.height, angle)
          Q = exact ? F : rotatedSize(Q.width, Q.height, angle)
          break
        }
        case 'rounded-corners':
          out.push(exact ? step : withParams(step, { r: clampInt(step.params.r! * r, 1, 4096) }))
          break
        case 'blur':
          out.push(exact ? step : withParams(step, { r: clampInt(step.params.r! * r, 1, 50), s: clampInt(step.params.s! * r, 1, 50) }))
          break
        case 'watermark': {
          if (exact) {
            out.push(step)
            break
          }
          // An image watermark keeps its own pixel size: only faithful once Q equals F.
          if (step.params.image !== undefined) return undefined
          const d = withDefaults(watermarkSchema, step.params)
          out.push(
            withParams(step, {
              ...p,
              size: clampInt((d.size ?? 40) * r, 1, 1000),
              x: clampInt((d.x ?? 10) * r, 0, 4096),
              y: clampInt((d.y ?? 10) * r, 0, 4096),
              voffset: clampInt((d.voffset ?? 0) * r, -1000, 1000),
              padx: clampInt((d.padx ?? 0) * r, 0, 4096),
              pady: clampInt((d.pady ?? 0) * r, 0, 4096)
            })
          )
          break
        }
        default:
          // Settings (format, quality, interlace, auto-orient, ignore-error) and tone (bright,
          // contrast, sharpen): no geometry, nothing to scale.
          out.push(step)
      }
    }
    return { steps: out, width: F.width, height: F.height }
  } catch (error) {
    if (isImgError(error)) return undefined
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Sources and proxies
// ---------------------------------------------------------------------------------------------

export interface Proxy {
  readonly bytes: Buffer
  /** Stored (not oriented) size. */
  readonly width: number
  readonly height: number
}

interface SourceEntry {
  readonly bytes: Buffer
  /** The header's facts; undefined when the source fails OSS's checks (the engine then reports the error, with the chain's EC). */
  readonly info: SourceInfo | undefined
  readonly version: string
  checkedAt: number
  proxy?: Promise<Proxy | undefined>
}

/** Builds the reduced-resolution copy: the orientation stays a tag, the format stays the source's where it can. */
export async function buildProxy(info: SourceInfo, proxySide: number): Promise<Proxy> {
  const opened = await openSource(info, { animated: false, orient: false })
  let pipeline = opened.pipeline.resize({ width: proxySide, height: proxySide, fit: 'inside', withoutEnlargement: true })
  if ((info.orientation ?? 1) > 1) pipeline = pipeline.withMetadata({ orientation: info.orientation! })
  const out =
    info.format === 'jpg'
      ? pipeline.jpeg({ quality: Math.max(80, info.jpegQuality ?? 90), chromaSubsampling: '4:4:4' })
      : info.format === 'webp'
        ? pipeline.webp({ quality: 90 })
        : pipeline.png({ compressionLevel: 1 })
  const { data, info: written } = await out.toBuffer({ resolveWithObject: true })
  return { bytes: data, width: written.width, height: written.height }
}

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

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
          return { quality: 'interactive', result, transport, source: { bytes: entry.bytes.length, info }, renderMs, cached: false, size: { width: plan.width, height: plan.height } }
        }
      }

      const key = resultKey(entry, request.source.id, chain, engine)
      const { result, renderMs, cached } = await final(key, entry, chain, engine, signal, store)
      const transport = await transportFor(key, result, request.maxSide, signal, store)
      // (A source that failed the header checks cannot render: the engine threw above.)
      const sourceInfo = info ?? (await inspectSource(entry.bytes, false))
      signal?.throwIfAborted()
      previewStats.completed += 1
      return { quality: 'final', result, transport, source: { bytes: entry.bytes.length, info: sourceInfo }, renderMs, cached, size: result.kind === 'image' ? { width: result.width, height: result.height } : undefined }
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

// ---------------------------------------------------------------------------------------------
// Difference measure (Compare with OSS)
// ---------------------------------------------------------------------------------------------

export interface Difference {
  /** Both images had the same width and height (else B was scaled to A's size to measure). */
  readonly sameSize: boolean
  /** Mean absolute difference per channel (RGBA, 0–255). */
  readonly mae: number
  /** Peak signal-to-noise ratio in dB; `null` when the pixels are identical (infinite). */
  readonly psnr: number | null
  /** Largest difference of any channel (0–255). */
  readonly maxDelta: number
  /** Share of pixels with a channel differing by more than 8 levels (0–1). */
  readonly changedShare: number
  /** Hamming distance of the two 64-bit perceptual hashes (DCT pHash), 0–64. */
  readonly phashDistance: number
  /** Pixels compared (after any common downscale). */
  readonly comparedWidth: number
  readonly comparedHeight: number
}

/** Images larger than this are compared at a reduced (common) size. */
const MAX_COMPARE_PIXELS = 16_000_000

async function rgba(bytes: Buffer, size?: Size): Promise<{ data: Buffer; width: number; height: number }> {
  let pipeline = (await openEncoded(bytes)).ensureAlpha()
  if (size) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' })
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/**
 * 64-bit pHash (the common DCT variant, as sharp-phash): 32×32 greyscale on white, 2-D DCT-II, the
 * 8×8 coefficients next to the DC row and column, each against their mean.
 */
export async function perceptualHash(bytes: Buffer): Promise<bigint> {
  const N = 32
  const { data } = await (await openEncoded(bytes)).flatten({ background: '#ffffff' }).greyscale().resize(N, N, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true })
  const cos: number[][] = Array.from({ length: 9 }, (_, u) => Array.from({ length: N }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N))))
  const coefficients: number[] = []
  for (let u = 1; u <= 8; u++) {
    for (let v = 1; v <= 8; v++) {
      let sum = 0
      for (let y = 0; y < N; y++) {
        const cy = cos[u]![y]!
        for (let x = 0; x < N; x++) sum += data[y * N + x]! * cy * cos[v]![x]!
      }
      coefficients.push(sum)
    }
  }
  const mean = coefficients.reduce((a, b) => a + b, 0) / coefficients.length
  let hash = 0n
  for (const value of coefficients) hash = (hash << 1n) | (value > mean ? 1n : 0n)
  return hash
}

function popcount(value: bigint): number {
  let count = 0
  for (let v = value; v > 0n; v >>= 1n) count += Number(v & 1n)
  return count
}

/** Width, height (one page) and format of encoded image bytes, as the engine names formats. */
export async function imageFacts(bytes: Buffer): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata()
  const format = sniffFormat(bytes) ?? (meta.format === 'jpeg' ? 'jpg' : meta.format === 'heif' ? 'heic' : (meta.format ?? 'unknown'))
  return { width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0, format }
}

/** How far `b` (e.g. OSS's result) is from `a` (the local render), pixel by pixel and perceptually. */
export async function measureDifference(a: Buffer, b: Buffer): Promise<Difference> {
  const [ma, mb] = await Promise.all([sharp(a, { pages: 1 }).metadata(), sharp(b, { pages: 1 }).metadata()])
  const wa = ma.width ?? 1
  const ha = ma.pageHeight ?? ma.height ?? 1
  const wb = mb.width ?? 1
  const hb = mb.pageHeight ?? mb.height ?? 1
  const sameSize = wa === wb && ha === hb
  const k = Math.min(1, Math.sqrt(MAX_COMPARE_PIXELS / (wa * ha)))
  const target = { width: Math.max(1, Math.round(wa * k)), height: Math.max(1, Math.round(ha * k)) }
  const [pa, pb] = await Promise.all([rgba(a, k < 1 ? target : undefined), rgba(b, k < 1 || !sameSize ? target : undefined)])
  let sum = 0
  let squares = 0
  let maxDelta = 0
  let changed = 0
  const n = Math.min(pa.data.length, pb.data.length)
  for (let i = 0; i < n; i += 4) {
    let pixelMax = 0
    for (let c = 0; c < 4; c++) {
      const d = Math.abs(pa.data[i + c]! - pb.data[i + c]!)
      sum += d
      squares += d * d
      if (d > pixelMax) pixelMax = d
    }
    if (pixelMax > maxDelta) maxDelta = pixelMax
    if (pixelMax > 8) changed += 1
  }
  const mse = squares / n
  const [ha64, hb64] = await Promise.all([perceptualHash(a), perceptualHash(b)])
  return {
    sameSize,
    mae: Math.round((sum / n) * 1000) / 1000,
    psnr: mse === 0 ? null : Math.round(10 * Math.log10((255 * 255) / mse) * 100) / 100,
    maxDelta,
    changedShare: Math.round((changed / (n / 4)) * 10_000) / 10_000,
    phashDistance: popcount(ha64 ^ hb64),
    comparedWidth: pa.width,
    comparedHeight: pa.height
  }
}
