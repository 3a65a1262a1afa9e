/**
 * The Jobs view over the Local sandbox's demo bucket: a job created from the UI with a process
 * string, the template's live example, a dry run, a run to 100 % with its counts and its outputs, its
 * state after a page reload (jobs live in main), the CSV report as a download, and a live failure
 * list with the error code. The targets are a temporary folder on this machine (local mode): other
 * specs count every object of the demo bucket, so the bucket stays as it is.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import sharp from 'sharp'
import { expect, SAMPLES, test } from './fixtures'

const OUT = mkdtempSync(join(tmpdir(), 'jobs-e2e-out-'))
test.afterAll(() => rmSync(OUT, { recursive: true, force: true }))

async function newJob(page: Page, fields: { process: string; label: string; template: string; name: string }) {
  await page.getByRole('tab', { name: 'Jobs' }).click()
  await page.getByRole('button', { name: 'New job' }).first().click()
  const form = page.getByRole('form', { name: 'New job' })
  await form.getByLabel('Process string').fill(fields.process)
  await form.getByLabel('Label for {style}').fill(fields.label)
  await form.getByLabel('Write to').selectOption('folder')
  await form.getByLabel('Target folder').fill(OUT)
  await form.getByLabel('Key template').fill(fields.template)
  await form.getByLabel('Job name').fill(fields.name)
  return form
}

test('failures show live with OSS’s code; retry failed is offered', async ({ studio: page, consoleErrors }) => {
  // Only large.jpg (2400 px wide) has a pixel at x = 1300: the other samples fail with BadRequest.
  const form = await newJob(page, { process: 'image/crop,x_1300,y_0,w_200,h_200', label: 'crop', template: 'crop/{name}.{format}', name: 'Crop right edge' })
  await form.getByRole('button', { name: 'Start' }).click()

  const detail = page.getByRole('article', { name: 'Job Crop right edge' })
  await expect(detail.getByTestId('job-state')).toHaveText('Finished')
  await expect(detail.getByTestId('job-counts').locator('[data-stat="done"] dd')).toHaveText('1')
  await expect(detail.getByTestId('job-counts').locator('[data-stat="failed"] dd')).toHaveText(String(SAMPLES.length - 1))
  const failures = detail.getByRole('table', { name: 'Failures' })
  await expect(failures.locator('tbody tr')).toHaveCount(SAMPLES.length - 1)
  await expect(failures.locator('tbody tr').filter({ hasText: 'landscape.jpg' })).toContainText('BadRequest')
  await expect(detail.getByRole('button', { name: 'Retry failed' })).toBeEnabled()
  expect(consoleErrors).toEqual([])
})

test('a job from the UI: example, dry run, run to 100 %, state after a reload, CSV report', async ({ studio: page, consoleErrors }) => {
  const form = await newJob(page, { process: 'image/resize,m_fill,w_120,h_120', label: 'thumb120', template: 'thumbs/{name}.{format}', name: 'Demo thumbnails' })

  // The template rendered for the first key of the bucket, by main.
  await expect(form.getByTestId('template-example')).toContainText('animated.gif')
  await expect(form.getByTestId('template-example')).toContainText('thumbs/animated.gif')

  await form.getByRole('button', { name: 'Dry run' }).click()
  const manifest = form.getByRole('region', { name: 'Dry run' })
  await expect(manifest.getByTestId('manifest-summary').locator('[data-stat="items"] dd')).toHaveText(String(SAMPLES.length))
  await expect(manifest.getByTestId('manifest-summary').locator('[data-stat="bytes"] dd')).toHaveText(/\d (KB|MB)$/)
  const rows = manifest.getByRole('table', { name: 'Manifest' }).locator('tbody tr')
  await expect(rows).toHaveCount(SAMPLES.length)
  for (const name of SAMPLES) await expect(rows.filter({ hasText: name }).first()).toContainText(`thumbs/${name}`)
  await page.screenshot({ path: 'test-results/jobs-new.png' })

  await form.getByRole('button', { name: 'Start' }).click()
  const detail = page.getByRole('article', { name: 'Job Demo thumbnails' })
  const bar = detail.getByRole('progressbar', { name: 'Progress' })
  await expect(bar).toHaveAttribute('aria-valuenow', '100')
  await expect(detail.getByTestId('job-state')).toHaveText('Finished')
  await expect(detail.getByTestId('job-percent')).toHaveText('100 %')
  const counts = detail.getByTestId('job-counts')
  await expect(counts.locator('[data-stat="done"] dd')).toHaveText(String(SAMPLES.length))
  await expect(counts.locator('[data-stat="failed"] dd')).toHaveText('0')
  await expect(detail.getByRole('table', { name: 'Failures' })).toHaveCount(0)
  expect(readdirSync(join(OUT, 'thumbs')).sort()).toEqual([...SAMPLES].sort())
  for (const name of SAMPLES) {
    const meta = await sharp(join(OUT, 'thumbs', name)).metadata()
    expect([meta.width, meta.pageHeight ?? meta.height]).toEqual([120, 120])
  }

  // Concurrency is kept with the job (and applied at once to a running one).
  const concurrency = detail.getByLabel('Concurrency')
  await concurrency.fill('3')
  await detail.getByRole('button', { name: 'Set', exact: true }).click()
  await expect(detail.getByRole('button', { name: 'Set', exact: true })).toBeDisabled()

  // Jobs live in main: a reloaded page lists them as they are.
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  await page.getByRole('tab', { name: 'Jobs' }).click()
  const row = page.getByRole('list', { name: 'Job list' }).getByRole('button', { name: /Demo thumbnails/ })
  await expect(row.getByTestId('job-state')).toHaveText('Finished')
  await row.click()
  await expect(detail.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('aria-valuenow', '100')
  await expect(detail.getByTestId('job-counts').locator('[data-stat="done"] dd')).toHaveText(String(SAMPLES.length))
  await expect(detail.getByLabel('Concurrency')).toHaveValue('3')

  const [download] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: 'Export report' }).click()])
  expect(download.suggestedFilename()).toBe('Demo-thumbnails-report.csv')
  const csv = readFileSync(await download.path(), 'utf8').trimEnd().split('\r\n')
  expect(csv).toHaveLength(SAMPLES.length + 1)
  for (const name of SAMPLES) expect(csv.find((line) => line.includes(`thumbs/${name}`))).toContain('done')

  // A dry run of the job as it stands: the same manifest.
  await detail.getByRole('button', { name: 'Dry run' }).click()
  await expect(detail.getByRole('region', { name: 'Dry run' }).getByTestId('manifest-summary').locator('[data-stat="items"] dd')).toHaveText(String(SAMPLES.length))

  await page.screenshot({ path: 'docs/screenshots/jobs.png' })
  expect(consoleErrors).toEqual([])
})
