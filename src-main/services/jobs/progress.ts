/**
 * Progress bookkeeping: the rate of finished items over a sliding window (5 s), the ETA at that
 * rate, and a throttle so listeners get at most one event per interval (default 250 ms) plus one
 * at every state change and at the end.
 */

export const DEFAULT_PROGRESS_INTERVAL_MS = 250
const WINDOW_MS = 5_000

export class RateMeter {
  private readonly samples: { at: number; count: number }[] = []

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Record the running total of finished items. */
  sample(count: number): void {
    const at = this.now()
    this.samples.push({ at, count })
    while (this.samples.length > 2 && this.samples[1]!.at <= at - WINDOW_MS) this.samples.shift()
  }

  /** Items per second over the window (0 until two samples are at least 200 ms apart). */
  rate(): number {
    const first = this.samples[0]
    const last = this.samples[this.samples.length - 1]
    if (!first || !last || last.at - first.at < 200) return 0
    return ((last.count - first.count) * 1000) / (last.at - first.at)
  }
}

/** Calls `emit` at most once per `intervalMs`; `flush()` emits now (state changes, the end). */
export class Throttle {
  private timer: NodeJS.Timeout | undefined
  private last = -Infinity

  constructor(
    private readonly intervalMs: number,
    private readonly emit: () => void
  ) {}

  request(): void {
    if (this.timer) return
    const wait = this.last + this.intervalMs - performance.now()
    if (wait <= 0) {
      this.fire()
      return
    }
    this.timer = setTimeout(() => this.fire(), wait)
    this.timer.unref?.()
  }

  flush(): void {
    this.fire()
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  private fire(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.last = performance.now()
    this.emit()
  }
}
