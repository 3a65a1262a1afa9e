/**
 * THE renderer's way to main, and the only file that knows the transport:
 *
 * - In Electron, the preload exposes `window.ossImgStudio` (`invoke(channel, payload, id)`,
 *   `cancel(id)`, `onEvent(cb)`), forwarding exactly the contract's channels.
 * - In browser mode (no preload), a WebSocket to `/ipc` on the page's own origin; the HttpOnly
 *   cookie set by the Studio URL authenticates it. Messages: `{t:'req',id,channel,payload}`,
 *   `{t:'cancel',id}` → `{t:'res',id,ok,result|error}`, `{t:'evt',event,payload}`. The socket
 *   reconnects with backoff when it drops; requests made while it is down wait for it.
 *
 *   const { profiles } = await invoke('profiles:list', {}, { signal })
 *
 * Every failure is an `IpcError` carrying the contract's one error shape (`ErrorInfo`): OSS's
 * code/status/EC/request id, or a transport code (Cancelled, NetworkError, Unauthorized…).
 */
import type { Channel, Envelope, ErrorInfo, EventName, EventPayload, RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import type { WsClientMessage } from '../../../src-shared/ipc/ws'

export class IpcError extends Error {
  override readonly name = 'IpcError'
  readonly info: ErrorInfo

  constructor(info: ErrorInfo) {
    super(info.message)
    this.info = info
  }

  get code(): string {
    return this.info.code
  }
}

export function isIpcError(value: unknown): value is IpcError {
  return value instanceof IpcError
}

/** True for a request given up by its caller (AbortSignal): nothing to show. */
export function isCancelled(error: unknown): boolean {
  return isIpcError(error) && error.code === 'Cancelled'
}

/** Any failure as the contract's error shape, for display. */
export function errorInfoOf(error: unknown): ErrorInfo {
  if (isIpcError(error)) return error.info
  return { code: 'RendererError', message: error instanceof Error ? error.message : String(error) }
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized'

export interface InvokeOptions {
  readonly signal?: AbortSignal | undefined
}

/** What Electron's preload exposes (src-main/preload). */
export interface PreloadBridge {
  invoke(channel: string, payload: unknown, id: string): Promise<Envelope<unknown>>
  cancel(id: string): void
  onEvent(listener: (event: string, payload: unknown) => void): (() => void) | void
}

interface Transport {
  send(id: string, channel: Channel, payload: unknown): Promise<Envelope<unknown>>
  cancel(id: string): void
}

const cancelled = (): IpcError => new IpcError({ code: 'Cancelled', message: 'The request was cancelled.' })

type EventListener = (event: EventName, payload: unknown) => void
const eventListeners = new Set<EventListener>()
const stateListeners = new Set<(state: ConnectionState) => void>()
let connectionState: ConnectionState = 'connecting'

function setState(next: ConnectionState): void {
  if (next === connectionState) return
  connectionState = next
  for (const listener of stateListeners) listener(next)
}

function emit(event: string, payload: unknown): void {
  for (const listener of eventListeners) listener(event as EventName, payload)
}

function preloadTransport(bridge: PreloadBridge): Transport {
  bridge.onEvent(emit)
  setState('open')
  return {
    send: (id, channel, payload) =>
      Promise.resolve()
        .then(() => bridge.invoke(channel, payload, id))
        .catch((): Envelope<never> => ({ ok: false, error: { code: 'NetworkError', message: 'The main process did not answer this request.' } })),
    cancel: (id) => bridge.cancel(id)
  }
}

interface Pending {
  readonly message: string
  sent: boolean
  resolve(envelope: Envelope<unknown>): void
}

/** The page's own address (typed here so the module also type-checks without DOM types, for tests). */
const here = () => (globalThis as unknown as { location: { protocol: string; host: string; href: string } }).location

function webSocketTransport(): Transport {
  const location = here()
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ipc`
  const pending = new Map<string, Pending>()
  let socket: WebSocket | undefined
  let failures = 0

  const lost = (): Envelope<never> => ({ ok: false, error: { code: 'NetworkError', message: 'The connection to the studio was lost while this request was running; try again.' } })

  const flush = () => {
    if (socket?.readyState !== WebSocket.OPEN) return
    for (const request of pending.values()) {
      if (request.sent) continue
      socket.send(request.message)
      request.sent = true
    }
  }

  /** After repeated failures, tell "server gone" from "token no longer valid" (a restarted server has a new one). */
  const probe = async () => {
    try {
      const response = await fetch(new URL('/', location.href), { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' })
      if (response.status === 401) setState('unauthorized')
    } catch {
      // Server down: keep trying.
    }
  }

  const connect = () => {
    setState(failures === 0 && connectionState === 'connecting' ? 'connecting' : 'reconnecting')
    const ws = new WebSocket(url)
    socket = ws
    let opened = false
    ws.onopen = () => {
      opened = true
      failures = 0
      setState('open')
      flush()
    }
    ws.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return
      // Main's frames are trusted only as far as the tag and the id: everything else is checked here.
      let message: Partial<Record<'t' | 'id' | 'ok' | 'result' | 'error' | 'event' | 'payload', unknown>>
      try {
        message = JSON.parse(event.data) as typeof message
      } catch {
        return
      }
      if (message.t === 'evt' && typeof message.event === 'string') {
        emit(message.event, message.payload)
      } else if (message.t === 'res' && typeof message.id === 'string') {
        const request = pending.get(message.id)
        if (!request) return
        pending.delete(message.id)
        request.resolve(message.ok === true ? { ok: true, result: message.result } : { ok: false, error: message.error as ErrorInfo })
      }
    }
    // Failures surface as `close` (with no detail, by design of the WebSocket API).
    ws.onerror = () => undefined
    ws.onclose = () => {
      if (socket !== ws) return
      socket = undefined
      // Requests already sent were aborted by main with the socket; nothing is resent blindly
      // (a create must not happen twice). Requests not yet sent wait for the next connection.
      for (const [id, request] of pending) {
        if (!request.sent) continue
        pending.delete(id)
        request.resolve(lost())
      }
      if (!opened) failures += 1
      if (failures === 2 || (failures > 0 && failures % 10 === 0)) void probe()
      const delay = Math.min(5_000, 250 * 2 ** Math.min(failures, 5))
      setState(connectionState === 'unauthorized' ? 'unauthorized' : 'reconnecting')
      setTimeout(connect, opened ? 100 : delay)
    }
  }
  connect()

  return {
    send(id, channel, payload) {
      return new Promise<Envelope<unknown>>((resolve) => {
        pending.set(id, { message: JSON.stringify({ t: 'req', id, channel, payload } satisfies WsClientMessage), sent: false, resolve })
        flush()
      })
    },
    cancel(id) {
      const request = pending.get(id)
      if (!request) return
      pending.delete(id)
      if (request.sent && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ t: 'cancel', id } satisfies WsClientMessage))
      request.resolve({ ok: false, error: cancelled().info })
    }
  }
}

let transport: Transport | undefined
function getTransport(): Transport {
  if (!transport) {
    const bridge = (globalThis as { ossImgStudio?: Partial<PreloadBridge> }).ossImgStudio
    transport = bridge && typeof bridge.invoke === 'function' ? preloadTransport(bridge as PreloadBridge) : webSocketTransport()
  }
  return transport
}

let nextId = 0

/** Calls `channel` in main. Resolves with its result; rejects with an IpcError (code `Cancelled` when `signal` aborts). */
export async function invoke<C extends Channel>(channel: C, payload: RequestOf<C>, options: InvokeOptions = {}): Promise<ResponseOf<C>> {
  const { signal } = options
  if (signal?.aborted) throw cancelled()
  const id = `r${(nextId += 1)}`
  const t = getTransport()
  const onAbort = () => t.cancel(id)
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const envelope = await t.send(id, channel, payload)
    if (signal?.aborted) throw cancelled()
    if (!envelope.ok) throw new IpcError(envelope.error)
    return envelope.result as ResponseOf<C>
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

/** Main → renderer events, typed by the contract. Returns an unsubscribe function. */
export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  getTransport()
  const wrapped: EventListener = (name, payload) => {
    if (name === event) listener(payload as EventPayload<E>)
  }
  eventListeners.add(wrapped)
  return () => eventListeners.delete(wrapped)
}

export function getConnectionState(): ConnectionState {
  return connectionState
}

export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  getTransport()
  stateListeners.add(listener)
  return () => stateListeners.delete(listener)
}
