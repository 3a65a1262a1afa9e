/**
 * The preload (src-main/preload) over a fake of Electron's `contextBridge` and `ipcRenderer`
 * (Electron's own module is the only thing mocked): it exposes exactly invoke/cancel/onEvent,
 * forwards exactly the contract's channels and events, and refuses everything else before it
 * reaches main.
 */
import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CHANNELS, EVENTS } from '../../src-shared/ipc/contract'
import { BRIDGE, CHANNEL_NAMES, EVENT_NAMES } from '../../src-main/preload/channels'

const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events')
  const renderer = new EventEmitter()
  const ipcRenderer = {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, result: {} })),
    send: vi.fn(),
    on: vi.fn((name: string, listener: (...args: unknown[]) => void) => renderer.on(name, listener)),
    removeListener: vi.fn((name: string, listener: (...args: unknown[]) => void) => renderer.removeListener(name, listener))
  }
  const exposed = new Map<string, unknown>()
  const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => void exposed.set(key, api)) }
  return { renderer, ipcRenderer, contextBridge, exposed }
})

vi.mock('electron', () => ({ contextBridge: fake.contextBridge, ipcRenderer: fake.ipcRenderer }))

await import('../../src-main/preload/index')

interface Bridge {
  invoke(channel: unknown, payload?: unknown, id?: unknown): Promise<unknown>
  cancel(id: unknown): void
  onEvent(listener: (event: string, payload: unknown) => void): () => void
}
const api = fake.exposed.get('ossImgStudio') as Bridge

beforeEach(() => {
  fake.ipcRenderer.invoke.mockClear()
  fake.ipcRenderer.send.mockClear()
})

describe('preload names', () => {
  it('lists exactly the contract’s channels and events', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(CHANNELS).sort())
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(EVENTS).sort())
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length)
  })

  it('keeps the preload free of zod and the schemas (it runs sandboxed, bundled on its own)', () => {
    for (const file of ['index.ts', 'bridge.ts', 'channels.ts', 'api.ts']) {
      const source = readFileSync(new URL(`../../src-main/preload/${file}`, import.meta.url), 'utf8')
      const imports = [...source.matchAll(/^import .* from '([^']+)'/gm)].map((match) => match[1])
      for (const name of imports) expect(['electron', './channels', './bridge', './api'], `${file} imports ${name}`).toContain(name)
    }
  })
})

describe('window.ossImgStudio', () => {
  it('is exposed once, through contextBridge, with exactly invoke, cancel and onEvent', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce()
    expect(Object.keys(api).sort()).toEqual(['cancel', 'invoke', 'onEvent'])
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('forwards every contract channel to ipc:invoke with the payload and id', async () => {
    for (const channel of CHANNEL_NAMES) {
      await api.invoke(channel, { a: 1 }, 'req_1')
      expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith(BRIDGE.invoke, channel, { a: 1 }, 'req_1')
    }
    await api.invoke('app:info')
    expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith(BRIDGE.invoke, 'app:info', {}, undefined)
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledTimes(CHANNEL_NAMES.length + 1)
  })

  it('refuses anything that is not a contract channel without sending it', async () => {
    for (const channel of ['fs:readFile', 'ipc:invoke', 'app:info ', '__proto__', 'constructor', 'toString', '', 42, null, undefined, { toString: () => 'app:info' }]) {
      await expect(api.invoke(channel, {})).resolves.toMatchObject({ ok: false, error: { code: 'UnknownChannel' } })
    }
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled()
  })

  it('refuses malformed request ids', async () => {
    for (const id of ['', 'a b', 'x'.repeat(65), 7, {}]) {
      await expect(api.invoke('app:info', {}, id)).resolves.toMatchObject({ ok: false, error: { code: 'InvalidPayload' } })
    }
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled()
  })

  it('cancels by id through ipc:cancel, ignoring malformed ids', () => {
    api.cancel('req_1')
    api.cancel('bad id')
    api.cancel(5)
    expect(fake.ipcRenderer.send).toHaveBeenCalledOnce()
    expect(fake.ipcRenderer.send).toHaveBeenCalledWith(BRIDGE.cancel, 'req_1')
  })

  it('delivers only contract events, without Electron’s event object, until unsubscribed', () => {
    const seen: unknown[][] = []
    const unsubscribe = api.onEvent((...args) => seen.push(args))
    fake.renderer.emit(BRIDGE.event, { sender: 'ipcRenderer' }, 'styles:changed', { names: ['a'] })
    fake.renderer.emit(BRIDGE.event, { sender: 'ipcRenderer' }, 'secrets:leak', { x: 1 })
    fake.renderer.emit('some-other-channel', {}, 'styles:changed', { names: ['b'] })
    expect(seen).toEqual([['styles:changed', { names: ['a'] }]])
    unsubscribe()
    unsubscribe()
    fake.renderer.emit(BRIDGE.event, {}, 'styles:changed', { names: ['c'] })
    expect(seen).toHaveLength(1)
    expect(fake.renderer.listenerCount(BRIDGE.event)).toBe(0)
    expect(() => api.onEvent('nope' as never)).toThrow(TypeError)
  })
})
