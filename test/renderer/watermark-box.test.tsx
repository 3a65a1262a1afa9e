/**
 * @vitest-environment happy-dom
 *
 * The watermark box on the preview (preview/watermark/WatermarkLayer.tsx): drawn at the engine's
 * rectangle; a drag re-anchors the step (nearest gravity, offsets inward) and is one undo step;
 * arrow keys nudge 1 px / Shift 10 px keeping the gravity; the corner handle scales a text mark's
 * size and an image mark's P; the rotate handle turns the text.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WatermarkLayer } from '../../src-renderer/src/preview/watermark/WatermarkLayer'
import type { PlacedMark } from '../../src-renderer/src/preview/watermark/model'
import { resetEditor, undo, redo, useEditor } from '../../src-renderer/src/state/editor'
import { getProcessString } from '../../src-renderer/src/state/process'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(() => new Promise(() => undefined)),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

// A 60 × 20 block on a 300 × 240 result, anchored se with x_10, y_10: top-left at (230, 210).
const MARK: PlacedMark = { step: 1, x: 230, y: 210, width: 60, height: 20, placed: { frameWidth: 300, frameHeight: 240, left: 230, top: 210, width: 60, height: 20 }, turned: false }
// Drawn at 2 CSS px per output px, 5 px from the stage's corner.
const RECT = { left: 5, top: 5, width: 600, height: 480, scale: 2 }
const TEXT = 'image/resize,w_300/watermark,text_T1NT,g_se,x_10,y_10'

const params = () => useEditor.getState().doc.items[1]!.params

function show(process: string, mark: PlacedMark = MARK) {
  resetEditor(process)
  render(<WatermarkLayer rect={RECT} marks={[mark]} current />)
  return screen.getByRole('slider', { name: 'Watermark position' })
}

beforeEach(() => cleanup())
afterEach(() => cleanup())

describe('watermark box', () => {
  it('sits on the engine’s rectangle and announces the placement', () => {
    const box = show(TEXT)
    expect(box.style.left).toBe(`${5 + 230 * 2}px`)
    expect(box.style.top).toBe(`${5 + 210 * 2}px`)
    expect(box.style.width).toBe('120px')
    expect(box.getAttribute('aria-valuetext')).toBe('g_se x_10 y_10')
  })

  it('a drag re-anchors to the nearest gravity, live, with guides; undo takes the whole drag back', () => {
    const box = show(TEXT)
    fireEvent.pointerDown(box, { pointerId: 1, button: 0, clientX: 500, clientY: 440 })
    expect(screen.getByTestId('watermark-guides')).toBeTruthy()
    // 60 output px left: still in the se cell.
    fireEvent.pointerMove(box, { pointerId: 1, clientX: 380, clientY: 440 })
    expect(getProcessString()).toBe('image/resize,w_300/watermark,text_T1NT,g_se,x_70,y_10')
    // 100 px: the centre of the box is in the middle column, which OSS centres (g_south).
    fireEvent.pointerMove(box, { pointerId: 1, clientX: 300, clientY: 440 })
    expect(getProcessString()).toBe('image/resize,w_300/watermark,text_T1NT,g_south,x_10,y_10')
    // To (30, 20): the top-left cell.
    fireEvent.pointerMove(box, { pointerId: 1, clientX: 500 - 400, clientY: 440 - 380 })
    expect(getProcessString()).toBe('image/resize,w_300/watermark,text_T1NT,g_nw,x_30,y_20')
    expect(screen.getByTestId('watermark-guides').querySelector('[data-active="true"]')?.getAttribute('data-gravity')).toBe('nw')
    fireEvent.pointerUp(box, { pointerId: 1 })
    expect(screen.queryByTestId('watermark-guides')).toBeNull()
    // Before its render arrives the box follows the parameters (shared placement math).
    cleanup()
    render(<WatermarkLayer rect={RECT} marks={[MARK]} current={false} />)
    expect(screen.getByRole('slider', { name: 'Watermark position' }).style.left).toBe(`${5 + 30 * 2}px`)
    undo()
    expect(getProcessString()).toBe(TEXT)
    redo()
    expect(getProcessString()).toContain('g_nw,x_30,y_20')
  })

  it('into the middle row: voffset instead of y (positive is up)', () => {
    const box = show(TEXT)
    // To top 100 on the 240-high image: the centre line puts a 20-high block at 110, so voffset 10.
    fireEvent.pointerDown(box, { pointerId: 1, button: 0, clientX: 500, clientY: 440 })
    fireEvent.pointerMove(box, { pointerId: 1, clientX: 500, clientY: 440 - 220 })
    fireEvent.pointerUp(box, { pointerId: 1 })
    expect(getProcessString()).toBe('image/resize,w_300/watermark,text_T1NT,g_east,x_10,y_10,voffset_10')
  })

  it('arrow keys nudge 1 px, Shift 10 px, keeping the gravity', () => {
    const box = show(TEXT)
    fireEvent.keyDown(box, { key: 'ArrowLeft' })
    expect(params()).toMatchObject({ g: 'se', x: 11, y: 10 })
    fireEvent.keyDown(box, { key: 'ArrowUp', shiftKey: true })
    expect(params()).toMatchObject({ g: 'se', x: 11, y: 20 })
    fireEvent.keyDown(box, { key: 'ArrowRight', shiftKey: true })
    fireEvent.keyDown(box, { key: 'ArrowRight', shiftKey: true })
    // The box stops at the edge it is anchored to.
    expect(params()).toMatchObject({ x: 0 })
  })

  it('text: the corner handle scales size, the rotate handle turns it', () => {
    show(TEXT)
    const size = screen.getByRole('slider', { name: 'Watermark size' })
    expect(size.getAttribute('aria-valuetext')).toBe('size_40')
    // +60 × +20 CSS px = +30 × +10 output px on a 60 × 20 block: × 1.5.
    fireEvent.pointerDown(size, { pointerId: 2, button: 0, clientX: 600, clientY: 450 })
    fireEvent.pointerMove(size, { pointerId: 2, clientX: 660, clientY: 470 })
    fireEvent.pointerUp(size, { pointerId: 2 })
    expect(params().size).toBe(60)
    const rotate = screen.getByRole('slider', { name: 'Watermark rotation' })
    fireEvent.keyDown(rotate, { key: 'ArrowRight', shiftKey: true })
    expect(params().rotate).toBe(15)
    fireEvent.keyDown(rotate, { key: 'ArrowLeft' })
    fireEvent.keyDown(rotate, { key: 'ArrowLeft' })
    fireEvent.keyDown(rotate, { key: 'ArrowLeft' })
    expect(params().rotate).toBe(12)
  })

  it('image: the corner handle writes P into the watermark image’s own resize', () => {
    // image_bG9nby5wbmc = logo.png; 60 px on a 300-px image is P 20 until it has its own.
    show('image/resize,w_300/watermark,image_bG9nby5wbmc,g_se,x_10,y_10')
    expect(screen.queryByRole('slider', { name: 'Watermark rotation' })).toBeNull()
    const size = screen.getByRole('slider', { name: 'Watermark size' })
    expect(size.getAttribute('aria-valuetext')).toBe('P_20')
    fireEvent.pointerDown(size, { pointerId: 3, button: 0, clientX: 600, clientY: 450 })
    fireEvent.pointerMove(size, { pointerId: 3, clientX: 660, clientY: 470 })
    fireEvent.pointerUp(size, { pointerId: 3 })
    expect(params().image).toBe('logo.png?x-oss-process=image/resize,P_30')
  })

  it('no box for a named style, a tiled watermark or a mark a later rotate turned', () => {
    resetEditor('image/resize,w_300/watermark,text_T1NT,fill_1')
    render(<WatermarkLayer rect={RECT} marks={[MARK]} current />)
    expect(screen.queryByRole('slider', { name: 'Watermark position' })).toBeNull()
    cleanup()
    resetEditor(TEXT)
    render(<WatermarkLayer rect={RECT} marks={[{ ...MARK, turned: true }]} current />)
    expect(screen.queryByRole('slider', { name: 'Watermark position' })).toBeNull()
  })
})

describe('mixed image + text block', () => {
  it('the corner handle scales size, and P only when the image has its own', () => {
    show('image/resize,w_300/watermark,image_bG9nby5wbmc,text_T1NT,size_20,g_se,x_10,y_10')
    const size = screen.getByRole('slider', { name: 'Watermark size' })
    expect(size.getAttribute('aria-valuetext')).toBe('size_20')
    fireEvent.keyDown(size, { key: 'ArrowUp', shiftKey: true })
    expect(params()).toMatchObject({ size: 22, image: 'logo.png' })
    cleanup()
    // logo.png?x-oss-process=image/resize,P_10
    show(`image/resize,w_300/watermark,image_${Buffer.from('logo.png?x-oss-process=image/resize,P_10').toString('base64url').replace(/=+$/, '')},text_T1NT,size_20,g_se,x_10,y_10`)
    fireEvent.keyDown(screen.getByRole('slider', { name: 'Watermark size' }), { key: 'ArrowUp', shiftKey: true })
    expect(params()).toMatchObject({ size: 22, image: 'logo.png?x-oss-process=image/resize,P_11' })
  })
})
