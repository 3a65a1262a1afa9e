/**
 * Bounded retries with exponential backoff and full jitter, abortable at any point.
 *
 * What is retried is decided by the caller (`isRetryable`); for OSS that is `OssError.retryable`:
 * network errors, timeouts, 5xx (except 501/505) and SlowDown — never a 4xx (errors.ts
 * `isRetryableStatus`).
 *
 * Idempotency: every operation the service retries is idempotent in effect — PUT object/style
 * (same bytes, same ETag), DELETE (OSS answers 204 for a missing object; DeleteStyle treats
 * NoSuchStyle on a retry as success), GET/HEAD/LIST, DeleteMultipleObjects, and POST saveas
 * (the target key is overwritten with the same deterministic output; see save-as.ts).
 */
import { abortError } from './errors'

export interface RetryPolicy {
  /** Total attempts including the first; 1 disables retries. */
  readonly maxAttempts: number
  /** Backoff cap before jitter for the first retry; doubles each retry. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 }

export const NO_RETRY: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 }

export interface RetryEvent {
  readonly operation: string | undefined
  /** The attempt that failed (1-based). */
  readonly attempt: number
  readonly delayMs: number
  readonly error: unknown
}

export interface RetryOptions {
  readonly policy: RetryPolicy
  readonly isRetryable: (error: unknown) => boolean
  readonly signal?: AbortSignal | undefined
  readonly operation?: string | undefined
  readonly onRetry?: ((event: RetryEvent) => void) | undefined
  /** Injected for tests: a number in [0, 1). */
  readonly random?: (() => number) | undefined
}

export function validatePolicy(policy: RetryPolicy): RetryPolicy {
  const ok =
    Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1 && policy.maxAttempts <= 20 &&
    Number.isFinite(policy.baseDelayMs) && policy.baseDelayMs >= 0 &&
    Number.isFinite(policy.maxDelayMs) && policy.maxDelayMs >= policy.baseDelayMs
  if (!ok) throw new RangeError(`retry: expected maxAttempts in [1, 20] and 0 <= baseDelayMs <= maxDelayMs but received ${JSON.stringify(policy)}`)
  return policy
}

/** "Full jitter": uniform in [0, min(max, base · 2^(attempt-1))]. */
export function backoffDelay(failedAttempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1))
  return Math.round(random() * ceiling)
}

/** Resolves after `ms`, or rejects with an Aborted OssError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, operation?: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(operation))
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError(operation))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `fn(attempt)` until it succeeds, fails with a non-retryable error, or `maxAttempts` is
 * reached; the last error is rethrown with `attempts` set when it has such a field.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal, operation } = options
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(operation)
    try {
      return await fn(attempt)
    } catch (error) {
      const last = attempt >= policy.maxAttempts || !options.isRetryable(error) || signal?.aborted === true
      if (last) {
        if (error !== null && typeof error === 'object' && 'attempts' in error) (error as { attempts: number }).attempts = attempt
        throw error
      }
      const delayMs = backoffDelay(attempt, policy, options.random)
      options.onRetry?.({ operation, attempt, delayMs, error })
      await sleep(delayMs, signal, operation)
    }
  }
}
