/**
 * The style linter in the studio (browser mode, Local sandbox): findings under the process string
 * (region "Lint findings") and beside their step, source-dependent rules once the preview knows the
 * image, a fix applied as one undoable edit. Writes docs/screenshots/lint.png.
 */
import { expect, test } from './fixtures'

test('lint findings show under the string and beside the step; a fix is one undo step', async ({ studio: page, consoleErrors }) => {
  const box = page.getByRole('textbox', { name: 'Process string' })
  const findings = page.getByRole('region', { name: 'Lint findings' })
  const pipeline = page.getByRole('list', { name: 'Pipeline' })
  // landscape.jpg is 1200×800: w_1600 is an enlargement limit_1 blocks; the circle on JPEG keeps white corners.
  await page.locator('[data-key="landscape.jpg"]').click()
  await box.fill('image/resize,w_1600/circle,r_300/quality,q_90/format,jpg')
  await box.blur()
  await expect(page.getByTestId('after').locator('[data-stat="size"]')).toHaveText('601 × 601')

  const ids = findings.getByRole('listitem')
  await expect(findings.getByRole('button', { name: 'Fix: upscale-blocked', exact: true })).toBeVisible()
  await expect(ids.filter({ hasText: 'circle-on-jpeg' })).toContainText('white')
  await expect(ids.filter({ hasText: 'upscale-blocked' })).toContainText('1200x800')
  // The JPEG's quality is known (the preview reports it), so q_ is not flagged.
  await expect(ids.filter({ hasText: 'relative-quality' })).toHaveCount(0)
  // Beside the circle step (step 2).
  await expect(pipeline.locator('li.step[data-action="circle"]').getByRole('button', { name: 'Fix: circle-on-jpeg at step 2' })).toBeVisible()
  await expect(pipeline.locator('li.step[data-action="resize"]').getByRole('button', { name: 'Fix: upscale-blocked at step 1' })).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/lint.png' })

  await findings.getByRole('button', { name: 'Fix: circle-on-jpeg', exact: true }).click()
  await expect(box).toHaveValue('image/resize,w_1600/circle,r_300/quality,q_90/format,png')
  await expect(ids.filter({ hasText: 'circle-on-jpeg' })).toHaveCount(0)
  // PNG output: the quality step now does nothing.
  await expect(ids.filter({ hasText: 'quality-no-effect' })).toHaveCount(1)
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(box).toHaveValue('image/resize,w_1600/circle,r_300/quality,q_90/format,jpg')
  await expect(ids.filter({ hasText: 'circle-on-jpeg' })).toHaveCount(1)

  // A crop starting outside the image is an error finding.
  await box.fill('image/resize,w_600/crop,x_700,w_10,h_10')
  await box.blur()
  await expect(findings.locator('[data-lint-id="crop-outside"][data-severity="error"]')).toContainText('600x400')
  expect(consoleErrors.filter((e) => !e.includes('BadRequest') && !e.includes('400'))).toEqual([])
})
