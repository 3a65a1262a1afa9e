/**
 * Shared e2e fixtures: the studio page opened through its Studio URL (token → cookie → `/`),
 * a recorder of every HTTP response and WebSocket frame, and the console errors of the page.
 */
import { test as base, expect, type Page } from '@playwright/test'

export const PORT = Number(process.env.E2E_PORT)
export const TOKEN = process.env.E2E_TOKEN ?? ''
export const ORIGIN = `http://127.0.0.1:${PORT}`
export const DATA_DIR = process.env.E2E_DATA_DIR ?? ''
export const SERVER_LOG = process.env.E2E_SERVER_LOG ?? ''
export const SAMPLES = ['animated.gif', 'landscape.jpg', 'large.jpg', 'logo.png', 'portrait.jpg'] as const

export interface Frame {
  readonly direction: 'sent' | 'received'
  readonly payload: string
  readonly at: number
}

export interface Traffic {
  readonly frames: Frame[]
  readonly responses: { url: string; status: number; headers: Record<string, string>; body: string }[]
  /** Waits until every response body seen so far has been read. */
  settle(): Promise<void>
}

export function recordTraffic(page: Page): Traffic {
  const frames: Frame[] = []
  const responses: Traffic['responses'] = []
  const reading: Promise<void>[] = []
  page.on('websocket', (ws) => {
    ws.on('framesent', (frame) => frames.push({ direction: 'sent', payload: String(frame.payload), at: Date.now() }))
    ws.on('framereceived', (frame) => frames.push({ direction: 'received', payload: String(frame.payload), at: Date.now() }))
  })
  page.on('response', (response) => {
    reading.push(
      (async () => {
        const body = await response.body().then(
          (buffer) => buffer.toString('latin1'),
          () => ''
        )
        responses.push({ url: response.url(), status: response.status(), headers: await response.allHeaders(), body })
      })()
    )
  })
  return { frames, responses, settle: async () => void (await Promise.all(reading)) }
}

export const test = base.extend<{ studio: Page; consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    await use(errors)
  },
  studio: async ({ page, consoleErrors }, use) => {
    void consoleErrors
    await page.goto(`/?token=${TOKEN}`)
    // The token was traded for a cookie and left the address bar.
    await expect(page).toHaveURL(`${ORIGIN}/`)
    await expect(page.getByTestId('connection')).toHaveText('Connected')
    await use(page)
  }
})

export { expect }
