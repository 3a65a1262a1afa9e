/**
 * Connection profiles through the real vault and the Local sandbox: a wrong secret shows OSS's own
 * error; a secret sent once never comes back — not in the page, not in any message from main, not
 * in the server's logs, not in plain text on disk.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { DATA_DIR, expect, recordTraffic, SERVER_LOG, test } from './fixtures'

async function sandboxEndpoint(page: Page): Promise<string> {
  const card = page.locator('[data-profile-id="local-sandbox"]')
  await expect(card.locator('[data-fact="Endpoint"]')).toHaveText(/^http:\/\/localhost:\d+$/)
  return (await card.locator('[data-fact="Endpoint"]').textContent()) ?? ''
}

/** The renderer's whole JavaScript heap (after a full GC) as text: every live string is in it. */
async function heapSnapshot(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page)
  const chunks: string[] = []
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (event) => chunks.push(event.chunk))
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  await cdp.detach()
  return chunks.join('')
}

async function createProfile(
  page: Page,
  fields: { name: string; endpoint: string; bucket: string; accessKeyId: string; accessKeySecret: string },
  beforeSubmit?: () => Promise<void>
) {
  await page.getByRole('button', { name: 'New profile' }).first().click()
  const form = page.getByRole('form', { name: 'New profile' })
  await form.getByLabel('Name').fill(fields.name)
  await form.getByLabel('Endpoint').fill(fields.endpoint)
  await form.getByLabel('Default bucket').fill(fields.bucket)
  await form.getByLabel('AccessKey ID').fill(fields.accessKeyId)
  await form.getByLabel('AccessKey secret').fill(fields.accessKeySecret)
  await beforeSubmit?.()
  await form.getByRole('button', { name: 'Create profile' }).click()
  await expect(form).toHaveCount(0)
  return page.getByRole('listitem', { name: fields.name })
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

test('the profile form validates before anything is sent', async ({ studio: page }) => {
  await page.getByRole('tab', { name: 'Profiles' }).click()
  await page.getByRole('button', { name: 'New profile' }).first().click()
  const form = page.getByRole('form', { name: 'New profile' })
  await form.getByLabel('Default bucket').fill('Not_A_Bucket')
  await form.getByRole('button', { name: 'Create profile' }).click()
  await expect(form.getByText('Give the profile a name.')).toBeVisible()
  await expect(form.getByText('Enter an endpoint or a region.')).toBeVisible()
  await expect(form.getByText(/lowercase letters, digits and hyphens/)).toBeVisible()
  await expect(form.getByText('Enter the AccessKey secret.')).toBeVisible()
  await page.screenshot({ path: 'test-results/profiles-validation.png' })
  await form.getByRole('button', { name: 'Cancel' }).click()
})

test('a profile with a wrong secret shows OSS’s error on Test connection', async ({ studio: page }) => {
  await page.getByRole('tab', { name: 'Profiles' }).click()
  const sandbox = page.locator('[data-profile-id="local-sandbox"]')
  await sandbox.getByRole('button', { name: 'Test connection' }).click()
  await expect(sandbox.getByTestId('test-result')).toContainText('Connected')

  const name = `Wrong secret ${randomBytes(3).toString('hex')}`
  const card = await createProfile(page, {
    name,
    endpoint: await sandboxEndpoint(page),
    bucket: 'demo-bucket',
    accessKeyId: 'LTAI5tWrongKeyId0001',
    accessKeySecret: 'not-the-right-secret'
  })
  await expect(card.locator('[data-fact="AccessKey ID"]')).toHaveText(/^LTAI\*+0001$/)
  await card.getByRole('button', { name: 'Test connection' }).click()
  const result = card.getByTestId('test-result')
  await expect(result.locator('.error-code')).toHaveText(/^(InvalidAccessKeyId|SignatureDoesNotMatch)$/)
  await expect(result.locator('[data-field="HTTP"]')).toHaveText('403')
  await expect(result.locator('[data-field="Request ID"]')).toHaveText(/\S+/)
  await page.screenshot({ path: 'docs/screenshots/profiles-wrong-secret.png' })

  // Using it in the studio shows the same error where the bucket would be listed.
  await card.getByRole('button', { name: 'Use' }).click()
  await page.getByRole('tab', { name: 'Studio' }).click()
  await expect(page.getByRole('region', { name: 'Bucket browser' }).locator('.error-code')).toHaveText(/^(InvalidAccessKeyId|SignatureDoesNotMatch)$/)
  await page.screenshot({ path: 'test-results/studio-wrong-secret.png' })

  // Delete it again (the Local sandbox becomes active).
  await page.getByRole('tab', { name: 'Profiles' }).click()
  await card.getByRole('button', { name: 'Delete' }).click()
  await card.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
  await expect(card).toHaveCount(0)
  await expect(page.getByRole('combobox', { name: 'Profile' })).toHaveValue('local-sandbox')
})

test('after creating a profile, the secret is nowhere: page, messages, logs, disk', async ({ studio: page }) => {
  // Record from a fresh load, so the WebSocket is seen from its first frame.
  const traffic = recordTraffic(page)
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  const secret = `e2e-SECRET-${randomBytes(12).toString('hex')}`
  const name = `Distinctive ${randomBytes(3).toString('hex')}`
  await page.getByRole('tab', { name: 'Profiles' }).click()
  const card = await createProfile(page, {
    name,
    endpoint: await sandboxEndpoint(page),
    bucket: 'demo-bucket',
    accessKeyId: 'LTAI5tDistinctiveKey42',
    accessKeySecret: secret
  }, async () => {
    // The detector works: while the form holds it, the heap has it.
    expect((await heapSnapshot(page)).includes(secret)).toBe(true)
  })
  // Exercise everything that could echo it: list, test, edit form, use, listing, preview.
  await card.getByRole('button', { name: 'Test connection' }).click()
  await expect(card.getByTestId('test-result')).toBeVisible()
  await card.getByRole('button', { name: 'Edit' }).click()
  const form = page.getByRole('form', { name: 'Edit profile' })
  await expect(form.getByLabel('Name')).toHaveValue(name)
  await expect(form.getByLabel('AccessKey secret')).toHaveValue('')
  await form.getByRole('button', { name: 'Cancel' }).click()
  await card.getByRole('button', { name: 'Use' }).click()
  await page.getByRole('tab', { name: 'Studio' }).click()
  await expect(page.getByRole('region', { name: 'Bucket browser' }).locator('.error-code')).toBeVisible()
  await page.getByRole('combobox', { name: 'Profile' }).selectOption('local-sandbox')
  await expect(page.locator('[data-key="landscape.jpg"]')).toBeVisible()

  // The page that typed it: DOM, form values, storage — and the whole JavaScript heap after a GC.
  // (A string: this project's Node tsconfig has no DOM types.)
  const pageText = String(
    await page.evaluate(`[
      document.documentElement.outerHTML,
      ...[...document.querySelectorAll('input, textarea, select')].map((el) => el.value),
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie
    ].join('\\n')`)
  )
  expect(pageText).toContain(name)
  expect(pageText.includes(secret)).toBe(false)
  const heap = await heapSnapshot(page)
  expect(heap).toContain(name)
  expect(heap.includes(secret)).toBe(false)

  // A fresh load lists everything again (profiles, objects, thumbnails) over a new socket.
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  await expect(page.locator('.thumb[data-state="ready"]').first()).toBeVisible()
  await traffic.settle()

  // WebSocket: the one frame that carried it in is profiles:create; nothing else has it.
  const withSecret = traffic.frames.filter((f) => f.payload.includes(secret))
  expect(withSecret).toHaveLength(1)
  expect(withSecret[0]!.direction).toBe('sent')
  expect(JSON.parse(withSecret[0]!.payload)).toMatchObject({ t: 'req', channel: 'profiles:create' })
  expect(traffic.frames.filter((f) => f.direction === 'received').length).toBeGreaterThan(5)
  expect(traffic.frames.filter((f) => f.direction === 'received' && f.payload.includes(secret))).toEqual([])
  expect(traffic.frames.filter((f) => f.at > withSecret[0]!.at && f.payload.includes(secret))).toEqual([])

  // HTTP: no response (page, scripts, styles; headers included) carries it.
  expect(traffic.responses.length).toBeGreaterThan(0)
  for (const response of traffic.responses) {
    expect(response.body.includes(secret), response.url).toBe(false)
    expect(JSON.stringify(response.headers).includes(secret), response.url).toBe(false)
  }

  // The server's output (stdout + stderr of browser mode) and the data folder (secrets encrypted at rest).
  const log = readFileSync(SERVER_LOG, 'utf8')
  expect(log).toContain('Studio URL: http://127.0.0.1:')
  expect(log.includes(secret)).toBe(false)
  const files = filesUnder(DATA_DIR)
  expect(files.some((f) => f.includes(`${join('profiles', '')}`))).toBe(true)
  for (const file of files) expect(readFileSync(file).includes(secret), file).toBe(false)
  await page.screenshot({ path: 'test-results/profiles-after-secret.png' })
})

test('without an OS keyring or a passphrase the studio says the secrets rest under a key file beside them', async ({ studio: page }) => {
  // playwright.config.ts starts the studio with OSS_IMG_STUDIO_KEYRING=0 and no passphrase.
  await page.getByRole('tab', { name: 'Profiles' }).click()
  const note = page.getByRole('note', { name: 'Secrets are weakly protected' })
  await expect(note).toContainText('vault.key')
  await expect(note).toContainText(DATA_DIR)
  await expect(note).toContainText('OSS_IMG_STUDIO_PASSPHRASE')
  await page.screenshot({ path: 'docs/screenshots/secrets-warning.png' })
})
