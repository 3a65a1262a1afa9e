/**
 * The one error type of the IMG language and engine. It carries what OSS puts on the wire
 * (HTTP status, `Code`, `EC`) plus where in the process string the problem is, so the editor
 * can underline it. Messages follow one template, in the manner of sharp's
 * `Expected X for P but received V`.
 */

export interface Span {
  /** Offset of the first character, in UTF-16 units of the process string. */
  readonly start: number
  /** Offset one past the last character. */
  readonly end: number
}

export type OssErrorCode =
  | 'InvalidArgument'
  | 'MissingArgument'
  | 'BadRequest'
  | 'ImageTooLarge'
  | 'WatermarkError'
  | 'NotImplemented'
  | 'AccessDenied'
  | 'NoSuchKey'
  | 'NoSuchStyle'
  | 'InternalError'

const STATUS: Record<OssErrorCode, number> = {
  InvalidArgument: 400,
  MissingArgument: 400,
  BadRequest: 400,
  ImageTooLarge: 400,
  WatermarkError: 400,
  NotImplemented: 501,
  AccessDenied: 403,
  NoSuchKey: 404,
  NoSuchStyle: 404,
  InternalError: 500
}

/** HTTP status of an OSS `Code`. */
export function statusOf(code: OssErrorCode): number {
  return STATUS[code]
}

export interface ImgErrorInit {
  code: OssErrorCode
  /** OSS's error code ("EC"); the closest documented one where OSS shows none. */
  ec?: string | undefined
  message: string
  span?: Span | undefined
  action?: string | undefined
  param?: string | undefined
}

export class ImgError extends Error {
  override readonly name = 'ImgError'
  readonly status: number
  readonly code: OssErrorCode
  readonly ec: string | undefined
  readonly span: Span | undefined
  readonly action: string | undefined
  readonly param: string | undefined

  constructor(init: ImgErrorInit) {
    super(init.message)
    this.code = init.code
    this.status = STATUS[init.code]
    this.ec = init.ec
    this.span = init.span
    this.action = init.action
    this.param = init.param
  }

  /** The wire-level fields, e.g. for the CLI's `--json` and the sandbox's XML body. */
  toJSON(): { status: number; code: OssErrorCode; ec?: string; message: string } {
    return { status: this.status, code: this.code, ...(this.ec ? { ec: this.ec } : {}), message: this.message }
  }
}

export function isImgError(value: unknown): value is ImgError {
  return value instanceof ImgError
}

/** Quote a received value the same way everywhere. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 61)}...` : value)
}

/**
 * The single invalid-parameter template:
 * `resize: expected an integer between 1 and 16384 for w but received "0"`.
 */
export function invalidParameter(opts: {
  action: string
  param: string
  expected: string
  received: string
  ec?: string | undefined
  span?: Span | undefined
  code?: OssErrorCode
}): ImgError {
  const subject = opts.param === '' ? 'its value' : opts.param
  return new ImgError({
    code: opts.code ?? 'InvalidArgument',
    ec: opts.ec,
    span: opts.span,
    action: opts.action,
    param: opts.param,
    message: `${opts.action}: expected ${opts.expected} for ${subject} but received ${quote(opts.received)}`
  })
}
