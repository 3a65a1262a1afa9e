/**
 * The Electron shell (src-main/host/electron.ts and host/electron/*) over a fake of Electron's
 * own module — the only thing mocked. Everything else is real: the router, the contract, the
 * composition root (one test), the file system.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventName, EventPayload } from '../../src-shared/ipc/contract'
import { createMainServices } from '../../src-main/app/main-services'
import { createRouter, type EventSink, type Handlers } from '../../src-main/ipc/router'
import { CHANNEL_NAMES, BRIDGE } from '../../src-main/preload/channels'
import type { HostServices, HostServicesOptions } from '../../src-main/host/electron'

// ------------------------------------------------------------------------------------------------
// The fake `electron` module

const fake = await vi.hoisted(async () => {
  // vi.hoisted runs before the imports above: it loads what it needs itself.
  const { EventEmitter: Emitter } = await import('node:events')
  let nextId = 1

  class FakeFrame {
    constructor(
      public url: string,
      public parent: FakeFrame | null = null
    ) {}
  }

  class FakeWebContents extends Emitter {
    readonly id = nextId++
    destroyed = false
    windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
    readonly mainFrame = new FakeFrame('oss-img-studio://app/index.html')
    readonly send = vi.fn()
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
      this.windowOpenHandler = handler
    }
    isDestroyed(): boolean {
      return this.destroyed
    }
  }

  class FakeBrowserWindow extends Emitter {
    static instances: FakeBrowserWindow[] = []
    readonly webContents = new FakeWebContents()
    bounds: { x: number; y: number; width: number; height: number }
    maximized = false
    minimized = false
    visible = false
    destroyed = false
    readonly loadURL = vi.fn(async (_url: string) => undefined)
    readonly focus = vi.fn()
    readonly show = vi.fn(() => {
      this.visible = true
    })
    readonly restore = vi.fn(() => {
      this.minimized = false
    })
    constructor(public readonly options: Record<string, unknown> & { x: number; y: number; width: number; height: number }) {
      super()
      this.bounds = { x: options.x, y: options.y, width: options.width, height: options.height }
      FakeBrowserWindow.instances.push(this)
      // Like Electron: every new web contents is announced on `app`.
      app.emit('web-contents-created', {}, this.webContents)
    }
    getNormalBounds() {
      return { ...this.bounds }
    }
    isMaximized() {
      return this.maximized
    }
    maximize() {
      this.maximized = true
    }
    isMinimized() {
      return this.minimized
    }
    isVisible() {
      return this.visible
    }
    isDestroyed() {
      return this.destroyed
    }
  }

  const paths = new Map<string, string>()
  const state = { lock: true, ready: true }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    setPath: vi.fn((name: string, value: string) => void paths.set(name, value)),
    getPath: vi.fn((name: string) => {
      const value = paths.get(name)
      if (value === undefined) throw new Error(`fake electron: no path ${name}`)
      return value
    }),
    requestSingleInstanceLock: vi.fn(() => state.lock),
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(async () => undefined),
    isReady: vi.fn(() => state.ready),
    getVersion: vi.fn(() => '0.1.0'),
    getName: vi.fn(() => 'oss-img-studio'),
    setAboutPanelOptions: vi.fn()
  })

  const ipcMain = Object.assign(new Emitter(), {
    handlers: new Map<string, (...args: unknown[]) => unknown>(),
    handle: vi.fn((name: string, handler: (...args: unknown[]) => unknown) => {
      if (ipcMain.handlers.has(name)) throw new Error(`Attempted to register a second handler for '${name}'`)
      ipcMain.handlers.set(name, handler)
    }),
    removeHandler: vi.fn((name: string) => void ipcMain.handlers.delete(name))
  })

  const defaultSession = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn() }
  }

  const displays = { all: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }], primary: { workArea: { x: 0, y: 0, width: 1920, height: 1080 } } }

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    session: { defaultSession },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
    screen: { getAllDisplays: vi.fn(() => displays.all), getPrimaryDisplay: vi.fn(() => displays.primary) },
    clipboard: { writeText: vi.fn() },
    safeStorage: { isEncryptionAvailable: vi.fn(() => false), encryptString: vi.fn(), decryptString: vi.fn(), getSelectedStorageBackend: vi.fn(() => 'basic_text') },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showErrorBox: vi.fn() }
  }

  const reset = (userData: string): void => {
    paths.clear()
    paths.set('userData', userData)
    state.lock = true
    state.ready = true
    app.removeAllListeners()
    ipcMain.removeAllListeners()
    ipcMain.handlers.clear()
    FakeBrowserWindow.instances = []
    displays.all = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]
    displays.primary = { workArea: { x: 0, y: 0, width: 1920, height: 1080 } }
  }

  return { electron, FakeBrowserWindow, FakeFrame, FakeWebContents, state, displays, reset }
})

vi.mock('electron', () => fake.electron)

const { electron } = fake
const host = await import('../../src-main/host/electron')
const security = await import('../../src-main/host/electron/security')
const { buildMenuTemplate } = await import('../../src-main/host/electron/menu')
const dialogs = await import('../../src-main/host/electron/dialogs')

// ------------------------------------------------------------------------------------------------
// Helpers

const temps: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oss-img-electron-'))
  temps.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

/** A built-app layout: out/main (mainDir), out/preload/index.cjs, out/renderer. */
function builtApp(): { mainDir: string; rendererDir: string } {
  const out = tempDir()
  mkdirSync(join(out, 'main'))
  mkdirSync(join(out, 'preload'))
  mkdirSync(join(out, 'renderer', 'assets'), { recursive: true })
  writeFileSync(join(out, 'preload', 'index.cjs'), '"use strict"\n')
  writeFileSync(join(out, 'renderer', 'index.html'), '<!doctype html><title>studio</title>')
  writeFileSync(join(out, 'renderer', 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(out, 'secret.txt'), 'outside the renderer folder')
  return { mainDir: join(out, 'main'), rendererDir: join(out, 'renderer') }
}

/** Services over the real router, with handlers that answer app:info and wait for preview:render's abort. */
function fakeServices(dataDir = '/data', extra: Partial<Handlers> = {}) {
  const listeners = new Set<EventSink>()
  const calls: string[] = []
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [
      name,
      () => {
        calls.push(name)
        throw Object.assign(new Error(`${name} is not part of this test`), { code: 'NotImplemented' })
      }
    ])
  ) as unknown as Handlers
  const services = {
    router: createRouter(
      {
        ...handlers,
        'app:info': () => {
          calls.push('app:info')
          return { version: '0.1.0', mode: 'electron', dataDir, secretProtection: 'os-keychain' }
        },
        'preview:render': (_request, { signal }) => {
          calls.push('preview:render')
          return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
        },
        ...extra
      },
      { log: () => {} }
    ),
    onEvent: vi.fn((listener: EventSink) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    }),
    close: vi.fn(async () => {}),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const listener of listeners) listener(event, payload)
    },
    calls,
    listeners
  }
  return services
}

type FakeServices = ReturnType<typeof fakeServices>

async function start(options: { services?: FakeServices; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}) {
  const layout = builtApp()
  const services = options.services ?? fakeServices()
  const created: HostServicesOptions[] = []
  const logs: string[] = []
  const result = await host.runElectronApp({
    mainDir: layout.mainDir,
    env: options.env ?? {},
    platform: options.platform ?? 'linux',
    log: (line) => logs.push(line),
    createServices: (opts) => {
      created.push(opts)
      return services as unknown as HostServices
    }
  })
  const window = fake.FakeBrowserWindow.instances.at(-1)
  return { result, services, created, logs, layout, window }
}

const preventable = () => ({ preventDefault: vi.fn() })

function invokeHandler(): (event: unknown, ...args: unknown[]) => Promise<unknown> {
  const handler = electron.ipcMain.handlers.get(BRIDGE.invoke)
  if (handler === undefined) throw new Error('no ipc:invoke handler')
  return handler as (event: unknown, ...args: unknown[]) => Promise<unknown>
}

function trustedEvent(window: InstanceType<typeof fake.FakeBrowserWindow>) {
  return { sender: window.webContents, senderFrame: window.webContents.mainFrame }
}

let userData: string
beforeEach(() => {
  userData = tempDir()
  fake.reset(userData)
  vi.clearAllMocks()
})
afterEach(() => {
  vi.useRealTimers()
})

// ------------------------------------------------------------------------------------------------

describe('window and web preferences', () => {
  it('opens one sandboxed, context-isolated window without Node, loading the app scheme', async () => {
    const { window, layout } = await start()
    expect(fake.FakeBrowserWindow.instances).toHaveLength(1)
    const prefs = window!.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: true
    })
    expect(prefs.preload).toBe(join(layout.mainDir, '../preload/index.cjs'))
    expect(window!.loadURL).toHaveBeenCalledWith('oss-img-studio://app/index.html')
    expect(electron.app.enableSandbox).toHaveBeenCalledOnce()
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'oss-img-studio', privileges: expect.objectContaining({ standard: true, secure: true }) }
    ])
    // Shown only once it has painted.
    expect(window!.show).not.toHaveBeenCalled()
    window!.emit('ready-to-show')
    expect(window!.show).toHaveBeenCalledOnce()
  })

  it('ignores an empty ELECTRON_RENDERER_URL', async () => {
    const { window } = await start({ env: { ELECTRON_RENDERER_URL: '' } })
    expect(window!.loadURL).toHaveBeenCalledWith('oss-img-studio://app/index.html')
  })

  it('enables devTools only when not packaged, and never Node', async () => {
    electron.app.isPackaged = true
    try {
      const { window } = await start({ env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' } })
      expect(window!.options.webPreferences).toMatchObject({ devTools: false, nodeIntegration: false, sandbox: true, contextIsolation: true })
      // A packaged app never loads the dev server.
      expect(window!.loadURL).toHaveBeenCalledWith('oss-img-studio://app/index.html')
    } finally {
      electron.app.isPackaged = false
    }
  })

  it('reports an ESM-only preload build (a sandboxed preload must be CommonJS)', () => {
    const logs: string[] = []
    const path = host.resolvePreload('/out/main', (line) => logs.push(line), (p) => p.endsWith('index.mjs'))
    expect(path).toBe(join('/out/preload/index.mjs'))
    expect(logs.join('\n')).toMatch(/must be CommonJS/)
  })

  it('loads the dev server (with a dev CSP) only when not packaged and ELECTRON_RENDERER_URL is set', async () => {
    const { window } = await start({ env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' } })
    expect(window!.loadURL).toHaveBeenCalledWith('http://localhost:5173/')
    const listener = electron.session.defaultSession.webRequest.onHeadersReceived.mock.calls[0]![0] as (d: unknown, cb: (r: unknown) => void) => void
    const callback = vi.fn()
    listener({ responseHeaders: {} }, callback)
    expect(callback.mock.calls[0]![0]).toEqual({ responseHeaders: { 'Content-Security-Policy': [security.developmentContentSecurityPolicy('http://localhost:5173')] } })
  })
})

describe('navigation, new windows and permissions', () => {
  it('refuses navigation, redirects, <webview> and new windows for every web contents', async () => {
    const { window } = await start()
    const contents = window!.webContents
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = preventable()
      contents.emit(name, event, 'https://example.com/')
      expect(event.preventDefault, name).toHaveBeenCalledOnce()
    }
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })

    // A web contents created later (any window) gets the same guards.
    const other = new fake.FakeWebContents()
    electron.app.emit('web-contents-created', {}, other)
    const event = preventable()
    other.emit('will-navigate', event, 'file:///etc/passwd')
    expect(event.preventDefault).toHaveBeenCalledOnce()
    expect(other.windowOpenHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' })
  })

  it('denies every permission request and check', async () => {
    await start()
    const session = electron.session.defaultSession
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (...args: unknown[]) => void
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn()
      request({}, permission, callback, { requestingUrl: 'oss-img-studio://app/index.html' })
      expect(callback).toHaveBeenCalledWith(false)
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean
    expect(check({}, 'media', 'oss-img-studio://app', {})).toBe(false)
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean
    expect(device({})).toBe(false)
  })
})

describe('Content-Security-Policy', () => {
  it('is strict: no inline or eval scripts, nothing remote, no frames or objects', () => {
    const csp = security.CONTENT_SECURITY_POLICY
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("base-uri 'none'")
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/)
  })

  it('is set as a header on every HTTP response (replacing any other CSP)', async () => {
    await start()
    const listener = electron.session.defaultSession.webRequest.onHeadersReceived.mock.calls[0]![0] as (d: unknown, cb: (r: unknown) => void) => void
    const callback = vi.fn()
    listener({ responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } }, callback)
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [security.CONTENT_SECURITY_POLICY] } })
  })

  it('is sent with every page of the app scheme, which serves only the renderer folder', async () => {
    const { layout } = await start()
    const [scheme, handler] = electron.protocol.handle.mock.calls[0] as unknown as [string, (request: Request) => Promise<Response>]
    expect(scheme).toBe('oss-img-studio')
    const page = await handler(new Request('oss-img-studio://app/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(security.CONTENT_SECURITY_POLICY)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toBe(readFileSync(join(layout.rendererDir, 'index.html'), 'utf8'))
    const root = await handler(new Request('oss-img-studio://app/'))
    expect(root.status).toBe(200)
    const asset = await handler(new Request('oss-img-studio://app/assets/index-abc.js'))
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/)

    for (const url of ['oss-img-studio://app/../secret.txt', 'oss-img-studio://app/%2e%2e/secret.txt', 'oss-img-studio://app/assets/..%2f..%2fsecret.txt', 'oss-img-studio://other/index.html', 'oss-img-studio://app/missing.js', 'oss-img-studio://app/%E0%A4%A']) {
      const response = await handler(new Request(url))
      expect(response.status, url).toBe(404)
    }
    expect((await handler(new Request('oss-img-studio://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405)
  })
})

describe('IPC bridge', () => {
  it('dispatches trusted requests through the router and returns its envelope', async () => {
    const { window, services } = await start()
    const invoke = invokeHandler()
    await expect(invoke(trustedEvent(window!), 'app:info', {}, 'r1')).resolves.toEqual({ ok: true, result: { version: '0.1.0', mode: 'electron', dataDir: '/data', secretProtection: 'os-keychain' } })
    // The router's own validation applies: unknown channels and bad payloads never reach a handler.
    await expect(invoke(trustedEvent(window!), 'fs:readFile', {}, 'r2')).resolves.toMatchObject({ ok: false, error: { code: 'UnknownChannel' } })
    await expect(invoke(trustedEvent(window!), 'app:info', { extra: 1 }, 'r3')).resolves.toMatchObject({ ok: false, error: { code: 'InvalidPayload' } })
    expect(services.calls).toEqual(['app:info'])
  })

  it('refuses requests from another web contents, a subframe or a foreign page', async () => {
    const { window, services, logs } = await start()
    const invoke = invokeHandler()
    const forbidden = { ok: false, error: { code: 'Forbidden', message: expect.any(String) } }
    const stranger = new fake.FakeWebContents()
    await expect(invoke({ sender: stranger, senderFrame: stranger.mainFrame }, 'app:info', {}, 'a')).resolves.toEqual(forbidden)
    const sub = new fake.FakeFrame('oss-img-studio://app/index.html', window!.webContents.mainFrame)
    await expect(invoke({ sender: window!.webContents, senderFrame: sub }, 'app:info', {}, 'b')).resolves.toEqual(forbidden)
    const foreign = new fake.FakeFrame('https://evil.example/')
    await expect(invoke({ sender: window!.webContents, senderFrame: foreign }, 'app:info', {}, 'c')).resolves.toEqual(forbidden)
    const file = new fake.FakeFrame('file:///tmp/x.html')
    await expect(invoke({ sender: window!.webContents, senderFrame: file }, 'app:info', {}, 'd')).resolves.toEqual(forbidden)
    await expect(invoke({ sender: window!.webContents, senderFrame: null }, 'app:info', {}, 'e')).resolves.toEqual(forbidden)
    expect(services.calls).toEqual([])
    expect(logs.filter((line) => line.includes('untrusted frame'))).toHaveLength(5)
  })

  it('cancels a request by id (ipc:cancel), and only from the window that sent it', async () => {
    const { window, result } = await start()
    const invoke = invokeHandler()
    const pending = invoke(trustedEvent(window!), 'preview:render', { source: { kind: 'upload', uploadId: 'u1' }, process: 'image/resize,w_10' }, 'req-1')
    await vi.waitFor(() => expect(result!.bridge.pending).toBe(1))
    // A foreign sender cannot cancel it.
    const stranger = new fake.FakeWebContents()
    electron.ipcMain.emit(BRIDGE.cancel, { sender: stranger, senderFrame: stranger.mainFrame }, 'req-1')
    electron.ipcMain.emit(BRIDGE.cancel, trustedEvent(window!), 'other-id')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(result!.bridge.pending).toBe(1)
    electron.ipcMain.emit(BRIDGE.cancel, trustedEvent(window!), 'req-1')
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'Cancelled' } })
    expect(result!.bridge.pending).toBe(0)
  })

  it('aborts what a window had in flight when its web contents is destroyed', async () => {
    const { window, result } = await start()
    const pending = invokeHandler()(trustedEvent(window!), 'preview:render', { source: { kind: 'upload', uploadId: 'u1' }, process: '' }, 'req-2')
    await vi.waitFor(() => expect(result!.bridge.pending).toBe(1))
    window!.webContents.emit('destroyed')
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'Cancelled' } })
  })

  it('forwards contract events to the window', async () => {
    const { window, services } = await start()
    services.emit('styles:changed', { names: ['thumb'] })
    expect(window!.webContents.send).toHaveBeenCalledWith(BRIDGE.event, 'styles:changed', { names: ['thumb'] })
    window!.webContents.destroyed = true
    services.emit('styles:changed', { names: ['x'] })
    expect(window!.webContents.send).toHaveBeenCalledOnce()
  })
})

describe('services, data dir, clipboard and safeStorage', () => {
  it('uses userData as the data dir and hands Electron clipboard and safeStorage to the services', async () => {
    const { created } = await start()
    expect(created).toHaveLength(1)
    const options = created[0]!
    expect(options).toMatchObject({ dataDir: userData, mode: 'electron', version: '0.1.0' })
    expect(options.safeStorage).toBe(electron.safeStorage)
    await options.clipboard('https://bucket.oss/x.jpg?sig')
    expect(electron.clipboard.writeText).toHaveBeenCalledWith('https://bucket.oss/x.jpg?sig')
  })

  it('uses $OSS_IMG_STUDIO_HOME when set, created private, with Chromium’s profile inside it', async () => {
    const home = join(tempDir(), 'studio-home')
    const { created, result } = await start({ env: { OSS_IMG_STUDIO_HOME: home } })
    expect(created[0]!.dataDir).toBe(home)
    expect(result!.dataDir).toBe(home)
    if (process.platform !== 'win32') expect(statSync(home).mode & 0o777).toBe(0o700)
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', join(home, 'electron'))
    // Set before the single-instance lock, which is per userData folder.
    expect(electron.app.setPath.mock.invocationCallOrder[0]!).toBeLessThan(electron.app.requestSingleInstanceLock.mock.invocationCallOrder[0]!)
  })

  it('works with the real composition root: app:info and clipboard:write through IPC', async () => {
    const home = tempDir()
    const layout = builtApp()
    const result = await host.runElectronApp({ mainDir: layout.mainDir, env: { OSS_IMG_STUDIO_HOME: home }, platform: 'linux', log: () => {}, createServices: createMainServices })
    const window = fake.FakeBrowserWindow.instances.at(-1)!
    const invoke = invokeHandler()
    await expect(invoke(trustedEvent(window), 'app:info', {}, 'i1')).resolves.toEqual({ ok: true, result: { version: '0.1.0', mode: 'electron', dataDir: home, secretProtection: 'key-file' } })
    await expect(invoke(trustedEvent(window), 'clipboard:write', { text: 'hello' }, 'i2')).resolves.toEqual({ ok: true, result: {} })
    expect(electron.clipboard.writeText).toHaveBeenCalledWith('hello')
    await result!.services.close()
  })

  it('closes the services before quitting', async () => {
    const { services } = await start()
    const event = preventable()
    electron.app.emit('will-quit', event)
    expect(event.preventDefault).toHaveBeenCalledOnce()
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledOnce())
    expect(services.close).toHaveBeenCalledOnce()
    expect(electron.ipcMain.handlers.has(BRIDGE.invoke)).toBe(false)
    // The second will-quit (from that app.quit) goes through.
    const again = preventable()
    electron.app.emit('will-quit', again)
    expect(again.preventDefault).not.toHaveBeenCalled()
  })

  it('quits when the last window closes, except on macOS', async () => {
    await start({ platform: 'linux' })
    electron.app.emit('window-all-closed')
    expect(electron.app.quit).toHaveBeenCalledOnce()
    fake.reset(tempDir())
    vi.clearAllMocks()
    await start({ platform: 'darwin' })
    electron.app.emit('window-all-closed')
    expect(electron.app.quit).not.toHaveBeenCalled()
  })

  it('exits with an error box when start-up fails', async () => {
    const layout = builtApp()
    const logs: string[] = []
    host.startElectronApp({
      mainDir: layout.mainDir,
      env: {},
      log: (line) => logs.push(line),
      createServices: () => {
        throw new Error('disk full')
      }
    })
    await vi.waitFor(() => expect(electron.app.exit).toHaveBeenCalledWith(1))
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('OSS IMG Studio could not start', 'disk full')
    expect(logs.join('\n')).toContain('disk full')
  })
})

describe('single instance', () => {
  it('quits without a window when another instance holds the lock', async () => {
    fake.state.lock = false
    const { result, created } = await start()
    expect(result).toBeUndefined()
    expect(electron.app.quit).toHaveBeenCalledOnce()
    expect(fake.FakeBrowserWindow.instances).toHaveLength(0)
    expect(created).toHaveLength(0)
  })

  it('focuses (and restores) the existing window when a second instance starts', async () => {
    const { window } = await start()
    window!.minimized = true
    electron.app.emit('second-instance', {}, ['oss-img-studio'], '/')
    expect(window!.restore).toHaveBeenCalledOnce()
    expect(window!.show).toHaveBeenCalledOnce()
    expect(window!.focus).toHaveBeenCalledOnce()
  })

  it('re-opens a window on activate (macOS) once the last one closed', async () => {
    const { window } = await start({ platform: 'darwin' })
    window!.emit('closed')
    electron.app.emit('activate')
    expect(fake.FakeBrowserWindow.instances).toHaveLength(2)
  })
})

describe('remembered window bounds', () => {
  it('restores saved bounds, clamped onto a current display', async () => {
    writeFileSync(join(userData, 'window-state.json'), JSON.stringify({ bounds: { x: 1800, y: 50, width: 1000, height: 700 }, maximized: true }))
    const { window } = await start()
    expect(window!.options).toMatchObject({ x: 920, y: 50, width: 1000, height: 700 })
    expect(window!.maximized).toBe(true)
  })

  it('centres on the primary display when the saved display is gone', async () => {
    writeFileSync(join(userData, 'window-state.json'), JSON.stringify({ bounds: { x: 4000, y: 0, width: 1000, height: 700 }, maximized: false }))
    const { window } = await start()
    expect(window!.options).toMatchObject({ x: 460, y: 190, width: 1000, height: 700 })
  })

  it('saves bounds debounced while moving and at once on close', async () => {
    vi.useFakeTimers()
    const { window } = await start()
    const file = join(userData, 'window-state.json')
    window!.bounds = { x: 10, y: 20, width: 1000, height: 700 }
    window!.emit('move')
    window!.emit('resize')
    expect(() => readFileSync(file)).toThrow()
    vi.advanceTimersByTime(1000)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false })
    window!.bounds = { x: 30, y: 40, width: 1100, height: 750 }
    window!.maximized = true
    window!.emit('close')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 30, y: 40, width: 1100, height: 750 }, maximized: true })
  })
})

describe('application menu', () => {
  const roles = (template: ReturnType<typeof buildMenuTemplate>) => template.map((item) => item.role)

  it('is set at start-up from standard roles', async () => {
    await start()
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledOnce()
    const template = electron.Menu.buildFromTemplate.mock.calls[0]![0] as ReturnType<typeof buildMenuTemplate>
    expect(roles(template)).toEqual(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'help'])
  })

  it('has the app menu on macOS and Quit/About in File/Help elsewhere', () => {
    const mac = buildMenuTemplate({ platform: 'darwin', appName: 'OSS IMG Studio', devTools: false })
    expect(roles(mac)).toEqual(['appMenu', 'fileMenu', 'editMenu', 'viewMenu', 'windowMenu'])
    expect((mac[1]!.submenu as { role?: string }[]).map((item) => item.role)).toEqual(['close'])

    const linux = buildMenuTemplate({ platform: 'linux', appName: 'OSS IMG Studio', devTools: false })
    expect((linux[0]!.submenu as { role?: string }[]).map((item) => item.role)).toEqual(['quit'])
    expect(linux.at(-1)!.submenu).toEqual([{ role: 'about', label: 'About OSS IMG Studio' }])
  })

  it('shows the developer tools item only in development', () => {
    const view = (devTools: boolean) => (buildMenuTemplate({ platform: 'win32', appName: 'x', devTools })[2]!.submenu as { role?: string }[]).map((item) => item.role)
    expect(view(true)).toContain('toggleDevTools')
    expect(view(false)).not.toContain('toggleDevTools')
  })

  it('File → Open Image… adds the chosen files as uploads and tells the window (uploads:added)', async () => {
    const dir = tempDir()
    const good = join(dir, 'a.png')
    const bad = join(dir, 'b.png')
    writeFileSync(good, Buffer.from('png'))
    writeFileSync(bad, Buffer.from('bad'))
    const services = fakeServices('/data', {
      'uploads:add': (request) => {
        if (request.name === 'b.png') throw Object.assign(new Error('b.png: expected an image'), { code: 'BadRequest', status: 400 })
        return { uploadId: 'up1', bytes: 3 }
      }
    })
    const { window } = await start({ services })
    const template = electron.Menu.buildFromTemplate.mock.calls[0]![0] as ReturnType<typeof buildMenuTemplate>
    const open = (template[0]!.submenu as { id?: string; click?: () => void }[]).find((item) => item.id === 'open-image')!
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [good, bad] })
    open.click!()
    await vi.waitFor(() => expect(window!.webContents.send).toHaveBeenCalledWith(BRIDGE.event, 'uploads:added', expect.anything()))
    const payload = window!.webContents.send.mock.calls.find((call: unknown[]) => call[1] === 'uploads:added')![2]
    expect(payload).toEqual({ uploads: [{ name: 'a.png', uploadId: 'up1', bytes: 3 }], failures: [{ name: 'b.png', message: expect.stringContaining('expected an image') }] })
  })

  it('adds "Open Image…" (CmdOrCtrl+O) when the host provides it', () => {
    const onOpenImage = vi.fn()
    const template = buildMenuTemplate({ platform: 'linux', appName: 'x', devTools: false, onOpenImage })
    const open = (template[0]!.submenu as { id?: string; accelerator?: string; click?: () => void }[])[0]!
    expect(open).toMatchObject({ id: 'open-image', accelerator: 'CmdOrCtrl+O' })
    open.click!()
    expect(onOpenImage).toHaveBeenCalledOnce()
  })
})

describe('native dialogs', () => {
  it('opens images as Base64, refusing files over the 20 MB source limit', async () => {
    const dir = tempDir()
    const small = join(dir, 'small.png')
    const big = join(dir, 'big.jpg')
    writeFileSync(small, Buffer.from([0x89, 0x50, 0x4e, 0x47]))
    writeFileSync(big, Buffer.alloc(20 * 1024 * 1024 + 1))
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [small, big, join(dir, 'gone.png')] })
    const result = await dialogs.openImagesWithDialog(electron.dialog as never, undefined)
    expect(result.images).toEqual([{ name: 'small.png', path: small, data: 'iVBORw==', bytes: 4 }])
    expect(result.failures.map((failure) => failure.name)).toEqual(['big.jpg', 'gone.png'])
    expect(result.failures[0]!.message).toMatch(/source limit/)
    const options = electron.dialog.showOpenDialog.mock.calls[0]![0] as { filters: { extensions: string[] }[] }
    expect(options.filters[0]!.extensions).toContain('jpg')
  })

  it('feeds opened images to uploads:add through the router', async () => {
    const dir = tempDir()
    const file = join(dir, 'a.png')
    writeFileSync(file, Buffer.from('png'))
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] })
    const dispatch = vi.fn(async () => ({ ok: true as const, result: { uploadId: 'up1', bytes: 3 } }))
    const result = await dialogs.openImagesAsUploads(electron.dialog as never, undefined, { dispatch })
    expect(dispatch).toHaveBeenCalledWith('uploads:add', { name: 'a.png', data: Buffer.from('png').toString('base64') })
    expect(result.uploaded).toEqual([{ name: 'a.png', uploadId: 'up1', bytes: 3 }])
  })

  it('returns nothing when the open dialog is cancelled', async () => {
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] })
    await expect(dialogs.openImagesWithDialog(electron.dialog as never, undefined)).resolves.toEqual({ images: [], failures: [] })
  })

  it('saves bytes atomically where the save dialog says, or not at all when cancelled', async () => {
    const dir = tempDir()
    const target = join(dir, 'out.webp')
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target })
    await expect(dialogs.saveBytesWithDialog(electron.dialog as never, undefined, { defaultName: '../../x.webp', data: new Uint8Array([1, 2, 3]), extensions: ['webp'] })).resolves.toBe(target)
    expect([...readFileSync(target)]).toEqual([1, 2, 3])
    expect((electron.dialog.showSaveDialog.mock.calls[0]![0] as { defaultPath: string }).defaultPath).toBe('x.webp')
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' })
    await expect(dialogs.saveBytesWithDialog(electron.dialog as never, undefined, { defaultName: 'y.png', data: new Uint8Array([1]) })).resolves.toBeUndefined()
  })
})
