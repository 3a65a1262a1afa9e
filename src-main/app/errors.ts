/**
 * AppError: failures of the composition root itself (not of a service), with an OSS-like `code`
 * and an HTTP-like `status`, which the IPC layer passes through as they are. Messages are fixed
 * text plus ids; never a payload's contents.
 */

export type AppErrorCode =
  /** The channel needs something this host does not have (e.g. the clipboard in browser mode). */
  | 'NotSupported'
  /** `preview:render` named an upload that was never added, or was evicted. */
  | 'NoSuchUpload'
  /** A payload that passed the contract's schema but is still not usable (e.g. not Base64). */
  | 'InvalidPayload'
  /** The rendered result does not fit the contract's transport limit. */
  | 'ResponseTooLarge'
  /** The services were closed. */
  | 'ServiceClosed'
  /** `budget:solve` found no image under the bucket prefix it was given. */
  | 'NoSamples'

const STATUS: Record<AppErrorCode, number> = {
  NotSupported: 501,
  NoSuchUpload: 404,
  InvalidPayload: 400,
  ResponseTooLarge: 413,
  ServiceClosed: 503,
  NoSamples: 404
}

export class AppError extends Error {
  override readonly name = 'AppError'
  readonly code: AppErrorCode
  readonly status: number

  constructor(code: AppErrorCode, message: string) {
    super(message)
    this.code = code
    this.status = STATUS[code]
  }

  toJSON(): { status: number; code: AppErrorCode; message: string } {
    return { status: this.status, code: this.code, message: this.message }
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}

