/**
 * Browser mode's WebSocket messages (`/ipc`), shared by the host (src-main/host/web.ts) and the
 * renderer's transport (src-renderer/src/ipc/client.ts). Each frame is one JSON object; the host
 * validates what it receives against these shapes and the contract, the client trusts nothing
 * but the `t` tag and the request id.
 */
import type { Channel, Envelope, EventName } from './contract'

export type WsRequestId = string | number

/** Renderer → main. */
export type WsClientMessage = { readonly t: 'req'; readonly id: WsRequestId; readonly channel: Channel; readonly payload: unknown } | { readonly t: 'cancel'; readonly id: WsRequestId }

/** Main → renderer: a response (`id` null when the request had no readable id) or an event. */
export type WsServerMessage = ({ readonly t: 'res'; readonly id: WsRequestId | null } & Envelope<unknown>) | { readonly t: 'evt'; readonly event: EventName; readonly payload: unknown }
