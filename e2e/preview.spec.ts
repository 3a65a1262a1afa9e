/**
 * The live preview in browser mode on the Local sandbox: the split slider (mouse and keyboard),
 * zoom 1:1 and the wheel around the cursor with one viewport for every pane, panning, the toggle
 * (click and press-and-hold), the output info against the CLI's own output for the same string,
 * the interactive → final sequence over the WebSocket, and Compare with OSS.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, recordTraffic, test } from './fixtures'

const ROOT = join(import.meta.dirname, '..')

function ui(page: Page) {
  return {
    box: page.getByRole('textbox', { name: 'Process string' }),
    info: page.getByRole('status', { name: 'Output info' }),
    divider: page.getByRole('slider', { name: 'Split position' }),
    zoom: page.getByTestId('zoom-level'),
    view: (name: string) => page.getByRole('group', { name: 'View' }).getByRole('button', { name, exact: true }),
    zoomButton: (name: string) => page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name, exact: true })
  }
}

/** Sets the process string, waits for its full-resolution numbers and returns it as the editor rewrote it (canonical). */
async function render(page: Page, process: string): Promise<string> {
  const { box, info } = ui(page)
  await box.fill(process)
  await box.blur()
  const canonical = await box.inputValue()
  await expect(page.getByTestId('after').locator('.pane-sub')).toHaveText(canonical)
  await expect(info).toHaveAttribute('data-quality', 'final')
  return canonical
}

async function rect(locator: Locator) {
  const box = await locator.boundingBox()
  if (!box) throw new Error('not visible')
  return box
}

/** What the CLI (the same engine, no app in between) answers for the string on the sample. */
function cli(sample: string, process: string): { width: number; height: number; format: string; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'preview-e2e-'))
  try {
    const out = execFileSync(process_.execPath, [join(ROOT, 'out/main/cli.js'), 'process', join(ROOT, 'resources/samples', sample), '--process', process, '-o', join(dir, 'out'), '--json'], { encoding: 'utf8' })
    return JSON.parse(out.trim().split('\n').pop()!) as { width: number; height: number; format: string; bytes: number }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const process_ = globalThis.process

test('split slider, zoom 1:1 and the wheel around the cursor, panning, side by side in step, toggle', async ({ studio: page, consoleErrors }) => {
  const { info, divider, zoom, view, zoomButton } = ui(page)
  await page.locator('[data-key="large.jpg"]').click()
  await render(page, 'image/resize,w_900/bright,10/contrast,-10')
  await expect(info.locator('[data-stat="size"]')).toHaveText('900 × 600')
  await expect(page.getByTestId('before').locator('[data-stat="size"]')).toHaveText('2400 × 1600')

  // ---- split: the divider starts in the middle; the result is clipped left of it.
  const stage = page.getByTestId('stage-split')
  await expect(divider).toHaveAttribute('aria-valuenow', '50')
  const s = await rect(stage)
  const handle = await rect(divider)
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
  await page.mouse.down()
  await page.mouse.move(s.x + s.width * 0.25, handle.y + handle.height / 2, { steps: 8 })
  await page.mouse.up()
  const dragged = Number(await divider.getAttribute('aria-valuenow'))
  expect(dragged).toBeGreaterThanOrEqual(24)
  expect(dragged).toBeLessThanOrEqual(26)
  const clip = await page.getByTestId('split-after').evaluate((el) => (el as unknown as { style: { clipPath: string } }).style.clipPath)
  expect(Number(/inset\(0px 0px 0px ([\d.]+)px\)/.exec(clip)?.[1])).toBeCloseTo(s.width * (dragged / 100), -1)
  await page.screenshot({ path: 'test-results/preview-split.png' })
  // Keyboard: arrows step 2 %, Home/End go to the edges.
  await divider.focus()
  await page.keyboard.press('ArrowRight')
  await expect(divider).toHaveAttribute('aria-valuenow', String(dragged + 2))
  await page.keyboard.press('End')
  await expect(divider).toHaveAttribute('aria-valuenow', '100')
  await page.keyboard.press('Home')
  await expect(divider).toHaveAttribute('aria-valuenow', '0')
  await divider.press('PageUp')
  await expect(divider).toHaveAttribute('aria-valuenow', '10')
  for (let i = 0; i < 4; i++) await divider.press('PageUp')
  await expect(divider).toHaveAttribute('aria-valuenow', '50')

  // ---- zoom: fit never enlarges past the stage; 1:1 shows one output pixel per CSS pixel.
  const after = page.getByTestId('after-image')
  await expect(zoomButton('Fit')).toHaveAttribute('aria-pressed', 'true')
  const fitted = await rect(after)
  expect(fitted.width).toBeLessThan(s.width)
  await zoomButton('1:1').click()
  await expect(zoom).toHaveText('100%')
  await expect(zoomButton('1:1')).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(async () => Math.round((await rect(after)).width)).toBe(900)
  expect(Math.round((await rect(page.getByTestId('before-image'))).width)).toBe(900)
  await page.screenshot({ path: 'test-results/preview-zoom-1to1.png' })

  // The wheel zooms around the cursor: the picture point under it stays put.
  const cursor = { x: s.x + s.width * 0.62, y: s.y + s.height * 0.4 }
  const before = await rect(after)
  const u = (cursor.x - before.x) / before.width
  const v = (cursor.y - before.y) / before.height
  await page.mouse.move(cursor.x, cursor.y)
  await page.mouse.wheel(0, -300)
  await expect.poll(async () => parseInt((await zoom.textContent()) ?? '0', 10)).toBeGreaterThan(120)
  const zoomed = await rect(after)
  expect((cursor.x - zoomed.x) / zoomed.width).toBeCloseTo(u, 2)
  expect((cursor.y - zoomed.y) / zoomed.height).toBeCloseTo(v, 2)
  await page.mouse.wheel(0, 200)
  await expect.poll(async () => parseInt((await zoom.textContent()) ?? '0', 10)).toBeLessThan(150)

  // Dragging the stage pans the picture.
  const start = await rect(after)
  await page.mouse.move(s.x + s.width * 0.7, s.y + s.height * 0.7)
  await page.mouse.down()
  await page.mouse.move(s.x + s.width * 0.7 - 60, s.y + s.height * 0.7 - 30, { steps: 6 })
  await page.mouse.up()
  const panned = await rect(after)
  expect(panned.x - start.x).toBeCloseTo(-60, 0)
  expect(panned.y - start.y).toBeCloseTo(-30, 0)

  // Zoomed in past what the default transport picture holds, the original is fetched sharper:
  // 900 px shown at ~195% is ~1760 screen pixels of a 2400 px original → a 2048 px picture.
  const beforeImage = page.getByTestId('before-image')
  expect(await beforeImage.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeLessThanOrEqual(1600)
  await zoomButton('1:1').click()
  for (let i = 0; i < 3; i++) await zoomButton('Zoom in').click()
  await expect(zoom).toHaveText('195%')
  await expect.poll(() => beforeImage.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 15_000 }).toBe(2048)
  await page.screenshot({ path: 'test-results/preview-zoom-detail.png' })

  // ---- side by side: both panes show the same zoom and pan.
  await view('Side by side').click()
  const left = page.getByTestId('stage-original')
  const right = page.getByTestId('stage-processed')
  await expect(left.getByTestId('before-image')).toBeVisible()
  await expect(right.getByTestId('after-image')).toBeVisible()
  const [lb, rb, ls, rs] = await Promise.all([rect(left.getByTestId('before-image')), rect(right.getByTestId('after-image')), rect(left), rect(right)])
  expect(lb.width).toBeCloseTo(rb.width, 0)
  expect(lb.x - ls.x).toBeCloseTo(rb.x - rs.x, 0)
  expect(lb.y - ls.y).toBeCloseTo(rb.y - rs.y, 0)
  // Zooming one pane zooms both.
  await page.mouse.move(rs.x + rs.width / 2, rs.y + rs.height / 2)
  await page.mouse.wheel(0, -200)
  await expect.poll(async () => Math.round((await rect(left.getByTestId('before-image'))).width)).toBe(Math.round((await rect(right.getByTestId('after-image'))).width))
  expect((await rect(right.getByTestId('after-image'))).width).toBeGreaterThan(rb.width)
  await zoomButton('Fit').click()
  await page.screenshot({ path: 'test-results/preview-side-by-side.png' })

  // ---- toggle: click flips; press and hold peeks and flips back on release.
  await view('Toggle').click()
  const toggleStage = page.getByTestId('stage-toggle')
  const flip = toggleStage.getByRole('button', { name: 'Show original' })
  await expect(toggleStage.getByTestId('after-image')).toBeVisible()
  await expect(toggleStage.getByTestId('before-image')).toHaveCount(0)
  await flip.click()
  await expect(toggleStage.getByTestId('before-image')).toBeVisible()
  await expect(toggleStage.getByRole('button', { name: 'Show processed' })).toHaveAttribute('aria-pressed', 'true')
  await page.screenshot({ path: 'test-results/preview-toggle-original.png' })
  await toggleStage.getByRole('button', { name: 'Show processed' }).click()
  await expect(toggleStage.getByTestId('after-image')).toBeVisible()
  const f = await rect(flip)
  await page.mouse.move(f.x + f.width / 2, f.y + f.height / 2)
  await page.mouse.down()
  await expect(toggleStage.getByTestId('before-image')).toBeVisible()
  await page.waitForTimeout(450)
  await page.mouse.up()
  await expect(toggleStage.getByTestId('after-image')).toBeVisible()
  // Keyboard activation flips too.
  await flip.focus()
  await page.keyboard.press('Enter')
  await expect(toggleStage.getByTestId('before-image')).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(toggleStage.getByTestId('after-image')).toBeVisible()

  await view('Split').click()
  expect(consoleErrors).toEqual([])
})

test('output info: W × H, format and bytes equal the CLI’s output for the same string; transparency on a checkerboard', async ({ studio: page, consoleErrors }) => {
  const { info } = ui(page)
  await page.locator('[data-key="large.jpg"]').click()
  for (const process of ['image/crop,x_100,y_100,w_1800,h_1300/resize,w_701/rotate,90/format,png', 'image/resize,m_fill,w_333,h_222/quality,q_70', 'image/indexcrop,x_700,i_1/rounded-corners,r_80/format,webp']) {
    const expected = cli('large.jpg', await render(page, process))
    await expect(info.locator('[data-stat="size"]')).toHaveText(`${expected.width} × ${expected.height}`)
    await expect(info).toContainText(`${expected.width} × ${expected.height}`)
    await expect(info.locator('[data-stat="format"]')).toHaveText(expected.format.toUpperCase())
    await expect(info.locator('[data-bytes]')).toHaveAttribute('data-bytes', String(expected.bytes))
    await expect(info.locator('[data-stat="render"]')).toHaveText(/\d+(\.\d+)? (ms|s)/)
    await expect(info.locator('.delta-down, .delta-up')).toHaveText(/\([−+]\d+%\)/)
  }
  // A transparent result sits on the checkerboard.
  await render(page, 'image/resize,w_600/circle,r_200/format,png')
  const checker = page.getByTestId('stage-split').locator('.vchecker').last()
  await expect(checker).toHaveCSS('background-image', /linear-gradient/)
  await page.screenshot({ path: 'test-results/preview-transparency.png' })
  expect(consoleErrors).toEqual([])
})

test('while the string changes fast, frames are interactive, superseded renders are cancelled, and the final is full resolution', async ({ studio: page, consoleErrors }) => {
  const { box, info } = ui(page)
  await page.locator('[data-key="large.jpg"]').click()
  await render(page, 'image/resize,w_1000/bright,0')
  const traffic = recordTraffic(page)
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  await page.locator('[data-key="large.jpg"]').click()
  await expect(info).toHaveAttribute('data-quality', 'final')
  // Twelve changes 16 ms apart, as a slider would make them (typed into the box from inside the page).
  await box.evaluate(async (el) => {
    // React tracks the value through the prototype's setter; then an input event, as typing makes.
    const textarea = el as unknown as { dispatchEvent(event: Event): boolean }
    const setValue = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(textarea), 'value')!.set!
    for (let v = 1; v <= 12; v++) {
      setValue.call(textarea, `image/resize,w_1000/bright,${v * 5}`)
      textarea.dispatchEvent(new Event('input', { bubbles: true }))
      await new Promise((resolve) => setTimeout(resolve, 16))
    }
  })
  await expect(page.getByTestId('after').locator('.pane-sub')).toHaveText('image/resize,w_1000/bright,60')
  await expect(info).toHaveAttribute('data-quality', 'final')
  await expect(info.locator('[data-stat="size"]')).toHaveText('1000 × 667')

  type Message = { t: string; id?: string; channel?: string; payload?: { process?: string; quality?: string } }
  const messages = traffic.frames.map((f) => ({ direction: f.direction, message: JSON.parse(f.payload) as Message }))
  const sent = messages.filter((m) => m.direction === 'sent').map((m) => m.message)
  const renders = sent.filter((m) => m.t === 'req' && m.channel === 'preview:render' && /bright,[1-9]/.test(m.payload?.process ?? ''))
  const cancelled = new Set(sent.filter((m) => m.t === 'cancel').map((m) => m.id))
  expect(renders.filter((m) => m.payload?.quality === 'interactive').length).toBeGreaterThanOrEqual(1)
  expect(renders.length).toBeLessThanOrEqual(13)
  // Coalesced: never two interactive renders in flight — the newest change waits for the answer.
  const inFlight = new Set<string>()
  // (The processed picture's stream: the original has its own, thumbnails ask without quality.)
  for (const { direction, message } of messages) {
    if (direction === 'sent' && message.t === 'req' && message.channel === 'preview:render' && message.payload?.quality === 'interactive' && message.payload.process !== 'image/auto-orient,1') {
      expect(inFlight.size, `interactive ${message.payload.process} sent while another was in flight`).toBe(0)
      inFlight.add(message.id!)
    } else if ((direction === 'received' && message.t === 'res') || (direction === 'sent' && message.t === 'cancel')) {
      inFlight.delete(message.id!)
    }
  }
  // The newest string is rendered at full resolution; a full-resolution render of an older string
  // was superseded, so it was cancelled over the transport.
  const finals = renders.filter((m) => m.payload?.quality === 'final')
  expect(finals.at(-1)?.payload?.process).toBe('image/resize,w_1000/bright,60')
  for (const stale of finals.filter((m) => m.payload?.process !== 'image/resize,w_1000/bright,60')) expect(cancelled.has(stale.id)).toBe(true)
  expect(consoleErrors).toEqual([])
})

test('Compare with OSS on the sandbox: OSS’s result through a signed URL beside the local render, with a difference figure', async ({ studio: page, consoleErrors }) => {
  await page.locator('[data-key="landscape.jpg"]').click()
  await render(page, 'image/resize,w_600/rotate,90/format,png')
  await page.getByRole('button', { name: 'Compare with OSS' }).click()
  const diff = page.getByRole('status', { name: 'Difference from OSS' })
  await expect(diff.getByTestId('oss-verdict')).toHaveText('Identical pixels')
  await expect(diff.locator('[data-stat="mae"]')).toHaveText('0.00')
  await expect(diff.locator('[data-stat="psnr"]')).toHaveText('∞')
  await expect(diff.locator('[data-stat="phash"]')).toHaveText('0/64')
  await expect(diff.locator('[data-stat="oss"]')).toContainText('400 × 600 PNG')
  await expect(page.getByTestId('oss-image')).toBeVisible()
  await expect(page.getByTestId('local-image')).toBeVisible()
  await page.screenshot({ path: 'test-results/preview-compare-oss.png' })

  // A changed string marks the figure stale until compared again.
  await render(page, 'image/resize,w_500/quality,q_60')
  await expect(diff.getByRole('button', { name: /Compare again \(out of date\)/ })).toBeVisible()
  await diff.getByRole('button', { name: /Compare again/ }).click()
  await expect(diff.locator('[data-stat="oss"]')).toContainText('500 × 333 JPG')
  await expect(diff.locator('[data-stat="mae"]')).toHaveText(/^\d+\.\d\d$/)
  expect(consoleErrors).toEqual([])
})

test('dark mode: the viewer follows the system theme', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1400, height: 860 } })
  const page = await context.newPage()
  const { TOKEN } = await import('./fixtures')
  await page.goto(`/?token=${TOKEN}`)
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  await page.locator('[data-key="logo.png"]').click()
  await render(page, 'image/resize,w_400/rounded-corners,r_60')
  await expect(page.getByTestId('stage-split')).toHaveCSS('background-color', 'rgb(18, 22, 27)')
  await page.screenshot({ path: 'test-results/preview-dark.png' })
  await ui(page).view('Side by side').click()
  await page.screenshot({ path: 'test-results/preview-dark-side.png' })
  await context.close()
})

test('after a slider drag, the final preview’s numbers equal the CLI’s output for the string it settled on', async ({ studio: page, consoleErrors }) => {
  const { box, info } = ui(page)
  await page.locator('[data-key="large.jpg"]').click()
  await render(page, 'image/resize,w_900/quality,q_70')
  await page.getByRole('list', { name: 'Pipeline' }).getByRole('button', { name: /^resize/ }).click()
  const slider = page.getByTestId('param-form').getByRole('slider', { name: 'Target width (w) slider' })
  await slider.scrollIntoViewIfNeeded()
  const s = await rect(slider)
  await page.mouse.move(s.x + s.width * 0.05, s.y + s.height / 2)
  await page.mouse.down()
  for (let i = 1; i <= 8; i += 1) await page.mouse.move(s.x + s.width * (0.05 + i * 0.01), s.y + s.height / 2, { steps: 3 })
  await page.mouse.up()
  const settled = await box.inputValue()
  expect(settled).not.toBe('image/resize,w_900/quality,q_70')
  await expect(page.getByTestId('after').locator('.pane-sub')).toHaveText(settled)
  await expect(info).toHaveAttribute('data-quality', 'final')
  const expected = cli('large.jpg', settled)
  await expect(info.locator('[data-stat="size"]')).toHaveText(`${expected.width} × ${expected.height}`)
  await expect(info.locator('[data-bytes]')).toHaveAttribute('data-bytes', String(expected.bytes))
  expect(consoleErrors).toEqual([])
})
