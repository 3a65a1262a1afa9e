/**
 * Browser mode's static side: the built renderer (`out/renderer`) served from disk with exact
 * content types and security headers. Paths are resolved inside the renderer folder only (no
 * `..`, no symlink leaving it); anything else is a 404.
 */
import { realpath, readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm'
}

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The page's Content-Security-Policy: scripts and styles from the studio only, images also from
 * `data:`/`blob:` (previews arrive as Base64), connections only back to the studio's own origin
 * (HTTP and its WebSocket), no frames, no plugins, no forms, no `<base>`.
 */
export function contentSecurityPolicy(origins: readonly string[]): string {
  const ws = origins.map((origin) => origin.replace(/^http:/, 'ws:'))
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ')
}

/** Headers every response carries, the 401s and 404s included. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
}

export interface StaticFile {
  readonly body: Buffer
  readonly contentType: string
  /** Hashed build assets can be cached; the page itself never is. */
  readonly immutable: boolean
}

/**
 * Reads `urlPath` (already percent-decoded, starting with `/`) from `root`; `/` is `index.html`.
 * Returns undefined for anything that is not a regular file inside `root`.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  if (urlPath.includes('\0') || urlPath.includes('\\')) return undefined
  const relative = urlPath === '/' ? 'index.html' : urlPath.replace(/^\/+/, '')
  if (relative.split('/').some((part) => part === '..' || part === '.')) return undefined
  try {
    const base = await realpath(resolve(root))
    const real = await realpath(join(base, relative))
    if (real !== base && !real.startsWith(base + sep)) return undefined
    const info = await stat(real)
    if (!info.isFile()) return undefined
    return { body: await readFile(real), contentType: contentTypeFor(real), immutable: /^assets\//.test(relative) }
  } catch {
    return undefined
  }
}
