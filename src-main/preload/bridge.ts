/**
 * The preload's bridge object, built over the part of `ipcRenderer` it needs (so it is plain code,
 * tested with a fake). Type-only import of Electron: nothing here runs Electron code.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron'
import type { BridgeEnvelope, OssImgStudioBridge } from './api'
import { BRIDGE, CHANNEL_NAMES, EVENT_NAMES, REQUEST_ID } from './channels'

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'send' | 'on' | 'removeListener'>

const channels: ReadonlySet<string> = new Set(CHANNEL_NAMES)
const events: ReadonlySet<string> = new Set(EVENT_NAMES)

const refuse = (code: string, message: string): Promise<BridgeEnvelope> => Promise.resolve({ ok: false, error: { code, message } })

const show = (value: unknown): string => JSON.stringify(String(value).slice(0, 64))

export function createBridge(ipc: IpcRendererLike): OssImgStudioBridge {
  return {
    invoke(channel, payload, id) {
      if (typeof channel !== 'string' || !channels.has(channel)) {
        return refuse('UnknownChannel', `ipc: expected a channel of the contract but received ${show(channel)}`)
      }
      if (id !== undefined && (typeof id !== 'string' || !REQUEST_ID.test(id))) {
        return refuse('InvalidPayload', `ipc: expected a request id matching [A-Za-z0-9_-]{1,64} but received ${show(id)}`)
      }
      return ipc.invoke(BRIDGE.invoke, channel, payload ?? {}, id) as Promise<BridgeEnvelope>
    },
    cancel(id) {
      if (typeof id === 'string' && REQUEST_ID.test(id)) ipc.send(BRIDGE.cancel, id)
    },
    onEvent(listener) {
      if (typeof listener !== 'function') throw new TypeError('ossImgStudio.onEvent: expected a function')
      const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
        if (typeof name === 'string' && events.has(name)) listener(name, payload)
      }
      ipc.on(BRIDGE.event, forward)
      let subscribed = true
      return () => {
        if (!subscribed) return
        subscribed = false
        ipc.removeListener(BRIDGE.event, forward)
      }
    }
  }
}
