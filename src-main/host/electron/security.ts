/**
 * The Electron window's security policy, as small functions over the Electron objects they are
 * handed (type-only Electron imports; `host/electron.ts` passes the real ones):
 *
 * - The renderer is served from the privileged custom scheme `oss-img-studio://app/` (not
 *   `file://`, which would grant the page every local file) out of the built `out/renderer`
 *   folder only, every response carrying the strict Content-Security-Policy below as a header.
 *   The same CSP is added to any HTTP response (`webRequest.onHeadersReceived`), which covers
 *   electron-vite's dev server.
 * - Navigation, redirects, new windows and `<webview>` are refused for every web contents.
 * - Every permission request (camera, notifications, geolocation, HID, …) is denied.
 */
import type { HeadersReceivedResponse, OnHeadersReceivedListenerDetails, Protocol, Session, WebContents } from 'electron'
import { BASE_HEADERS, readStatic } from '../web-static'

export const APP_SCHEME = 'oss-img-studio'
export const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_URL = `${APP_ORIGIN}/index.html`

/**
 * The page's policy: scripts, styles, fonts only from the app itself; images also from
 * `data:`/`blob:` (previews arrive as Base64); no network (`connect-src 'self'` is the app's own
 * scheme: main is reached only over IPC); no frames, plugins, forms or `<base>`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "worker-src 'self' blob:"
].join('; ')

/**
 * Development only (`electron-vite dev`, never in a packaged app): Vite's client needs its
 * WebSocket and React Refresh's inline preamble. Everything else stays as strict.
 */
export function developmentContentSecurityPolicy(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws')
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' ${devOrigin} 'unsafe-inline'`)
    .replace("style-src 'self'", `style-src 'self' ${devOrigin} 'unsafe-inline'`)
    .replace("connect-src 'self'", `connect-src 'self' ${devOrigin} ${ws}`)
}

/** `registerSchemesAsPrivileged` entry (must be registered before `app` is ready). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true }
} as const

/** Is `url` a page of the studio (the packaged scheme, or the dev server when one is used)? */
export function isAppUrl(url: string, devOrigin?: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true
  return devOrigin !== undefined && parsed.origin === devOrigin
}

const notFound = (): Response => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...BASE_HEADERS } })

/**
 * The `protocol.handle` handler for `oss-img-studio://app/…`: GET/HEAD of files inside
 * `rendererDir` only (web-static's `readStatic` refuses `..`, symlinks leaving it and
 * non-files), with the CSP and the same security headers as browser mode.
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return notFound()
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound()
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405, headers: { Allow: 'GET, HEAD', ...BASE_HEADERS } })
    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      return notFound()
    }
    const file = await readStatic(rendererDir, path)
    if (file === undefined) return notFound()
    const headers = {
      ...BASE_HEADERS,
      'Content-Type': file.contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache'
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers })
  }
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir))
}

/** Adds the CSP to every HTTP(S) response the session loads (the dev server's included). */
export function createCspHeaderListener(policy: string): (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void {
  return (details, callback) => {
    const responseHeaders: Record<string, string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value
    }
    responseHeaders['Content-Security-Policy'] = [policy]
    callback({ responseHeaders })
  }
}

export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  readonly webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>
}

/** Denies every permission, and puts the CSP on every HTTP response of `session`. */
export function secureSession(session: SessionLike, policy: string = CONTENT_SECURITY_POLICY, log?: (message: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    log?.(`security: denied permission "${permission}" requested by ${details.requestingUrl.slice(0, 200)}`)
    callback(false)
  })
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onHeadersReceived(createCspHeaderListener(policy))
}

export type WebContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/**
 * Refuses navigation away from the loaded page (a dropped file, a link, `location = …`), redirects,
 * new windows and `<webview>` for one web contents. Installed for every web contents through
 * `app.on('web-contents-created')`, so no window can escape it.
 */
export function hardenWebContents(contents: WebContentsLike, log?: (message: string) => void): void {
  const refuse = (what: string) => (event: { preventDefault(): void }, url?: unknown) => {
    event.preventDefault()
    log?.(`security: refused ${what}${typeof url === 'string' ? ` to ${url.slice(0, 200)}` : ''}`)
  }
  contents.on('will-navigate', refuse('navigation'))
  contents.on('will-redirect', refuse('redirect'))
  contents.on('will-attach-webview', refuse('<webview>'))
  contents.setWindowOpenHandler(({ url }) => {
    log?.(`security: refused a new window for ${url.slice(0, 200)}`)
    return { action: 'deny' }
  })
}
