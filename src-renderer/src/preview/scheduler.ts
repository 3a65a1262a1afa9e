/**
 * The live-preview scheduler: turns a stream of requests (every slider tick, every keystroke) into
 * `preview:render` calls, latest wins. Pure TypeScript (no DOM, no React): the preview hook uses it
 * with the IPC client, the benchmark with a WebSocket client, the tests with a fake.
 *
 * Policy (architecture rule 5, issue §4):
 *
 * - The first change renders at once, `interactive` (main may use its cached proxy). While that
 *   render is in flight, further changes are coalesced: only the newest waits, and it is sent the
 *   moment the render in flight answers. So frames keep coming while a slider moves — one render
 *   per round trip — and a frame is never more than about two renders behind the slider.
 * - Once changes stop for `settleMs` (the debounce), the newest request is rendered `final` (full
 *   resolution: the numbers shown come only from final answers), unless its interactive answer was
 *   already final (main renders small sources at full resolution anyway).
 * - Cancellation: a change cancels a final render in flight (it is for an older string); a
 *   different source cancels everything; an answer makes every older render still in flight
 *   useless, so those are cancelled too. Cancelling aborts the request's signal, which reaches main
 *   and stops the engine at its next step.
 * - Latest wins: an answer older than the frame on screen is never shown; a final answer replaces
 *   the interactive frame of the same request. The last frame stays up until a newer one arrives.
 */

export type RenderQuality = 'interactive' | 'final'

export interface ScheduledRequest<P> {
  /** What is rendered (source + process + transport size); passed to `render` as is. */
  readonly payload: P
  /** Identity of the source: a different one cancels everything in flight. */
  readonly sourceKey: string
  /** Identity of the whole request, so an identical update is ignored. */
  readonly key: string
}

export interface SchedulerFrame<P, R> {
  readonly seq: number
  readonly request: ScheduledRequest<P>
  readonly asked: RenderQuality
  /** The answer's own quality (`final` when main rendered at full resolution anyway). */
  readonly quality: RenderQuality
  readonly result: R
}

export interface SchedulerStats {
  /** Requests handed to `update` (changes). */
  changes: number
  /** Renders sent, by quality asked. */
  interactiveSent: number
  finalSent: number
  /** Answers received / shown. */
  answered: number
  shown: number
  /** Shown although a newer change existed when they answered: the newest frame there was (kept on purpose). */
  outdated: number
  /** Renders made useless — their answer could never be shown (a final for an older string, another source, an older render once a newer one answered). */
  superseded: number
  /** …of which cancelled before they answered (their signal aborted, reaching main). */
  cancelled: number
  /** …of which answered anyway and were dropped. */
  discarded: number
  failed: number
}

export interface SchedulerOptions<P, R> {
  /** One render; must reject when `signal` aborts. */
  render(payload: P, quality: RenderQuality, signal: AbortSignal): Promise<R>
  /** The quality of an answer (main may answer `final` to an interactive request). */
  qualityOf(result: R): RenderQuality
  onFrame(frame: SchedulerFrame<P, R>): void
  onError(error: unknown, seq: number, request: ScheduledRequest<P>): void
  /** Whether anything for the newest request is still coming (interactive or final). */
  onBusy?(busy: boolean): void
  /** Debounce before the final render (ms). */
  readonly settleMs?: number
  /** false: no automatic final render after the debounce (interactive answers are enough); asked each time. */
  autoFinal?(): boolean
  /** Interactive renders in flight at once (1: one per round trip; 2 overlaps two on two cores). */
  readonly maxInFlight?: number
  /** True for errors that mean "cancelled" (not shown). */
  isCancelled?(error: unknown): boolean
  readonly clock?: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void }
}

interface InFlight<P> {
  readonly seq: number
  readonly request: ScheduledRequest<P>
  readonly quality: RenderQuality
  readonly controller: AbortController
}

export interface PreviewScheduler<P> {
  /** A new request (or `undefined`: nothing to render; cancels everything). `finalOnly` skips the interactive pass (e.g. a bigger transport size for zooming in). */
  update(request: ScheduledRequest<P> | undefined, options?: { finalOnly?: boolean }): void
  /** Cancels everything; no callbacks afterwards. */
  dispose(): void
  readonly stats: Readonly<SchedulerStats>
  /** The sequence number of the newest request. */
  readonly latestSeq: number
}

export const DEFAULT_SETTLE_MS = 120

export function createPreviewScheduler<P, R>(options: SchedulerOptions<P, R>): PreviewScheduler<P> {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS
  const maxInFlight = Math.max(1, options.maxInFlight ?? 1)
  const clock = options.clock ?? { now: () => performance.now(), setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>) }
  const stats: SchedulerStats = { changes: 0, interactiveSent: 0, finalSent: 0, answered: 0, shown: 0, outdated: 0, superseded: 0, cancelled: 0, discarded: 0, failed: 0 }

  let seq = 0
  let latest: { seq: number; request: ScheduledRequest<P> } | undefined
  /** The newest request waiting for the interactive render in flight to answer. */
  let pending = false
  /** The frame on screen: its seq and whether it was final. */
  let shownSeq = 0
  let shownFinal = false
  /** The newest request has its final answer (or an error): nothing more to render for it. */
  let settled = true
  /** The debounce elapsed: the final render may start. */
  let wantFinal = false
  let timer: unknown
  let disposed = false
  let busy = false
  const inFlight = new Set<InFlight<P>>()

  const setBusy = () => {
    const next = !disposed && latest !== undefined && !settled
    if (next !== busy) {
      busy = next
      options.onBusy?.(busy)
    }
  }

  const cancel = (flight: InFlight<P>) => {
    inFlight.delete(flight)
    stats.cancelled += 1
    stats.superseded += 1
    flight.controller.abort()
  }

  const start = (quality: RenderQuality) => {
    if (!latest) return
    const flight: InFlight<P> = { seq: latest.seq, request: latest.request, quality, controller: new AbortController() }
    inFlight.add(flight)
    if (quality === 'interactive') stats.interactiveSent += 1
    else stats.finalSent += 1
    options.render(flight.request.payload, quality, flight.controller.signal).then(
      (result) => answered(flight, result),
      (error: unknown) => failed(flight, error)
    )
  }

  const interactiveInFlight = () => [...inFlight].some((f) => f.quality === 'interactive')
  const interactiveRoom = () => [...inFlight].filter((f) => f.quality === 'interactive').length < maxInFlight
  /** Sends the waiting newest request when there is room (only if nothing in flight is already for it). */
  const sendPending = () => {
    if (!pending || !latest || !interactiveRoom()) return
    pending = false
    if (![...inFlight].some((f) => f.seq === latest!.seq)) start('interactive')
  }

  const autoFinal = () => options.autoFinal?.() ?? true

  const maybeFinal = () => {
    if (!latest || settled || !wantFinal || !autoFinal() || interactiveInFlight() || pending) return
    if ([...inFlight].some((f) => f.quality === 'final' && f.seq === latest!.seq)) return
    start('final')
  }

  const answered = (flight: InFlight<P>, result: R) => {
    if (disposed || !inFlight.delete(flight)) return
    stats.answered += 1
    const quality = options.qualityOf(result)
    const newer = flight.seq > shownSeq || (flight.seq === shownSeq && quality === 'final' && !shownFinal)
    if (newer) {
      shownSeq = flight.seq
      shownFinal = quality === 'final'
      stats.shown += 1
      if (latest && flight.seq < latest.seq) stats.outdated += 1
      options.onFrame({ seq: flight.seq, request: flight.request, asked: flight.quality, quality, result })
    } else {
      stats.superseded += 1
      stats.discarded += 1
    }
    // Everything older still in flight can no longer be shown.
    for (const other of [...inFlight]) if (other.seq < flight.seq) cancel(other)
    if (latest && flight.seq === latest.seq && (quality === 'final' || (flight.quality === 'interactive' && !autoFinal()))) settled = true
    sendPending()
    maybeFinal()
    setBusy()
  }

  const failed = (flight: InFlight<P>, error: unknown) => {
    if (disposed || !inFlight.delete(flight)) return
    if (options.isCancelled?.(error)) return
    stats.failed += 1
    if (latest && flight.seq < latest.seq) {
      // An error for an outdated string: not shown.
    } else {
      // The newest request failed (interactive failures come from the full-resolution run: final).
      settled = true
      options.onError(error, flight.seq, flight.request)
    }
    sendPending()
    maybeFinal()
    setBusy()
  }

  return {
    get stats() {
      return stats
    },
    get latestSeq() {
      return latest?.seq ?? 0
    },
    update(request, updateOptions = {}) {
      if (disposed) return
      if (request && latest && request.key === latest.request.key && !updateOptions.finalOnly) return
      stats.changes += 1
      if (timer !== undefined) clock.clearTimeout(timer)
      timer = undefined
      const sourceChanged = !request || !latest || request.sourceKey !== latest.request.sourceKey
      seq += 1
      latest = request ? { seq, request } : undefined
      pending = false
      settled = !request
      wantFinal = false
      // A final for an older request, or anything for another source, is no use any more.
      for (const flight of [...inFlight]) if (sourceChanged || flight.quality === 'final') cancel(flight)
      if (request) {
        if (updateOptions.finalOnly) {
          wantFinal = true
          for (const flight of [...inFlight]) cancel(flight)
          start('final')
        } else {
          if (interactiveRoom()) start('interactive')
          else pending = true
          timer = clock.setTimeout(() => {
            timer = undefined
            wantFinal = true
            maybeFinal()
          }, settleMs)
        }
      }
      setBusy()
    },
    dispose() {
      disposed = true
      if (timer !== undefined) clock.clearTimeout(timer)
      for (const flight of [...inFlight]) {
        inFlight.delete(flight)
        flight.controller.abort()
      }
      latest = undefined
    }
  }
}
