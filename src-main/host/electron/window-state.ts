/**
 * Remembered window bounds: `<userData>/window-state.json`, written atomically (temp file +
 * rename) and debounced while the window moves, flushed synchronously when it closes (the process
 * may exit right after). On restore the bounds are clamped into the work area of the display they
 * overlap most — or centred on the primary display when they overlap none (a monitor was
 * unplugged) — so the window can never come back off-screen. Plain Node: no Electron import.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface WindowState {
  readonly bounds: Rect
  readonly maximized: boolean
}

export interface WindowSizeLimits {
  readonly width: number
  readonly height: number
  readonly minWidth: number
  readonly minHeight: number
}

export const WINDOW_STATE_FILE = 'window-state.json'

const isInt = (value: unknown, min: number, max: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max

/** Accepts only a well-formed state; anything else (hand-edited, truncated, old) is ignored. */
export function parseWindowState(value: unknown): WindowState | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { bounds, maximized } = value as { bounds?: unknown; maximized?: unknown }
  if (typeof bounds !== 'object' || bounds === null) return undefined
  const { x, y, width, height } = bounds as Record<string, unknown>
  const coordinate = 1_000_000
  if (!isInt(x, -coordinate, coordinate) || !isInt(y, -coordinate, coordinate)) return undefined
  if (!isInt(width, 1, coordinate) || !isInt(height, 1, coordinate)) return undefined
  return { bounds: { x, y, width, height }, maximized: maximized === true }
}

export function readWindowState(file: string): WindowState | undefined {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    return undefined
  }
}

/** Synchronous atomic write: used on close, when there is no later tick to finish an async one. */
export function writeWindowState(file: string, state: WindowState): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`)
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), Math.max(min, max))

function centred(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width)
  const h = Math.min(height, area.height)
  return { x: Math.round(area.x + (area.width - w) / 2), y: Math.round(area.y + (area.height - h) / 2), width: w, height: h }
}

/**
 * Where the window opens: the saved bounds moved and shrunk to lie wholly inside the work area of
 * the display they overlap most; centred on `primary` at the default size when nothing was saved
 * or the saved bounds are on no current display.
 */
export function restoreBounds(saved: WindowState | undefined, workAreas: readonly Rect[], primary: Rect, limits: WindowSizeLimits): Rect {
  if (saved === undefined) return centred(primary, limits.width, limits.height)
  let best: Rect | undefined
  let bestArea = 0
  for (const area of workAreas) {
    const covered = overlap(saved.bounds, area)
    if (covered > bestArea) {
      best = area
      bestArea = covered
    }
  }
  if (best === undefined) return centred(primary, saved.bounds.width, saved.bounds.height)
  const width = clamp(saved.bounds.width, Math.min(limits.minWidth, best.width), best.width)
  const height = clamp(saved.bounds.height, Math.min(limits.minHeight, best.height), best.height)
  return {
    x: clamp(saved.bounds.x, best.x, best.x + best.width - width),
    y: clamp(saved.bounds.y, best.y, best.y + best.height - height),
    width,
    height
  }
}

export interface WindowStateKeeper {
  /** Records the latest state and writes it after `debounceMs` of quiet. */
  schedule(state: WindowState): void
  /** Writes the pending (or given) state now. */
  flush(state?: WindowState): void
  /** Drops a pending write without writing. */
  cancel(): void
}

export function createWindowStateKeeper(options: {
  readonly file: string
  readonly debounceMs?: number
  readonly log?: (message: string) => void
  readonly write?: (file: string, state: WindowState) => void
}): WindowStateKeeper {
  const write = options.write ?? writeWindowState
  const debounceMs = options.debounceMs ?? 400
  let pending: WindowState | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const stopTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  const save = (): void => {
    stopTimer()
    const state = pending
    pending = undefined
    if (state === undefined) return
    try {
      write(options.file, state)
    } catch (error) {
      options.log?.(`window-state: could not save ${options.file}: ${(error as Error).message}`)
    }
  }
  return {
    schedule(state) {
      pending = state
      stopTimer()
      timer = setTimeout(save, debounceMs)
      timer.unref?.()
    },
    flush(state) {
      if (state !== undefined) pending = state
      save()
    },
    cancel() {
      stopTimer()
      pending = undefined
    }
  }
}
