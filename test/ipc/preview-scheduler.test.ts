/**
 * The renderer's live-preview scheduler (src-renderer/src/preview/scheduler.ts) against a fake
 * `preview:render`: interactive at once, coalescing while a render is in flight, the final render
 * after the debounce, latest wins, and what gets cancelled.
 */
import { describe, expect, it } from 'vitest'
import { createPreviewScheduler, type RenderQuality, type SchedulerFrame } from '../../src-renderer/src/preview/scheduler'

interface Call {
  readonly payload: string
  readonly quality: RenderQuality
  readonly signal: AbortSignal
  resolve(result: { quality: RenderQuality; payload: string }): void
  reject(error: unknown): void
}

function bed(settleMs = 100) {
  let now = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  let nextTimer = 1
  const calls: Call[] = []
  const frames: SchedulerFrame<string, { quality: RenderQuality; payload: string }>[] = []
  const errors: unknown[] = []
  const busy: boolean[] = []
  const scheduler = createPreviewScheduler<string, { quality: RenderQuality; payload: string }>({
    settleMs,
    render: (payload, quality, signal) =>
      new Promise((resolve, reject) => {
        calls.push({ payload, quality, signal, resolve, reject })
        signal.addEventListener('abort', () => reject(new Error('Cancelled')))
      }),
    qualityOf: (result) => result.quality,
    isCancelled: (error) => (error as Error).message === 'Cancelled',
    onFrame: (frame) => frames.push(frame),
    onError: (error) => errors.push(error),
    onBusy: (value) => busy.push(value),
    clock: {
      now: () => now,
      setTimeout: (fn, ms) => {
        const id = nextTimer++
        timers.set(id, { at: now + ms, fn })
        return id
      },
      clearTimeout: (id) => void timers.delete(id as number)
    }
  })
  const advance = async (ms: number) => {
    now += ms
    for (const [id, timer] of [...timers]) {
      if (timer.at <= now) {
        timers.delete(id)
        timer.fn()
      }
    }
    await Promise.resolve()
  }
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
  const request = (process: string, source = 'a.jpg') => ({ payload: `${source}|${process}`, sourceKey: source, key: `${source}|${process}` })
  return { scheduler, calls, frames, errors, busy, advance, flush, request }
}

describe('preview scheduler', () => {
  it('renders the first change at once, coalesces while in flight, then renders the newest final after the debounce', async () => {
    const t = bed()
    t.scheduler.update(t.request('bright,1'))
    expect(t.calls.map((c) => [c.payload, c.quality])).toEqual([['a.jpg|bright,1', 'interactive']])
    expect(t.busy).toEqual([true])
    // A slider keeps moving: nothing more is sent while the first render is in flight.
    for (let v = 2; v <= 5; v++) {
      await t.advance(16)
      t.scheduler.update(t.request(`bright,${v}`))
    }
    expect(t.calls).toHaveLength(1)
    expect(t.calls[0]!.signal.aborted).toBe(false)
    // Its answer is shown (a frame while the slider moves) and the newest is sent at once.
    t.calls[0]!.resolve({ quality: 'interactive', payload: t.calls[0]!.payload })
    await t.flush()
    expect(t.frames.map((f) => [f.request.payload, f.quality])).toEqual([['a.jpg|bright,1', 'interactive']])
    expect(t.calls.map((c) => [c.payload, c.quality])).toEqual([
      ['a.jpg|bright,1', 'interactive'],
      ['a.jpg|bright,5', 'interactive']
    ])
    // The debounce elapses while that render is in flight: the final waits for it.
    await t.advance(200)
    expect(t.calls).toHaveLength(2)
    t.calls[1]!.resolve({ quality: 'interactive', payload: t.calls[1]!.payload })
    await t.flush()
    expect(t.calls.map((c) => [c.payload, c.quality])[2]).toEqual(['a.jpg|bright,5', 'final'])
    t.calls[2]!.resolve({ quality: 'final', payload: t.calls[2]!.payload })
    await t.flush()
    expect(t.frames.map((f) => [f.request.payload, f.quality])).toEqual([
      ['a.jpg|bright,1', 'interactive'],
      ['a.jpg|bright,5', 'interactive'],
      ['a.jpg|bright,5', 'final']
    ])
    expect(t.busy).toEqual([true, false])
    expect(t.scheduler.stats).toMatchObject({ changes: 5, interactiveSent: 2, finalSent: 1, shown: 3, outdated: 1, superseded: 0, cancelled: 0 })
  })

  it('skips the final render when the interactive answer was already final; ignores an identical update', async () => {
    const t = bed()
    t.scheduler.update(t.request('resize,w_100'))
    t.calls[0]!.resolve({ quality: 'final', payload: t.calls[0]!.payload })
    await t.flush()
    await t.advance(500)
    expect(t.calls).toHaveLength(1)
    t.scheduler.update(t.request('resize,w_100'))
    expect(t.calls).toHaveLength(1)
    expect(t.busy).toEqual([true, false])
  })

  it('a change cancels the final render in flight; a new source cancels everything; an older answer is never shown', async () => {
    const t = bed()
    t.scheduler.update(t.request('p1'))
    t.calls[0]!.resolve({ quality: 'interactive', payload: 'a.jpg|p1' })
    await t.flush()
    await t.advance(150)
    expect(t.calls[1]).toMatchObject({ payload: 'a.jpg|p1', quality: 'final' })
    t.scheduler.update(t.request('p2'))
    expect(t.calls[1]!.signal.aborted).toBe(true)
    expect(t.calls[2]).toMatchObject({ payload: 'a.jpg|p2', quality: 'interactive' })

    t.scheduler.update(t.request('p2', 'b.jpg'))
    expect(t.calls[2]!.signal.aborted).toBe(true)
    expect(t.calls[3]).toMatchObject({ payload: 'b.jpg|p2', quality: 'interactive' })
    // A late answer of a cancelled render is ignored.
    t.calls[2]!.resolve({ quality: 'interactive', payload: 'a.jpg|p2' })
    await t.flush()
    expect(t.frames.map((f) => f.request.payload)).toEqual(['a.jpg|p1'])
    expect(t.scheduler.stats).toMatchObject({ cancelled: 2, superseded: 2, discarded: 0 })
  })

  it('finalOnly renders final at once; errors of the newest request are reported, older ones dropped', async () => {
    const t = bed()
    t.scheduler.update(t.request('p1'))
    t.scheduler.update(t.request('p1 detail'), { finalOnly: true })
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(t.calls[1]).toMatchObject({ payload: 'a.jpg|p1 detail', quality: 'final' })
    t.calls[1]!.reject(new Error('NoSuchKey'))
    await t.flush()
    expect(t.errors).toHaveLength(1)
    expect(t.busy.at(-1)).toBe(false)

    t.scheduler.update(t.request('p2'))
    t.scheduler.update(t.request('p3'))
    t.calls[2]!.reject(new Error('InvalidArgument'))
    await t.flush()
    // p2's error is outdated (p3 exists): not reported; p3 is sent now.
    expect(t.errors).toHaveLength(1)
    expect(t.calls[3]).toMatchObject({ payload: 'a.jpg|p3', quality: 'interactive' })
  })

  it('update(undefined) cancels everything and dispose stops all callbacks', async () => {
    const t = bed()
    t.scheduler.update(t.request('p1'))
    t.scheduler.update(undefined)
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(t.busy).toEqual([true, false])
    t.scheduler.update(t.request('p2'))
    t.scheduler.dispose()
    expect(t.calls[1]!.signal.aborted).toBe(true)
    await t.advance(1000)
    expect(t.calls).toHaveLength(2)
  })
})
