/**
 * JobRunner: one run of a job over its journal.
 *
 *   const runner = new JobRunner({ spec, journalPath, connect, onProgress })
 *   const result = await runner.run()        // → { state, counts, items }
 *   runner.pause(); runner.resume(); runner.cancel()
 *
 * A run opens the journal (creating it, or checking that it belongs to this spec), rebuilds the
 * manifest, and runs every item that has no terminal record yet — `failed` ones too with
 * `retryFailed` — with at most `concurrency` in flight. Items whose target is invalid, collides
 * or is a source fail without a request. Each item is retried with exponential backoff and full
 * jitter on retryable errors only (network, timeouts, 5xx, SlowDown; never a 4xx), up to
 * `retry.maxAttempts` attempts per run; every attempt is journaled (`start`), and so is its end.
 * OSS's throttling answers (503 / SlowDown) also lower the items in flight (pacing.ts: AIMD below
 * `concurrency`), and `qps` caps the object requests per second.
 *
 * Counts are over the whole job (earlier runs included): `done + skipped + failed + pending = total`.
 */
import { randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { availableParallelism } from 'node:os'
import { backoffDelay, sleep, type RetryPolicy } from '../oss/retry'
import { JobError, toItemError } from './errors'
import { attemptItem, SourceCache, type ItemOutcome } from './execute'
import { JobIndex, type PlannedItem } from './job-index'
import { Journal } from './journal'
import { isRunnable, planManifest, BLOCKING_ITEM_ISSUES } from './manifest'
import type { Connect, JobOss } from './oss-port'
import { AdaptiveLimit, isThrottling, pacedOss, QpsLimiter } from './pacing'
import { Semaphore } from './semaphore'
import { DEFAULT_PROGRESS_INTERVAL_MS, RateMeter, Throttle } from './progress'
import type { ItemError, ItemResult, JobCounts, JobMode, JobProgress, JobSpec, JobState, Manifest, ManifestItem } from './types'

/** Item-level retries (requests themselves are single attempts). */
export const DEFAULT_JOB_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 20_000 }

export const SERVER_DEFAULT_CONCURRENCY = 16
export const MAX_CONCURRENCY = 256

/** Local mode: how many items run the engine at once — one per core. */
export function defaultEngineSlots(): number {
  return Math.max(1, availableParallelism())
}

/**
 * Items in flight. Local mode: twice the engine slots, so that while `cores` items process, others
 * read their sources and write (fsync) their results — the cores never wait on I/O. Server-side: 16.
 */
export function defaultConcurrency(mode: JobMode): number {
  return mode === 'local' ? 2 * defaultEngineSlots() : SERVER_DEFAULT_CONCURRENCY
}

export interface JobRunnerOptions {
  readonly spec: JobSpec
  readonly journalPath: string
  /** The id written into a new journal's header (default a random UUID); an existing journal keeps its own. */
  readonly jobId?: string | undefined
  readonly meta?: Record<string, string> | undefined
  /** OSS connection per bucket; needed unless both ends are folders. */
  readonly connect?: Connect | undefined
  /** Items in flight. Default: `defaultConcurrency(spec.mode)`. */
  readonly concurrency?: number | undefined
  /** At most this many OSS object requests per second (HEAD, GET, PUT, process-and-save); default: no cap. */
  readonly qps?: number | undefined
  /** Local mode: items in the engine at once (default: cores; never more than `concurrency`). */
  readonly engineSlots?: number | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
  /** Also run items whose last result is `failed` ("retry failed only" when nothing else is pending). */
  readonly retryFailed?: boolean | undefined
  readonly progressIntervalMs?: number | undefined
  readonly onProgress?: ((progress: JobProgress) => void) | undefined
  /** Every item that reaches a terminal result in this run. */
  readonly onItem?: ((result: ItemResult) => void) | undefined
  readonly onState?: ((state: JobState) => void) | undefined
  /** Listing progress while planning. */
  readonly onListed?: ((count: number) => void) | undefined
  /** For tests: jitter source in [0, 1). */
  readonly random?: (() => number) | undefined
}

export interface RunResult {
  readonly jobId: string
  readonly state: JobState
  readonly counts: JobCounts
  /** Every item's result in plan order, read from the job's index when asked for. */
  readonly items: readonly ItemResult[]
  /** The plan's summary and flags (its items: at most MANIFEST_ITEMS_IN_MEMORY). */
  readonly manifest: Manifest | undefined
  /** Why the run stopped, for `error`. */
  readonly error?: unknown
}

/** Items fetched from the index per query while dispatching. */
const DISPATCH_PAGE = 512

/** An item while this run holds it (dispatched, in flight); the rest of the plan stays on disk. */
interface Slot {
  readonly item: ManifestItem
  status: ItemResult['status']
  attempts: number
  /** The latest journaled start saw the target absent. */
  startedAbsent: boolean
  bytes?: number | undefined
  recovered?: boolean | undefined
  error?: ItemError | undefined
}

/** Thrown through an item when the journal cannot be written: the run must stop. */
class JournalWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super(`journal write failed: ${(cause as Error)?.message ?? String(cause)}`)
  }
}

function validateConcurrency(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw new JobError('InvalidJob', `concurrency: expected an integer between 1 and ${MAX_CONCURRENCY} but received ${String(n)}`)
  return n
}

function toResult(slot: Slot): ItemResult {
  const { item } = slot
  return {
    id: item.id,
    sourceKey: item.sourceKey,
    style: item.style,
    targetKey: item.targetKey,
    status: slot.status,
    attempts: slot.attempts,
    ...(slot.bytes !== undefined ? { bytes: slot.bytes } : {}),
    ...(slot.recovered ? { recovered: true } : {}),
    ...(slot.error ? { error: slot.error } : {})
  }
}

function issueError(item: ManifestItem): ItemError {
  const issue = item.issues.find((i) => BLOCKING_ITEM_ISSUES.has(i.code))!
  return { status: issue.code === 'InvalidTargetKey' ? 400 : 0, code: issue.code, message: issue.message, retryable: false }
}

export class JobRunner {
  private readonly options: JobRunnerOptions
  private readonly policy: RetryPolicy
  private readonly controller = new AbortController()
  private readonly rate = new RateMeter()
  private readonly throttle: Throttle
  private concurrency: number
  /** Items in flight adapt to OSS's throttling answers, below `concurrency`. */
  private adaptive: AdaptiveLimit
  private readonly qps: QpsLimiter | undefined
  private state_: JobState = 'created'
  private jobId_: string
  private journal: Journal | undefined
  private index: JobIndex | undefined
  private gen = 0
  private total = 0
  /** Dispatch cursor: the plan's seq up to which items have been handed out. */
  private cursor = 0
  private page: PlannedItem[] = []
  private exhausted = false
  private workers = 0
  private inFlight = 0
  private retries = 0
  private bytes = 0
  private counts = { done: 0, skipped: 0, failed: 0 }
  private startedAt = performance.now()
  private paused = false
  private resumeWaiters: (() => void)[] = []
  private fatal: unknown
  private running: Promise<RunResult> | undefined
  private finishWorkers: (() => void) | undefined
  private manifest_: Manifest | undefined
  private runNumber = 0
  private readonly connections = new Map<string, Promise<JobOss>>()
  private readonly engine: Semaphore
  private readonly sources = new SourceCache()

  constructor(options: JobRunnerOptions) {
    this.options = options
    this.policy = { ...DEFAULT_JOB_RETRY, ...options.retry }
    this.concurrency = validateConcurrency(options.concurrency ?? defaultConcurrency(options.spec.mode))
    this.adaptive = new AdaptiveLimit(this.concurrency)
    this.qps = options.qps === undefined ? undefined : new QpsLimiter(options.qps)
    this.jobId_ = options.jobId ?? randomUUID()
    this.engine = new Semaphore(validateConcurrency(options.engineSlots ?? defaultEngineSlots()))
    this.throttle = new Throttle(options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS, () => this.options.onProgress?.(this.progress))
    // One listener per item in flight (each item has its own controller, linked to this one).
    setMaxListeners(MAX_CONCURRENCY + 16, this.controller.signal)
  }

  /** The caller's connect, once per bucket for the run (a failed connect is tried again next time). */
  private readonly connect: Connect = (bucket) => {
    const connect = this.options.connect
    if (!connect) return Promise.reject(new JobError('InvalidJob', 'this job needs an OSS connection (bucket source or target)'))
    let cached = this.connections.get(bucket)
    if (!cached) {
      const qps = this.qps
      cached = Promise.resolve()
        .then(() => connect(bucket))
        .then((oss) => (qps ? pacedOss(oss, qps) : oss))
      this.connections.set(bucket, cached)
      cached.catch(() => {
        if (this.connections.get(bucket) === cached) this.connections.delete(bucket)
      })
    }
    return cached
  }

  get jobId(): string {
    return this.jobId_
  }

  get state(): JobState {
    return this.state_
  }

  get manifest(): Manifest | undefined {
    return this.manifest_
  }

  get progress(): JobProgress {
    const total = this.total
    const finished = this.counts.done + this.counts.skipped + this.counts.failed
    const pending = total - finished
    const rate = this.rate.rate()
    return {
      jobId: this.jobId_,
      state: this.state_,
      total,
      ...this.counts,
      pending,
      inFlight: this.inFlight,
      concurrency: this.adaptive.limit,
      throttled: this.adaptive.throttled,
      retries: this.retries,
      bytes: this.bytes,
      rate: Math.round(rate * 100) / 100,
      etaSeconds: pending === 0 ? 0 : rate > 0 ? Math.round(pending / rate) : null,
      elapsedMs: Math.round(performance.now() - this.startedAt)
    }
  }

  /** Results so far, in plan order (read from the job's index: open while running, reopened after). */
  results(): ItemResult[] {
    if (this.index) return [...this.index.results(this.gen)]
    if (this.gen === 0) return []
    const index = JobIndex.openLoaded(Journal.indexPath(this.options.journalPath))
    if (!index) return []
    try {
      return [...index.results(this.gen)]
    } finally {
      index.close()
    }
  }

  /** Runs the job to its end (finished, cancelled or error). Calling it again returns the same promise. */
  run(): Promise<RunResult> {
    this.running ??= this.execute()
    return this.running
  }

  pause(): void {
    if (this.paused || this.isOver()) return
    this.paused = true
    if (this.state_ === 'running') this.setState(this.inFlight === 0 ? 'paused' : 'pausing')
  }

  resume(): void {
    if (!this.paused || this.isOver()) return
    this.paused = false
    if (this.state_ === 'paused' || this.state_ === 'pausing') this.setState('running')
    for (const wake of this.resumeWaiters.splice(0)) wake()
  }

  /** Stops: no new items, in-flight requests and the engine aborted; interrupted items stay resumable. */
  cancel(): void {
    if (this.isOver() || this.controller.signal.aborted) return
    this.controller.abort()
    if (this.state_ !== 'created') this.setState('cancelling')
    for (const wake of this.resumeWaiters.splice(0)) wake()
  }

  /** Changes the most items in flight while running (the adaptive limit starts over from it). */
  setConcurrency(n: number): void {
    this.concurrency = validateConcurrency(n)
    this.adaptive = new AdaptiveLimit(this.concurrency)
    this.spawnWorkers()
  }

  /** Items in flight now: the adaptive limit (at most `concurrency`). */
  private get slots(): number {
    return Math.min(this.concurrency, this.adaptive.limit)
  }

  private isOver(): boolean {
    return this.state_ === 'finished' || this.state_ === 'cancelled' || this.state_ === 'error'
  }

  private setState(state: JobState): void {
    if (this.state_ === state) return
    this.state_ = state
    this.options.onState?.(state)
    this.throttle.flush()
  }

  private async execute(): Promise<RunResult> {
    const { spec } = this.options
    const signal = this.controller.signal
    this.startedAt = performance.now()
    try {
      this.setState('planning')
      const opened = await Journal.open(this.options.journalPath, spec, { id: this.jobId_, meta: this.options.meta })
      this.journal = opened.journal
      this.index = opened.index
      this.jobId_ = opened.replay.header.id
      // An inventory report does not change: a resume reuses its plan instead of reading it again.
      const planned = await planManifest(spec, opened.index, { connect: this.options.connect ? this.connect : undefined, signal, onListed: this.options.onListed, reuse: spec.source.kind === 'inventory' })
      this.manifest_ = planned.manifest
      this.gen = planned.gen
      const blocking = planned.manifest.issues.filter((i) => i.blocking)
      if (blocking.length > 0) throw new JobError('Blocked', blocking.map((i) => `${i.code}: ${i.message}`).join('; '))
      this.total = planned.manifest.summary.items
      const counts = opened.index.counts(this.gen)
      // "Retry failed": the failed items are pending again.
      this.counts = { ...counts, failed: this.options.retryFailed ? 0 : counts.failed }
      signal.throwIfAborted()
      this.runNumber = opened.replay.runs + 1
      await this.append({ t: 'run', n: this.runNumber, at: new Date().toISOString(), retryFailed: this.options.retryFailed === true, total: this.total, items: this.total - this.counts.done - this.counts.skipped - this.counts.failed })
      this.setState(this.paused ? 'paused' : 'running')
      this.rate.sample(0)
      await new Promise<void>((resolve) => {
        this.finishWorkers = resolve
        this.spawnWorkers()
        if (this.workers === 0) resolve()
      })
      if (this.fatal) throw this.fatal
      const state: JobState = signal.aborted ? 'cancelled' : 'finished'
      await this.append({ t: 'end', n: this.runNumber, at: new Date().toISOString(), state, ...this.counts })
      this.setState(state)
      return this.finish(state)
    } catch (error) {
      const aborted = signal.aborted && !this.fatal && !(error instanceof JobError)
      const state: JobState = aborted ? 'cancelled' : 'error'
      if (this.journal && !(this.fatal instanceof JournalWriteError)) {
        await this.journal.append({ t: 'end', n: this.runNumber, at: new Date().toISOString(), state, ...this.counts }).catch(() => undefined)
      }
      this.setState(state)
      return this.finish(state, aborted ? undefined : error instanceof JournalWriteError ? error.cause : error)
    }
  }

  private async finish(state: JobState, error?: unknown): Promise<RunResult> {
    this.throttle.flush()
    this.throttle.stop()
    await this.journal?.close()
    this.index = undefined
    const results = () => this.results()
    return {
      jobId: this.jobId_,
      state,
      counts: { total: this.total, ...this.counts },
      get items() {
        return results()
      },
      manifest: this.manifest_,
      ...(error !== undefined ? { error } : {})
    }
  }

  /** The next item to run: pending in the plan after the cursor (a page is fetched at a time). */
  private take(): Slot | undefined {
    if (this.page.length === 0 && !this.exhausted && this.index) {
      const page = this.index.pendingAfter(this.gen, this.cursor, this.options.retryFailed === true, DISPATCH_PAGE)
      if (page.length < DISPATCH_PAGE) this.exhausted = true
      if (page.length > 0) this.cursor = page[page.length - 1]!.seq
      if (this.options.spec.mode === 'local') for (const p of page) if (isRunnable(p.item)) this.sources.expect(p.item.sourceKey)
      this.page = page.reverse()
    }
    const next = this.page.pop()
    if (!next) return undefined
    const { item, state } = next
    return { item, status: 'pending', attempts: state?.attempts ?? 0, startedAbsent: state !== undefined && state.status !== 'done' && state.status !== 'skipped' && state.absent }
  }

  private hasMore(): boolean {
    return this.page.length > 0 || !this.exhausted
  }

  private async append(record: Parameters<Journal['append']>[0]): Promise<void> {
    try {
      await this.journal!.append(record)
    } catch (error) {
      throw new JournalWriteError(error)
    }
  }

  private spawnWorkers(): void {
    if (!this.finishWorkers) return
    while (this.workers < this.slots && this.hasMore() && !this.controller.signal.aborted) {
      this.workers++
      void this.worker()
    }
  }

  private async worker(): Promise<void> {
    try {
      for (;;) {
        while (this.paused && !this.controller.signal.aborted) {
          if (this.inFlight === 0 && this.state_ === 'pausing') this.setState('paused')
          await new Promise<void>((resolve) => this.resumeWaiters.push(resolve))
        }
        if (this.controller.signal.aborted || this.workers > this.slots) break
        const slot = this.take()
        if (!slot) break
        this.inFlight++
        try {
          if (isRunnable(slot.item)) await this.runItem(slot)
          else await this.settleOrStop(slot, { failed: issueError(slot.item) })
        } finally {
          this.inFlight--
        }
        if (this.paused && this.inFlight === 0 && this.state_ === 'pausing') this.setState('paused')
      }
    } finally {
      this.workers--
      if (this.workers === 0 && (!this.hasMore() || this.controller.signal.aborted)) this.finishWorkers?.()
      else if (this.workers === 0) this.spawnWorkers()
    }
  }

  private async runItem(slot: Slot): Promise<void> {
    const job = this.controller.signal
    if (job.aborted) return
    // The item's own signal: the listeners its requests, the engine and backoff add stay on it.
    const own = new AbortController()
    const onAbort = () => own.abort(job.reason)
    job.addEventListener('abort', onAbort, { once: true })
    try {
      await this.runAttempts(slot, own.signal)
    } finally {
      job.removeEventListener('abort', onAbort)
      this.sources.release(slot.item.sourceKey)
    }
  }

  private async runAttempts(slot: Slot, signal: AbortSignal): Promise<void> {
    const { spec } = this.options
    for (let attemptInRun = 1; ; attemptInRun++) {
      const attempt = slot.attempts + 1
      let outcome: ItemOutcome
      try {
        outcome = await attemptItem({
          spec,
          item: slot.item,
          connect: this.connect,
          signal,
          startedAbsent: slot.startedAbsent,
          engine: this.engine,
          sources: spec.mode === 'local' ? this.sources : undefined,
          onStart: async (absent) => {
            slot.attempts = attempt
            await this.append({ t: 'start', item: slot.item.id, attempt, at: new Date().toISOString(), target: slot.item.targetKey, ...(absent ? { absent: true as const } : {}) })
            slot.startedAbsent = absent
          }
        })
      } catch (error) {
        if (error instanceof JournalWriteError) return this.stopFatal(error)
        // Cancelled: the item keeps its start record without an end, and is redone on resume.
        if (signal.aborted) return
        const failure = toItemError(error)
        slot.attempts = Math.max(slot.attempts, attempt)
        if (isThrottling(failure)) this.adaptive.onThrottled()
        if (failure.retryable && attemptInRun < this.policy.maxAttempts) {
          this.retries++
          this.throttle.request()
          try {
            await sleep(backoffDelay(attemptInRun, this.policy, this.options.random), signal)
          } catch {
            return
          }
          continue
        }
        return this.settleOrStop(slot, { failed: failure })
      }
      slot.attempts = Math.max(slot.attempts, attempt)
      if (this.adaptive.onSuccess()) this.spawnWorkers()
      return this.settleOrStop(slot, { outcome })
    }
  }

  private async settleOrStop(slot: Slot, result: { failed: ItemError } | { outcome: ItemOutcome }): Promise<void> {
    try {
      await this.settle(slot, result)
    } catch (error) {
      if (error instanceof JournalWriteError) this.stopFatal(error)
      else throw error
    }
  }

  private stopFatal(error: JournalWriteError): void {
    this.fatal ??= error
    this.controller.abort()
  }

  /** Journals the item's terminal record, then counts it. */
  private async settle(slot: Slot, result: { failed: ItemError } | { outcome: ItemOutcome }): Promise<void> {
    const at = new Date().toISOString()
    const { id, targetKey } = slot.item
    if ('failed' in result) {
      await this.append({ t: 'failed', item: id, attempt: slot.attempts, at, target: targetKey, error: result.failed })
      slot.status = 'failed'
      slot.error = result.failed
      this.counts.failed++
    } else if (result.outcome.status === 'skipped') {
      const attempt = Math.max(slot.attempts, 1)
      slot.attempts = attempt
      await this.append({ t: 'skipped', item: id, attempt, at, target: targetKey, reason: result.outcome.reason })
      slot.status = 'skipped'
      this.counts.skipped++
    } else {
      const { bytes, recovered } = result.outcome
      const attempt = Math.max(slot.attempts, 1)
      slot.attempts = attempt
      await this.append({ t: 'done', item: id, attempt, at, ...(bytes !== undefined ? { bytes } : {}), ...(recovered ? { recovered: true as const } : {}) })
      slot.status = 'done'
      slot.bytes = bytes
      slot.recovered = recovered
      slot.error = undefined
      this.counts.done++
      this.bytes += bytes ?? 0
    }
    this.rate.sample(this.counts.done + this.counts.skipped + this.counts.failed)
    this.options.onItem?.(toResult(slot))
    this.throttle.request()
  }
}
