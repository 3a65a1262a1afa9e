/**
 * @vitest-environment happy-dom
 *
 * The generated parameter forms: controls per schema type, OSS's error inline before any render,
 * the gravity grid, the colour field, watermark text (Base64 invisible), switches, reset.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EditorPanel } from '../../src-renderer/src/editor/EditorPanel'
import { resetEditor, select, useEditor } from '../../src-renderer/src/state/editor'
import { getProcessString } from '../../src-renderer/src/state/process'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(() => new Promise(() => undefined)),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

function open(text: string, index = 0) {
  resetEditor(text)
  select(useEditor.getState().doc.items[index]!.id)
  render(<EditorPanel />)
  return screen.getByTestId('param-form')
}

beforeEach(() => cleanup())
afterEach(() => cleanup())

describe('number fields', () => {
  it('shows OSS’s message and EC inline for an out-of-range value, and writes it to the string', async () => {
    const form = open('image/resize,w_100')
    const w = within(form).getByRole('textbox', { name: 'Target width (w)' })
    await userEvent.clear(w)
    await userEvent.type(w, '0')
    expect(getProcessString()).toBe('image/resize,w_0')
    const error = within(form).getByTestId('field-error')
    expect(error.textContent).toContain('resize: expected an integer between 1 and 16384 for w but received "0"')
    expect(error.textContent).toContain('0040-00000312')
    expect(w.getAttribute('aria-invalid')).toBe('true')
    expect(w.getAttribute('aria-describedby')).toBe(error.id)
    // The pipeline row is marked too.
    expect(screen.getByRole('list', { name: 'Pipeline' }).querySelector('[data-invalid="true"]')).not.toBeNull()
  })

  it('keeps a non-integer as typed and reports it', async () => {
    const form = open('image/rotate,90')
    const v = within(form).getByRole('textbox', { name: 'Clockwise angle' })
    await userEvent.clear(v)
    await userEvent.type(v, '4.5')
    expect(getProcessString()).toBe('image/rotate,4.5')
    expect(within(form).getByTestId('field-error').textContent).toContain('rotate: expected an integer between 0 and 360 for its value but received "4.5"')
  })

  it('has a slider within OSS’s range and arrow keys on the box', () => {
    const form = open('image/blur,r_5,s_5')
    const slider = within(form).getByRole('slider', { name: 'Blur radius (r) slider' })
    expect(slider.getAttribute('min')).toBe('1')
    expect(slider.getAttribute('max')).toBe('50')
    fireEvent.change(slider, { target: { value: '20' } })
    expect(getProcessString()).toBe('image/blur,r_20,s_5')
    fireEvent.keyDown(within(form).getByRole('textbox', { name: 'Standard deviation (s)' }), { key: 'ArrowUp', shiftKey: true })
    expect(getProcessString()).toBe('image/blur,r_20,s_15')
  })

  it('an emptied required field says what OSS says when it is missing', async () => {
    const form = open('image/blur,r_5,s_5')
    await userEvent.clear(within(form).getByRole('textbox', { name: 'Standard deviation (s)' }))
    expect(getProcessString()).toBe('image/blur,r_5')
    expect(within(form).getByTestId('field-error').textContent).toContain('blur: expected an integer between 1 and 50 for s but received none')
  })

  it('cross-parameter rules show on the item', async () => {
    const form = open('image/resize,w_100')
    await userEvent.clear(within(form).getByRole('textbox', { name: 'Target width (w)' }))
    expect(within(form).getByRole('alert').textContent).toContain('resize: expected at least one of w, h, l, s, p but received none')
  })
})

describe('choice fields', () => {
  it('a segmented enum and Reset back to the default', async () => {
    const form = open('image/resize,w_100')
    const modes = within(form).getByRole('radiogroup', { name: 'Scaling mode (m)' })
    await userEvent.click(within(modes).getByRole('radio', { name: 'fill' }))
    expect(getProcessString()).toBe('image/resize,m_fill,w_100')
    await userEvent.click(within(form).getByRole('button', { name: 'Reset m' }))
    expect(getProcessString()).toBe('image/resize,w_100')
  })

  it('the 3×3 gravity grid, by click and by arrow keys', async () => {
    const form = open('image/crop,w_10,h_10')
    const grid = within(form).getByRole('radiogroup', { name: 'Origin in a 3×3 grid (g)' })
    expect(within(grid).getAllByRole('radio')).toHaveLength(9)
    await userEvent.click(within(grid).getByRole('radio', { name: 'Centre (center)' }))
    expect(getProcessString()).toBe('image/crop,w_10,h_10,g_center')
    fireEvent.keyDown(within(grid).getByRole('radio', { name: 'Centre (center)' }), { key: 'ArrowDown' })
    expect(getProcessString()).toBe('image/crop,w_10,h_10,g_south')
    fireEvent.keyDown(within(grid).getByRole('radio', { name: 'Bottom (south)' }), { key: 'ArrowRight' })
    expect(getProcessString()).toBe('image/crop,w_10,h_10,g_se')
  })

  it('0/1 parameters are switches', async () => {
    const form = open('image/resize,w_100')
    const limit = within(form).getByRole('switch', { name: 'Never enlarge (limit)' })
    expect((limit as HTMLInputElement).checked).toBe(true) // the default, 1
    await userEvent.click(limit)
    expect(getProcessString()).toBe('image/resize,w_100,limit_0')
  })
})

describe('watermark', () => {
  const WM = 'image/watermark,text_SGk'

  it('plain text in, URL-safe Base64 in the string, bytes counted', async () => {
    const form = open(WM)
    const text = within(form).getByRole('textbox', { name: 'Text (text)' }) as HTMLInputElement
    expect(text.value).toBe('Hi')
    await userEvent.clear(text)
    await userEvent.type(text, '图片?')
    expect(getProcessString()).toBe('image/watermark,text_5Zu-54mHPw')
    expect(within(form).getByText('7/64 bytes')).toBeTruthy()
    await userEvent.type(text, 'x'.repeat(58))
    expect(within(form).getByTestId('field-error').textContent).toContain('0040-00000259')
  })

  it('colour: hex box, picker swatches, invalid hex flagged', async () => {
    const form = open(WM)
    const hex = within(form).getByRole('textbox', { name: 'Text colour (color)' })
    await userEvent.type(hex, 'ff0000')
    expect(getProcessString()).toBe('image/watermark,text_SGk,color_FF0000')
    await userEvent.click(within(form).getByRole('button', { name: 'Text colour (color): pick a colour' }))
    await userEvent.click(within(form).getByRole('button', { name: '#2F6FEB' }))
    expect(getProcessString()).toBe('image/watermark,text_SGk,color_2F6FEB')
    await userEvent.clear(hex)
    await userEvent.type(hex, 'zz')
    expect(within(form).getByTestId('field-error').textContent).toContain('expected a colour of 6 hex digits RRGGBB for color but received "zz"')
  })

  it('font select (OSS names) and image object key with its own process', async () => {
    const form = open(WM)
    await userEvent.selectOptions(within(form).getByRole('combobox', { name: 'Font (type)' }), 'fangzhengkaiti')
    expect(getProcessString()).toBe('image/watermark,text_SGk,type_ZmFuZ3poZW5na2FpdGk')
    expect(within(form).getByText('Select an image to preview the font.')).toBeTruthy()
    await userEvent.type(within(form).getByRole('combobox', { name: 'Watermark image (image)' }), 'logo.png')
    await userEvent.type(within(form).getByRole('textbox', { name: /Process of the watermark image/ }), 'image/resize,P_20')
    expect(getProcessString()).toBe(`image/watermark,text_SGk,image_${btoa('logo.png?x-oss-process=image/resize,P_20').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')},type_ZmFuZ3poZW5na2FpdGk`)
  })
})
