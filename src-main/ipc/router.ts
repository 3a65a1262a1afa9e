/**
 * The main-process side of the IPC contract: every message from any transport (Electron's
 * preload or browser mode's WebSocket) comes through `dispatch`, which validates the channel
 * and payload, runs the handler with a cancellation signal, validates the response against the
 * contract (so nothing undeclared, such as a secret, can leave main) and wraps every failure in
 * the one error shape. It never throws.
 */
import type { z } from 'zod'
import { CHANNELS, isChannel, type Channel, type Envelope, type ErrorInfo, type EventName, type EventPayload, type ResponseOf } from '../../src-shared/ipc/contract'
import { toErrorInfo } from './errors'

export interface HandlerContext {
  readonly signal: AbortSignal
}

export type Handler<C extends Channel> = (request: z.output<(typeof CHANNELS)[C]['request']>, ctx: HandlerContext) => Promise<ResponseOf<C>> | ResponseOf<C>

export type Handlers = { readonly [C in Channel]: Handler<C> }

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export interface Router {
  dispatch(channel: unknown, payload: unknown, signal?: AbortSignal): Promise<Envelope<unknown>>
}

export interface RouterOptions {
  /** Where internal failures are reported (already redacted: messages only, never payloads). */
  readonly log?: (message: string) => void
}

function invalid(code: string, message: string): Envelope<never> {
  return { ok: false, error: { code, message } }
}

const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value)

/**
 * "profiles:create: name: Too small: expected string to have >=1 characters". Bounded (the
 * contract's 2048 characters): a hostile payload's key names appear in paths and in zod's
 * "Unrecognized keys" message.
 */
function describeIssues(channel: string, error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => clip(`${issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : ''}${issue.message}`, 300))
  return clip(`${channel}: ${issues.join('; ')}${error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : ''}`, 2048)
}

/** A hostile value named without running any of its code (`String()` would call its toString). */
function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : value === null ? 'null' : Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const log = options.log ?? ((message: string) => console.error(message))
  return {
    async dispatch(channel, payload, signal = new AbortController().signal) {
      if (!isChannel(channel)) return invalid('UnknownChannel', `ipc: expected a channel of the contract but received ${describeValue(channel)}`)
      const spec = CHANNELS[channel]
      const request = spec.request.safeParse(payload ?? {})
      if (!request.success) return invalid('InvalidPayload', describeIssues(channel, request.error))
      try {
        const handler = handlers[channel] as (request: unknown, ctx: HandlerContext) => Promise<unknown> | unknown
        const result = await handler(request.data, { signal })
        signal.throwIfAborted()
        const response = spec.response.safeParse(result)
        if (!response.success) {
          log(`ipc: ${channel} produced a response outside the contract: ${describeIssues(channel, response.error)}`)
          return invalid('InternalError', `${channel}: the main process produced an invalid response`)
        }
        return { ok: true, result: response.data }
      } catch (error) {
        const info: ErrorInfo = toErrorInfo(error, signal)
        if (info.code === 'InternalError') log(`ipc: ${channel} failed: ${(error as Error)?.stack ?? String(error)}`)
        return { ok: false, error: info }
      }
    }
  }
}
