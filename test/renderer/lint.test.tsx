/**
 * @vitest-environment happy-dom
 *
 * The style linter in the editor (editor/LintFindings.tsx, editor/lint.ts): the "Lint findings"
 * list under the process string, the note beside the step, the source facts the preview reports,
 * and a fix applied as one undoable edit.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LintFindings, StepLint } from '../../src-renderer/src/editor/LintFindings'
import { setLintSource, useLintFindings } from '../../src-renderer/src/editor/lint'
import { resetEditor, undo, useEditor } from '../../src-renderer/src/state/editor'
import { getProcessString } from '../../src-renderer/src/state/process'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(() => new Promise(() => undefined)),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

/** The step notes as EditorPanel renders them: each item's own findings. */
function Steps() {
  const findings = useLintFindings()
  const items = useEditor((s) => s.doc.items)
  return (
    <ol>
      {items.map((item) => (
        <li key={item.id} aria-label={`step ${item.action}`}>
          <StepLint findings={findings.filter((f) => f.itemId === item.id)} />
        </li>
      ))}
    </ol>
  )
}

beforeEach(() => {
  cleanup()
  setLintSource(undefined)
  resetEditor('image/resize,w_200/circle,r_80/format,jpg')
})
afterEach(() => cleanup())

describe('lint findings in the editor', () => {
  it('lists the findings in a region named "Lint findings" and beside their step', () => {
    render(
      <>
        <LintFindings />
        <Steps />
      </>
    )
    const region = screen.getByRole('region', { name: 'Lint findings' })
    const items = within(region).getAllByRole('listitem')
    expect(items).toHaveLength(1)
    expect(items[0]!.textContent).toContain('circle-on-jpeg')
    expect(items[0]!.textContent).toContain('Step 2')
    // Beside the circle step, not the resize step.
    expect(within(screen.getByRole('listitem', { name: 'step circle' })).getByRole('button', { name: 'Fix: circle-on-jpeg at step 2' })).toBeTruthy()
    expect(within(screen.getByRole('listitem', { name: 'step resize' })).queryByRole('button')).toBeNull()
  })

  it('applies a fix as one undoable edit', () => {
    render(<LintFindings />)
    fireEvent.click(screen.getByRole('button', { name: 'Fix: circle-on-jpeg' }))
    expect(getProcessString()).toBe('image/resize,w_200/circle,r_80/format,png')
    expect(screen.queryByRole('region', { name: 'Lint findings' })).toBeNull()
    act(() => undo())
    expect(getProcessString()).toBe('image/resize,w_200/circle,r_80/format,jpg')
    expect(screen.getByRole('button', { name: 'Fix: circle-on-jpeg' })).toBeTruthy()
  })

  it('uses the source the preview reports: size rules fire only once it is known', () => {
    act(() => resetEditor('image/resize,w_800/quality,q_80'))
    render(<LintFindings />)
    const ids = () => screen.queryAllByRole('listitem').map((li) => li.getAttribute('data-lint-id'))
    // Unknown source: q_ is a guess, the enlargement cannot be seen.
    expect(ids()).toEqual(['relative-quality'])
    act(() => setLintSource({ width: 400, height: 267, format: 'jpg', quality: 85, orientation: undefined }))
    expect(ids()).toEqual(['upscale-blocked'])
    act(() => setLintSource({ width: 400, height: 267, format: 'png', quality: undefined, orientation: undefined }))
    expect(ids().sort()).toEqual(['quality-no-effect', 'relative-quality', 'upscale-blocked'])
  })

  it('judges auto-orient,0 on the stored size: the preview reports the turned one with its EXIF orientation', () => {
    // Stored 1200x800 with orientation 6: the preview shows (and reports) 800x1200.
    const ids = () => screen.queryAllByRole('listitem').map((li) => li.getAttribute('data-lint-id'))
    act(() => resetEditor('image/resize,w_1000'))
    render(<LintFindings />)
    act(() => setLintSource({ width: 800, height: 1200, format: 'jpg', quality: 85, orientation: 6 }))
    expect(ids()).toEqual(['upscale-blocked'])
    act(() => resetEditor('image/auto-orient,0/resize,w_1000'))
    expect(ids()).toEqual([])
  })

  it('keeps |sys/saveas in the fixed string', () => {
    act(() => resetEditor('image/circle,r_80/format,jpg|sys/saveas,o_b3V0LnBuZw'))
    render(<LintFindings />)
    fireEvent.click(screen.getByRole('button', { name: 'Fix: circle-on-jpeg' }))
    expect(getProcessString()).toBe('image/circle,r_80/format,png|sys/saveas,o_b3V0LnBuZw')
  })

  it('shows nothing for a string that does not parse', () => {
    act(() => resetEditor('image/resize,w_0/format,jpg/circle,r_5'))
    render(<LintFindings />)
    expect(screen.queryByRole('region', { name: 'Lint findings' })).toBeNull()
  })
})
