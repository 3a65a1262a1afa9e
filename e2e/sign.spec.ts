/**
 * Signed URLs and the bucket browser's search and checkboxes, in browser mode on the Local
 * sandbox: "Copy signed URL" puts a URL on the clipboard that the sandbox serves (HTTP 200, the
 * expected dimensions) with V1 and V4; two checked objects copy as CSV, each row fetchable; an
 * expired or tampered URL is refused (403); a string equal to a bucket style signs `style/NAME`.
 */
import type { APIRequestContext, Page } from '@playwright/test'
import sharp from 'sharp'
import { parseCsv } from '../test/support/csv'
import { expect, ORIGIN, SAMPLES, test } from './fixtures'

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN })
})

function ui(page: Page) {
  return {
    box: page.getByRole('textbox', { name: 'Process string' }),
    copy: page.getByRole('button', { name: 'Copy signed URL' }),
    caret: page.getByRole('button', { name: 'Signed URL options' }),
    panel: page.getByRole('dialog', { name: 'Signed URL' }),
    toast: page.locator('.sign-toast'),
    objects: page.getByRole('list', { name: 'Objects' })
  }
}

async function setProcess(page: Page, process: string) {
  const { box } = ui(page)
  await box.fill(process)
  await box.blur()
  await expect(page.getByTestId('after').locator('.pane-sub')).toHaveText(process)
}

// The e2e project has no DOM types: the page's clipboard, typed by hand.
type ClipboardWindow = { navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } } }

/**
 * What the last copy put on the clipboard, which is then emptied: the toast of an earlier copy may
 * still show the same text, so each read waits for a copy it has not seen.
 */
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
  const meta = response.status() === 200 ? await sharp(body).metadata() : undefined
  return { status: response.status(), width: meta?.width, height: meta?.height, body: body.toString('latin1') }
}

test('Copy signed URL: V4 and V1 URLs from the clipboard are served with the expected size; tampered and expired ones are refused', async ({ studio: page, request, consoleErrors }) => {
  const { copy, caret, panel, toast } = ui(page)
  await page.locator('[data-key="landscape.jpg"]').click()
  await setProcess(page, 'image/resize,m_fixed,w_120,h_90')

  // V4 by default, at once with the current options.
  await copy.click()
  await expect(toast).toHaveText('Copied signed URL')
  const v4 = await clipboard(page)
  expect(v4).toContain('x-oss-signature-version=OSS4-HMAC-SHA256')
  expect(new URL(v4).searchParams.get('x-oss-process')).toBe('image/resize,m_fixed,w_120,h_90')
  expect(await fetchImage(request, v4)).toMatchObject({ status: 200, width: 120, height: 90 })

  // V1 through the options; Escape closes the panel and gives the focus back to the caret.
  await caret.click()
  await expect(panel).toBeVisible()
  await panel.getByRole('radiogroup', { name: 'Signature version' }).getByRole('radio', { name: 'V1' }).click()
  await expect(panel.getByRole('textbox', { name: 'Signed URL' })).toHaveValue(/OSSAccessKeyId=.*Signature=/)
  await expect(panel.getByTestId('sign-expiry')).toContainText('in 1 hour')
  await page.keyboard.press('Escape')
  await expect(panel).toHaveCount(0)
  await expect(caret).toBeFocused()
  await copy.click()
  await expect(toast).toHaveText('Copied signed URL')
  const v1 = await clipboard(page)
  expect(v1).toContain('OSSAccessKeyId=')
  expect(v1).not.toBe(v4)
  expect(await fetchImage(request, v1)).toMatchObject({ status: 200, width: 120, height: 90 })

  // Tampered: a different process string under the same signature.
  const tampered = v1.replace('w_120', 'w_121')
  const refused = await fetchImage(request, tampered)
  expect(refused.status).toBe(403)
  expect(refused.body).toContain('SignatureDoesNotMatch')

  // Expired: a custom expiry of one second.
  await caret.click()
  await panel.getByRole('radio', { name: 'Custom' }).click()
  await panel.getByRole('textbox', { name: 'Custom expiry' }).fill('1')
  await panel.getByRole('combobox', { name: 'Custom expiry unit' }).selectOption('minutes')
  await panel.getByRole('textbox', { name: 'Custom expiry' }).fill('0.02')
  await expect(panel.getByTestId('sign-expiry')).toContainText('in 0 minutes')
  await panel.getByRole('button', { name: 'Copy URL' }).click()
  await expect(toast).toHaveText('Copied signed URL')
  const shortLived = await clipboard(page)
  await page.waitForTimeout(2_200)
  const expired = await fetchImage(request, shortLived)
  expect(expired.status).toBe(403)
  expect(expired.body).toContain('AccessDenied')
  // Back to the defaults for the next test.
  await panel.getByRole('radio', { name: '1 hour' }).click()
  await panel.getByRole('radio', { name: 'V4' }).click()
  await page.keyboard.press('Escape')
  expect(consoleErrors).toEqual([])
})

test('checkboxes: two objects copy as CSV and as a list, every URL is served; Shift-click checks a range; the current object stays apart', async ({ studio: page, request, consoleErrors }) => {
  const { copy, caret, panel, toast, objects } = ui(page)
  await page.locator('[data-key="portrait.jpg"]').click()
  await setProcess(page, 'image/resize,w_100')

  await page.getByRole('checkbox', { name: 'Select landscape.jpg' }).check()
  await page.getByRole('checkbox', { name: 'Select logo.png' }).check()
  await expect(page.locator('.selection-count')).toHaveText('2 selected')
  // Checking is not previewing: the current object is still portrait.jpg.
  await expect(objects.locator('[data-key="portrait.jpg"]')).toHaveAttribute('aria-current', 'true')

  await caret.click()
  await expect(panel.getByRole('list', { name: 'Objects to sign' })).toContainText('landscape.jpg')
  await expect(panel.getByRole('textbox', { name: 'Signed URLs' })).toHaveValue(/landscape\.jpg.*\n.*logo\.png/)
  await panel.getByRole('button', { name: 'Copy as CSV' }).click()
  await expect(toast).toHaveText('Copied 2 rows as CSV')
  const csv = await clipboard(page)
  const rows = parseCsv(csv)
  expect(rows[0]).toEqual(['key', 'url', 'expires_at'])
  expect(rows.slice(1).map((r) => r[0])).toEqual(['landscape.jpg', 'logo.png'])
  const heights: Record<string, number> = { 'landscape.jpg': 67, 'logo.png': 33 }
  for (const [key, url, expiresAt] of rows.slice(1)) {
    expect(Date.parse(expiresAt!) - Date.now()).toBeGreaterThan(3_500_000)
    const image = await fetchImage(request, url!)
    expect(image.status).toBe(200)
    expect(image.width).toBe(100)
    expect(image.height).toBe(heights[key!])
  }
  await panel.getByRole('button', { name: 'Copy as list' }).click()
  await expect(toast).toHaveText('Copied 2 URLs')
  // Every copy signs afresh (a full expiry from now), so the signatures may differ from the CSV's.
  const list = (await clipboard(page)).split('\n')
  const path = (url: string) => new URL(url).pathname
  expect(list.map(path)).toEqual(rows.slice(1).map((r) => path(r[1]!)))
  for (const url of list) expect((await fetchImage(request, url)).status).toBe(200)

  // The main button copies the checked set too.
  await page.keyboard.press('Escape')
  await copy.click()
  await expect(toast).toHaveText('Copied 2 URLs')
  expect((await clipboard(page)).split('\n').map(path)).toEqual(rows.slice(1).map((r) => path(r[1]!)))

  // Shift-click: from the last plain click (logo.png) up to animated.gif.
  await page.getByRole('button', { name: 'Clear' }).click()
  await expect(page.locator('.selection-count')).toHaveText(`${SAMPLES.length} objects`)
  await page.getByRole('checkbox', { name: 'Select animated.gif' }).click()
  await page.getByRole('checkbox', { name: 'Select logo.png' }).click({ modifiers: ['Shift'] })
  for (const name of ['animated.gif', 'landscape.jpg', 'large.jpg', 'logo.png']) await expect(page.getByRole('checkbox', { name: `Select ${name}` })).toBeChecked()
  await expect(page.getByRole('checkbox', { name: 'Select portrait.jpg' })).not.toBeChecked()
  // Select all / clear in the header.
  await page.getByRole('checkbox', { name: 'Select all objects shown' }).check()
  await expect(page.locator('.selection-count')).toHaveText(`${SAMPLES.length} selected`)
  await page.getByRole('button', { name: 'Clear' }).click()
  await expect(page.getByRole('checkbox', { name: 'Select landscape.jpg' })).not.toBeChecked()
  expect(consoleErrors).toEqual([])
})

test('search filters the folder as you type and searches everything under it', async ({ studio: page, consoleErrors }) => {
  const { objects } = ui(page)
  const search = page.getByRole('searchbox', { name: 'Search objects' })
  await expect(objects.locator('[data-key]')).toHaveCount(SAMPLES.length)
  await search.fill('LAND')
  await expect(objects.locator('[data-key]')).toHaveCount(1)
  await expect(objects.locator('[data-key="landscape.jpg"]')).toBeVisible()
  await search.fill('.jpg')
  await expect(objects.locator('[data-key]')).toHaveCount(3)
  await search.fill('nothing-like-this')
  await expect(page.getByText('No matches in this folder')).toBeVisible()

  // The whole tree under the folder: the note says how much was searched.
  await search.fill('p')
  await search.press('Enter')
  await expect(page.locator('.search-note')).toContainText(`Searched ${SAMPLES.length} objects under the bucket`)
  await expect(objects.locator('[data-key]')).toHaveCount(SAMPLES.filter((s) => s.includes('p')).length)
  await page.getByRole('button', { name: 'Back to folder' }).click()
  await expect(page.locator('.search-note')).toHaveCount(0)
  await search.fill('')
  await expect(objects.locator('[data-key]')).toHaveCount(SAMPLES.length)
  expect(consoleErrors).toEqual([])
})

test('a string equal to a bucket style signs style/NAME; screenshot', async ({ studio: page, request, consoleErrors }) => {
  const { copy, caret, panel, toast } = ui(page)
  await page.locator('[data-key="landscape.jpg"]').click()
  // The demo bucket's `thumb` style, written differently (same canonical form).
  await setProcess(page, 'image/resize,m_fill,w_200,h_200')
  await page.getByRole('checkbox', { name: 'Select landscape.jpg' }).check()
  await page.getByRole('checkbox', { name: 'Select portrait.jpg' }).check()
  await caret.click()
  const processing = panel.getByRole('combobox', { name: 'Processing' })
  await expect(processing).toHaveValue('style:thumb')
  await expect(panel.locator('.sign-process')).toHaveText('x-oss-process=style/thumb')
  await expect(panel.getByRole('textbox', { name: 'Signed URLs' })).toHaveValue(/style%2Fthumb/)
  await expect(panel.getByTestId('protection-state')).toContainText('not detectable')
  await page.mouse.move(0, 0)
  await page.screenshot({ path: 'docs/screenshots/signed-url.png' })

  // "No processing" signs the original.
  await processing.selectOption('none')
  await expect(panel.locator('.sign-process')).toHaveText('no x-oss-process')
  await processing.selectOption('style:thumb')
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'Clear' }).click()

  await copy.click()
  await expect(toast).toHaveText('Copied signed URL')
  const url = await clipboard(page)
  expect(new URL(url).searchParams.get('x-oss-process')).toBe('style/thumb')
  expect(await fetchImage(request, url)).toMatchObject({ status: 200, width: 200, height: 200 })

  // A style the bucket lacks: OSS's error in the panel instead of a URL that cannot work.
  await ui(page).box.fill('style/not-in-bucket')
  await expect(page.getByTestId('process-error')).toContainText('NoSuchStyle')
  await copy.click()
  await expect(panel.getByRole('alert')).toContainText('NoSuchStyle')
  await page.keyboard.press('Escape')
  expect(consoleErrors.filter((e) => !e.includes('404'))).toEqual([])
})
