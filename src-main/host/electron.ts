/**
 * The Electron shell — with `src-main/index.ts` and the preload, the only code that imports
 * `electron`. It is deliberately thin: one window over the same router browser mode uses.
 *
 * - Window: `contextIsolation`, `sandbox`, no Node anywhere, `webSecurity`, no `<webview>`; the
 *   renderer is served from `oss-img-studio://app/` with a strict CSP header (`electron/security`).
 * - Every web contents: navigation, redirects, new windows and `<webview>` refused; every
 *   permission request denied.
 * - IPC: `ipc:invoke` → `router.dispatch` with an AbortController per request id, `ipc:cancel`,
 *   events → `webContents.send('ipc:event', …)`; only the window's top frame may call
 *   (`electron/ipc`).
 * - Files dropped on the window never navigate it (`navigateOnDragDrop: false` plus the
 *   navigation guard): the renderer's drop handler reads the File and sends it through
 *   `uploads:add`, the same code as in browser mode.
 * - Application menu with the platform's standard roles (`electron/menu`); native dialogs as
 *   host functions (`electron/dialogs`); clipboard writes and `safeStorage` handed to the services.
 * - Single-instance lock (a second launch focuses the existing window); window bounds remembered
 *   in `<userData>/window-state.json` (`electron/window-state`).
 * - Data: `app.getPath('userData')`, or `$OSS_IMG_STUDIO_HOME` when set (then Chromium's own
 *   profile goes to `$OSS_IMG_STUDIO_HOME/electron`, keeping parallel instances apart).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, protocol, safeStorage, screen, session } from 'electron'
import { EVENTS } from '../../src-shared/ipc/contract'
import type { EventSink, Router } from '../ipc/router'
import type { SafeStorageLike } from '../services/vault'
import { createTrustCheck, installIpcBridge, sendEvent, type IpcBridge } from './electron/ipc'
import { openImagesAsUploads } from './electron/dialogs'
import { buildMenuTemplate } from './electron/menu'
import {
  APP_SCHEME_PRIVILEGES,
  APP_URL,
  CONTENT_SECURITY_POLICY,
  developmentContentSecurityPolicy,
  hardenWebContents,
  isAppUrl,
  registerAppProtocol,
  secureSession
} from './electron/security'
import { createWindowStateKeeper, readWindowState, restoreBounds, WINDOW_STATE_FILE, type WindowState } from './electron/window-state'

export const APP_TITLE = 'OSS IMG Studio'
export const WINDOW_DEFAULTS = { width: 1280, height: 820, minWidth: 900, minHeight: 600 } as const

/** What the host needs from the composition root (`src-main/app/main-services.ts`). */
export interface HostServices {
  readonly router: Router
  /** Subscribes to main → renderer events; returns the unsubscribe function. */
  onEvent(listener: EventSink): () => void
  close(): Promise<void> | void
}

export interface HostServicesOptions {
  readonly dataDir: string
  readonly mode: 'electron'
  readonly version: string
  readonly safeStorage: SafeStorageLike
  readonly clipboard: (text: string) => Promise<void>
  readonly log: (line: string) => void
}

export interface ElectronHostOptions {
  /** Builds the router and services (`createMainServices`). */
  readonly createServices: (options: HostServicesOptions) => Promise<HostServices> | HostServices
  /** The built main process's folder (`import.meta.dirname` of out/main/index.js). */
  readonly mainDir: string
  readonly env?: NodeJS.ProcessEnv
  readonly platform?: NodeJS.Platform
  readonly log?: (line: string) => void
}

export interface ElectronHost {
  readonly window: BrowserWindow | undefined
  readonly dataDir: string
  readonly services: HostServices
  readonly bridge: IpcBridge
}

/**
 * The built preload. A sandboxed preload must be CommonJS (Electron runs no ESM there), so
 * `index.cjs` is expected; an ESM-only build is reported, since the bridge would then be missing.
 */
export function resolvePreload(mainDir: string, log: (line: string) => void, exists: (path: string) => boolean = existsSync): string {
  const cjs = join(mainDir, '../preload/index.cjs')
  if (exists(cjs)) return cjs
  const esm = join(mainDir, '../preload/index.mjs')
  if (exists(esm)) {
    log('electron: out/preload has only index.mjs; a sandboxed preload must be CommonJS — set the preload build to output.format "cjs" (index.cjs) in electron.vite.config.ts')
    return esm
  }
  log(`electron: no built preload next to ${mainDir}; run \`npm run build\``)
  return cjs
}

/**
 * Data folder and Chromium profile: see the file comment. Call before `app` is ready. A home
 * that does not exist yet is created private (0700) before Chromium creates its profile in it.
 */
export function chooseDataDir(env: NodeJS.ProcessEnv): string {
  const home = env.OSS_IMG_STUDIO_HOME
  if (home !== undefined && home.trim() !== '') {
    const dataDir = resolve(home)
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    app.setPath('userData', join(dataDir, 'electron'))
    return dataDir
  }
  return app.getPath('userData')
}

function focus(window: BrowserWindow | undefined): void {
  if (window === undefined || window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  if (!window.isVisible()) window.show()
  window.focus()
}

export interface StudioWindowOptions {
  readonly preload: string
  readonly url: string
  readonly stateFile: string
  readonly devTools: boolean
  readonly log: (line: string) => void
}

/** Opens the studio window at its remembered (and clamped) bounds and keeps them up to date. */
export function createStudioWindow(options: StudioWindowOptions): BrowserWindow {
  const saved = readWindowState(options.stateFile)
  const bounds = restoreBounds(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
    WINDOW_DEFAULTS
  )
  const window = new BrowserWindow({
    ...bounds,
    minWidth: WINDOW_DEFAULTS.minWidth,
    minHeight: WINDOW_DEFAULTS.minHeight,
    show: false,
    title: APP_TITLE,
    backgroundColor: '#1f1f1f',
    // Written out here, not built elsewhere, so the security scan (electronegativity) can read it.
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools
    }
  })
  if (saved?.maximized === true) window.maximize()

  const keeper = createWindowStateKeeper({ file: options.stateFile, log: options.log })
  const current = (): WindowState => ({ bounds: window.getNormalBounds(), maximized: window.isMaximized() })
  const remember = (): void => keeper.schedule(current())
  window.on('resize', remember)
  window.on('move', remember)
  window.on('maximize', remember)
  window.on('unmaximize', remember)
  window.on('close', () => keeper.flush(current()))

  window.once('ready-to-show', () => window.show())
  window.webContents.once('did-fail-load', (_event, code, description, url) => {
    options.log(`electron: ${url} failed to load (${code} ${description})`)
    if (!window.isDestroyed() && !window.isVisible()) window.show()
  })
  window.webContents.on('render-process-gone', (_event, details) => options.log(`electron: renderer gone (${details.reason}, exit code ${details.exitCode})`))
  window.webContents.on('preload-error', (_event, path, error) => options.log(`electron: preload ${path} failed: ${error.message}`))
  window.loadURL(options.url).catch((error: unknown) => options.log(`electron: could not load ${options.url}: ${(error as Error).message}`))
  return window
}

/**
 * Runs the app. Resolves undefined when another instance holds the lock (that one is focused and
 * this one quits), otherwise once the window is open.
 */
export async function runElectronApp(options: ElectronHostOptions): Promise<ElectronHost | undefined> {
  const log = options.log ?? ((line: string) => console.error(line))
  const env = options.env ?? process.env
  const platform = options.platform ?? process.platform

  // Everything before `whenReady` must run before the ready event.
  const dataDir = chooseDataDir(env)
  if (!app.requestSingleInstanceLock()) {
    log('electron: OSS IMG Studio is already running; focusing that window')
    app.quit()
    return undefined
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  app.enableSandbox()
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log))

  let window: BrowserWindow | undefined
  app.on('second-instance', () => focus(window))

  // electron-vite dev serves the renderer over HTTP; a packaged app never does.
  const devUrl = !app.isPackaged && (env.ELECTRON_RENDERER_URL ?? '') !== '' ? env.ELECTRON_RENDERER_URL : undefined
  const devOrigin = devUrl === undefined ? undefined : new URL(devUrl).origin
  const devTools = !app.isPackaged

  await app.whenReady()
  const services = await options.createServices({
    dataDir,
    mode: 'electron',
    version: app.getVersion(),
    safeStorage,
    clipboard: async (text) => clipboard.writeText(text),
    log
  })

  secureSession(session.defaultSession, devOrigin === undefined ? CONTENT_SECURITY_POLICY : developmentContentSecurityPolicy(devOrigin), log)
  registerAppProtocol(protocol, join(options.mainDir, '../renderer'))

  const bridge = installIpcBridge({
    ipcMain,
    router: services.router,
    isTrusted: createTrustCheck(() => (window === undefined || window.isDestroyed() ? undefined : window.webContents), (url) => isAppUrl(url, devOrigin)),
    log
  })
  const unsubscribe = services.onEvent((event, payload) => sendEvent(window === undefined || window.isDestroyed() ? undefined : window.webContents, event, payload))

  app.setAboutPanelOptions({ applicationName: APP_TITLE, applicationVersion: app.getVersion() })
  // File → Open Image…: the native dialog, each file through `uploads:add` (same checks as a drop),
  // then the renderer is told which uploads to show (`uploads:added`, checked like every event).
  const openImage = async (): Promise<void> => {
    const target = window === undefined || window.isDestroyed() ? undefined : window
    const { uploaded, failures } = await openImagesAsUploads(dialog, target, services.router)
    if (uploaded.length === 0 && failures.length === 0) return
    const payload = EVENTS['uploads:added'].parse({ uploads: uploaded.slice(0, 100), failures: failures.slice(0, 100).map(({ name, message }) => ({ name, message })) })
    sendEvent(target?.webContents, 'uploads:added', payload)
  }
  const onOpenImage = () => void openImage().catch((error: unknown) => log(`electron: Open Image failed: ${(error as Error)?.name ?? 'Error'}`))
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ platform, appName: APP_TITLE, devTools, onOpenImage })))

  const preload = resolvePreload(options.mainDir, log)
  const stateFile = join(app.getPath('userData'), WINDOW_STATE_FILE)
  const open = (): void => {
    const created = createStudioWindow({ preload, url: devUrl ?? APP_URL, stateFile, devTools, log })
    const id = created.webContents.id
    created.webContents.once('destroyed', () => bridge.abortAll(id))
    created.on('closed', () => {
      if (window === created) window = undefined
    })
    window = created
  }
  open()

  app.on('activate', () => {
    if (window === undefined) open()
  })
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit()
  })
  let closing = false
  app.on('will-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    bridge.dispose()
    unsubscribe()
    Promise.resolve()
      .then(() => services.close())
      .catch((error: unknown) => log(`electron: closing the services failed: ${(error as Error).message}`))
      .finally(() => app.quit())
  })

  return {
    get window() {
      return window
    },
    dataDir,
    services,
    bridge
  }
}

/** `runElectronApp`, exiting with a visible error when start-up fails. */
export function startElectronApp(options: ElectronHostOptions): void {
  runElectronApp(options).catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
    ;(options.log ?? console.error)(`electron: start-up failed: ${message}`)
    if (app.isReady()) dialog.showErrorBox(`${APP_TITLE} could not start`, error instanceof Error ? error.message : String(error))
    app.exit(1)
  })
}
