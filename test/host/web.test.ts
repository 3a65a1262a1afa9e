/**
 * Browser mode's host (src-main/host/web.ts) against a fake router: the token gate (401), Host and
 * Origin checks (403), static files, and the WebSocket protocol (malformed frames, size cap,
 * cancellation, socket close, events).
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import type { Envelope, EventName } from '../../src-shared/ipc/contract'
import type { Router } from '../../src-main/ipc/router'
import { generateToken, startWebHost, type WebHost } from '../../src-main/host/web'
import { parseWebArgs, defaultDataDir } from '../../src-main/host/web-args'

const TOKEN = 'test-token-0123456789-abcdefghijklmnopqrstuvwxyz'

let root: string
let rendererDir: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'web-host-'))
  rendererDir = join(root, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title><script type="module" src="./assets/app.js"></script>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}')
  writeFileSync(join(rendererDir, 'favicon.svg'), '<svg/>')
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer')
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'escape.txt'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

type Dispatch = Router['dispatch']

/** A router whose behaviour each test sets; records what it was asked. */
function fakeServices(dispatch?: Dispatch) {
  let listener: ((event: EventName, payload: unknown) => void) | undefined
  const calls: { channel: unknown; payload: unknown; signal: AbortSignal | undefined }[] = []
  const services = {
    router: {
      dispatch: async (channel: unknown, payload: unknown, signal?: AbortSignal) => {
        calls.push({ channel, payload, signal })
        if (dispatch) return dispatch(channel, payload, signal)
        return { ok: true, result: { echo: payload } } as Envelope<unknown>
      }
    },
    onEvent(l: (event: EventName, payload: unknown) => void) {
      listener = l
      return () => {
        listener = undefined
      }
    }
  }
  return { services, calls, emit: (event: string, payload: unknown) => listener?.(event as EventName, payload), hasListener: () => listener !== undefined }
}

const hosts: WebHost[] = []
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()))
})

async function start(dispatch?: Dispatch, extra: { maxMessageBytes?: number; maxInFlight?: number } = {}) {
  const fake = fakeServices(dispatch)
  const logs: string[] = []
  const host = await startWebHost({ services: fake.services, rendererDir, port: 0, token: TOKEN, log: (m) => logs.push(m), heartbeatMs: 0, ...extra })
  hosts.push(host)
  return { host, logs, ...fake }
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function http(host: WebHost, path: string, options: { headers?: Record<string, string>; method?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${host.port}`, ...options.headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const cookieFor = (host: WebHost) => `oss_img_studio_${host.port}=${TOKEN}`

function connect(host: WebHost, options: { origin?: string | null; cookie?: string | null; query?: string; hostHeader?: string; path?: string } = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const cookie = options.cookie === undefined ? cookieFor(host) : options.cookie
    const origin = options.origin === undefined ? host.origin : options.origin
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${options.path ?? '/ipc'}${options.query ?? ''}`, {
      headers: { ...(cookie ? { Cookie: cookie } : {}), ...(options.hostHeader ? { Host: options.hostHeader } : {}) },
      ...(origin ? { origin } : {})
    })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

async function open(host: WebHost): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>>; messages: Record<string, unknown>[] }> {
  const ws = (await connect(host)) as WebSocket
  expect(ws).toBeInstanceOf(WebSocket)
  const messages: Record<string, unknown>[] = []
  const waiters: ((m: Record<string, unknown>) => void)[] = []
  let read = 0
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>
    messages.push(message)
    waiters.shift()?.(message)
  })
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) => {
      if (read < messages.length) resolve(messages[read++]!)
      else
        waiters.push((m) => {
          read++
          resolve(m)
        })
    })
  return { ws, next, messages }
}

describe('startWebHost: HTTP', () => {
  it('binds 127.0.0.1 and prints a Studio URL that carries the token once', async () => {
    const { host } = await start()
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`)
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`)
  })

  it('generates a fresh 32-byte base64url token per run', async () => {
    const a = generateToken()
    const b = generateToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(b)
    const host = await startWebHost({ services: fakeServices().services, rendererDir, log: () => undefined })
    hosts.push(host)
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(host.token).not.toBe(TOKEN)
  })

  it('refuses weak fixed tokens and other bind addresses', async () => {
    await expect(startWebHost({ services: fakeServices().services, rendererDir, token: 'short' })).rejects.toThrow(/at least 32/)
    await expect(startWebHost({ services: fakeServices().services, rendererDir, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1 only/)
  })

  it('answers 401 to every request without the token, without echoing anything', async () => {
    const { host } = await start()
    for (const path of ['/', '/index.html', '/assets/app.js', '/favicon.svg', '/ipc', '/nope']) {
      const answer = await http(host, path)
      expect(answer.status, path).toBe(401)
      expect(answer.body).toMatch(/Unauthorized/)
      expect(answer.headers['set-cookie']).toBeUndefined()
    }
    expect((await http(host, '/?token=wrong')).status).toBe(401)
    expect((await http(host, `/?token=${TOKEN}x`)).status).toBe(401)
    expect((await http(host, '/', { headers: { Cookie: `oss_img_studio_${host.port}=wrong` } })).status).toBe(401)
    // A cookie of another studio run (another port) is not this one's.
    expect((await http(host, '/', { headers: { Cookie: `oss_img_studio_1=${TOKEN}` } })).status).toBe(401)
  })

  it('with two cookies of its name, accepts the request when any carries the token', async () => {
    const { host } = await start()
    const name = `oss_img_studio_${host.port}`
    // A stale cookie (another path, an earlier run on this port) first, the right one second.
    expect((await http(host, '/', { headers: { Cookie: `${name}=stale; ${name}=${TOKEN}` } })).status).toBe(200)
    expect((await http(host, '/', { headers: { Cookie: `${name}=${TOKEN}; ${name}=stale` } })).status).toBe(200)
    expect((await http(host, '/', { headers: { Cookie: `${name}=stale; ${name}=older` } })).status).toBe(401)
    const socket = await connect(host, { cookie: `${name}=stale; ${name}=${TOKEN}` })
    expect(typeof socket).not.toBe('number')
    if (typeof socket !== 'number') socket.close()
  })

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const { host } = await start()
    const answer = await http(host, `/?token=${TOKEN}`)
    expect(answer.status).toBe(303)
    expect(answer.headers.location).toBe('/')
    const cookie = String(answer.headers['set-cookie'])
    expect(cookie).toBe(`oss_img_studio_${host.port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`)
    expect(answer.headers['referrer-policy']).toBe('no-referrer')
  })

  it('serves the renderer with exact content types, a strict CSP and security headers', async () => {
    const { host } = await start()
    const headers = { Cookie: cookieFor(host) }
    const page = await http(host, '/', { headers })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>studio</title>')
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['cache-control']).toBe('no-store')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['x-frame-options']).toBe('DENY')

    const js = await http(host, '/assets/app.js', { headers })
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['cache-control']).toContain('immutable')
    expect((await http(host, '/assets/app.css', { headers })).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await http(host, '/favicon.svg', { headers })).headers['content-type']).toBe('image/svg+xml')
    // The query token works as well as the cookie (for any path but / it does not redirect).
    expect((await http(host, `/assets/app.js?token=${TOKEN}`)).status).toBe(200)
    const head = await http(host, '/', { headers, method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('keeps requests inside the renderer folder', async () => {
    const { host } = await start()
    const headers = { Cookie: cookieFor(host) }
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/escape.txt', '/assets', '/nope.js', '/%00', '/a%5c..%5csecret.txt', '/%E0%A4%A']) {
      const answer = await http(host, path, { headers })
      expect([400, 404], path).toContain(answer.status)
      expect(answer.body).not.toContain('outside the renderer')
    }
  })

  it('refuses a foreign Host header (DNS rebinding) with 403, token or not', async () => {
    const { host } = await start()
    const cookie = cookieFor(host)
    expect((await http(host, '/', { headers: { Cookie: cookie, Host: `attacker.example:${host.port}` } })).status).toBe(403)
    expect((await http(host, '/', { headers: { Cookie: cookie, Host: `127.0.0.1:${host.port + 1}` } })).status).toBe(403)
    expect((await http(host, '/', { headers: { Cookie: cookie, Host: '127.0.0.1' } })).status).toBe(403)
    expect((await http(host, '/', { headers: { Cookie: cookie, Host: `localhost:${host.port}` } })).status).toBe(200)
    expect((await http(host, '/', { headers: { Cookie: cookie, Host: `LOCALHOST:${host.port}` } })).status).toBe(200)
  })

  it('allows only GET and HEAD', async () => {
    const { host } = await start()
    const answer = await http(host, '/', { method: 'POST', headers: { Cookie: cookieFor(host) } })
    expect(answer.status).toBe(405)
    expect(answer.headers.allow).toBe('GET, HEAD')
  })
})

describe('startWebHost: WebSocket upgrade', () => {
  it('needs the token (cookie or query): 401 otherwise', async () => {
    const { host } = await start()
    expect(await connect(host, { cookie: null })).toBe(401)
    expect(await connect(host, { cookie: `oss_img_studio_${host.port}=wrong` })).toBe(401)
    const viaQuery = await connect(host, { cookie: null, query: `?token=${TOKEN}` })
    expect(viaQuery).toBeInstanceOf(WebSocket)
    ;(viaQuery as WebSocket).close()
  })

  it("needs the studio's own Origin and Host: 403 otherwise", async () => {
    const { host } = await start()
    expect(await connect(host, { origin: 'http://attacker.example' })).toBe(403)
    expect(await connect(host, { origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403)
    expect(await connect(host, { origin: 'null' })).toBe(403)
    expect(await connect(host, { origin: null })).toBe(403)
    expect(await connect(host, { hostHeader: `attacker.example:${host.port}` })).toBe(403)
    const local = await connect(host, { origin: `http://localhost:${host.port}` })
    expect(local).toBeInstanceOf(WebSocket)
    ;(local as WebSocket).close()
  })

  it('upgrades only at /ipc', async () => {
    const { host } = await start()
    expect(await connect(host, { path: '/other' })).toBe(404)
  })
})

describe('startWebHost: protocol', () => {
  it('dispatches requests to the router and answers with the envelope', async () => {
    const { host, calls } = await start()
    const { ws, next } = await open(host)
    ws.send(JSON.stringify({ t: 'req', id: 'r1', channel: 'app:info', payload: { a: 1 } }))
    expect(await next()).toEqual({ t: 'res', id: 'r1', ok: true, result: { echo: { a: 1 } } })
    ws.send(JSON.stringify({ t: 'req', id: 7, channel: 'app:info', payload: {} }))
    expect(await next()).toMatchObject({ t: 'res', id: 7, ok: true })
    expect(calls.map((c) => c.channel)).toEqual(['app:info', 'app:info'])
    expect(calls[0]!.signal).toBeInstanceOf(AbortSignal)
    ws.close()
  })

  it('answers malformed frames with an error and keeps the socket open', async () => {
    const { host, calls } = await start()
    const { ws, next } = await open(host)
    ws.send('{"t":"req","id":"x1",')
    expect(await next()).toMatchObject({ t: 'res', id: 'x1', ok: false, error: { code: 'InvalidMessage' } })
    ws.send('not json at all')
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'InvalidMessage' } })
    ws.send('[1,2]')
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'InvalidMessage' } })
    ws.send('null')
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'InvalidMessage' } })
    ws.send(JSON.stringify({ t: 'req', channel: 'app:info' }))
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'InvalidMessage' } })
    ws.send(JSON.stringify({ t: 'req', id: 'x'.repeat(65), channel: 'app:info' }))
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'InvalidMessage' } })
    ws.send(JSON.stringify({ t: 'what', id: 'y' }))
    expect(await next()).toMatchObject({ id: 'y', ok: false, error: { code: 'InvalidMessage' } })
    ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'InvalidMessage' } })
    // Still serving.
    ws.send(JSON.stringify({ t: 'req', id: 'ok', channel: 'app:info', payload: {} }))
    expect(await next()).toMatchObject({ id: 'ok', ok: true })
    expect(calls).toHaveLength(1)
    ws.close()
  })

  it('caps the message size with a readable error (the id is kept when it can be read)', async () => {
    const { host, calls } = await start(undefined, { maxMessageBytes: 1024 })
    const { ws, next } = await open(host)
    ws.send(JSON.stringify({ t: 'req', id: 'big', channel: 'uploads:add', payload: { data: 'A'.repeat(5000) } }))
    expect(await next()).toMatchObject({ t: 'res', id: 'big', ok: false, error: { code: 'PayloadTooLarge' } })
    ws.send(JSON.stringify({ t: 'req', id: 'small', channel: 'app:info', payload: {} }))
    expect(await next()).toMatchObject({ id: 'small', ok: true })
    expect(calls.map((c) => c.channel)).toEqual(['app:info'])
    ws.close()
  })

  it('closes the socket (1009) beyond the hard cap instead of buffering without limit', async () => {
    const { host } = await start(undefined, { maxMessageBytes: 1024 })
    const { ws } = await open(host)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send('x'.repeat(1024 + 1024 * 1024 + 10))
    expect(await closed).toBe(1009)
  })

  it('refuses a duplicate id in flight and limits requests in flight', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { host } = await start(
      async () => {
        await gate
        return { ok: true, result: {} }
      },
      { maxInFlight: 2 }
    )
    const { ws, next } = await open(host)
    ws.send(JSON.stringify({ t: 'req', id: 'a', channel: 'app:info', payload: {} }))
    ws.send(JSON.stringify({ t: 'req', id: 'a', channel: 'app:info', payload: {} }))
    expect(await next()).toMatchObject({ id: 'a', ok: false, error: { code: 'InvalidMessage' } })
    ws.send(JSON.stringify({ t: 'req', id: 'b', channel: 'app:info', payload: {} }))
    ws.send(JSON.stringify({ t: 'req', id: 'c', channel: 'app:info', payload: {} }))
    expect(await next()).toMatchObject({ id: 'c', ok: false, error: { code: 'TooManyRequests' } })
    release()
    const done = [await next(), await next()].map((m) => m.id).sort()
    expect(done).toEqual(['a', 'b'])
    ws.close()
  })

  it('aborts a request on {t:"cancel"} and answers it as Cancelled', async () => {
    const { host, calls } = await start(
      (_channel, _payload, signal) =>
        new Promise((resolve) => {
          signal?.addEventListener('abort', () => resolve({ ok: false, error: { code: 'Cancelled', message: 'The request was cancelled.' } }))
        })
    )
    const { ws, next } = await open(host)
    ws.send(JSON.stringify({ t: 'req', id: 'slow', channel: 'preview:render', payload: {} }))
    await expect.poll(() => calls.length).toBe(1)
    expect(calls[0]!.signal?.aborted).toBe(false)
    ws.send(JSON.stringify({ t: 'cancel', id: 'unknown' }))
    ws.send(JSON.stringify({ t: 'cancel', id: 'slow' }))
    expect(await next()).toMatchObject({ id: 'slow', ok: false, error: { code: 'Cancelled' } })
    expect(calls[0]!.signal?.aborted).toBe(true)
    ws.close()
  })

  it('aborts every request in flight when the socket closes', async () => {
    const { host, calls } = await start((_c, _p, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ ok: false, error: { code: 'Cancelled', message: 'x' } }))))
    const { ws } = await open(host)
    ws.send(JSON.stringify({ t: 'req', id: 'a', channel: 'preview:render', payload: {} }))
    ws.send(JSON.stringify({ t: 'req', id: 'b', channel: 'preview:render', payload: {} }))
    await expect.poll(() => calls.length).toBe(2)
    ws.terminate()
    await expect.poll(() => calls.every((c) => c.signal?.aborted)).toBe(true)
  })

  it('answers InternalError if the router ever rejects', async () => {
    const { host } = await start(() => Promise.reject(new Error('boom with details')))
    const { ws, next } = await open(host)
    ws.send(JSON.stringify({ t: 'req', id: 'a', channel: 'app:info', payload: {} }))
    const reply = await next()
    expect(reply).toMatchObject({ id: 'a', ok: false, error: { code: 'InternalError' } })
    expect(JSON.stringify(reply)).not.toContain('boom')
    ws.close()
  })

  it('pushes contract events to every connection and drops undeclared ones', async () => {
    const { host, emit, logs } = await start()
    const a = await open(host)
    const b = await open(host)
    emit('styles:changed', { names: ['thumb'] })
    expect(await a.next()).toEqual({ t: 'evt', event: 'styles:changed', payload: { names: ['thumb'] } })
    expect(await b.next()).toEqual({ t: 'evt', event: 'styles:changed', payload: { names: ['thumb'] } })
    emit('styles:changed', { names: ['x'], secret: 'leak' })
    emit('no:such-event', {})
    a.ws.send(JSON.stringify({ t: 'req', id: 'after', channel: 'app:info', payload: {} }))
    expect(await a.next()).toMatchObject({ id: 'after' })
    expect(a.messages.some((m) => JSON.stringify(m).includes('leak'))).toBe(false)
    expect(logs.filter((l) => l.startsWith('dropped an event'))).toHaveLength(2)
    a.ws.close()
    b.ws.close()
  })

  it('close() ends sockets, aborts work, unsubscribes from events and stops listening', async () => {
    const { host, calls, hasListener } = await start((_c, _p, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ ok: false, error: { code: 'Cancelled', message: 'x' } }))))
    const { ws } = await open(host)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send(JSON.stringify({ t: 'req', id: 'a', channel: 'preview:render', payload: {} }))
    await expect.poll(() => calls.length).toBe(1)
    await host.close()
    expect(await closed).toBe(1001)
    expect(calls[0]!.signal?.aborted).toBe(true)
    expect(hasListener()).toBe(false)
    await expect(http(host, '/')).rejects.toThrow()
    await host.close()
  })
})

describe('browser mode command line', () => {
  const env = { env: {}, platform: 'linux' as const, home: '/home/u' }

  it('defaults to a free port and the per-user data folder', () => {
    expect(parseWebArgs([], env)).toEqual({ port: 0, dataDir: '/home/u/.config/oss-img-studio', help: false })
    expect(defaultDataDir({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux', home: '/h' })).toBe('/x/oss-img-studio')
    expect(defaultDataDir({ env: {}, platform: 'darwin', home: '/Users/u' })).toBe('/Users/u/Library/Application Support/oss-img-studio')
    expect(defaultDataDir({ env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\u' })).toContain('oss-img-studio')
  })

  it('reads --port, --data-dir, OSS_IMG_STUDIO_HOME, and accepts --web', () => {
    expect(parseWebArgs(['--port', '8080', '--data-dir', '/d'], env)).toMatchObject({ port: 8080, dataDir: '/d' })
    expect(parseWebArgs(['--port=0', '--web'], { ...env, env: { OSS_IMG_STUDIO_HOME: '/from-env' } })).toMatchObject({ port: 0, dataDir: '/from-env' })
    expect(parseWebArgs(['--data-dir', '/flag'], { ...env, env: { OSS_IMG_STUDIO_HOME: '/from-env' } }).dataDir).toBe('/flag')
    expect(parseWebArgs(['-h'], env).help).toBe(true)
  })

  it('rejects bad values with a message', () => {
    expect(() => parseWebArgs(['--port', '70000'], env)).toThrow(/between 0 and 65535/)
    expect(() => parseWebArgs(['--port', 'abc'], env)).toThrow(/--port/)
    expect(() => parseWebArgs(['--bogus'], env)).toThrow()
    expect(() => parseWebArgs(['positional'], env)).toThrow()
    expect(() => parseWebArgs(['--data-dir', ' '], env)).toThrow(/--data-dir/)
  })
})

describe('renderer client (src-renderer/src/ipc/client.ts) over the web host', () => {
  const realFetch = globalThis.fetch

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  /** A fresh copy of the client module, in a "browser" whose page came from `host`. */
  async function loadClient(host: WebHost, cookie = cookieFor(host)) {
    vi.resetModules()
    const origin = host.origin
    class BrowserSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin, headers: { Cookie: cookie } })
        // Browsers report connection failures as events; ws would throw without a listener.
        this.on('error', () => undefined)
      }
    }
    vi.stubGlobal('WebSocket', BrowserSocket)
    vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${host.port}`, href: `${origin}/` })
    vi.stubGlobal('fetch', (url: URL, init: RequestInit) => realFetch(url, { ...init, headers: { Cookie: cookie } }))
    return import('../../src-renderer/src/ipc/client')
  }

  it('invokes channels, maps errors to IpcError, and cancels through the signal', async () => {
    const { host, calls } = await start((channel, _payload, signal) => {
      if (channel === 'app:info') return Promise.resolve({ ok: true, result: { version: '1', mode: 'web', dataDir: '/d' } })
      if (channel === 'preview:render') return new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ ok: false, error: { code: 'Cancelled', message: 'x' } })))
      return Promise.resolve({ ok: false, error: { code: 'NoSuchKey', message: 'gone', status: 404, requestId: 'RID' } })
    })
    const client = await loadClient(host)
    expect(await client.invoke('app:info', {})).toEqual({ version: '1', mode: 'web', dataDir: '/d' })
    expect(client.getConnectionState()).toBe('open')

    const failure = await client.invoke('objects:list', { profileId: 'p' }).catch((e: unknown) => e)
    expect(client.isIpcError(failure)).toBe(true)
    expect((failure as InstanceType<typeof client.IpcError>).info).toEqual({ code: 'NoSuchKey', message: 'gone', status: 404, requestId: 'RID' })

    const controller = new AbortController()
    const pending = client.invoke('preview:render', { source: { kind: 'upload', uploadId: 'u' }, process: 'image/info' }, { signal: controller.signal })
    await expect.poll(() => calls.filter((c) => c.channel === 'preview:render').length).toBe(1)
    controller.abort()
    const cancelled = await pending.catch((e: unknown) => e)
    expect(client.isCancelled(cancelled)).toBe(true)
    await expect.poll(() => calls.find((c) => c.channel === 'preview:render')?.signal?.aborted).toBe(true)
  })

  it('reconnects when the socket drops: requests in flight fail with NetworkError, later ones go through', async () => {
    let gate: () => void = () => undefined
    const dispatch: Dispatch = (channel) => (channel === 'preview:render' ? new Promise((resolve) => (gate = () => resolve({ ok: true, result: {} }))) : Promise.resolve({ ok: true, result: { version: '1', mode: 'web', dataDir: '/d' } }))
    const first = await start(dispatch)
    const client = await loadClient(first.host)
    const states: string[] = []
    client.onConnectionState((s) => states.push(s))
    await client.invoke('app:info', {})
    const inFlight = client.invoke('preview:render', { source: { kind: 'upload', uploadId: 'u' }, process: 'image/info' }).catch((e: unknown) => e)
    await expect.poll(() => first.calls.length).toBe(2)

    // The studio goes away and comes back on the same port with the same token.
    const port = first.host.port
    await first.host.close()
    hosts.splice(hosts.indexOf(first.host), 1)
    expect(((await inFlight) as { code: string }).code).toBe('NetworkError')
    gate()
    const again = await startWebHost({ services: fakeServices(dispatch).services, rendererDir, port, token: TOKEN, log: () => undefined, heartbeatMs: 0 })
    hosts.push(again)
    expect(await client.invoke('app:info', {})).toMatchObject({ mode: 'web' })
    expect(states).toContain('reconnecting')
    expect(client.getConnectionState()).toBe('open')
  })

  it('reports "unauthorized" when the studio restarted with a new token', async () => {
    const first = await start()
    const client = await loadClient(first.host)
    await client.invoke('app:info', {})
    const port = first.host.port
    await first.host.close()
    hosts.splice(hosts.indexOf(first.host), 1)
    const other = await startWebHost({ services: fakeServices().services, rendererDir, port, token: `${TOKEN}-new`, log: () => undefined, heartbeatMs: 0 })
    hosts.push(other)
    await expect.poll(() => client.getConnectionState(), { timeout: 10_000 }).toBe('unauthorized')
  })
})
