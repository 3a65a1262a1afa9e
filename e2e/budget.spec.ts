/**
 * Byte budget: the dialog from the pipeline editor solves the highest Q per format for the added
 * files within a KB budget (budget:solve in main), shows the results table, and "Apply" writes
 * format/quality into the process string as one undo step; Cancel stops a run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { expect, test } from './fixtures'

const dir = mkdtempSync(join(tmpdir(), 'budget-e2e-'))
test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function texture(name: string, width: number, height: number, sigma: number): Promise<string> {
  const path = join(dir, name)
  writeFileSync(path, await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma } } }).blur(1).png().toBuffer())
  return path
}

test('solves a budget for the added files, applies a row as one undo step, and cancels', async ({ studio: page, consoleErrors }) => {
  const box = page.getByRole('textbox', { name: 'Process string' })
  await box.fill('image/resize,w_400/format,png')
  await box.blur()
  await page.getByLabel('Add images').setInputFiles([await texture('grain-a.png', 900, 600, 30), await texture('grain-b.png', 800, 800, 50)])
  await expect(page.getByRole('list', { name: 'Added images' }).locator('[data-upload]')).toHaveCount(2)

  await page.getByRole('button', { name: 'Byte budget' }).click()
  const dialog = page.getByRole('dialog', { name: 'Byte budget' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('radio', { name: /Added files \(2\)/ }).check()
  await dialog.getByRole('textbox', { name: 'Budget (KB)' }).fill('25')
  await expect(dialog.getByRole('checkbox', { name: 'JPG' })).toBeChecked()
  await expect(dialog.getByRole('checkbox', { name: 'WebP' })).toBeChecked()
  await dialog.getByRole('button', { name: 'Solve' }).click()

  const table = dialog.getByRole('table', { name: 'Budget results' })
  await expect(table).toBeVisible({ timeout: 45_000 })
  const webp = table.locator('tr[data-format="webp"]')
  await expect(webp).toHaveAttribute('data-met', 'true')
  const q = Number((await webp.locator('td').first().innerText()).replace('Q_', ''))
  expect(q).toBeGreaterThanOrEqual(1)
  expect(q).toBeLessThanOrEqual(100)
  // Every sample within 25 KB at that Q (the Max column).
  expect(Number.parseFloat(await webp.locator('td').nth(1).innerText())).toBeLessThanOrEqual(25)
  await expect(table.locator('tr[data-format="jpg"]')).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/budget.png' })

  await dialog.getByRole('button', { name: 'Apply webp' }).click()
  await expect(dialog.getByRole('status')).toContainText(`format,webp/quality,Q_${q}`)
  await expect(box).toHaveValue(`image/resize,w_400/format,webp/quality,Q_${q}`)
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(box).toHaveValue('image/resize,w_400/format,png')

  // Cancel: a run over the demo bucket's images stops, with no results.
  await page.getByRole('button', { name: 'Byte budget' }).click()
  await dialog.getByRole('radio', { name: 'Bucket prefix' }).check()
  await dialog.getByRole('checkbox', { name: 'AVIF' }).check()
  await dialog.getByRole('button', { name: 'Solve' }).click()
  await expect(dialog.getByRole('progressbar', { name: 'Solving' })).toBeVisible()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog.getByRole('progressbar', { name: 'Solving' })).toBeHidden()
  await expect(dialog.getByRole('button', { name: 'Solve' })).toBeEnabled()
  await expect(dialog.getByRole('table', { name: 'Budget results' })).toHaveCount(0)
  expect(consoleErrors).toEqual([])
})
