/**
 * Makes ali-oss's HTTP calls abortable. ali-oss 6 sends everything through `this.urllib.request()`
 * (urllib 2.x), which takes no AbortSignal. We replace that one method on each client with a
 * wrapper that reads the operation's signal from an AsyncLocalStorage (set by `OssClient.run`) and
 * destroys the in-flight request when it fires. Everything else (agents, timeouts, signing) is
 * untouched: the wrapper delegates to urllib's own `requestWithCallback`.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type OSS from 'ali-oss'

export interface RequestScope {
  readonly signal?: AbortSignal | undefined
}

export const requestScope = new AsyncLocalStorage<RequestScope>()

/** Thrown by the transport on abort; `OssClient.run` turns it into an Aborted OssError. */
export class TransportAbortError extends Error {
  override readonly name = 'AbortError'
}

export function abortableUrllib(inner: OSS.Urllib): OSS.Urllib {
  return {
    requestWithCallback: inner.requestWithCallback.bind(inner),
    request(url, args) {
      const signal = requestScope.getStore()?.signal
      if (signal?.aborted) return Promise.reject(new TransportAbortError('aborted before sending'))
      return new Promise((resolve, reject) => {
        let settled = false
        const onAbort = () => {
          if (settled) return
          settled = true
          req.destroy()
          reject(new TransportAbortError('aborted'))
        }
        // Same result shape as urllib's promise API (`makeCallback`).
        const req = inner.requestWithCallback(url, args, (err, data, res) => {
          signal?.removeEventListener('abort', onAbort)
          if (settled) return
          settled = true
          if (err) reject(err)
          else resolve({ data, status: res.statusCode, headers: res.headers, res })
        })
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    }
  }
}
