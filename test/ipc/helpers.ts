/**
 * Shared set-up for the IPC tests: temp data dirs, the composition root, and the two transports
 * the contract suite runs over — `router.dispatch` directly, and browser mode's WebSocket host.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import sharp from 'sharp'
import WebSocket from 'ws'
import type { Envelope, ErrorInfo } from '../../src-shared/ipc/contract'
import { createMainServices, type MainServices, type MainServicesOptions } from '../../src-main/app/main-services'

const dirs: string[] = []

export function tempDir(prefix = 'ipc-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export interface Bed {
  readonly services: MainServices
  readonly dataDir: string
  readonly logs: string[]
  readonly events: { event: string; payload: unknown }[]
  readonly clipboard: string[]
}

export async function makeBed(options: Partial<MainServicesOptions> = {}): Promise<Bed> {
  const dataDir = options.dataDir ?? tempDir()
  const logs: string[] = []
  const clipboard: string[] = []
  const services = await createMainServices({
    dataDir,
    mode: 'electron',
    version: '9.9.9-test',
    clipboard: async (text) => {
      clipboard.push(text)
    },
    log: (line) => logs.push(line),
    ...options
  })
  const events: { event: string; payload: unknown }[] = []
  services.onEvent((event, payload) => events.push({ event, payload }))
  return { services, dataDir, logs, events, clipboard }
}

/** One way of reaching the router: what the contract suite is written against. */
export interface Transport {
  readonly name: string
  call(channel: unknown, payload: unknown, signal?: AbortSignal): Promise<Envelope<unknown>>
  /** Events as this transport delivered them. */
  readonly events: { event: string; payload: unknown }[]
  close(): Promise<void>
}

export function directTransport(services: MainServices): Transport {
  const events: { event: string; payload: unknown }[] = []
  const off = services.onEvent((event, payload) => events.push({ event, payload }))
  return {
    name: 'router.dispatch',
    call: (channel, payload, signal) => services.router.dispatch(channel, payload, signal),
    events,
    close: async () => off()
  }
}

/** Browser mode: `startWebHost` (src-main/host/web.ts) and a WebSocket client at `/ipc`. */
export async function webSocketTransport(services: MainServices): Promise<Transport> {
  const { startWebHost } = await import('../../src-main/host/web')
  const rendererDir = tempDir('ipc-renderer-')
  const host = await startWebHost({ services, rendererDir, port: 0, log: () => undefined })
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${encodeURIComponent(host.token)}`, { origin: `http://127.0.0.1:${host.port}` })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const events: { event: string; payload: unknown }[] = []
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  let next = 1
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { t: string; id?: number; ok?: boolean; result?: unknown; error?: ErrorInfo; event?: string; payload?: unknown }
    if (message.t === 'evt') events.push({ event: message.event!, payload: message.payload })
    else if (message.t === 'res' && typeof message.id === 'number') {
      const settle = pending.get(message.id)
      pending.delete(message.id)
      settle?.(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error! })
    }
  })
  return {
    name: 'WebSocket (host/web.ts)',
    call(channel, payload, signal) {
      const id = next++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ t: 'req', id, channel, payload }))
        signal?.addEventListener('abort', () => socket.send(JSON.stringify({ t: 'cancel', id })), { once: true })
      })
    },
    events,
    async close() {
      socket.close()
      await host.close()
    }
  }
}

/** Every file under `dir` with its size and mtime (a change to any shows up). */
export function listing(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name)
    const stat = statSync(path)
    out.push(`${relative(dir, path)} ${entry.isDirectory() ? 'dir' : `${stat.size} ${stat.mtimeMs}`}`)
  }
  return out.sort()
}

/** A small photo-like JPEG (gradient + noise), `width`×`height`. */
export function makeJpeg(width: number, height: number, quality = 85): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 200 }, noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .jpeg({ quality })
    .toBuffer()
}

export function makePng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.8 } } })
    .png()
    .toBuffer()
}

export function ok<T = Record<string, unknown>>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`expected ok but received ${JSON.stringify(envelope.error)}`)
  return envelope.result as T
}

export function err(envelope: Envelope<unknown>) {
  if (envelope.ok) throw new Error(`expected an error but received ${JSON.stringify(envelope.result).slice(0, 300)}`)
  return envelope.error
}
