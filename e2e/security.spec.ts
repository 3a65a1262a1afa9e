/** Browser mode's gate: the per-run token (cookie or query), Host and Origin checks, headers. */
import { request as httpRequest } from 'node:http'
import WebSocket from 'ws'
import { expect, ORIGIN, PORT, test, TOKEN } from './fixtures'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: PORT, path, headers: { Host: `127.0.0.1:${PORT}`, ...headers } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens /ipc and resolves with the socket, or with the HTTP status the upgrade was refused with. */
function openSocket(options: { cookie?: string; origin?: string; query?: string; host?: string }): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${PORT}/ipc${options.query ?? ''}`, {
      headers: { ...(options.cookie ? { Cookie: options.cookie } : {}), ...(options.host ? { Host: options.host } : {}) },
      ...(options.origin ? { origin: options.origin } : {})
    })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', (error) => reject(error))
  })
}

async function login(): Promise<string> {
  const answer = await get(`/?token=${TOKEN}`)
  expect(answer.status).toBe(303)
  expect(answer.headers.location).toBe('/')
  const cookie = String(answer.headers['set-cookie'])
  expect(cookie).toMatch(/HttpOnly/)
  expect(cookie).toMatch(/SameSite=Strict/)
  return cookie.split(';')[0]!
}

test('HTTP without the token is 401, with it the page is served with a strict CSP', async () => {
  for (const path of ['/', '/index.html', '/assets/', '/favicon.svg', '/ipc']) expect((await get(path)).status, path).toBe(401)
  expect((await get('/?token=wrong-token-wrong-token-wrong-token-00')).status).toBe(401)
  expect((await get('/', { Cookie: `oss_img_studio_${PORT}=not-the-token` })).status).toBe(401)

  const cookie = await login()
  const page = await get('/', { Cookie: cookie })
  expect(page.status).toBe(200)
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
  expect(page.headers['content-security-policy']).toContain("script-src 'self'")
  expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
  expect(page.headers['x-content-type-options']).toBe('nosniff')
  expect(page.headers['referrer-policy']).toBe('no-referrer')
  const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(page.body)?.[1]
  expect(script).toBeTruthy()
  const asset = await get(`/${script}`, { Cookie: cookie })
  expect(asset.status).toBe(200)
  expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
  expect((await get('/../package.json', { Cookie: cookie })).status).toBe(404)
})

test('a foreign Host (DNS rebinding) is refused even with the token', async () => {
  const cookie = await login()
  expect((await get('/', { Cookie: cookie, Host: `evil.example:${PORT}` })).status).toBe(403)
  expect((await get('/', { Cookie: cookie, Host: `localhost:${PORT}` })).status).toBe(200)
})

test('the WebSocket needs the token, the studio’s own Origin and Host', async () => {
  expect(await openSocket({ origin: ORIGIN })).toBe(401)
  expect(await openSocket({ origin: ORIGIN, query: '?token=nope-nope-nope-nope-nope-nope-nope-nope' })).toBe(401)
  const cookie = await login()
  expect(await openSocket({ cookie, origin: 'http://evil.example' })).toBe(403)
  expect(await openSocket({ cookie })).toBe(403)
  expect(await openSocket({ cookie, origin: ORIGIN, host: `evil.example:${PORT}` })).toBe(403)

  const ws = await openSocket({ cookie, origin: ORIGIN })
  expect(ws).toBeInstanceOf(WebSocket)
  const socket = ws as WebSocket
  const replies: unknown[] = []
  socket.on('message', (data) => replies.push(JSON.parse(String(data))))
  socket.send('{not json')
  socket.send(JSON.stringify({ t: 'req', id: 'a', channel: 'app:info', payload: {} }))
  socket.send(JSON.stringify({ t: 'req', id: 'b', channel: 'no:such', payload: {} }))
  await expect.poll(() => replies.length).toBe(3)
  expect(replies).toContainEqual({ t: 'res', id: null, ok: false, error: expect.objectContaining({ code: 'InvalidMessage' }) })
  expect(replies).toContainEqual({ t: 'res', id: 'a', ok: true, result: expect.objectContaining({ mode: 'web' }) })
  expect(replies).toContainEqual({ t: 'res', id: 'b', ok: false, error: expect.objectContaining({ code: 'UnknownChannel' }) })
  socket.close()
})

test('the page is not usable without the Studio URL', async ({ page }) => {
  const response = await page.goto('/')
  expect(response?.status()).toBe(401)
  await expect(page.locator('body')).toContainText('Unauthorized')
})
