/**
 * History: every edit is one undo step; consecutive edits of one parameter coalesce within a
 * gesture (pointer down → up) or within 500 ms of typing; text edits are steps too; the process
 * string follows undo and redo.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { beginGesture, canonicalize, COALESCE_MS, dispatch, editText, endGesture, redo, resetEditor, undo, useEditor } from '../../src-renderer/src/state/editor'
import { getProcessString, setProcessString } from '../../src-renderer/src/state/process'
import { useStudio } from '../../src-renderer/src/state/store'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(() => new Promise(() => undefined)),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

const firstId = () => useEditor.getState().doc.items[0]!.id

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(1_000_000)
  resetEditor('image/resize,w_100')
})
afterEach(() => vi.useRealTimers())

describe('undo/redo', () => {
  it('undoes and redoes each structural edit as one step, with the string following', () => {
    dispatch({ type: 'add', action: 'rotate', params: { value: 90 } })
    dispatch({ type: 'add', action: 'format', params: { value: 'png' }, index: 0 })
    dispatch({ type: 'move', from: 0, to: 2 })
    expect(getProcessString()).toBe('image/resize,w_100/rotate,90/format,png')
    undo()
    expect(getProcessString()).toBe('image/format,png/resize,w_100/rotate,90')
    undo()
    undo()
    expect(getProcessString()).toBe('image/resize,w_100')
    undo() // nothing left
    expect(getProcessString()).toBe('image/resize,w_100')
    redo()
    redo()
    redo()
    expect(getProcessString()).toBe('image/resize,w_100/rotate,90/format,png')
    expect(useEditor.getState().future).toHaveLength(0)
  })

  it('a new edit after undo drops the redo branch', () => {
    dispatch({ type: 'add', action: 'rotate', params: { value: 90 } })
    undo()
    dispatch({ type: 'add', action: 'blur', params: { r: 1, s: 1 } })
    redo()
    expect(getProcessString()).toBe('image/resize,w_100/blur,r_1,s_1')
  })

  it('coalesces typing in one field within 500 ms, and starts a new step after a pause', () => {
    const id = firstId()
    for (const value of [1, 12, 120]) {
      dispatch({ type: 'setParam', id, param: 'w', value })
      vi.advanceTimersByTime(200)
    }
    expect(getProcessString()).toBe('image/resize,w_120')
    vi.advanceTimersByTime(COALESCE_MS + 1)
    dispatch({ type: 'setParam', id, param: 'w', value: 1200 })
    undo()
    expect(getProcessString()).toBe('image/resize,w_120')
    undo()
    expect(getProcessString()).toBe('image/resize,w_100')
  })

  it('does not coalesce edits of different parameters', () => {
    const id = firstId()
    dispatch({ type: 'setParam', id, param: 'w', value: 5 })
    dispatch({ type: 'setParam', id, param: 'h', value: 6 })
    undo()
    expect(getProcessString()).toBe('image/resize,w_5')
  })

  it('a slider drag (one gesture) is one step however long it lasts', () => {
    const id = firstId()
    beginGesture()
    for (let w = 101; w <= 140; w += 1) {
      dispatch({ type: 'setParam', id, param: 'w', value: w })
      vi.advanceTimersByTime(700) // slower than typing: still one gesture
    }
    endGesture()
    beginGesture()
    dispatch({ type: 'setParam', id, param: 'w', value: 300 })
    endGesture()
    expect(getProcessString()).toBe('image/resize,w_300')
    undo()
    expect(getProcessString()).toBe('image/resize,w_140')
    undo()
    expect(getProcessString()).toBe('image/resize,w_100')
  })
})

describe('the process string as the other way in', () => {
  it('typing rebuilds the pipeline when it parses, keeps the draft when it does not, and is undoable', () => {
    editText('image/resize,w_100/rot')
    expect(useEditor.getState().doc.items).toHaveLength(1)
    expect(useEditor.getState().draft).toBe('image/resize,w_100/rot')
    vi.advanceTimersByTime(100)
    editText('image/resize,w_100/rotate,9')
    expect(useEditor.getState().doc.items.map((i) => i.action)).toEqual(['resize', 'rotate'])
    expect(useEditor.getState().draft).toBeUndefined()
    // One step for the whole burst of typing.
    undo()
    expect(getProcessString()).toBe('image/resize,w_100')
    redo()
    expect(getProcessString()).toBe('image/resize,w_100/rotate,9')
  })

  it('keeps a valid but non-canonical text while typing and rewrites it canonically on commit', () => {
    editText('image/resize,h_50,w_100')
    expect(getProcessString()).toBe('image/resize,h_50,w_100')
    expect(useEditor.getState().doc.items[0]!.params).toEqual({ w: 100, h: 50 })
    canonicalize()
    expect(getProcessString()).toBe('image/resize,w_100,h_50')
  })

  it('setProcessString from anywhere (the preview, a preset) rebuilds the pipeline', () => {
    setProcessString('image/circle,r_50')
    expect(useEditor.getState().doc.items[0]).toMatchObject({ action: 'circle', params: { r: 50 } })
    // The legacy store field is kept in step both ways.
    expect(useStudio.getState().process).toBe('image/circle,r_50')
    useStudio.getState().setProcess('image/rotate,180')
    expect(useEditor.getState().doc.items[0]).toMatchObject({ action: 'rotate', params: { value: 180 } })
    expect(getProcessString()).toBe('image/rotate,180')
  })

  it('editing the string drops disabled items; a spelling-only change keeps them', () => {
    dispatch({ type: 'add', action: 'blur', params: { r: 2, s: 2 } })
    const blurId = useEditor.getState().doc.items[1]!.id
    dispatch({ type: 'toggle', id: blurId })
    expect(getProcessString()).toBe('image/resize,w_100')
    editText('image/resize,w_100 ') // not canonical, does not parse → draft, doc unchanged
    expect(useEditor.getState().doc.items).toHaveLength(2)
    vi.advanceTimersByTime(1000)
    editText('image/resize,w_200')
    expect(useEditor.getState().doc.items).toHaveLength(1)
  })
})

describe('an emptied string', () => {
  it('is an empty pipeline, and undo brings the steps back', () => {
    editText('')
    expect(useEditor.getState().doc.items).toEqual([])
    expect(getProcessString()).toBe('')
    undo()
    expect(getProcessString()).toBe('image/resize,w_100')
  })
})
