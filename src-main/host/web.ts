/**
 * Browser mode: the main process's services and THE IPC contract served on 127.0.0.1 to the same
 * renderer that Electron shows, over HTTP (the built renderer) and a WebSocket at `/ipc`.
 *
 *   const host = await startWebHost({ services, rendererDir: 'out/renderer', port: 0 })
 *   console.log(`Studio URL: ${host.url}`)          // http://127.0.0.1:PORT/?token=…
 *   …
 *   await host.close()
 *
 * Security model (a local server is reachable by every web page the user visits and by every
 * local user, so nothing is trusted by default):
 * - Bound to 127.0.0.1 only.
 * - A random per-run token (32 bytes, base64url). The Studio URL carries it once: `/?token=…` sets
 *   an HttpOnly SameSite=Strict cookie (its name includes the port, cookies ignore ports) and
 *   redirects to `/`, so the token leaves the address bar and history. Every HTTP request and the
 *   WebSocket upgrade need the token (cookie or `?token=`), otherwise 401.
 * - DNS rebinding: a request whose Host is not `127.0.0.1:PORT` / `localhost:PORT` is refused
 *   (403); a WebSocket upgrade whose Origin is not the studio's own is refused (403).
 * - Only GET/HEAD; a strict Content-Security-Policy; `nosniff`, `no-referrer`, no framing.
 * - The token and URLs are never logged.
 *
 * WebSocket protocol (JSON text frames):
 *   renderer → main  `{t:'req', id, channel, payload}`   `{t:'cancel', id}`
 *   main → renderer  `{t:'res', id, ok:true, result}` | `{t:'res', id, ok:false, error}`   `{t:'evt', event, payload}`
 * `id` is a string (≤ 64 characters) or a safe integer chosen by the renderer, unique among its
 * requests in flight. Each request runs with its own AbortController: `cancel` or the socket
 * closing aborts it. A frame that is not valid JSON, not a known message, binary, or over the size
 * cap gets an error reply (`id: null` when no id could be read) and the socket stays open.
 * The router validates payloads and responses against the contract and never throws; events are
 * validated here against the contract's EVENTS before they leave.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { EVENTS, type Envelope, type ErrorInfo, type EventName } from '../../src-shared/ipc/contract'
import type { WsRequestId, WsServerMessage } from '../../src-shared/ipc/ws'
import type { Router } from '../ipc/router'
import { BASE_HEADERS, contentSecurityPolicy, readStatic } from './web-static'

/** What browser mode needs of the main-process services (the composition root's result fits). */
export interface WebServices {
  readonly router: Router
  /** Subscribes to main → renderer events; may return an unsubscribe function. */
  onEvent?(listener: (event: EventName, payload: unknown) => void): unknown
}

export interface WebHostOptions {
  readonly services: WebServices
  /** The built renderer: a folder with `index.html` (electron-vite's `out/renderer`). */
  readonly rendererDir: string
  /** 0 or absent: a free port. */
  readonly port?: number
  /** Only loopback: the studio is never reachable from the network. */
  readonly host?: '127.0.0.1'
  /** Tests only; at least 32 characters. Default: 32 random bytes, base64url. */
  readonly token?: string
  /** Largest WebSocket message accepted and answered (default 40 MiB). */
  readonly maxMessageBytes?: number
  /** Requests in flight per connection (default 64). */
  readonly maxInFlight?: number
  /** Fixed text only: never a URL, a token or a payload. Default: stderr. */
  readonly log?: (message: string) => void
  /** WebSocket keep-alive ping interval in ms (default 30 s; 0 turns it off). */
  readonly heartbeatMs?: number
}

export interface WebHost {
  /** The Studio URL with the token: `http://127.0.0.1:PORT/?token=…`. */
  readonly url: string
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  readonly port: number
  readonly token: string
  /** Stops accepting, aborts requests in flight, closes every socket. */
  close(): Promise<void>
}

export const DEFAULT_MAX_MESSAGE_BYTES = 40 * 1024 * 1024
const HARD_MAX_MESSAGE_BYTES_SLACK = 1024 * 1024
const MAX_ID_LENGTH = 64


/** A fresh per-run token: 32 random bytes as base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Constant-time comparison (over digests, so lengths do not leak either). */
function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest()
  const db = createHash('sha256').update(b).digest()
  return timingSafeEqual(da, db)
}

/** Every value of a cookie: a browser may send several of one name (other paths, a stale one first). */
function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return []
  const values: string[] = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim())
  }
  return values
}

function isWsRequestId(value: unknown): value is WsRequestId {
  return (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH) || (typeof value === 'number' && Number.isSafeInteger(value))
}

/** Best effort for a frame that cannot be parsed or is too large: the client's serializer puts `id` right after `t`. */
function peekId(text: string): WsRequestId | null {
  const match = /^\s*\{\s*"t"\s*:\s*"req"\s*,\s*"id"\s*:\s*("((?:[^"\\]){1,64})"|(-?\d{1,16}))/.exec(text.slice(0, 256))
  if (!match) return null
  if (match[2] !== undefined) return match[2]
  const n = Number(match[3])
  return Number.isSafeInteger(n) ? n : null
}

function failure(code: string, message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code, message } }
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function rawPrefix(data: RawData, bytes: number): string {
  const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? (data[0] ?? Buffer.alloc(0)) : Buffer.from(data)
  return buffer.subarray(0, bytes).toString('utf8')
}

function rawLength(data: RawData): number {
  if (Buffer.isBuffer(data)) return data.length
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0)
  return data.byteLength
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { services, rendererDir } = options
  const bindHost = options.host ?? '127.0.0.1'
  if (bindHost !== '127.0.0.1') throw new Error('browser mode binds to 127.0.0.1 only')
  if (options.token !== undefined && (options.token.length < 32 || !/^[A-Za-z0-9_-]+$/.test(options.token))) {
    throw new Error('a browser-mode token needs at least 32 characters of [A-Za-z0-9_-]')
  }
  const token = options.token ?? generateToken()
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
  const maxInFlight = options.maxInFlight ?? 64
  const log = options.log ?? ((message: string) => process.stderr.write(`[web] ${message}\n`))
  const heartbeatMs = options.heartbeatMs ?? 30_000

  // Filled in once the port is known (listen(0)).
  let allowedHosts = new Set<string>()
  let allowedOrigins = new Set<string>()
  let csp = ''
  let cookieName = ''

  const hasToken = (req: IncomingMessage, url: URL): boolean => {
    const candidates = [url.searchParams.get('token') ?? undefined, ...readCookies(req.headers.cookie, cookieName).slice(0, 16)]
    return candidates.some((candidate) => candidate !== undefined && candidate.length <= 256 && sameSecret(candidate, token))
  }

  const parseUrl = (req: IncomingMessage): URL | undefined => {
    try {
      return new URL(req.url ?? '/', `http://${req.headers.host ?? 'invalid'}`)
    } catch {
      return undefined
    }
  }

  const hostAllowed = (req: IncomingMessage): boolean => allowedHosts.has((req.headers.host ?? '').toLowerCase())

  const sendText = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void => {
    const body = Buffer.from(`${text}\n`)
    res.writeHead(status, {
      ...BASE_HEADERS,
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      ...extra
    })
    res.end(res.req.method === 'HEAD' ? undefined : body)
  }

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req)) return sendText(res, 403, 'Forbidden: this server answers only to 127.0.0.1 and localhost.')
    const url = parseUrl(req)
    if (!url) return sendText(res, 400, 'Bad request.')
    if (!hasToken(req, url)) return sendText(res, 401, 'Unauthorized: open the Studio URL printed in the terminal (it carries the token).')
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' })
    if (url.searchParams.has('token') && url.pathname === '/') {
      // Trade the token in the address bar for a cookie, then show the page without it.
      return sendText(res, 303, 'See /', {
        Location: '/',
        'Set-Cookie': `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`
      })
    }
    if (url.pathname === '/ipc') return sendText(res, 426, 'Upgrade required: /ipc is a WebSocket.', { Upgrade: 'websocket' })
    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      return sendText(res, 400, 'Bad request.')
    }
    const file = await readStatic(rendererDir, path)
    if (!file) return sendText(res, 404, 'Not found.')
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Security-Policy': csp,
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
      'Cache-Control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-store'
    })
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      log(`HTTP handler failed: ${(error as Error)?.name ?? 'Error'}`)
      if (!res.headersSent) sendText(res, 500, 'Internal error.')
      else res.destroy()
    })
  })
  server.headersTimeout = 20_000
  server.requestTimeout = 60_000

  const wss = new WebSocketServer({
    noServer: true,
    // Frames over the cap (plus slack) close the socket (1009); frames between the cap and this
    // still get a readable error reply below.
    maxPayload: maxMessageBytes + HARD_MAX_MESSAGE_BYTES_SLACK,
    perMessageDeflate: false
  })
  const sockets = new Set<WebSocket>()

  const refuseUpgrade = (socket: Socket, status: number, reason: string): void => {
    const body = `${reason}\n`
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
    socket.destroySoon?.()
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (!hostAllowed(req)) return refuseUpgrade(socket, 403, 'Forbidden')
    const url = parseUrl(req)
    if (!url || url.pathname !== '/ipc') return refuseUpgrade(socket, 404, 'Not Found')
    if (!allowedOrigins.has(String(req.headers.origin ?? '').toLowerCase())) return refuseUpgrade(socket, 403, 'Forbidden')
    if (!hasToken(req, url)) return refuseUpgrade(socket, 401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  })

  const send = (ws: WebSocket, message: WsServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return
    let text: string
    try {
      text = JSON.stringify(message)
    } catch {
      text = JSON.stringify({ t: 'res', id: message.t === 'res' ? message.id : null, ...failure('InternalError', 'The response could not be serialized.') })
    }
    ws.send(text, (error) => {
      if (error) log(`send failed: ${error.name}`)
    })
  }

  const onConnection = (ws: WebSocket): void => {
    sockets.add(ws)
    const inFlight = new Map<WsRequestId, AbortController>()
    let alive = true
    ws.on('pong', () => {
      alive = true
    })
    const heartbeat =
      heartbeatMs > 0
        ? setInterval(() => {
            if (!alive) {
              ws.terminate()
              return
            }
            alive = false
            ws.ping()
          }, heartbeatMs)
        : undefined
    heartbeat?.unref()

    const reply = (id: WsRequestId | null, envelope: Envelope<unknown>) => send(ws, { t: 'res', id, ...envelope })

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return reply(null, failure('InvalidMessage', 'ipc: expected a JSON text frame but received a binary frame'))
      const size = rawLength(data)
      if (size > maxMessageBytes) {
        return reply(peekId(rawPrefix(data, 256)), failure('PayloadTooLarge', `ipc: expected a message of at most ${maxMessageBytes} bytes but received ${size} bytes`))
      }
      const text = rawToText(data)
      let message: unknown
      try {
        message = JSON.parse(text)
      } catch {
        return reply(peekId(text), failure('InvalidMessage', 'ipc: expected a JSON message but received text that is not JSON'))
      }
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        return reply(null, failure('InvalidMessage', 'ipc: expected a JSON object with a "t" field'))
      }
      const { t, id, channel, payload } = message as { t?: unknown; id?: unknown; channel?: unknown; payload?: unknown }
      if (!isWsRequestId(id)) return reply(null, failure('InvalidMessage', `ipc: expected "id" to be a string of 1-${MAX_ID_LENGTH} characters or an integer`))
      if (t === 'cancel') {
        inFlight.get(id)?.abort()
        return
      }
      if (t !== 'req') return reply(id, failure('InvalidMessage', 'ipc: expected "t" to be "req" or "cancel"'))
      if (inFlight.has(id)) return reply(id, failure('InvalidMessage', 'ipc: a request with this id is already in flight'))
      if (inFlight.size >= maxInFlight) return reply(id, failure('TooManyRequests', `ipc: at most ${maxInFlight} requests may be in flight per connection`))
      const controller = new AbortController()
      inFlight.set(id, controller)
      services.router
        .dispatch(channel, payload, controller.signal)
        .catch((): Envelope<unknown> => failure('InternalError', 'Something went wrong in the main process; details are in its log.'))
        .then((envelope) => {
          if (inFlight.get(id) === controller) inFlight.delete(id)
          reply(id, envelope)
        })
    })

    ws.on('close', () => {
      sockets.delete(ws)
      if (heartbeat) clearInterval(heartbeat)
      for (const controller of inFlight.values()) controller.abort()
      inFlight.clear()
    })
    ws.on('error', (error) => log(`socket error: ${error.name}`))
  }

  const unsubscribe = services.onEvent?.((event, payload) => {
    const schema = EVENTS[event]
    const parsed = schema?.safeParse(payload)
    if (!parsed?.success) {
      log(`dropped an event outside the contract: ${String(event).slice(0, 64)}`)
      return
    }
    for (const ws of sockets) send(ws, { t: 'evt', event, payload: parsed.data })
  })

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen)
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', rejectListen)
      resolveListen()
    })
  })
  server.on('error', (error) => log(`server error: ${error.name}`))
  const port = (server.address() as AddressInfo).port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origin = `http://127.0.0.1:${port}`
  allowedOrigins = new Set([origin, `http://localhost:${port}`])
  csp = contentSecurityPolicy([...allowedOrigins])
  cookieName = `oss_img_studio_${port}`

  let closing: Promise<void> | undefined
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close() {
      closing ??= (async () => {
        if (typeof unsubscribe === 'function') (unsubscribe as () => void)()
        const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()))
        for (const ws of sockets) ws.close(1001, 'studio closing')
        // Give clean closes a moment, then cut whatever remains.
        await new Promise((r) => setTimeout(r, 50).unref())
        for (const ws of sockets) ws.terminate()
        wss.close()
        server.closeAllConnections()
        await closed
      })()
      return closing
    }
  }
}
