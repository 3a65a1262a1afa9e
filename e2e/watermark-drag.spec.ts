/**
 * Watermark on the canvas, in browser mode on the Local sandbox: the box the engine reports is
 * drawn over the processed picture; dragging it with the mouse re-anchors the watermark step (the
 * nearest gravity, offsets inward, in output pixels) and the process string follows; the arrow keys
 * nudge it; undo takes back each gesture as one step. The aspect ghosts show the style on 1:1, 16:9
 * and 9:16 frames (an added 16:9 image, else crops) with a badge where the mark is clipped.
 * Writes docs/screenshots/watermark-drag.png.
 */
import type { Locator, Page } from '@playwright/test'
import sharp from 'sharp'
import { expect, test } from './fixtures'

const b64 = (text: string) => Buffer.from(text).toString('base64url').replace(/=+$/, '')
const TEXT = b64('OSS IMG Studio')
const START = `image/resize,w_800/watermark,text_${TEXT},color_FFFFFF,size_48,shadow_50,g_se,x_20,y_20`

async function rect(locator: Locator) {
  const box = await locator.boundingBox()
  if (!box) throw new Error('not visible')
  return box
}

const placement = (process: string) => {
  const step = process.split('/').find((s) => s.startsWith('watermark,'))!
  const value = (key: string) => step.split(',').find((t) => t.startsWith(`${key}_`))?.slice(key.length + 1)
  return { g: value('g'), x: Number(value('x')), y: Number(value('y')), voffset: value('voffset') }
}

/** After a gesture: the pointer is up (guides gone); the string it left, once the result for it is on screen. */
async function released(page: Page): Promise<string> {
  await expect(page.getByTestId('watermark-guides')).toHaveCount(0)
  let value = ''
  await expect
    .poll(async () => {
      value = await page.getByRole('textbox', { name: 'Process string' }).inputValue()
      const shown = await page.getByTestId('after').locator('.pane-sub').textContent()
      return shown === value && (await page.getByRole('status', { name: 'Output info' }).getAttribute('data-quality')) === 'final'
    })
    .toBe(true)
  return value
}

async function settle(page: Page, process: string) {
  await expect(page.getByRole('textbox', { name: 'Process string' })).toHaveValue(process)
  await expect(page.getByTestId('after').locator('.pane-sub')).toHaveText(process)
  await expect(page.getByRole('status', { name: 'Output info' })).toHaveAttribute('data-quality', 'final')
}

test('drag the watermark with the mouse, nudge it with the arrows, undo each gesture', async ({ studio: page, consoleErrors }) => {
  await page.locator('[data-key="landscape.jpg"]').click()
  const processBox = page.getByRole('textbox', { name: 'Process string' })
  await processBox.fill(START)
  await processBox.blur()
  await settle(page, START)
  // The divider to the left edge: the processed picture fills the split view.
  const divider = page.getByRole('slider', { name: 'Split position' })
  await divider.focus()
  await page.keyboard.press('Home')
  await expect(divider).toHaveAttribute('aria-valuenow', '0')

  const mark = page.getByRole('slider', { name: 'Watermark position' })
  await expect(mark).toHaveAttribute('aria-valuetext', 'g_se x_20 y_20')
  const image = await rect(page.getByTestId('after-image'))
  const scale = image.width / 800
  const outputHeight = Math.round(image.height / scale)
  // The box is the engine's: its bottom-right corner 20 px (output) in from the image's.
  const before = await rect(mark)
  expect(Math.abs(image.x + image.width - (before.x + before.width) - 20 * scale)).toBeLessThanOrEqual(2)
  expect(Math.abs(image.y + image.height - (before.y + before.height) - 20 * scale)).toBeLessThanOrEqual(2)

  // ---- drag it to 40 × 30 output px from the top-left corner.
  const target = { x: image.x + 40 * scale, y: image.y + 30 * scale }
  const grab = { x: before.x + before.width / 2, y: before.y + before.height / 2 }
  await page.mouse.move(grab.x, grab.y)
  await page.mouse.down()
  await page.mouse.move(target.x + before.width / 2, target.y + before.height / 2, { steps: 12 })
  // The gravity guides while dragging, the top-left cell lit.
  await expect(page.getByTestId('watermark-guides').locator('[data-active="true"]')).toHaveAttribute('data-gravity', 'nw')
  await expect(mark).toHaveAttribute('aria-valuetext', /^g_nw x_\d+ y_\d+$/)
  await page.mouse.up()
  const dropped = await released(page)
  const p = placement(dropped)
  expect(p.g).toBe('nw')
  expect(Math.abs(p.x - 40)).toBeLessThanOrEqual(2)
  expect(Math.abs(p.y - 30)).toBeLessThanOrEqual(2)
  expect(p.voffset).toBeUndefined()
  expect(dropped).toBe(START.replace('g_se,x_20,y_20', `g_nw,x_${p.x},y_${p.y}`))
  // The final render's box is where it was dropped (the engine agrees with the drag).
  const after = await rect(mark)
  expect(Math.abs(after.x - (image.x + p.x * scale))).toBeLessThanOrEqual(2)
  expect(Math.abs(after.y - (image.y + p.y * scale))).toBeLessThanOrEqual(2)

  // ---- into the middle row: voffset replaces y (positive = above the centre line).
  await page.mouse.move(after.x + after.width / 2, after.y + after.height / 2)
  await page.mouse.down()
  const middleTop = image.y + ((outputHeight - after.height / scale) / 2 - 25) * scale
  await page.mouse.move(after.x + after.width / 2, middleTop + after.height / 2, { steps: 10 })
  // The pointer rests: the ghosts catch up with the string while the guides are still up.
  const ghosts = page.getByRole('complementary', { name: 'Aspect ghosts' })
  await expect(ghosts.getByRole('img')).toHaveCount(3, { timeout: 30_000 })
  await expect(ghosts.locator('[data-stale]')).toHaveCount(0, { timeout: 30_000 })
  await page.screenshot({ path: 'docs/screenshots/watermark-drag.png' })
  await page.mouse.up()
  const moved = await released(page)
  const middle = placement(moved)
  expect(middle.g).toBe('west')
  expect(Math.abs(Number(middle.voffset) - 25)).toBeLessThanOrEqual(2)
  await expect(mark).toHaveAttribute('aria-valuetext', `g_west x_${middle.x} voffset_${middle.voffset}`)

  // ---- keyboard: focused, the arrows nudge 1 px, Shift 10 px.
  await mark.focus()
  await page.keyboard.press('ArrowRight')
  await expect(processBox).toHaveValue(moved.replace(`x_${middle.x},`, `x_${middle.x + 1},`))
  await page.keyboard.press('Shift+ArrowUp')
  await expect(processBox).toHaveValue(moved.replace(`x_${middle.x},`, `x_${middle.x + 1},`).replace(`voffset_${middle.voffset}`, `voffset_${Number(middle.voffset) + 10}`))
  await expect(mark).toHaveAttribute('aria-valuetext', `g_west x_${middle.x + 1} voffset_${Number(middle.voffset) + 10}`)

  // ---- undo: one step per press, one per drag.
  await page.keyboard.press('Control+z')
  await page.keyboard.press('Control+z')
  await expect(processBox).toHaveValue(moved)
  await page.keyboard.press('Control+z')
  await expect(processBox).toHaveValue(dropped)
  await page.keyboard.press('Control+z')
  await expect(processBox).toHaveValue(START)
  await settle(page, START)
  await expect(mark).toHaveAttribute('aria-valuetext', 'g_se x_20 y_20')
  expect(consoleErrors).toEqual([])
})

test('aspect ghosts: the style on 1:1, 16:9 and 9:16 frames, with a badge where the mark is clipped', async ({ studio: page, consoleErrors }) => {
  // A 16:9 image of the user's (added from this computer): the 16:9 ghost shows the style on it.
  const banner = await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 40, g: 120, b: 200 } } }).png().toBuffer()
  await page.getByLabel('Add images').setInputFiles([{ name: 'banner.png', mimeType: 'image/png', buffer: banner }])
  await expect(page.getByTestId('before').locator('.pane-sub')).toHaveText('banner.png')
  await page.locator('[data-key="landscape.jpg"]').click()
  const processBox = page.getByRole('textbox', { name: 'Process string' })
  await processBox.fill(START)
  await processBox.blur()
  await settle(page, START)
  const ghosts = page.getByRole('complementary', { name: 'Aspect ghosts' })
  for (const label of ['1:1', '16:9', '9:16']) {
    const ghost = ghosts.getByRole('figure', { name: `${label} ghost` })
    // landscape.jpg is 3:2; no other image is square or 9:16: centre crops of it.
    const on = label === '16:9' ? 'banner.png' : 'Centre crop of landscape.jpg'
    // Ghosts render after the main view (and after the string rests): allow for a busy machine.
    await expect(ghost.getByRole('img', { name: `The style on ${label}: ${on}` })).toBeVisible({ timeout: 30_000 })
    await expect(ghost.getByRole('list', { name: `${label} ghost warnings` })).toHaveCount(0)
  }
  // 300 px in from the right: fine on the 800-px-wide frames, cut off on the 450-px-wide 9:16 one.
  const far = START.replace('x_20', 'x_300')
  await processBox.fill(far)
  await processBox.blur()
  await settle(page, far)
  const narrow = ghosts.getByRole('figure', { name: '9:16 ghost' })
  await expect(narrow.getByRole('list', { name: '9:16 ghost warnings' }).getByRole('listitem')).toHaveText(['Clipped'], { timeout: 30_000 })
  await expect(ghosts.getByRole('figure', { name: '16:9 ghost' }).getByRole('list', { name: '16:9 ghost warnings' })).toHaveCount(0)
  await expect(ghosts.getByRole('figure', { name: '1:1 ghost' }).getByRole('list', { name: '1:1 ghost warnings' })).toHaveCount(0)
  await page.screenshot({ path: 'test-results/watermark-ghosts.png' })
  expect(consoleErrors).toEqual([])
})

test('the corner handle changes the text size, the round handle turns it', async ({ studio: page, consoleErrors }) => {
  await page.locator('[data-key="landscape.jpg"]').click()
  const processBox = page.getByRole('textbox', { name: 'Process string' })
  const centred = START.replace('g_se,x_20,y_20', 'g_center')
  await processBox.fill(centred)
  await processBox.blur()
  await settle(page, centred)
  const size = page.getByRole('slider', { name: 'Watermark size' })
  await expect(size).toHaveAttribute('aria-valuetext', 'size_48')
  const mark = await rect(page.getByRole('slider', { name: 'Watermark position' }))
  const handle = await rect(size)
  // Drag the corner out by half the box: the text grows by half.
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
  await page.mouse.down()
  await page.mouse.move(handle.x + handle.width / 2 + mark.width / 2, handle.y + handle.height / 2 + mark.height / 2, { steps: 8 })
  await page.mouse.up()
  const grown = Number(/size_(\d+)/.exec(await released(page))![1])
  expect(grown).toBeGreaterThanOrEqual(70)
  expect(grown).toBeLessThanOrEqual(74)
  // The rendered block grew with it.
  const bigger = await rect(page.getByRole('slider', { name: 'Watermark position' }))
  expect(bigger.width / mark.width).toBeGreaterThan(1.35)

  // A quarter turn clockwise around the box's centre: from the knob above it to its right.
  const rotate = page.getByRole('slider', { name: 'Watermark rotation' })
  const knob = await rect(rotate)
  const centre = { x: bigger.x + bigger.width / 2, y: bigger.y + bigger.height / 2 }
  const radius = centre.y - (knob.y + knob.height / 2)
  await page.mouse.move(knob.x + knob.width / 2, knob.y + knob.height / 2)
  await page.mouse.down()
  await page.mouse.move(centre.x + radius * Math.sin(Math.PI / 4), centre.y - radius * Math.cos(Math.PI / 4), { steps: 4 })
  await page.mouse.move(centre.x + radius, centre.y, { steps: 4 })
  await page.mouse.up()
  const turned = Number(/rotate_(\d+)/.exec(await released(page))![1])
  expect(Math.abs(turned - 90)).toBeLessThanOrEqual(3)
  await expect(rotate).toHaveAttribute('aria-valuetext', `rotate_${turned}`)
  // Two gestures, two undo steps.
  await page.keyboard.press('Control+z')
  await page.keyboard.press('Control+z')
  await expect(processBox).toHaveValue(centred)
  expect(consoleErrors).toEqual([])
})

test('image watermark: the corner handle writes P into the watermark image’s own resize', async ({ studio: page, consoleErrors }) => {
  await page.locator('[data-key="landscape.jpg"]').click()
  const processBox = page.getByRole('textbox', { name: 'Process string' })
  // logo.png (480 × 160) of the same bucket, at 20 % of the 800-px-wide image: 160 × 53.
  const withLogo = `image/resize,w_800/watermark,image_${b64('logo.png?x-oss-process=image/resize,P_20')},g_se,x_20,y_20`
  await processBox.fill(withLogo)
  await processBox.blur()
  await settle(page, withLogo)
  const size = page.getByRole('slider', { name: 'Watermark size' })
  await expect(size).toHaveAttribute('aria-valuetext', 'P_20')
  await expect(page.getByRole('slider', { name: 'Watermark rotation' })).toHaveCount(0)
  const image = await rect(page.getByTestId('after-image'))
  const scale = image.width / 800
  const mark = await rect(page.getByRole('slider', { name: 'Watermark position' }))
  expect(Math.abs(mark.width - 160 * scale)).toBeLessThanOrEqual(2)
  // Drag the corner out by half the box: P × 1.5 → 30 (anchored se, the mark grows towards the top-left).
  const handle = await rect(size)
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
  await page.mouse.down()
  await page.mouse.move(handle.x + handle.width / 2 + mark.width / 2, handle.y + handle.height / 2 + mark.height / 2, { steps: 8 })
  await page.mouse.up()
  const grown = await released(page)
  const value = /image_([A-Za-z0-9_-]+)/.exec(grown)![1]!
  const P = Number(/P_(\d+)$/.exec(Buffer.from(value, 'base64url').toString())![1])
  expect(P).toBeGreaterThanOrEqual(29)
  expect(P).toBeLessThanOrEqual(31)
  await expect(size).toHaveAttribute('aria-valuetext', `P_${P}`)
  // The engine drew it at P % of the width.
  const bigger = await rect(page.getByRole('slider', { name: 'Watermark position' }))
  expect(Math.abs(bigger.width - 8 * P * scale)).toBeLessThanOrEqual(2)
  expect(consoleErrors).toEqual([])
})
