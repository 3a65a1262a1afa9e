/**
 * Maps any failure in main to the contract's one error shape. Every service error keeps what
 * identifies it on the wire — OSS's Code, the HTTP status, EC, request id, and the span of a
 * process-string error — and nothing else: no stack, no cause, no payload, no secret (service
 * messages are built from field names and fixed text, OSS messages are redacted by the service).
 */
import type { ErrorInfo } from '../../src-shared/ipc/contract'
import { isImgError } from '../../src-shared/img/errors'
import { CLIENT_CODES, isOssError } from '../services/oss'
import { isStyleLibraryError } from '../services/styles'
import { isVaultError } from '../services/vault'

interface CodedError {
  code?: unknown
  status?: unknown
  message?: unknown
  requestId?: unknown
  ec?: unknown
  span?: unknown
  errno?: unknown
  syscall?: unknown
}

const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value)

const CANCELLED: ErrorInfo = { code: 'Cancelled', message: 'The request was cancelled.' }
const INTERNAL: ErrorInfo = { code: 'InternalError', message: 'Something went wrong in the main process; details are in its log.' }

function spanOf(value: unknown): ErrorInfo['span'] | undefined {
  const span = value as { start?: unknown; end?: unknown } | undefined
  return span && Number.isInteger(span.start) && Number.isInteger(span.end) ? { start: span.start as number, end: span.end as number } : undefined
}

function optional(error: CodedError): Partial<ErrorInfo> {
  const span = spanOf(error.span)
  return {
    ...(typeof error.status === 'number' && Number.isInteger(error.status) ? { status: error.status } : {}),
    ...(typeof error.ec === 'string' && error.ec !== '' ? { ec: clip(error.ec, 32) } : {}),
    ...(typeof error.requestId === 'string' && error.requestId !== '' ? { requestId: clip(error.requestId, 128) } : {}),
    ...(span ? { span } : {})
  }
}

export function toErrorInfo(error: unknown, signal?: AbortSignal): ErrorInfo {
  if (signal?.aborted || (error as Error)?.name === 'AbortError') return CANCELLED
  if (isImgError(error)) {
    return { code: error.code, status: error.status, message: clip(error.message, 2048), ...(error.ec ? { ec: error.ec } : {}), ...(error.span ? { span: error.span } : {}) }
  }
  if (isOssError(error)) {
    if (error.code === CLIENT_CODES.aborted) return CANCELLED
    // Network failures and timeouts (status -1 / -2) are the contract's NetworkError; the status tells which.
    const code = error.origin === 'network' ? 'NetworkError' : error.code
    return { code: clip(code, 64), message: clip(error.message, 2048), ...optional(error) }
  }
  if (isVaultError(error) || isStyleLibraryError(error)) {
    return { code: error.code, message: clip(error.message, 2048), ...optional(error as CodedError) }
  }
  const coded = error as CodedError
  // Other coded errors (the app's own AppError): an OSS-like code. Node's system errors (ENOENT,
  // EACCES… with errno/syscall and a path in the message) and ERR_* codes are internal.
  if (error instanceof Error && typeof coded.code === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(coded.code) && coded.errno === undefined && coded.syscall === undefined && !/^E[A-Z0-9]+$/.test(coded.code)) {
    return { code: clip(coded.code, 64), message: clip(error.message, 2048), ...optional(coded) }
  }
  return INTERNAL
}
