/**
 * OssError: the one error type of the OSS service. Everything the service throws is an OssError —
 * server errors parsed from OSS's XML (or the `x-oss-err` header of bodiless responses), transport
 * failures, client-side checks that mirror OSS's own rules, and aborts.
 *
 * `status` conventions:
 * - an HTTP status (>= 100) when OSS answered, or when a client-side check mirrors an OSS rule
 *   (e.g. an invalid style name is 400 InvalidArgument with OSS's EC, before any request is sent);
 * - `-1` network failure (connection refused/reset, socket hang up) and `-2` timeout — ali-oss's values;
 * - `0` errors that never reached the network and have no OSS counterpart (bad configuration,
 *   abort, a response that is not what OSS documents).
 *
 * Messages never contain credentials: they are built from OSS's `<Message>` or from the transport
 * error's first line, then redacted (see `redact`).
 */
import type OSS from 'ali-oss'
import { ImgError, type Span } from '../../../src-shared/img/errors'

export type OssErrorOrigin = 'server' | 'network' | 'client'

export interface OssErrorInit {
  code: string
  status: number
  message: string
  origin: OssErrorOrigin
  retryable?: boolean | undefined
  requestId?: string | undefined
  hostId?: string | undefined
  ec?: string | undefined
  operation?: string | undefined
  span?: Span | undefined
}

/** Codes the service itself produces (server codes are OSS's own strings). */
export const CLIENT_CODES = {
  /** Connection refused/reset, DNS failure, socket hang up (status -1). */
  requestError: 'RequestError',
  /** No connection within the timeout (status -2). */
  connectionTimeout: 'ConnectionTimeout',
  /** Connected, but no (complete) response within the timeout (status -2). */
  responseTimeout: 'ResponseTimeout',
  aborted: 'Aborted',
  invalidConfig: 'InvalidConfig',
  /** The object (or processed result) is larger than the caller's `maxBytes`. */
  objectTooLarge: 'ObjectTooLarge',
  /** A 2xx response whose body is not what OSS documents. */
  invalidResponse: 'InvalidResponse',
  /** The STS refresh callback failed or returned incomplete credentials. */
  credentialsRefreshFailed: 'CredentialsRefreshFailed',
  unknown: 'UnknownError'
} as const

export class OssError extends Error {
  override readonly name = 'OssError'
  readonly code: string
  readonly status: number
  readonly origin: OssErrorOrigin
  readonly retryable: boolean
  readonly requestId: string | undefined
  readonly hostId: string | undefined
  readonly ec: string | undefined
  readonly operation: string | undefined
  /** For process-string errors: where in the string (from ImgError). */
  readonly span: Span | undefined
  /** How many attempts were made before giving up (set by the retry loop). */
  attempts = 1

  constructor(init: OssErrorInit) {
    super(init.message)
    this.code = init.code
    this.status = init.status
    this.origin = init.origin
    this.retryable = init.retryable ?? isRetryableStatus(init.status, init.code)
    this.requestId = init.requestId
    this.hostId = init.hostId
    this.ec = init.ec
    this.operation = init.operation
    this.span = init.span
  }

  /** The same wire-level shape as ImgError.toJSON (the CLI's `--json`, IPC), plus OSS's ids. */
  toJSON(): { status: number; code: string; ec?: string; message: string; requestId?: string; retryable: boolean } {
    return {
      status: this.status,
      code: this.code,
      ...(this.ec ? { ec: this.ec } : {}),
      message: this.message,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      retryable: this.retryable
    }
  }
}

export function isOssError(value: unknown): value is OssError {
  return value instanceof OssError
}

/**
 * Retry policy, in one place: network errors and timeouts (status -1/-2), 5xx, and `SlowDown`
 * (OSS throttling) are transient. Every 4xx is a property of the request and is never retried.
 * 501 NotImplemented and 505 are 5xx but permanent (an unsupported operation or parameter): not
 * retried either.
 */
export function isRetryableStatus(status: number, code: string): boolean {
  if (code === 'SlowDown') return true
  if (code === CLIENT_CODES.aborted || code === 'NotImplemented' || status === 501 || status === 505) return false
  return status === -1 || status === -2 || status >= 500
}

/** Client-side mirror of an OSS rule, e.g. an invalid style name: OSS's status, code and EC. */
export function clientError(init: Omit<OssErrorInit, 'origin' | 'retryable'>): OssError {
  return new OssError({ ...init, origin: 'client', retryable: false })
}

export function configError(message: string): OssError {
  return clientError({ code: CLIENT_CODES.invalidConfig, status: 0, message })
}

export function abortError(operation: string | undefined): OssError {
  return new OssError({ code: CLIENT_CODES.aborted, status: 0, message: `${operation ?? 'OSS request'} was aborted`, origin: 'client', retryable: false, operation })
}

/** A process-string error keeps its OSS status/Code/EC and its span. */
export function fromImgError(error: ImgError, operation?: string): OssError {
  return clientError({ code: error.code, status: error.status, ec: error.ec, message: error.message, span: error.span, operation })
}

const SECRET_QUERY = /((?:^|[?&\s])(?:Signature|x-oss-signature|security-token|x-oss-security-token|x-oss-credential|OSSAccessKeyId)=)[^&\s"']*/gi
const AUTH_V1 = /\b(OSS\s+[^:\s]+:)[A-Za-z0-9+/=]+/g
const AUTH_V4 = /\b(OSS4-HMAC-SHA256\s+)[^\n"]*/g

/**
 * Removes credentials from a message: the given secrets wherever they appear (secret key, STS
 * token), signature-bearing query parameters, and Authorization header values.
 */
export function redact(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***')
  }
  return out.replace(SECRET_QUERY, '$1***').replace(AUTH_V1, '$1***').replace(AUTH_V4, '$1***')
}

/**
 * urllib appends `, GET http://host/path -1 (connected: …)\nheaders: {…}` to transport errors and
 * ali-oss appends `, please increase the timeout, see …`. Keep the cause, drop the rest.
 */
function firstClause(message: string): string {
  const line = message.split('\n')[0] ?? ''
  const cut = line.search(/, (?:GET|HEAD|PUT|POST|DELETE) https?:\/\/|, please increase the timeout/)
  return (cut === -1 ? line : line.slice(0, cut)).trim()
}

function isRawError(value: unknown): value is OSS.RawError {
  return value instanceof Error
}

export interface MapContext {
  operation?: string | undefined
  secrets?: readonly (string | undefined)[] | undefined
  signal?: AbortSignal | undefined
}

/** Maps anything ali-oss, urllib, the transport or a callback can throw to an OssError. */
export function toOssError(error: unknown, ctx: MapContext = {}): OssError {
  const operation = ctx.operation
  const secrets = ctx.secrets ?? []
  if (error instanceof OssError) return error
  if (ctx.signal?.aborted) return abortError(operation)
  if (error instanceof ImgError) return fromImgError(error, operation)
  if (!isRawError(error)) {
    return new OssError({ code: CLIENT_CODES.unknown, status: 0, origin: 'client', retryable: false, operation, message: redact(String(error), secrets) })
  }
  const clean = (text: string) => redact(text, secrets)
  // ResponseTimeoutError carries neither status nor code (spec §1.8).
  if (error.name === 'ResponseTimeoutError') {
    return new OssError({ code: CLIENT_CODES.responseTimeout, status: -2, origin: 'network', operation, message: clean(firstClause(error.message)) })
  }
  if (error.status === -2 || error.name === 'ConnectionTimeoutError' || error.name === 'SocketAssignTimeoutError') {
    return new OssError({ code: CLIENT_CODES.connectionTimeout, status: -2, origin: 'network', operation, message: clean(firstClause(error.message)) })
  }
  if (error.status === -1 || error.name === 'RequestError' || error.name === 'ResponseError' || isSocketError(error)) {
    return new OssError({ code: CLIENT_CODES.requestError, status: -1, origin: 'network', operation, message: clean(firstClause(error.message)) })
  }
  if (typeof error.status === 'number' && error.status >= 100) {
    // ali-oss: `code` from <Code>, or missing when the body was not XML (then `message` carries
    // "…\nraw xml: <body>", which we drop).
    const code = error.code ?? (error.name.endsWith('Error') && error.name !== 'Error' && error.name !== 'UnknownError' ? error.name.slice(0, -5) : CLIENT_CODES.unknown)
    const message = error.code ? error.message : `${firstClause(error.message)} (HTTP ${error.status})`
    return new OssError({
      code,
      status: error.status,
      origin: 'server',
      operation,
      requestId: error.requestId,
      hostId: error.hostId,
      ec: error.ecCode,
      message: clean(message)
    })
  }
  // ali-oss argument checks, TypeErrors and the like: a bug or a bad argument, never transient.
  return new OssError({ code: CLIENT_CODES.unknown, status: 0, origin: 'client', retryable: false, operation, message: clean(firstClause(error.message)) })
}

const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_STREAM_PREMATURE_CLOSE'])

function isSocketError(error: OSS.RawError): boolean {
  return typeof error.code === 'string' && SOCKET_CODES.has(error.code)
}
