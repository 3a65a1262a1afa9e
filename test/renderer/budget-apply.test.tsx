/** "Apply" of a byte-budget row: the pipeline's format and quality steps replaced, as one undo step. */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { withBudget } from '../../src-renderer/src/budget/apply'
import { dispatch, resetEditor, undo, useEditor } from '../../src-renderer/src/state/editor'
import { getProcessString } from '../../src-renderer/src/state/process'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(() => new Promise(() => undefined)),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

beforeEach(() => resetEditor('image/format,png/resize,w_720/quality,q_80/interlace,1'))

describe('withBudget', () => {
  it('replaces format and quality with format,F/quality,Q_n, keeps the rest, and undoes in one step', () => {
    dispatch({ type: 'replaceAll', doc: withBudget(useEditor.getState().doc, 'webp', 57) })
    expect(getProcessString()).toBe('image/resize,w_720/interlace,1/format,webp/quality,Q_57')
    undo()
    expect(getProcessString()).toBe('image/format,png/resize,w_720/quality,q_80/interlace,1')
  })
})
