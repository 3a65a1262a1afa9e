/**
 * The Links view in browser mode on the Local sandbox (private demo bucket), by accessible names:
 * objects from a filtered listing (select all shown) or pasted keys × bucket styles and a process
 * string → a matrix of signed V4 / V1 or public URLs (query and delimiter form, the delimiter set in
 * the sandbox settings); Check links fills every cell (status, type, bytes, OSS's code) with a
 * progress bar; Failed only; copy a column / all (list, HTML with srcset) and save CSV to a file;
 * the sandbox's bucket ACL and source-image protection rules as public links meet them.
 * Writes docs/screenshots/link-matrix.png.
 */
import { readFileSync } from 'node:fs'
import type { APIRequestContext, Page } from '@playwright/test'
import sharp from 'sharp'
import { parseCsv } from '../test/support/csv'
import { expect, ORIGIN, test } from './fixtures'

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN })
})

type ClipboardWindow = { navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } } }

/** What the last copy put on the clipboard, which is then emptied. */
async function clipboard(page: Page): Promise<string> {
  const read = () => page.evaluate(() => (globalThis as unknown as ClipboardWindow).navigator.clipboard.readText())
  await expect.poll(read).not.toBe('')
  const text = await read()
  await page.evaluate(() => (globalThis as unknown as ClipboardWindow).navigator.clipboard.writeText(''))
  return text
}

async function fetchImage(request: APIRequestContext, url: string) {
  const response = await request.get(url)
  const body = await response.body()
  return { status: response.status(), type: response.headers()['content-type'], width: response.status() === 200 ? (await sharp(body).metadata()).width : undefined }
}

/** `YYYY-MM-DDTHH:mm` in local time, as a datetime-local input takes it. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

test('Link matrix: objects × styles signed and checked, copied, exported, filtered; delimiter form from the sandbox settings', async ({ studio: page, request, consoleErrors }) => {
  await page.getByRole('tab', { name: 'Links' }).click()
  const options = page.getByRole('complementary', { name: 'Link options' })
  const table = page.getByRole('table', { name: 'Link matrix' })
  const progress = page.getByRole('progressbar', { name: 'Link check progress' })
  const summary = page.getByTestId('links-check-summary')

  // The sandbox's bucket settings: delimiter "!" (the delimiter-form links below use it).
  await options.getByRole('combobox', { name: 'Style delimiter' }).selectOption('!')
  await options.getByRole('button', { name: 'Save sandbox settings' }).click()
  await expect(options.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()

  // Objects: the listing, filtered, all shown selected.
  const listed = options.getByRole('list', { name: 'Listed objects' })
  await expect(listed.getByRole('checkbox')).toHaveCount(5)
  await options.getByRole('textbox', { name: 'Filter objects' }).fill('.jpg')
  await expect(listed.getByRole('checkbox')).toHaveCount(3)
  await options.getByRole('checkbox', { name: /Select all shown/ }).check()
  await expect(options.getByText('3 selected')).toBeVisible()

  // Columns: two bucket styles and a process string.
  const styles = options.getByRole('list', { name: 'Bucket styles' })
  await styles.getByRole('checkbox', { name: 'thumb' }).check()
  await styles.getByRole('checkbox', { name: 'webp-800' }).check()
  await options.getByRole('textbox', { name: 'Process strings' }).fill('image/resize,w_320')

  // Signed V4 for 600 s (the default signing), the expiry shown in the user's zone.
  await options.getByRole('combobox', { name: 'Signing' }).selectOption('v4')
  await options.getByRole('textbox', { name: 'Expiry in seconds' }).fill('600')
  await page.getByRole('button', { name: 'Build links' }).click()
  await expect(table.getByRole('row')).toHaveCount(4)
  await expect(table.getByRole('columnheader')).toHaveText([/Object/, /thumb/, /webp-800/, /image\/resize,w_320/])
  await expect(page.getByTestId('links-expiry')).toContainText('Signed URLs expire')
  const links = table.getByRole('link')
  await expect(links).toHaveCount(9)
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) expect(href).toContain('x-oss-signature=')

  // Check: every cell 200 with its type and size; the progress bar reaches the end.
  await page.getByRole('button', { name: 'Check links' }).click()
  await expect(summary).toHaveText('Checked 9 of 9 · 0 failed')
  await expect(progress).toHaveAttribute('value', '9')
  await expect(table.locator('td[data-checked="true"]')).toHaveCount(9)
  await expect(table.getByRole('row', { name: /landscape\.jpg/ }).getByRole('cell').nth(1)).toContainText(/200 · image\/webp · [\d.]+ KB/)
  await options.evaluate((aside) => aside.scrollTo(0, 0))
  await page.screenshot({ path: 'docs/screenshots/link-matrix.png' })

  // Copy a column as a plain list: three URLs, each served as WebP.
  await page.getByRole('combobox', { name: 'Export format' }).selectOption('list')
  await table.getByRole('button', { name: 'Copy column webp-800' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Copied column webp-800 as Plain list' })).toBeVisible()
  const column = (await clipboard(page)).trim().split('\n')
  expect(column).toHaveLength(3)
  for (const url of column) expect(await fetchImage(request, url)).toMatchObject({ status: 200, type: 'image/webp' })
  // A row: its three URLs; the process column is 320 px wide.
  await table.getByRole('button', { name: 'Copy row portrait.jpg' }).click()
  const row = (await clipboard(page)).trim().split('\n')
  expect(row).toHaveLength(3)
  expect(await fetchImage(request, row[2]!)).toMatchObject({ status: 200, width: 320 })

  // HTML: an <img> per cell and one srcset per object over the width-based columns (320w, 800w).
  await page.getByRole('combobox', { name: 'Export format' }).selectOption('html')
  await page.getByRole('button', { name: 'Copy all' }).click()
  const html = await clipboard(page)
  expect(html.match(/<td><img src=/g)).toHaveLength(9)
  expect(html.match(/<img srcset="[^"]+ 320w, [^"]+ 800w" sizes="\(max-width: 800px\) 100vw, 800px"/g)).toHaveLength(3)

  // Save to file: CSV with the columns.
  await page.getByRole('combobox', { name: 'Export format' }).selectOption('csv')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save to file' }).click()])
  expect(download.suggestedFilename()).toBe('links.csv')
  const rows = parseCsv(readFileSync(await download.path(), 'utf8'))
  expect(rows[0]).toEqual(['key', 'style', 'form', 'url', 'expires'])
  expect(rows.slice(1).map((r) => `${r[0]} ${r[1]} ${r[2]}`)).toContain('large.jpg webp-800 query')
  expect(rows).toHaveLength(10)

  // Public delimiter-form links (styles only) on the private bucket: every check fails with AccessDenied.
  await options.getByRole('textbox', { name: 'Process strings' }).fill('')
  await options.getByRole('combobox', { name: 'URL form' }).selectOption('delimiter')
  await expect(options.getByRole('combobox', { name: 'Delimiter', exact: true })).toHaveValue('!')
  await options.getByRole('combobox', { name: 'Signing' }).selectOption('public')
  await page.getByRole('button', { name: 'Build links' }).click()
  await expect(links).toHaveCount(6)
  expect(await links.first().getAttribute('href')).toMatch(/\/demo-bucket\/landscape\.jpg!thumb$/)
  await page.getByRole('button', { name: 'Check links' }).click()
  await expect(summary).toHaveText('Checked 6 of 6 · 6 failed')
  await expect(table.locator('td[data-failed="true"]').first()).toContainText('403 AccessDenied')

  // The bucket public-read with source-image protection on *.jpg: the same style links now answer;
  // a public image/... link of a protected object is refused with OSS's message.
  await options.getByRole('combobox', { name: 'Bucket ACL' }).selectOption('public-read')
  await options.getByRole('checkbox', { name: 'Source-image protection' }).check()
  await options.getByRole('textbox', { name: /Protection rules/ }).fill('*.jpg')
  await options.getByRole('button', { name: 'Save sandbox settings' }).click()
  await expect(options.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  await page.getByRole('button', { name: 'Check links' }).click()
  await expect(summary).toHaveText('Checked 6 of 6 · 0 failed')
  await options.getByRole('combobox', { name: 'URL form' }).selectOption('query')
  await options.getByRole('textbox', { name: 'Process strings' }).fill('image/resize,w_100')
  await page.getByRole('button', { name: 'Build links' }).click()
  await expect(links).toHaveCount(9)
  await page.getByRole('button', { name: 'Check links' }).click()
  await expect(summary).toHaveText('Checked 9 of 9 · 3 failed')
  await expect(table.getByRole('row', { name: /landscape\.jpg/ }).getByRole('cell').nth(2)).toContainText('403 AccessDenied — The channel can be only accessed using style.')
  await options.getByRole('textbox', { name: 'Process strings' }).fill('')

  // Pasted keys, signed V1 until a date: the missing key fails with NoSuchKey; Failed only keeps its row.
  await options.getByRole('radio', { name: 'Pasted keys' }).check()
  await options.getByRole('textbox', { name: 'Object keys' }).fill('landscape.jpg\nmissing.jpg')
  await options.getByRole('combobox', { name: 'Signing' }).selectOption('v1')
  await options.getByRole('combobox', { name: 'Expiry', exact: true }).selectOption('date')
  await options.getByLabel('Expiry date').fill(localInput(new Date(Date.now() + 24 * 3600 * 1000)))
  await page.getByRole('button', { name: 'Build links' }).click()
  await expect(links).toHaveCount(4)
  expect(await links.first().getAttribute('href')).toContain('OSSAccessKeyId=')
  await page.getByRole('button', { name: 'Check links' }).click()
  await expect(summary).toHaveText('Checked 4 of 4 · 2 failed')
  await page.getByRole('checkbox', { name: 'Failed only' }).check()
  await expect(table.getByRole('row')).toHaveCount(2)
  await expect(table.getByRole('row', { name: /missing\.jpg/ })).toContainText('NoSuchKey')
  await expect(table.getByRole('row', { name: /landscape\.jpg/ })).toHaveCount(0)

  // Back to the defaults for other specs: a private bucket, no delimiter, no protection.
  await options.getByRole('combobox', { name: 'Bucket ACL' }).selectOption('private')
  await options.getByRole('checkbox', { name: 'Source-image protection' }).uncheck()
  await options.getByRole('textbox', { name: /Protection rules/ }).fill('')
  await options.getByRole('combobox', { name: 'Style delimiter' }).selectOption('')
  await options.getByRole('button', { name: 'Save sandbox settings' }).click()
  await expect(options.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  expect(consoleErrors).toEqual([])
})
