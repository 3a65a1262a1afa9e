/**
 * Sources: images added from this computer (the "Add images" picker and a drop on the window), a
 * refused file with its reason, and the grid of samples with its warning badges (enlargement,
 * a watermark cropped away, a larger file than the original).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import sharp from 'sharp'
import { expect, test } from './fixtures'

const dir = mkdtempSync(join(tmpdir(), 'sources-e2e-'))
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function pngFile(name: string, width: number, height: number): Promise<string> {
  const path = join(dir, name)
  const bytes = await sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .png()
    .toBuffer()
  writeFileSync(path, bytes)
  return path
}

function ui(page: Page) {
  return {
    box: page.getByRole('textbox', { name: 'Process string' }),
    info: page.getByRole('status', { name: 'Output info' }),
    added: page.getByRole('list', { name: 'Added images' }),
    view: (name: string) => page.getByRole('group', { name: 'View' }).getByRole('button', { name, exact: true })
  }
}

async function setProcess(page: Page, process: string) {
  const { box } = ui(page)
  await box.fill(process)
  await box.blur()
}

test('"Add images" sends files to main and previews them; a wrong file is refused with its reason', async ({ studio: page, consoleErrors }) => {
  const { added, info } = ui(page)
  await setProcess(page, 'image/resize,w_640')
  await page.getByLabel('Add images').setInputFiles([await pngFile('small.png', 320, 200)])
  await expect(added.locator('[data-upload="small.png"]')).toHaveAttribute('aria-current', 'true')
  await expect(page.getByTestId('before').locator('.pane-sub')).toHaveText('small.png')
  // 320 px is smaller than w_640: OSS keeps the size (limit_1), and says so.
  await expect(info.locator('[data-stat="size"]')).toHaveText('320 × 200')
  await expect(info).toHaveAttribute('data-quality', 'final')
  await expect(info.locator('[data-badge="NotEnlarged"]')).toHaveText('Not enlarged')
  // An upload is in no bucket: OSS cannot render it.
  await expect(page.getByRole('button', { name: 'Compare with OSS' })).toBeDisabled()

  // Not an image: refused before anything is sent, with the reason.
  const notes = join(dir, 'notes.txt')
  writeFileSync(notes, 'hello')
  await page.getByLabel('Add images').setInputFiles([notes])
  await expect(page.getByRole('alert').filter({ hasText: 'Could not add notes.txt' })).toContainText('expected an image')
  // Named like an image but not one: the engine's answer from main.
  const fake = join(dir, 'fake.jpg')
  writeFileSync(fake, 'not really a jpeg')
  await page.getByLabel('Add images').setInputFiles([fake])
  await expect(page.getByRole('alert').filter({ hasText: 'Could not add fake.jpg' })).toBeVisible()
  await expect(added.locator('[data-upload="fake.jpg"]')).toHaveCount(0)

  // Back to a bucket object, then the upload again.
  await page.locator('[data-key="landscape.jpg"]').click()
  await expect(page.getByTestId('before').locator('.pane-sub')).toHaveText('landscape.jpg')
  await added.locator('[data-upload="small.png"]').click()
  await expect(page.getByTestId('before').locator('.pane-sub')).toHaveText('small.png')
  expect(consoleErrors.filter((e) => !/status of 400/.test(e))).toEqual([])
})

test('files dropped on the window are added and shown', async ({ studio: page }) => {
  const bytes = await sharp({ create: { width: 90, height: 60, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.5 } } })
    .png()
    .toBuffer()
  // A real drag of files from the desktop cannot be scripted; the same events with a DataTransfer holding a File can.
  // (A string: the e2e specs are type-checked without the DOM library.)
  await page.evaluate(`(async () => {
    const data = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0))
    const transfer = new DataTransfer()
    transfer.items.add(new File([data], 'dropped.png', { type: 'image/png' }))
    const target = document.querySelector('.vstages') ?? document.body
    for (const type of ['dragenter', 'dragover']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }))
  })()`)
  await expect(ui(page).added.locator('[data-upload="dropped.png"]')).toHaveAttribute('aria-current', 'true')
  await expect(page.getByTestId('before').locator('[data-stat="size"]')).toHaveText('90 × 60')
})

test('the grid shows the process on every sample with warning badges', async ({ studio: page, consoleErrors }) => {
  const { view } = ui(page)
  await page.getByLabel('Add images').setInputFiles([await pngFile('tiny.png', 160, 120)])
  await setProcess(page, 'image/resize,w_1000,limit_0')
  await view('Grid').click()
  const grid = page.getByRole('list', { name: 'Samples' })
  // The added image plus the folder's five samples (nothing pinned yet).
  await expect(grid.locator('.sample-card')).toHaveCount(6)
  const card = (name: string) => grid.locator(`.sample-card[data-sample="${name}"]`)
  await expect(card('tiny.png')).toHaveAttribute('data-state', 'done')
  await expect(card('tiny.png').getByTestId('card-size')).toHaveText('1000 × 750')
  await expect(card('tiny.png').locator('[data-badge="Upscaled"]')).toBeVisible()
  // GIFs are never enlarged.
  await expect(card('animated.gif').locator('[data-badge="NotEnlarged"]')).toBeVisible()

  // A watermark too big for the small images is cropped; PNG output of a JPEG is larger.
  await setProcess(page, 'image/watermark,text_T1NTIElNRyBTdHVkaW8,size_120,g_center/format,png')
  await expect(card('tiny.png').locator('[data-badge="WatermarkClipped"]')).toBeVisible()
  await expect(card('landscape.jpg')).toHaveAttribute('data-state', 'done')
  await expect(card('landscape.jpg').locator('[data-badge="LargerFile"]')).toBeVisible()
  await expect(card('landscape.jpg').locator('[data-badge="WatermarkClipped"]')).toHaveCount(0)
  await expect(page.getByTestId('grid-warned')).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/sample-grid.png' })

  // Pinning builds a sample set that replaces the folder's images.
  await view('Split').click()
  await page.locator('[data-key="portrait.jpg"]').click()
  await view('Grid').click()
  await page.getByRole('button', { name: 'Pin current image' }).click()
  await expect(grid.locator('.sample-card')).toHaveCount(2)
  await expect(card('portrait.jpg')).toBeVisible()
  // A card opens its image in the main view.
  await card('tiny.png').getByRole('button', { name: /Open tiny.png/ }).click()
  await expect(view('Split')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('before').locator('.pane-sub')).toHaveText('tiny.png')
  // Unpin for the other specs.
  await view('Grid').click()
  await card('portrait.jpg').getByRole('button', { name: 'Unpin portrait.jpg' }).click()
  await expect(grid.locator('.sample-card')).toHaveCount(6)
  await view('Split').click()
  expect(consoleErrors).toEqual([])
})
