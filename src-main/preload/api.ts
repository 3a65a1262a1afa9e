/**
 * What the preload exposes as `window.ossImgStudio`: the Electron transport of the IPC contract,
 * and nothing more. Kept free of imports so the sandboxed preload bundle stays tiny; the renderer's
 * transport (`src-renderer/src/ipc`) declares the same shape on its side (it may not import
 * src-main), typed with the contract's `Channel`/`Envelope`.
 */
export interface BridgeError {
  readonly code: string
  readonly message: string
}

export type BridgeEnvelope = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: BridgeError }

export interface OssImgStudioBridge {
  /**
   * Sends one request of the contract. Never rejects: failures (an unknown channel, an invalid
   * payload, a cancellation, a handler's error) come back as `{ ok: false, error }`.
   * `id` (`[A-Za-z0-9_-]{1,64}`) is what `cancel` aborts.
   */
  invoke(channel: string, payload?: unknown, id?: string): Promise<BridgeEnvelope>
  /** Aborts the request(s) sent with this id; the invoke then resolves with code `Cancelled`. */
  cancel(id: string): void
  /** Subscribes to the contract's events; returns the unsubscribe function. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void
}
