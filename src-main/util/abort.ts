/** Abort helpers shared by the engine's preview cache and the app's handlers. */

/** An AbortError with the signal's reason, as `signal.throwIfAborted()` would throw for a plain abort. */
export function abortError(): Error {
  return new DOMException('The operation was aborted.', 'AbortError')
}

/**
 * Settles with `work`, or rejects with an AbortError as soon as `signal` aborts: the caller is
 * answered at once while work that cannot be interrupted (sharp) finishes in the background, its
 * outcome ignored.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  if (signal.aborted) {
    work.catch(() => undefined)
    return Promise.reject(abortError())
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined)
      reject(abortError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}
