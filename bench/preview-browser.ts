/**
 * The live preview as the user sees it (issue 11 §4): browser mode (out/main/web.js) driven by
 * Playwright in Debian's Chromium. A 6000×4000 (24 MP) JPEG is added with "Add images", the chain
 * `image/bright,0/contrast,10` is set, and the brightness slider moves 60 times, 16 ms apart, from the
 * keyboard (each press is one input event). The renderer's own User Timing measures are read back
 * (src-renderer/src/preview/timing.ts):
 *
 *  - `preview:frame` per change: input event → a frame for it (or a newer one) decoded and painted;
 *  - the first of them, the first interactive frame of the drag;
 *  - `preview:final` after the last change: its full-resolution frame painted.
 *
 * Goals: p95 ≤ 50 ms, first ≤ 120 ms, final ≤ 400 ms. Needs `npm run build` and /usr/bin/chromium.
 *
 *   npx tsx bench/preview-browser.ts        # this part alone (BENCH_QUICK=1: 15 changes)
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import sharp from 'sharp'
import { photoLikePixels } from './image'
import { quantile, round, table } from './stats'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** BENCH_WEB: another build's web.js (e.g. a copy of the previous build, for before/after in one session). */
const WEB = process.env.BENCH_WEB ?? join(ROOT, 'out', 'main', 'web.js')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const BROWSER_GOALS = { frameP95Ms: 50, firstFrameMs: 120, finalMs: 400 } as const

export interface BrowserPreviewResult {
  readonly changes: number
  readonly frames: number
  readonly frameP50Ms: number
  readonly frameP95Ms: number
  readonly firstFrameMs: number
  readonly finalMs: number
  readonly skipped?: string
}

/** Starts browser mode on a free port and resolves with its Studio URL. */
function startStudio(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEB, '--port', '0', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`browser mode did not start: ${out.slice(-400)}`)), 60_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = /Studio URL: (\S+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve({ url: match[1]!, child })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`browser mode exited ${code}: ${out.slice(-400)}`)))
  })
}

export async function runBrowserPreview(options: { quick: boolean; say: (line?: string) => void }): Promise<BrowserPreviewResult> {
  const { quick, say } = options
  const changes = quick ? 15 : 60
  if (!existsSync(CHROMIUM)) {
    const skipped = `${CHROMIUM} is missing (apt-get install -y chromium)`
    say(`preview in Chromium skipped: ${skipped}`)
    return { changes, frames: 0, frameP50Ms: Number.NaN, frameP95Ms: Number.NaN, firstFrameMs: Number.NaN, finalMs: Number.NaN, skipped }
  }
  if (!existsSync(WEB)) throw new Error(`${WEB} is missing: run npm run build first`)
  const work = mkdtempSync(join(tmpdir(), 'oss-img-bench-browser-'))
  const photo = join(work, 'photo-24mp.jpg')
  writeFileSync(photo, await sharp(photoLikePixels(6000, 4000, 24_000_000), { raw: { width: 6000, height: 4000, channels: 3 } }).jpeg({ quality: 90 }).toBuffer())
  const studio = await startStudio(join(work, 'data'))
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } })
    await page.goto(studio.url)
    await page.getByLabel('Add images').setInputFiles(photo)
    const info = page.getByRole('status', { name: 'Output info' })
    const box = page.getByRole('textbox', { name: 'Process string' })
    await box.fill('image/bright,0/contrast,10')
    await box.blur()
    await info.locator('[data-stat="size"]').filter({ hasText: '6000 × 4000' }).waitFor({ timeout: 120_000 })
    await page.getByTestId('output-info').and(page.locator('[data-quality="final"]')).waitFor({ timeout: 120_000 })
    await page.getByRole('list', { name: 'Pipeline' }).getByRole('button', { name: /^bright/ }).click()
    const slider = page.getByTestId('param-form').getByRole('slider').first()
    await slider.focus()
    await page.evaluate(() => performance.clearMeasures())
    for (let i = 0; i < changes; i++) {
      // The keyboard, not locator.press: its actionability checks force a style and layout pass
      // in the page on every step, which is the benchmark's cost, not the studio's.
      await page.keyboard.press('ArrowRight')
      await page.waitForTimeout(16)
    }
    const last = await box.inputValue()
    await page.waitForFunction(() => performance.getEntriesByName('preview:final').length > 0, undefined, { timeout: 60_000 })
    const measures = await page.evaluate(() => ({
      frames: performance.getEntriesByName('preview:frame').map((e) => ({ start: e.startTime, duration: e.duration })),
      finals: performance.getEntriesByName('preview:final').map((e) => e.duration)
    }))
    if (!last.includes(`bright,${changes}`)) throw new Error(`preview in Chromium: the slider ended at ${last}, expected bright,${changes}`)
    const durations = measures.frames.map((f) => f.duration)
    const first = [...measures.frames].sort((a, b) => a.start - b.start)[0]?.duration ?? Number.NaN
    const result: BrowserPreviewResult = {
      changes,
      frames: durations.length,
      frameP50Ms: round(quantile(durations, 0.5), 1),
      frameP95Ms: round(quantile(durations, 0.95), 1),
      firstFrameMs: round(first, 1),
      finalMs: round(measures.finals.at(-1) ?? Number.NaN, 1)
    }
    say()
    say(`(c′) live preview in Chromium — ${changes} keyboard steps of the brightness slider, 16 ms apart, on a 6000×4000 JPEG upload (User Timing measures of the renderer)`)
    say(
      table(
        ['measure', 'value', 'goal'],
        [
          ['preview:frame p50', `${result.frameP50Ms.toFixed(1)} ms`, ''],
          ['preview:frame p95', `${result.frameP95Ms.toFixed(1)} ms`, `≤ ${BROWSER_GOALS.frameP95Ms} ms`],
          ['first interactive frame', `${result.firstFrameMs.toFixed(1)} ms`, `≤ ${BROWSER_GOALS.firstFrameMs} ms`],
          ['preview:final (last change → full resolution)', `${result.finalMs.toFixed(1)} ms`, `≤ ${BROWSER_GOALS.finalMs} ms`],
          ['changes measured', String(result.frames), `of ${changes}`]
        ]
      )
    )
    return result
  } finally {
    await browser.close()
    studio.child.kill('SIGTERM')
    await new Promise((resolve) => (studio.child.exitCode === null ? studio.child.once('exit', resolve) : resolve(undefined)))
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runBrowserPreview({ quick: process.env.BENCH_QUICK === '1', say: (line = '') => void process.stdout.write(`${line}\n`) }).catch((error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`)
    process.exitCode = 1
  })
}
