/** The studio on the Local sandbox: no setup, the demo bucket with thumbnails, live previews, OSS errors. */
import { expect, SAMPLES, test } from './fixtures'

test('loads on the Local sandbox profile with no setup and lists the demo bucket with thumbnails', async ({ studio: page, consoleErrors }) => {
  await expect(page.getByRole('heading', { name: 'OSS IMG Studio' })).toBeVisible()
  await expect(page.getByRole('combobox', { name: 'Profile' })).toHaveValue('local-sandbox')
  await expect(page.locator('#active-profile option:checked')).toHaveText(/Local sandbox/)

  const objects = page.getByRole('list', { name: 'Objects' })
  for (const name of SAMPLES) await expect(objects.locator(`[data-key="${name}"]`)).toBeVisible()
  await expect(objects.locator(`[data-key="landscape.jpg"] .object-size`)).toHaveText(/KB$/)

  // Every sample gets a real thumbnail rendered by main (image/resize,w_160).
  await expect(objects.locator('.thumb[data-state="ready"] img')).toHaveCount(SAMPLES.length)
  const widths = await objects.locator('.thumb img').evaluateAll((images) => images.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
  expect(widths).toEqual(SAMPLES.map(() => 160))

  // The first JPEG is selected and previewed before and after.
  await expect(page.getByTestId('before-image')).toBeVisible()
  await expect(page.getByTestId('after-image')).toBeVisible()
  await page.screenshot({ path: 'test-results/studio-sandbox.png' })
  expect(consoleErrors).toEqual([])
})

test('previews a process and a style on the selected object', async ({ studio: page, consoleErrors }) => {
  await page.locator('[data-key="landscape.jpg"]').click()
  await expect(page.getByTestId('before').locator('[data-stat="size"]')).toHaveText('1200 × 800')

  const box = page.getByRole('textbox', { name: 'Process string' })
  await box.fill('image/resize,w_300/rotate,90/format,png')
  const after = page.getByTestId('after')
  await expect(after.locator('[data-stat="size"]')).toHaveText('200 × 300')
  await expect(after.locator('[data-stat="format"]')).toHaveText('PNG')
  await expect(after.locator('[data-stat="bytes"]')).toHaveText(/\d/)
  await expect(after.locator('[data-stat="render"]')).toHaveText(/\d+(\.\d+)? (ms|s)/)
  await expect(after.locator('.pane-sub')).toHaveText('image/resize,w_300/rotate,90/format,png')

  // A style of the demo bucket, resolved by main.
  await page.getByRole('button', { name: 'style/thumb' }).click()
  await expect(after.locator('.pane-sub')).toHaveText('style/thumb')
  await expect(after.locator('[data-stat="size"]')).toHaveText('200 × 200')

  // JSON results (info) are shown as JSON.
  await page.getByRole('button', { name: 'Info (JSON)' }).click()
  await expect(page.getByTestId('after-json')).toContainText('"ImageWidth"')

  await page.getByRole('button', { name: 'Text watermark' }).click()
  await expect(after.locator('[data-stat="size"]')).toHaveText('800 × 533')
  await page.screenshot({ path: 'docs/screenshots/studio-preview.png' })
  expect(consoleErrors).toEqual([])
})

test('an invalid process shows OSS’s error with its EC and the offending span', async ({ studio: page }) => {
  await page.locator('[data-key="portrait.jpg"]').click()
  const box = page.getByRole('textbox', { name: 'Process string' })
  await box.fill('image/resize,w_0')
  const error = page.getByTestId('process-error')
  await expect(error.locator('.error-code')).toHaveText('InvalidArgument')
  await expect(error.locator('[data-field="EC"]')).toHaveText('0040-00000312')
  await expect(error.locator('[data-field="HTTP"]')).toHaveText('400')
  await expect(error).toContainText('resize: expected an integer between 1 and 16384 for w but received "0"')
  await expect(page.getByTestId('error-span')).toHaveText('w_0')
  await expect(page.getByTestId('after')).toContainText('Fix the process string')
  await page.screenshot({ path: 'docs/screenshots/studio-invalid-process.png' })

  // An error only main can know: a style that does not exist in the library or the bucket.
  await box.fill('style/no-such-style')
  await expect(error.locator('.error-code')).toHaveText('NoSuchStyle')
  await expect(error.locator('[data-field="HTTP"]')).toHaveText('404')

  // Fixing it brings the preview back.
  await box.fill('image/resize,w_100')
  await expect(error).toHaveCount(0)
  await expect(page.getByTestId('after').locator('[data-stat="size"]')).toHaveText('100 × 150')
})
