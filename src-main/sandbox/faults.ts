/**
 * Fault injection for tests: off unless `faults` is given. Rates are applied deterministically
 * (error diffusion: with failRate 0.25 exactly every 4th request fails), so tests need no seed
 * and no tolerance bands. Failures alternate 500 InternalError and 503 SlowDown.
 */
export interface FaultOptions {
  /** Fraction of requests answered 500 InternalError / 503 SlowDown (alternating), 0–1. */
  failRate?: number
  /** Milliseconds added before every request is handled. */
  latencyMs?: number
  /** Fraction of requests whose connection is destroyed before any response, 0–1. */
  dropRate?: number
}

export type FaultAction = 'none' | 'drop' | 'internal-error' | 'slow-down'

export class FaultInjector {
  readonly latencyMs: number
  private readonly failRate: number
  private readonly dropRate: number
  private failCredit = 0
  private dropCredit = 0
  private failures = 0

  constructor(options: FaultOptions = {}) {
    this.failRate = rate(options.failRate, 'failRate')
    this.dropRate = rate(options.dropRate, 'dropRate')
    const latency = options.latencyMs ?? 0
    if (!Number.isFinite(latency) || latency < 0) throw new RangeError('faults.latencyMs must be a non-negative number')
    this.latencyMs = latency
  }

  get enabled(): boolean {
    return this.failRate > 0 || this.dropRate > 0 || this.latencyMs > 0
  }

  /** What to do with the next request (drops are decided before failures). */
  next(): FaultAction {
    this.dropCredit += this.dropRate
    if (this.dropCredit >= 1 - 1e-9) {
      this.dropCredit -= 1
      return 'drop'
    }
    this.failCredit += this.failRate
    if (this.failCredit >= 1 - 1e-9) {
      this.failCredit -= 1
      return this.failures++ % 2 === 0 ? 'internal-error' : 'slow-down'
    }
    return 'none'
  }
}

function rate(value: number | undefined, name: string): number {
  const r = value ?? 0
  if (!Number.isFinite(r) || r < 0 || r > 1) throw new RangeError(`faults.${name} must be between 0 and 1`)
  return r
}
