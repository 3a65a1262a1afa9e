/**
 * The real Electron app, driven by Playwright's `_electron`: the window's security settings, the
 * preload bridge over the contract, CSP, navigation/new-window/permission refusals, remembered
 * bounds and the single-instance lock. Needs the Electron binary; where it is missing (it cannot
 * be downloaded on this project's machines) every test is skipped with the printed reason.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { electronSkipReason, findElectronBinary } from './electron-binary'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const skipReason = electronSkipReason(root)
if (skipReason !== undefined) console.log(`[e2e-electron] skipped: ${skipReason}`)
test.skip(skipReason !== undefined, `Electron e2e skipped: ${skipReason ?? ''}`)

interface Bridge {
  invoke(channel: string, payload?: unknown, id?: string): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>
  cancel(id: string): void
  onEvent(listener: (event: string, payload: unknown) => void): () => void
}
/** The page globals the tests touch (this file is type-checked without the DOM library). */
interface PageGlobals {
  ossImgStudio: Bridge
  __inline?: number
  require?: unknown
  process?: unknown
  location: { href: string }
  document: { createElement(tag: 'script'): { textContent: string | null }; head: { append(node: unknown): void } }
  open(url: string): unknown
  Notification: { requestPermission(): Promise<string> }
}

const CSP_START = "default-src 'none'"

let home: string
let app: ElectronApplication
let page: Page

function executable(): string {
  const binary = findElectronBinary(root)
  if (!binary.found) throw new Error(binary.reason)
  return binary.path
}

async function launch(): Promise<void> {
  app = await electron.launch({
    executablePath: executable(),
    args: [root],
    cwd: root,
    env: { ...process.env, OSS_IMG_STUDIO_HOME: home, ELECTRON_RENDERER_URL: '' } as Record<string, string>
  })
  page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
}

test.beforeAll(() => {
  // Always test the current sources.
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('electron-vite build failed')
  if (!existsSync(join(root, 'out/preload/index.cjs'))) {
    throw new Error('out/preload/index.cjs is missing: a sandboxed preload must be built as CommonJS (electron.vite.config.ts preload output.format "cjs")')
  }
})

test.beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'oss-img-e2e-electron-'))
  await launch()
})

test.afterEach(async () => {
  await app?.close().catch(() => {})
  rmSync(home, { recursive: true, force: true })
})

test('opens one secure window on the app scheme', async () => {
  expect(app.windows()).toHaveLength(1)
  expect(page.url()).toMatch(/^oss-img-studio:\/\/app\//)
  expect(await page.title()).toBe('OSS IMG Studio')
  // No Node in the page (nodeIntegration off, sandboxed preload), and the preload's own globals
  // stay in its isolated world (contextIsolation): only the bridge crosses.
  const globals = await page.evaluate(() => {
    const g = globalThis as unknown as Record<string, unknown>
    return [typeof g.require, typeof g.process, typeof g.module, typeof g.Buffer, typeof g.ipcRenderer]
  })
  expect(globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined'])
})

test('exposes exactly the bridge and answers the contract through it', async () => {
  expect(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).ossImgStudio).sort())).toEqual(['cancel', 'invoke', 'onEvent'])
  const info = await page.evaluate(() => (globalThis as unknown as PageGlobals).ossImgStudio.invoke('app:info', {}, 'e2e-1'))
  expect(info).toEqual({ ok: true, result: { version: expect.any(String), mode: 'electron', dataDir: home } })
  const unknown = await page.evaluate(() => (globalThis as unknown as PageGlobals).ossImgStudio.invoke('fs:readFile', {}))
  expect(unknown).toMatchObject({ ok: false, error: { code: 'UnknownChannel' } })
  const invalid = await page.evaluate(() => (globalThis as unknown as PageGlobals).ossImgStudio.invoke('app:info', { extra: true }))
  expect(invalid).toMatchObject({ ok: false, error: { code: 'InvalidPayload' } })
})

test('serves the page with the strict CSP and blocks inline scripts', async () => {
  const csp = await page.evaluate(async () => (await fetch((globalThis as unknown as PageGlobals).location.href)).headers.get('content-security-policy'))
  expect(csp?.startsWith(CSP_START)).toBe(true)
  const ran = await page.evaluate(async () => {
    const { document } = (globalThis as unknown as PageGlobals)
    const script = document.createElement('script')
    script.textContent = 'window.__inline = 1'
    document.head.append(script)
    await new Promise((resolve) => setTimeout(resolve, 100))
    return (globalThis as unknown as PageGlobals).__inline
  })
  expect(ran).toBeUndefined()
})

test('refuses navigation, new windows and permissions', async () => {
  const url = page.url()
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null)).toBe(true)
  await page.evaluate(() => {
    (globalThis as unknown as PageGlobals).location.href = 'https://example.com/'
  })
  await page.waitForTimeout(300)
  expect(page.url()).toBe(url)
  expect(app.windows()).toHaveLength(1)
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).Notification.requestPermission())).toBe('denied')
})

test('has the standard application menu', async () => {
  const labels = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((item) => item.label) ?? [])
  expect(labels).toEqual(expect.arrayContaining(['Edit', 'View', 'Window']))
})

test('remembers the window bounds across restarts', async () => {
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 30, width: 1000, height: 700 }))
  await app.close()
  const saved = JSON.parse(readFileSync(join(home, 'electron', 'window-state.json'), 'utf8')) as { bounds: { width: number; height: number } }
  expect(saved.bounds).toMatchObject({ width: 1000, height: 700 })
  await launch()
  const bounds = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds())
  expect(bounds).toMatchObject({ width: 1000, height: 700 })
})

test('a second instance exits and leaves the first one running', async () => {
  const second = spawn(executable(), ['--no-sandbox', root], { cwd: root, env: { ...process.env, OSS_IMG_STUDIO_HOME: home }, stdio: 'ignore' })
  const code = await new Promise<number | null>((resolveExit, reject) => {
    const timer = setTimeout(() => {
      second.kill()
      reject(new Error('the second instance did not exit within 20 s'))
    }, 20_000)
    second.on('exit', (exitCode) => {
      clearTimeout(timer)
      resolveExit(exitCode)
    })
  })
  expect(code).toBe(0)
  expect(app.windows()).toHaveLength(1)
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).ossImgStudio.invoke('app:info', {}))).toMatchObject({ ok: true })
})
