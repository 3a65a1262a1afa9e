/**
 * Main's half of the Electron transport: `ipc:invoke` → `router.dispatch` (which validates the
 * channel and payload against the contract and never throws), `ipc:cancel` → abort the request
 * with that id, and contract events → `webContents.send('ipc:event', name, payload)`.
 *
 * Every message is first checked to come from a trusted frame — the studio window's main frame,
 * showing a studio page (`isTrusted`); anything else (a subframe, another window, a page that
 * somehow navigated away) is refused and logged.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron'
import type { Envelope } from '../../../src-shared/ipc/contract'
import type { Router } from '../../ipc/router'
import { BRIDGE, REQUEST_ID } from '../../preload/channels'

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>

/** The parts of an IPC event the trust check looks at. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>

export interface IpcBridge {
  /** Aborts every request in flight for one web contents (it was destroyed or reloaded). */
  abortAll(webContentsId?: number): void
  /** How many requests are in flight (for tests and diagnostics). */
  readonly pending: number
  dispose(): void
}

export interface IpcBridgeOptions {
  readonly ipcMain: IpcMainLike
  readonly router: Router
  readonly isTrusted: (event: SenderEvent) => boolean
  readonly log: (message: string) => void
}

const FORBIDDEN: Envelope<never> = { ok: false, error: { code: 'Forbidden', message: 'ipc: this frame may not call the studio' } }

export function installIpcBridge(options: IpcBridgeOptions): IpcBridge {
  const { ipcMain, router, isTrusted, log } = options
  /** `${webContentsId}:${requestId}` → the controllers of the requests sent with that id. */
  const inFlight = new Map<string, Set<AbortController>>()
  let count = 0

  const keyOf = (sender: Pick<WebContents, 'id'>, id: string): string => `${sender.id}:${id}`

  const check = (event: SenderEvent, what: string): boolean => {
    if (isTrusted(event)) return true
    log(`ipc: refused ${what} from an untrusted frame (${event.senderFrame?.url?.slice(0, 200) ?? 'no frame'})`)
    return false
  }

  const onInvoke = async (event: IpcMainInvokeEvent, channel: unknown, payload: unknown, id: unknown): Promise<Envelope<unknown>> => {
    if (!check(event, 'a request')) return FORBIDDEN
    const controller = new AbortController()
    const key = typeof id === 'string' && REQUEST_ID.test(id) ? keyOf(event.sender, id) : undefined
    if (key !== undefined) {
      const set = inFlight.get(key) ?? new Set()
      set.add(controller)
      inFlight.set(key, set)
    }
    count++
    try {
      return await router.dispatch(channel, payload, controller.signal)
    } finally {
      count--
      if (key !== undefined) {
        const set = inFlight.get(key)
        set?.delete(controller)
        if (set?.size === 0) inFlight.delete(key)
      }
    }
  }

  const onCancel = (event: IpcMainEvent, id: unknown): void => {
    if (!check(event, 'a cancel')) return
    if (typeof id !== 'string' || !REQUEST_ID.test(id)) return
    for (const controller of inFlight.get(keyOf(event.sender, id)) ?? []) controller.abort()
  }

  ipcMain.handle(BRIDGE.invoke, onInvoke)
  ipcMain.on(BRIDGE.cancel, onCancel)

  const abortAll = (webContentsId?: number): void => {
    for (const [key, set] of inFlight) {
      if (webContentsId !== undefined && !key.startsWith(`${webContentsId}:`)) continue
      for (const controller of set) controller.abort()
    }
  }

  return {
    abortAll,
    get pending() {
      return count
    },
    dispose() {
      ipcMain.removeHandler(BRIDGE.invoke)
      ipcMain.removeListener(BRIDGE.cancel, onCancel)
      abortAll()
    }
  }
}

/** The studio window's trust rule: its own web contents, its top frame, a studio page. */
export function createTrustCheck(getWindowContents: () => Pick<WebContents, 'id'> | undefined, isAppUrl: (url: string) => boolean): (event: SenderEvent) => boolean {
  return (event) => {
    const contents = getWindowContents()
    if (contents === undefined || event.sender.id !== contents.id) return false
    const frame = event.senderFrame
    if (frame === null || frame === undefined) return false
    if (frame.parent !== null) return false
    return isAppUrl(frame.url)
  }
}

/** Forwards one contract event to a window, unless it is gone. */
export function sendEvent(contents: Pick<WebContents, 'send' | 'isDestroyed'> | undefined, event: string, payload: unknown): void {
  if (contents === undefined || contents.isDestroyed()) return
  contents.send(BRIDGE.event, event, payload)
}
