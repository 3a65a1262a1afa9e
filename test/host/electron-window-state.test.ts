/** Remembered window bounds (src-main/host/electron/window-state.ts): plain Node, no Electron. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { createWindowStateKeeper, parseWindowState, readWindowState, restoreBounds, writeWindowState, type Rect } from '../../src-main/host/electron/window-state'

const temps: string[] = []
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'oss-img-window-state-'))
  temps.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  vi.useRealTimers()
})

const limits = { width: 1280, height: 820, minWidth: 900, minHeight: 600 }
const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 }
const right: Rect = { x: 1920, y: 0, width: 1280, height: 1000 }
const state = (x: number, y: number, width: number, height: number) => ({ bounds: { x, y, width, height }, maximized: false })

describe('restoreBounds', () => {
  it('opens centred on the primary display at the default size when nothing was saved', () => {
    expect(restoreBounds(undefined, [primary], primary, limits)).toEqual({ x: 320, y: 110, width: 1280, height: 820 })
  })

  it('keeps bounds that are fully visible', () => {
    expect(restoreBounds(state(100, 50, 1000, 700), [primary, right], primary, limits)).toEqual({ x: 100, y: 50, width: 1000, height: 700 })
    expect(restoreBounds(state(2000, 100, 1000, 700), [primary, right], primary, limits)).toEqual({ x: 2000, y: 100, width: 1000, height: 700 })
  })

  it('moves partly off-screen bounds back inside the display they overlap most', () => {
    expect(restoreBounds(state(-300, -40, 1000, 700), [primary], primary, limits)).toEqual({ x: 0, y: 0, width: 1000, height: 700 })
    // Mostly on the right-hand display: moved to lie wholly on it.
    expect(restoreBounds(state(2900, 600, 1000, 700), [primary, right], primary, limits)).toEqual({ x: 2200, y: 300, width: 1000, height: 700 })
  })

  it('shrinks bounds larger than the display', () => {
    expect(restoreBounds(state(0, 0, 4000, 3000), [right], right, limits)).toEqual({ x: 1920, y: 0, width: 1280, height: 1000 })
  })

  it('centres on the primary display when the saved display is gone', () => {
    expect(restoreBounds(state(5000, 5000, 1000, 700), [primary], primary, limits)).toEqual({ x: 460, y: 170, width: 1000, height: 700 })
  })

  it('never goes below the minimum size unless the display is smaller', () => {
    expect(restoreBounds(state(0, 0, 200, 100), [primary], primary, limits)).toEqual({ x: 0, y: 0, width: 900, height: 600 })
    const tiny: Rect = { x: 0, y: 0, width: 800, height: 500 }
    expect(restoreBounds(state(0, 0, 1000, 700), [tiny], tiny, limits)).toEqual({ x: 0, y: 0, width: 800, height: 500 })
  })
})

describe('parse, read and write', () => {
  it('accepts only well-formed states', () => {
    expect(parseWindowState({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true })).toEqual({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true })
    for (const bad of [null, 1, 'x', {}, { bounds: null }, { bounds: { x: 1, y: 2, width: 0, height: 4 } }, { bounds: { x: 1.5, y: 2, width: 3, height: 4 } }, { bounds: { x: '1', y: 2, width: 3, height: 4 } }, { bounds: { x: 1e9, y: 2, width: 3, height: 4 } }]) {
      expect(parseWindowState(bad)).toBeUndefined()
    }
  })

  it('reads nothing from a missing or corrupt file', () => {
    const dir = tempDir()
    expect(readWindowState(join(dir, 'missing.json'))).toBeUndefined()
    writeFileSync(join(dir, 'corrupt.json'), '{"bounds": {"x": 1')
    expect(readWindowState(join(dir, 'corrupt.json'))).toBeUndefined()
  })

  it('writes atomically: the whole file or none, no temp files left behind', () => {
    const dir = tempDir()
    const file = join(dir, 'window-state.json')
    writeWindowState(file, state(1, 2, 300, 400))
    expect(readWindowState(file)).toEqual(state(1, 2, 300, 400))
    expect(readdirSync(dir)).toEqual(['window-state.json'])
    expect(() => writeWindowState(join(dir, 'no-such-dir', 'w.json'), state(1, 2, 3, 4))).toThrow()
    expect(readdirSync(dir)).toEqual(['window-state.json'])
  })
})

describe('createWindowStateKeeper', () => {
  it('debounces writes and keeps only the latest state', () => {
    vi.useFakeTimers()
    const write = vi.fn()
    const keeper = createWindowStateKeeper({ file: '/x.json', debounceMs: 400, write })
    keeper.schedule(state(1, 1, 100, 100))
    vi.advanceTimersByTime(300)
    keeper.schedule(state(2, 2, 100, 100))
    vi.advanceTimersByTime(300)
    expect(write).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(write).toHaveBeenCalledExactlyOnceWith('/x.json', state(2, 2, 100, 100))
  })

  it('flushes at once, and cancel drops a pending write', () => {
    vi.useFakeTimers()
    const write = vi.fn()
    const keeper = createWindowStateKeeper({ file: '/x.json', write })
    keeper.schedule(state(1, 1, 100, 100))
    keeper.flush()
    expect(write).toHaveBeenCalledOnce()
    vi.advanceTimersByTime(10_000)
    expect(write).toHaveBeenCalledOnce()
    keeper.schedule(state(3, 3, 100, 100))
    keeper.cancel()
    vi.advanceTimersByTime(10_000)
    expect(write).toHaveBeenCalledOnce()
    keeper.flush()
    expect(write).toHaveBeenCalledOnce()
  })

  it('logs a failed write instead of throwing', () => {
    const logs: string[] = []
    const keeper = createWindowStateKeeper({ file: join(tempDir(), 'missing', 'w.json'), log: (line) => logs.push(line) })
    expect(() => keeper.flush(state(1, 1, 100, 100))).not.toThrow()
    expect(logs[0]).toMatch(/could not save/)
  })
})
