/**
 * The pipeline editor in browser mode on the Local sandbox, with real mouse drags: palette →
 * pipeline, reordering (mouse and keyboard), parameter forms with OSS's errors inline, the
 * process string both ways, undo/redo, and both themes.
 */
import type { Locator, Page } from '@playwright/test'
import { ACTIONS } from '../src-shared/img/actions'
import { expect, test } from './fixtures'

/** A real pointer drag: press, nudge past the activation distance, glide, release. */
async function drag(page: Page, from: Locator, to: Locator, where: 'top' | 'bottom' | 'center' = 'center') {
  const a = await from.boundingBox()
  const b = await to.boundingBox()
  if (!a || !b) throw new Error('drag: element not visible')
  const x0 = a.x + a.width / 2
  const y0 = a.y + a.height / 2
  await page.mouse.move(x0, y0)
  await page.mouse.down()
  await page.mouse.move(x0 + 6, y0 + 6, { steps: 3 })
  const y = where === 'top' ? b.y + Math.min(6, b.height / 4) : where === 'bottom' ? b.y + b.height - Math.min(6, b.height / 4) : b.y + b.height / 2
  await page.mouse.move(b.x + b.width / 2, y, { steps: 16 })
  await page.mouse.move(b.x + b.width / 2, y + (where === 'top' ? -1 : 1), { steps: 2 })
  await page.mouse.up()
}

function ui(page: Page) {
  const pipeline = page.getByRole('list', { name: 'Pipeline' })
  return {
    box: page.getByRole('textbox', { name: 'Process string' }),
    pipeline,
    steps: pipeline.getByRole('listitem'),
    palette: (action: string) => page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: action, exact: true }),
    after: page.getByTestId('after')
  }
}

test('the editor has its accessible names: process string, pipeline, one palette button per OSS action', async ({ studio: page, consoleErrors }) => {
  const { box, pipeline } = ui(page)
  await expect(box).toBeVisible()
  await expect(pipeline).toBeVisible()
  for (const action of Object.keys(ACTIONS)) await expect(page.getByRole('button', { name: action, exact: true })).toHaveCount(1)
  // The default process is the pipeline.
  await expect(box).toHaveValue('image/resize,w_640/quality,q_80')
  await expect(pipeline.getByRole('listitem')).toHaveCount(2)
  expect(consoleErrors).toEqual([])
})

test('dragging a palette action into the pipeline and reordering changes the string and the preview', async ({ studio: page, consoleErrors }) => {
  const { box, steps, palette, after } = ui(page)
  await page.locator('[data-key="landscape.jpg"]').click()
  await box.fill('image/resize,w_300')
  await box.blur()
  await expect(steps).toHaveCount(1)
  await expect(after.locator('[data-stat="size"]')).toHaveText('300 × 200')

  // Palette → below the resize step.
  await drag(page, palette('rotate'), steps.nth(0), 'bottom')
  await expect(box).toHaveValue('image/resize,w_300/rotate,90')
  await expect(steps).toHaveCount(2)
  await expect(after.locator('[data-stat="size"]')).toHaveText('200 × 300')

  // Palette → above the first step.
  await drag(page, palette('format'), steps.nth(0), 'top')
  await expect(box).toHaveValue('image/format,webp/resize,w_300/rotate,90')
  await expect(after.locator('[data-stat="format"]')).toHaveText('WEBP')

  // Reorder with the mouse: rotate's handle onto the first step.
  await drag(page, steps.nth(2).getByRole('button', { name: /^Reorder rotate/ }), steps.nth(0), 'top')
  await expect(box).toHaveValue('image/rotate,90/format,webp/resize,w_300')
  await expect(after.locator('[data-stat="size"]')).toHaveText('300 × 450')
  await page.screenshot({ path: 'test-results/editor-after-drag.png' })

  // Reorder with the keyboard: pick up, move down twice, drop.
  const handle = steps.nth(0).getByRole('button', { name: /^Reorder rotate/ })
  const announcer = page.locator('[id^="DndLiveRegion"]')
  await handle.focus()
  await page.keyboard.press('Space')
  await expect(announcer).toHaveText(/Picked up rotate \(step 1\)\.|rotate \(step 1\) is over position 1 of 3\./)
  await page.keyboard.press('ArrowDown')
  await expect(announcer).toHaveText('rotate (step 1) is over position 2 of 3.')
  await page.keyboard.press('ArrowDown')
  await expect(announcer).toHaveText('rotate (step 1) is over position 3 of 3.')
  await page.keyboard.press('Space')
  await expect(announcer).toHaveText('rotate was dropped at position 3 of 3.')
  await expect(box).toHaveValue('image/format,webp/resize,w_300/rotate,90')
  await expect(after.locator('[data-stat="size"]')).toHaveText('200 × 300')

  // Undo and redo walk the same steps.
  await page.keyboard.press('ControlOrMeta+z')
  await expect(box).toHaveValue('image/rotate,90/format,webp/resize,w_300')
  await page.keyboard.press('Shift+ControlOrMeta+z')
  await expect(box).toHaveValue('image/format,webp/resize,w_300/rotate,90')
  expect(consoleErrors).toEqual([])
})

test('steps can be disabled, duplicated and removed; the string follows', async ({ studio: page }) => {
  const { box, steps } = ui(page)
  await box.fill('image/resize,w_300/rotate,90')
  await box.blur()
  await steps.nth(1).getByRole('switch', { name: 'Enable rotate' }).uncheck()
  await expect(box).toHaveValue('image/resize,w_300')
  await expect(steps).toHaveCount(2)
  await expect(page.getByTestId('disabled-hint')).toBeVisible()
  await steps.nth(1).getByRole('switch', { name: 'Enable rotate' }).check()
  await steps.nth(0).getByRole('button', { name: 'Duplicate resize' }).click()
  await expect(box).toHaveValue('image/resize,w_300/resize,w_300/rotate,90')
  await steps.nth(1).getByRole('button', { name: 'Remove resize' }).click()
  await expect(box).toHaveValue('image/resize,w_300/rotate,90')
})

test('parameter forms: OSS’s error inline before any render, slider and gravity grid, text watermark', async ({ studio: page }) => {
  const { box, steps, palette, after } = ui(page)
  await page.locator('[data-key="landscape.jpg"]').click()
  await box.fill('image/resize,w_300')
  await box.blur()
  await steps.nth(0).getByRole('button', { name: /^resize/ }).click()
  const form = page.getByTestId('param-form')
  const width = form.getByRole('textbox', { name: 'Target width (w)' })
  await width.fill('0')
  await expect(form.getByTestId('field-error')).toContainText('resize: expected an integer between 1 and 16384 for w but received "0"')
  await expect(form.getByTestId('field-error')).toContainText('0040-00000312')
  await expect(box).toHaveValue('image/resize,w_0')
  await expect(page.getByTestId('error-span')).toHaveText('w_0')
  await width.fill('240')
  await expect(box).toHaveValue('image/resize,w_240')
  await expect(after.locator('[data-stat="size"]')).toHaveText('240 × 160')

  // A text watermark: plain text in, Base64 in the string; the gravity grid sets g.
  await palette('watermark').click()
  const wm = page.getByTestId('param-form')
  await wm.getByRole('textbox', { name: 'Text (text)' }).fill('Hello 世界')
  await wm.getByRole('radio', { name: 'Top left (nw)' }).click()
  await expect(box).toHaveValue(/watermark,text_SGVsbG8g5LiW55WM,/)
  await expect(box).toHaveValue(/g_nw/)
  await page.screenshot({ path: 'docs/screenshots/editor-watermark.png' })

  // Slider drag = one undo step.
  const before = await box.inputValue()
  const slider = wm.getByRole('slider', { name: 'Font size (size) slider' })
  await slider.scrollIntoViewIfNeeded()
  const s = (await slider.boundingBox())!
  await page.mouse.move(s.x + s.width * 0.1, s.y + s.height / 2)
  await page.mouse.down()
  for (let i = 2; i <= 6; i += 1) await page.mouse.move(s.x + s.width * (i / 10), s.y + s.height / 2, { steps: 2 })
  await page.mouse.up()
  await expect(box).not.toHaveValue(before)
  await page.keyboard.press('ControlOrMeta+z')
  await expect(box).toHaveValue(before)
})

test('editing the string rebuilds the pipeline; a parse error keeps it and highlights the span', async ({ studio: page }) => {
  const { box, steps } = ui(page)
  await box.fill('image/quality,q_80,Q_90/resize,h_100,w_200')
  await expect(steps).toHaveCount(2)
  await expect(steps.nth(0)).toHaveAttribute('data-action', 'quality')
  await box.blur()
  // Canonical form: the schema's parameter order.
  await expect(box).toHaveValue('image/quality,q_80,Q_90/resize,w_200,h_100')
  await box.fill('image/quality,q_80,Q_90/resize,w_200,h_100/blur,r_99')
  await expect(page.getByTestId('error-span')).toHaveText('r_99')
  await expect(steps).toHaveCount(2)
  await expect(page.getByText('The process string has an error')).toBeVisible()
})

test('light and dark themes follow the system', async ({ studio: page }) => {
  await page.locator('[data-key="portrait.jpg"]').click()
  await page.getByRole('button', { name: 'Text watermark' }).click()
  await ui(page).steps.nth(1).getByRole('button', { name: /^watermark/ }).click()
  await expect(page.getByTestId('after-image')).toBeVisible()
  await page.screenshot({ path: 'test-results/editor-light.png' })
  const light = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
  await page.emulateMedia({ colorScheme: 'dark' })
  const dark = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
  expect(dark).not.toEqual(light)
  await page.waitForTimeout(300)
  await page.screenshot({ path: 'test-results/editor-dark.png' })
})

test('editor states look right (screenshots for review)', async ({ studio: page }) => {
  const { box, steps, palette } = ui(page)
  await page.locator('[data-key="landscape.jpg"]').click()
  // Empty pipeline.
  await box.fill('')
  await box.blur()
  await expect(steps).toHaveCount(0)
  await expect(page.getByText('Drag an action here')).toBeVisible()
  await page.screenshot({ path: 'test-results/editor-empty.png' })
  // Mid-drag from the palette over the pipeline.
  await box.fill('image/resize,w_400/quality,q_80')
  await box.blur()
  const from = (await palette('crop').boundingBox())!
  const to = (await steps.nth(1).boundingBox())!
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(from.x + 20, from.y + 20, { steps: 3 })
  await page.mouse.move(to.x + to.width / 2, to.y + 6, { steps: 12 })
  await page.screenshot({ path: 'test-results/editor-dragging.png' })
  await page.mouse.up()
  await expect(box).toHaveValue('image/resize,w_400/crop,w_600,h_400,g_center/quality,q_80')
  // Crop form with the gravity grid; an invalid value inline.
  const form = page.getByTestId('param-form')
  await form.getByRole('textbox', { name: 'Crop width (w)' }).fill('40000')
  await expect(form.getByTestId('field-error')).toBeVisible()
  await page.screenshot({ path: 'test-results/editor-crop-invalid.png' })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300) // let colour transitions settle before the picture
  await page.screenshot({ path: 'test-results/editor-crop-invalid-dark.png' })
  await page.emulateMedia({ colorScheme: 'light' })
  // Resize form.
  await steps.nth(0).getByRole('button', { name: /^resize/ }).click()
  await page.screenshot({ path: 'test-results/editor-resize-form.png' })
})
