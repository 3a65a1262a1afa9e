/**
 * The Difference view: a heatmap of what the style changed (painted in main), with its colour
 * scale and SSIM; and in Compare with OSS, the heatmap of OSS's result against the local render.
 */
import { expect, test } from './fixtures'

test('"Difference" shows a heatmap with a legend and SSIM; Compare with OSS shows one against OSS', async ({ studio: page, consoleErrors }) => {
  await page.locator('[data-key="landscape.jpg"]').click()
  const box = page.getByRole('textbox', { name: 'Process string' })
  await box.fill('image/resize,w_600/quality,Q_25/watermark,text_T1NTIElNRw,size_80,g_se,color_FFFFFF')
  await box.blur()
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Difference', exact: true }).click()
  const bar = page.getByRole('status', { name: 'Difference from the original' })
  await expect(page.getByTestId('difference-image')).toBeVisible()
  await expect(bar.getByRole('img', { name: /Difference scale/ })).toBeVisible()
  const ssim = Number(await bar.locator('[data-stat="ssim"]').innerText())
  expect(ssim).toBeGreaterThan(0)
  expect(ssim).toBeLessThan(1)
  // Resized style: the original was stretched to the result's size to compare.
  await expect(bar).toContainText('at 600 × 400')
  await page.screenshot({ path: 'docs/screenshots/difference.png' })

  // Compare with OSS: the sandbox renders what the engine renders, so no heat and SSIM 1.
  await page.getByRole('button', { name: 'Compare with OSS' }).click()
  const diff = page.getByRole('status', { name: 'Difference from OSS' })
  await expect(diff.getByTestId('oss-verdict')).toHaveText('Identical pixels')
  await expect(diff.locator('[data-stat="ssim"]')).toHaveText('1.0000')
  await diff.getByRole('button', { name: 'Difference', exact: true }).click()
  await expect(diff.getByRole('button', { name: 'Difference', exact: true })).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('oss-difference-image')).toBeVisible()
  await expect(diff.getByRole('img', { name: /Difference scale/ })).toBeVisible()
  expect(consoleErrors).toEqual([])
})
