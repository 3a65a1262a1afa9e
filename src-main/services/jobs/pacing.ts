/**
 * How fast a job talks to OSS: a requests-per-second cap (`--qps`) and an adaptive limit on items
 * in flight that backs off when OSS answers that it is overloaded (503, SlowDown, throttling).
 *
 * OSS is the engine that scales out in server-side mode, but a bucket has a request budget; past
 * it, OSS answers 503 SlowDown. The limit follows AIMD (as TCP does): halve on a throttling answer,
 * at most once per cool-down (one burst of throttled requests in flight is one signal, not many),
 * and grow by one after `limit` successes in a row-ish (about one round of the window), never
 * above the configured concurrency. The items' retries keep their exponential back-off with full
 * jitter, so throttled requests do not come back in lockstep.
 */
import type { JobOss } from './oss-port'
import type { ItemError } from './types'

/** OSS's (and its gateways') "slow down" answers; other 5xx are failures to retry, not pressure. */
const THROTTLING_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequests', 'RequestLimitExceeded', 'QpsLimitExceeded', 'ServiceUnavailable'])

export function isThrottling(error: Pick<ItemError, 'status' | 'code'>): boolean {
  return error.status === 503 || error.status === 429 || THROTTLING_CODES.has(error.code)
}

/** Spaces calls at least 1/qps seconds apart (no bursts), in the order they ask. */
export class QpsLimiter {
  private readonly intervalMs: number
  private next = 0

  constructor(
    readonly qps: number,
    private readonly now: () => number = () => performance.now()
  ) {
    if (!(Number.isFinite(qps) && qps > 0)) throw new RangeError(`qps must be a positive number (got ${qps})`)
    this.intervalMs = 1000 / qps
  }

  /** Resolves when the caller may send its request; rejects when `signal` aborts first. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    const now = this.now()
    const at = Math.max(now, this.next)
    this.next = at + this.intervalMs
    const wait = at - now
    if (wait < 1) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, wait)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

/** A JobOss whose object requests (HEAD, GET, PUT, process-and-save) wait for the limiter first. */
export function pacedOss(oss: JobOss, limiter: QpsLimiter): JobOss {
  return {
    get bucket() {
      return oss.bucket
    },
    get region() {
      return oss.region
    },
    listAllObjects: (...args) => oss.listAllObjects(...args),
    headObject: async (key, options) => (await limiter.take(options?.signal), oss.headObject(key, options)),
    getObject: async (key, options) => (await limiter.take(options?.signal), oss.getObject(key, options)),
    putObject: async (key, data, options) => (await limiter.take(options?.signal), oss.putObject(key, data, options)),
    processObjectSave: async (key, target, process, options) => (await limiter.take(options?.signal), oss.processObjectSave(key, target, process, options))
  } as JobOss
}

export const BACKOFF_COOL_DOWN_MS = 1000

/** The adaptive limit on items in flight (AIMD between 1 and `max`). */
export class AdaptiveLimit {
  private limit_: number
  private successes = 0
  private lastCut = -Infinity
  private throttled_ = 0

  constructor(
    readonly max: number,
    private readonly now: () => number = () => performance.now(),
    private readonly coolDownMs = BACKOFF_COOL_DOWN_MS
  ) {
    this.limit_ = max
  }

  get limit(): number {
    return this.limit_
  }

  /** Throttling answers seen. */
  get throttled(): number {
    return this.throttled_
  }

  /** A throttling answer: halves the limit (once per cool-down). Returns whether it changed. */
  onThrottled(): boolean {
    this.throttled_++
    this.successes = 0
    const now = this.now()
    if (now - this.lastCut < this.coolDownMs || this.limit_ === 1) return false
    this.lastCut = now
    this.limit_ = Math.max(1, Math.floor(this.limit_ / 2))
    return true
  }

  /** A request that went through: after `limit` of them, one more item may be in flight. */
  onSuccess(): boolean {
    if (this.limit_ >= this.max) return false
    if (++this.successes < this.limit_) return false
    this.successes = 0
    this.limit_++
    return true
  }
}
