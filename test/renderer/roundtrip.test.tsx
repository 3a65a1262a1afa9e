/**
 * @vitest-environment happy-dom
 *
 * The process string and the pipeline, both ways, through the UI: typing rebuilds the list,
 * pipeline edits rewrite the string canonically, a parse error keeps the pipeline and highlights
 * its span, Copy, and undo/redo from the keyboard.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useMemo } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isImgError } from '../../src-shared/img/errors'
import { parseProcess } from '../../src-shared/img/process'
import type { ErrorInfo } from '../../src-shared/ipc/contract'
import { EditorPanel } from '../../src-renderer/src/editor/EditorPanel'
import { ProcessStringBox } from '../../src-renderer/src/editor/ProcessStringBox'
import { resetEditor } from '../../src-renderer/src/state/editor'
import { getProcessString, setProcessString, useProcessString } from '../../src-renderer/src/state/process'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(() => new Promise(() => undefined)),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

/** What the preview panel does: the box shows the shared string and the parser's error. */
function Studio() {
  const text = useProcessString()
  const error = useMemo((): ErrorInfo | undefined => {
    try {
      parseProcess(text)
      return undefined
    } catch (e) {
      return isImgError(e) ? { code: e.code, message: e.message, ...(e.span ? { span: e.span } : {}) } : undefined
    }
  }, [text])
  return (
    <>
      <ProcessStringBox value={text} onChange={setProcessString} error={error} />
      <EditorPanel />
    </>
  )
}

const box = () => screen.getByRole('textbox', { name: 'Process string' }) as HTMLTextAreaElement
const rows = () => within(screen.getByRole('list', { name: 'Pipeline' })).queryAllByRole('listitem')
const actions = () => rows().map((r) => r.getAttribute('data-action'))

beforeEach(() => {
  cleanup()
  resetEditor('image/resize,w_640/quality,q_80')
  render(<Studio />)
})
afterEach(() => cleanup())

describe('string → pipeline', () => {
  it('typing rebuilds the pipeline as soon as the text parses', async () => {
    expect(actions()).toEqual(['resize', 'quality'])
    await userEvent.type(box(), '/rotate,90')
    expect(actions()).toEqual(['resize', 'quality', 'rotate'])
    expect(screen.getByRole('button', { name: /^rotate 90°/ })).toBeTruthy()
  })

  it('a parse error highlights the span and keeps the last valid pipeline', async () => {
    await userEvent.clear(box())
    await userEvent.type(box(), 'image/resize,w_640/blur,r_99')
    expect(screen.getByTestId('error-span').textContent).toBe('r_99')
    expect(box().getAttribute('aria-invalid')).toBe('true')
    expect(actions()).toEqual(['resize'])
    expect(screen.getByText(/The process string has an error/)).toBeTruthy()
  })

  it('leaving the box rewrites a valid string canonically', async () => {
    await userEvent.clear(box())
    await userEvent.type(box(), 'image/resize,h_10,w_20,m_pad')
    expect(box().value).toBe('image/resize,h_10,w_20,m_pad')
    fireEvent.blur(box())
    expect(box().value).toBe('image/resize,m_pad,w_20,h_10')
  })

  it('a trailing comma or slash is accepted, and leaving the box drops it (issue 17 §3)', async () => {
    await userEvent.clear(box())
    await userEvent.type(box(), 'image/resize,w_20,/rotate,90,/')
    expect(box().getAttribute('aria-invalid')).not.toBe('true')
    expect(actions()).toEqual(['resize', 'rotate'])
    fireEvent.blur(box())
    expect(box().value).toBe('image/resize,w_20/rotate,90')
  })

  it('a preset replaces the pipeline; a style shows as a note', async () => {
    await userEvent.click(screen.getByRole('button', { name: 'Circle avatar' }))
    expect(actions()).toEqual(['resize', 'circle', 'format'])
    await userEvent.click(screen.getByRole('button', { name: 'style/thumb' }))
    expect(actions()).toEqual([])
    expect(screen.getByText(/uses the named style/)).toBeTruthy()
  })
})

describe('pipeline → string', () => {
  it('palette click, toggle, duplicate and remove rewrite the string canonically', async () => {
    const palette = screen.getByRole('region', { name: 'Actions' })
    await userEvent.click(within(palette).getByRole('button', { name: 'rotate' }))
    expect(box().value).toBe('image/resize,w_640/quality,q_80/rotate,90')
    await userEvent.click(screen.getByRole('switch', { name: 'Enable quality' }))
    expect(box().value).toBe('image/resize,w_640/rotate,90')
    expect(screen.getByTestId('disabled-hint').textContent).toContain('1 disabled step is not in the string')
    expect(screen.getByTestId('disabled-hint').getAttribute('title')).toContain('dropped')
    await userEvent.click(screen.getByRole('button', { name: 'Duplicate resize' }))
    expect(box().value).toBe('image/resize,w_640/resize,w_640/rotate,90')
    await userEvent.click(screen.getAllByRole('button', { name: 'Remove resize' })[0]!)
    await userEvent.click(screen.getByRole('button', { name: 'Remove rotate' }))
    expect(box().value).toBe('image/resize,w_640')
    expect(rows()).toHaveLength(2) // the disabled quality stays in the document
  })

  it('all palette entries are buttons named exactly after their OSS action', () => {
    const names = within(screen.getByRole('region', { name: 'Actions' }))
      .getAllByRole('button')
      .map((b) => b.textContent)
    expect(names.sort()).toEqual(
      ['auto-orient', 'average-hue', 'blur', 'bright', 'circle', 'contrast', 'crop', 'format', 'ignore-error', 'indexcrop', 'info', 'interlace', 'quality', 'resize', 'rotate', 'rounded-corners', 'sharpen', 'watermark'].sort()
    )
  })

  it('Copy puts the string on the clipboard', async () => {
    const writeText = vi.fn(() => Promise.resolve())
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    await userEvent.click(screen.getByRole('button', { name: 'Copy process string' }))
    expect(writeText).toHaveBeenCalledWith('image/resize,w_640/quality,q_80')
    expect(await screen.findByText('Copied')).toBeTruthy()
  })
})

describe('history from the keyboard', () => {
  it('Ctrl/Cmd+Z undoes and Shift+Ctrl/Cmd+Z (or Ctrl+Y) redoes every edit', async () => {
    const palette = screen.getByRole('region', { name: 'Actions' })
    await userEvent.click(within(palette).getByRole('button', { name: 'blur' }))
    await userEvent.click(screen.getByRole('button', { name: 'Remove resize' }))
    expect(getProcessString()).toBe('image/quality,q_80/blur,r_5,s_5')
    act(() => void fireEvent.keyDown(window, { key: 'z', ctrlKey: true }))
    expect(getProcessString()).toBe('image/resize,w_640/quality,q_80/blur,r_5,s_5')
    act(() => void fireEvent.keyDown(window, { key: 'z', metaKey: true }))
    expect(box().value).toBe('image/resize,w_640/quality,q_80')
    act(() => void fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true }))
    expect(box().value).toBe('image/resize,w_640/quality,q_80/blur,r_5,s_5')
    act(() => void fireEvent.keyDown(window, { key: 'y', ctrlKey: true }))
    expect(box().value).toBe('image/quality,q_80/blur,r_5,s_5')
    expect((screen.getByRole('button', { name: 'Redo' }) as HTMLButtonElement).disabled).toBe(true)
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(box().value).toBe('image/resize,w_640/quality,q_80/blur,r_5,s_5')
  })
})
