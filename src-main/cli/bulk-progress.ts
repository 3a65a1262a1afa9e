/**
 * `oss-img bulk` progress on stderr: a one-line bar redrawn in place on a TTY, plain lines
 * (at most one a second, plus the last) otherwise. Item failures get their own line either way.
 */
import type { ItemResult, JobProgress } from '../services/jobs'

export interface ProgressOutput {
  readonly isTTY?: boolean | undefined
  readonly columns?: number | undefined
  write(text: string): unknown
}

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?'
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

export function progressText(p: JobProgress): string {
  const finished = p.done + p.skipped + p.failed
  // Throttling shows as the lowered limit on items in flight, so a slow run explains itself.
  const throttled = p.throttled > 0 ? `, throttled ${p.throttled}× → ${p.concurrency} in flight` : ''
  return `${finished}/${p.total} (done ${p.done}, skipped ${p.skipped}, failed ${p.failed}${p.retries ? `, retries ${p.retries}` : ''}${throttled}) ${p.rate.toFixed(1)}/s ETA ${duration(p.etaSeconds)}`
}

export function failureText(result: ItemResult): string {
  const e = result.error
  const what = e ? `${e.status} ${e.code}${e.ec ? ` EC ${e.ec}` : ''}: ${e.message}` : 'failed'
  return `failed: ${result.sourceKey} [${result.style}] → ${result.targetKey} after ${result.attempts} attempt(s): ${what}`
}

export class ProgressReporter {
  private lastPlain = 0
  private barShown = false

  constructor(
    private readonly out: ProgressOutput,
    private readonly plainIntervalMs = 1000
  ) {}

  get tty(): boolean {
    return this.out.isTTY === true
  }

  progress(p: JobProgress, final = false): void {
    if (p.state === 'planning') {
      const text = `listing the source… ${p.total} selected`
      if (this.tty) {
        this.out.write(`\r\x1b[2K${text}`)
        this.barShown = true
      } else if (performance.now() - this.lastPlain >= this.plainIntervalMs) {
        this.lastPlain = performance.now()
        this.out.write(`bulk: ${text}\n`)
      }
      return
    }
    if (this.tty) {
      const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - 70))
      const finished = p.done + p.skipped + p.failed
      const ratio = p.total > 0 ? finished / p.total : 1
      const filled = Math.round(ratio * width)
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${progressText(p)}`
      this.out.write(`\r\x1b[2K${bar}${final ? '\n' : ''}`)
      this.barShown = !final
      return
    }
    const now = performance.now()
    if (!final && now - this.lastPlain < this.plainIntervalMs) return
    this.lastPlain = now
    this.out.write(`bulk: ${p.state} ${progressText(p)}\n`)
  }

  /** A line of its own (failures, notes), above the bar on a TTY. */
  line(text: string): void {
    if (this.tty && this.barShown) this.out.write('\r\x1b[2K')
    this.out.write(`${text}\n`)
    this.barShown = false
  }
}
