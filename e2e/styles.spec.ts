/**
 * Named styles on the Local sandbox: Save style (versions), revert, push — and the pushed style
 * renders through `style/NAME` from the sandbox bucket over HTTP; rename, duplicate, delete,
 * export/import of JSON; the bucket diff and pull. Every style made here is named `e2e-…` and
 * removed from the library and the bucket at the end (other specs see the demo bucket's styles).
 */
import { readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import sharp from 'sharp'
import { expect, test } from './fixtures'

test.describe.configure({ mode: 'serial' })

function ui(page: Page) {
  const library = page.getByRole('region', { name: 'Style library' })
  return {
    box: page.getByRole('textbox', { name: 'Process string' }),
    saveButton: page.getByRole('button', { name: 'Save style', exact: true }),
    library,
    item: (name: string) => library.getByRole('list', { name: 'Styles' }).getByRole('listitem', { name, exact: true }),
    sync: page.getByRole('region', { name: 'Sync with bucket' })
  }
}

async function openStyles(page: Page) {
  await page.getByRole('tab', { name: 'Styles' }).click()
  await expect(ui(page).library).toBeVisible()
}

async function typeProcess(page: Page, process: string) {
  const { box } = ui(page)
  await box.fill(process)
  await box.press('Enter')
  await expect(box).toHaveValue(process)
}

/** Save style → name (and description) → Enter; `note` is what the dialog says it will do. */
async function saveStyle(page: Page, name: string, note: string, description?: string) {
  const { saveButton } = ui(page)
  await saveButton.click()
  const dialog = page.getByRole('dialog', { name: 'Save style' })
  await dialog.getByLabel('Name').fill(name)
  if (description !== undefined) await dialog.getByLabel(/Description/).fill(description)
  await expect(dialog.getByTestId('save-note')).toHaveText(note)
  await dialog.getByLabel('Name').press('Enter')
  await expect(dialog).toHaveCount(0)
  await expect(saveButton).toBeFocused()
}

async function styleAction(page: Page, name: string, action: string) {
  await ui(page).item(name).getByRole('button', { name: `Actions for ${name}` }).click()
  await page.getByRole('menu', { name: `Actions for ${name}` }).getByRole('menuitem', { name: action }).click()
}

async function expectVersions(item: Locator, count: number) {
  await expect(item.getByTestId('version-count')).toHaveText(`${count} version${count === 1 ? '' : 's'}`)
}

/**
 * A V4 URL signed by main for `key` of the active profile's bucket, asked for over the studio's
 * own IPC WebSocket (the page's cookie authenticates it) — what the renderer's client does.
 */
async function signedUrl(page: Page, key: string, process: string): Promise<string> {
  return page.evaluate(
    async ({ key, process }) => {
      const { host } = (globalThis as unknown as { location: { host: string } }).location
      const ws = new WebSocket(`ws://${host}/ipc`)
      await new Promise((resolve, reject) => {
        ws.onopen = resolve
        ws.onerror = reject
      })
      let next = 0
      const call = (channel: string, payload: unknown) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const id = `e2e-${(next += 1)}`
          ws.addEventListener('message', (event) => {
            const message = JSON.parse(String(event.data)) as { t: string; id?: string; ok?: boolean; result?: Record<string, unknown>; error?: unknown }
            if (message.t !== 'res' || message.id !== id) return
            if (message.ok) resolve(message.result!)
            else reject(new Error(JSON.stringify(message.error)))
          })
          ws.send(JSON.stringify({ t: 'req', id, channel, payload }))
        })
      const { activeId } = await call('profiles:list', {})
      const { url } = await call('sign:url', { profileId: activeId, key, process, expiresSeconds: 600, version: 'v4' })
      ws.close()
      return url as string
    },
    { key, process }
  )
}

test('save twice → 2 versions, revert, push: the bucket renders style/e2e-thumb', async ({ studio: page, consoleErrors }) => {
  const { box, saveButton, item } = ui(page)
  await openStyles(page)

  await typeProcess(page, 'image/resize,m_fill,w_120,h_90')
  await saveStyle(page, 'e2e-thumb', 'Creates the style e2e-thumb.', 'Listing thumbnail, 4:3')
  const thumb = item('e2e-thumb')
  await expect(thumb).toBeVisible()
  await expect(thumb).toHaveAttribute('aria-current', 'true')
  await expect(thumb.getByText('image/resize,m_fill,w_120,h_90')).toBeVisible()
  await expect(thumb.getByText('local only')).toBeVisible()
  await expectVersions(thumb, 1)
  await expect(page.getByTestId('current-style')).toHaveText('Style e2e-thumb')

  // An invalid string cannot be saved.
  await box.fill('image/resize,w_0')
  await expect(saveButton).toBeDisabled()

  await typeProcess(page, 'image/resize,m_fill,w_160,h_120/format,png')
  await expect(page.getByTestId('current-style')).toHaveText('Style e2e-thumb • modified')
  await saveStyle(page, 'e2e-thumb', 'Saves version 2 of e2e-thumb.')
  await expectVersions(thumb, 2)
  await expect(page.getByTestId('current-style')).toHaveText('Style e2e-thumb')

  // Versions: revert to version 1 (saved as version 3, opened in the editor).
  await styleAction(page, 'e2e-thumb', 'Versions')
  const versions = thumb.getByRole('list', { name: 'Versions of e2e-thumb' })
  await expect(versions.getByRole('listitem')).toHaveCount(2)
  await versions.getByRole('button', { name: 'Revert to version 1' }).click()
  await expectVersions(thumb, 3)
  await expect(box).toHaveValue('image/resize,m_fill,w_120,h_90')
  await expect(versions.getByRole('listitem')).toHaveCount(3)

  // Push to the sandbox bucket.
  await styleAction(page, 'e2e-thumb', 'Push to bucket')
  await expect(thumb.getByRole('status')).toHaveText('Pushed to demo-bucket.')
  await expect(thumb.getByText('in sync')).toBeVisible()

  // The proof: the sandbox renders the object through style/e2e-thumb over HTTP.
  const url = await signedUrl(page, 'landscape.jpg', 'style/e2e-thumb')
  expect(url).toMatch(/x-oss-process=style(%2F|\/)e2e-thumb/)
  const response = await fetch(url)
  expect(response.status).toBe(200)
  const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
  expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({ width: 120, height: 90, format: 'jpeg' })
  expect(consoleErrors).toEqual([])
})

test('duplicate, rename, export, import with "keep both", delete', async ({ studio: page, consoleErrors }) => {
  const { item, library } = ui(page)
  await openStyles(page)
  const thumb = item('e2e-thumb')
  await expect(thumb).toBeVisible()

  await styleAction(page, 'e2e-thumb', 'Duplicate…')
  await thumb.getByLabel('Name of the copy of e2e-thumb').fill('e2e-copy')
  await thumb.getByRole('button', { name: 'Duplicate' }).click()
  await expect(item('e2e-copy')).toBeVisible()

  await styleAction(page, 'e2e-copy', 'Rename…')
  const rename = item('e2e-copy').getByLabel('New name for e2e-copy')
  await rename.fill('e2e copy')
  await expect(item('e2e-copy').getByText(/stylename is invalid/)).toBeVisible()
  await rename.fill('e2e-renamed')
  await rename.press('Enter')
  await expect(item('e2e-renamed')).toBeVisible()
  await expect(item('e2e-copy')).toHaveCount(0)

  // Export the selected style as a JSON download.
  await thumb.getByRole('checkbox', { name: 'Select e2e-thumb' }).check()
  const downloading = page.waitForEvent('download')
  await library.getByRole('button', { name: 'Export (1)' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('e2e-thumb.oss-img-styles.json')
  const file = await download.path()
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; styles: { name: string; process: string }[] }
  expect(exported.format).toBe('oss-img-studio/styles')
  expect(exported.styles).toEqual([expect.objectContaining({ name: 'e2e-thumb', process: 'image/resize,m_fill,w_120,h_90' })])
  await thumb.getByRole('checkbox', { name: 'Select e2e-thumb' }).uncheck()

  // The library moved on; importing the file back with "keep both" makes a copy.
  await typeProcess(page, 'image/resize,m_fill,w_120,h_90/quality,q_70')
  await saveStyle(page, 'e2e-thumb', 'Saves version 4 of e2e-thumb.')
  await library.getByRole('button', { name: 'Import' }).click()
  const importing = library.getByRole('group', { name: 'Import styles' })
  await importing.getByLabel('When a name exists').selectOption('rename')
  await importing.getByLabel('Import styles from a JSON file').setInputFiles(file)
  await expect(importing.getByTestId('import-summary')).toContainText('e2e-thumb exists: imported as e2e-thumb-2')
  await expect(item('e2e-thumb-2').getByText('image/resize,m_fill,w_120,h_90')).toBeVisible()
  await importing.getByRole('button', { name: 'Close' }).click()
  await styleAction(page, 'e2e-thumb', 'Versions')
  await expect(thumb.getByRole('list', { name: 'Versions of e2e-thumb' }).getByRole('listitem')).toHaveCount(4)
  await page.screenshot({ path: 'docs/screenshots/styles-library.png' })
  await styleAction(page, 'e2e-thumb', 'Hide versions')

  // Delete: local only, said so.
  for (const name of ['e2e-thumb-2', 'e2e-renamed']) {
    await styleAction(page, name, 'Delete…')
    const confirm = item(name).getByRole('alertdialog', { name: `Delete ${name}?` })
    await expect(confirm).toContainText('from the local library')
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expect(item(name)).toHaveCount(0)
  }
  expect(consoleErrors).toEqual([])
})

test('sync: the diff shows what differs; pull takes the bucket’s content', async ({ studio: page, consoleErrors }) => {
  const { item, library, sync } = ui(page)
  await openStyles(page)

  // e2e-pull: A pushed, then B pushed (the bucket now holds B), then A again locally.
  await typeProcess(page, 'image/resize,w_300')
  await saveStyle(page, 'e2e-pull', 'Creates the style e2e-pull.')
  await styleAction(page, 'e2e-pull', 'Push to bucket')
  await expect(item('e2e-pull').getByText('in sync')).toBeVisible()
  await typeProcess(page, 'image/resize,w_320/format,webp')
  await saveStyle(page, 'e2e-pull', 'Saves version 2 of e2e-pull.')
  await expect(item('e2e-pull').getByText('differs')).toBeVisible()
  await styleAction(page, 'e2e-pull', 'Push to bucket')
  await expect(item('e2e-pull').getByText('in sync')).toBeVisible()
  await styleAction(page, 'e2e-pull', 'Versions')
  await item('e2e-pull').getByRole('button', { name: 'Revert to version 1' }).click()
  await expect(item('e2e-pull').getByText('differs')).toBeVisible()

  await library.getByRole('button', { name: /Sync with bucket/ }).click()
  const differences = sync.getByRole('list', { name: 'Differences' })
  const entry = differences.getByRole('listitem', { name: 'e2e-pull' })
  await expect(entry).toHaveAttribute('data-state', 'different')
  await expect(entry.locator('mark[data-side="local"]')).toHaveText(['w_300'])
  await expect(entry.locator('mark[data-side="bucket"]')).toHaveText(['w_320', 'format', 'webp'])
  // e2e-thumb changed locally in the previous test; the demo bucket's own styles are bucket-only.
  await expect(differences.getByRole('listitem', { name: 'e2e-thumb' })).toHaveAttribute('data-state', 'different')
  await expect(differences.getByRole('listitem', { name: 'webp-800' })).toHaveAttribute('data-state', 'bucket-only')
  await expect(sync.getByText('6 of 50 styles')).toBeVisible()
  await page.screenshot({ path: 'docs/screenshots/styles-diff.png' })

  await entry.getByRole('button', { name: 'Pull e2e-pull' }).click()
  await expect(differences.getByRole('listitem', { name: 'e2e-pull' })).toHaveCount(0)
  await expect(sync.getByTestId('sync-same')).toContainText('e2e-pull')

  await library.getByRole('button', { name: 'Library' }).click()
  await expect(item('e2e-pull').getByText('image/resize,w_320/format,webp')).toBeVisible()
  await expectVersions(item('e2e-pull'), 4)
  expect(consoleErrors).toEqual([])
})

test('cleanup: deleting from the library and the bucket leaves the demo bucket as it was', async ({ studio: page }) => {
  const { item, library, sync } = ui(page)
  await openStyles(page)
  for (const name of ['e2e-thumb', 'e2e-pull']) {
    await expect(item(name).getByText(/in sync|differs/)).toBeVisible()
    await styleAction(page, name, 'Delete…')
    const confirm = item(name).getByRole('alertdialog', { name: `Delete ${name}?` })
    await expect(confirm).toContainText('The copy in demo-bucket is kept')
    await confirm.getByLabel('Also delete it from demo-bucket').check()
    await confirm.getByRole('button', { name: 'Delete everywhere' }).click()
    await expect(item(name)).toHaveCount(0)
  }
  await library.getByRole('button', { name: /Sync with bucket/ }).click()
  await expect(sync.getByText('4 of 50 styles')).toBeVisible()
})
