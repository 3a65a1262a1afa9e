/**
 * JobError: what the job service itself refuses (an invalid spec, a journal written for another
 * job, an operation in the wrong state). Item failures are not JobErrors: they are recorded per
 * item as ItemError (OSS's or the engine's status / code / EC / message), see `toItemError`.
 */
import { isImgError } from '../../../src-shared/img/errors'
import { OssError } from '../oss/errors'
import { FileError, OUTSIDE_FOLDER } from '../../util/file-errors'
import type { ItemError } from './types'

export type JobErrorCode =
  /** The spec or the input is invalid (template, styles, source, target). */
  | 'InvalidJob'
  /** The journal was written for a different spec: resuming it would mix two jobs. */
  | 'SpecMismatch'
  /** An inventory report cannot be used: missing data file, MD5 / size mismatch, malformed row (the message names file and row). */
  | 'InvalidInventory'
  /** The journal cannot be read (not a job journal, damaged beyond its last line). */
  | 'JournalCorrupt'
  /** A job-level issue blocks the run (e.g. a cross-region target). */
  | 'Blocked'
  | 'NotFound'
  /** The operation does not apply in the job's current state (e.g. pause a finished job). */
  | 'InvalidState'

export class JobError extends Error {
  override readonly name = 'JobError'
  readonly code: JobErrorCode
  readonly status: number

  constructor(code: JobErrorCode, message: string) {
    super(message)
    this.code = code
    this.status = code === 'NotFound' ? 404 : code === 'InvalidState' || code === 'SpecMismatch' ? 409 : code === 'JournalCorrupt' ? 500 : 400
  }

  toJSON(): { status: number; code: string; message: string } {
    return { status: this.status, code: this.code, message: this.message }
  }
}

export function isJobError(value: unknown): value is JobError {
  return value instanceof JobError
}

/** Local file-system errors worth another attempt (descriptor exhaustion, a busy file). */
const TRANSIENT_FS = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ETIMEDOUT', 'ECONNRESET'])

/**
 * Normalizes anything an item can throw. Retryable: OssError.retryable (network, timeouts, 5xx
 * except 501/505, SlowDown — never a 4xx) and transient local I/O. Engine errors (ImgError) are a
 * property of the image and the process: never retried.
 */
export function toItemError(error: unknown): ItemError {
  if (error instanceof OssError) {
    return { status: error.status, code: error.code, ...(error.ec ? { ec: error.ec } : {}), message: error.message, ...(error.requestId ? { requestId: error.requestId } : {}), retryable: error.retryable }
  }
  if (isImgError(error)) return { status: error.status, code: error.code, ...(error.ec ? { ec: error.ec } : {}), message: error.message, retryable: false }
  if (error instanceof JobError) return { status: error.status, code: error.code, message: error.message, retryable: false }
  if (error instanceof FileError) {
    return error.code === OUTSIDE_FOLDER ? { status: 400, code: error.code, message: error.message, retryable: false } : { status: 0, code: error.code, message: error.message, retryable: TRANSIENT_FS.has(error.code) }
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return { status: 0, code, message: firstLine((error as Error).message), retryable: TRANSIENT_FS.has(code) }
  }
  if ((error as Error | undefined)?.name === 'AbortError') return { status: 0, code: 'Aborted', message: 'aborted', retryable: false }
  return { status: 0, code: 'InternalError', message: firstLine((error as Error | undefined)?.message ?? String(error)), retryable: false }
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 1000)
}
