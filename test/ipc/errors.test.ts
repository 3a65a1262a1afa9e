/** toErrorInfo: every service error keeps its identity on the wire, and nothing else. */
import { describe, expect, it } from 'vitest'
import { ErrorInfo } from '../../src-shared/ipc/contract'
import type { ImgError } from '../../src-shared/img/errors'
import { parseProcess } from '../../src-shared/img/process'
import { AppError } from '../../src-main/app/errors'
import { toErrorInfo } from '../../src-main/ipc/errors'
import { OssError } from '../../src-main/services/oss'
import { fromImgError } from '../../src-main/services/oss/errors'
import { StyleLibraryError } from '../../src-main/services/styles'
import { VaultError } from '../../src-main/services/vault'

function info(error: unknown, signal?: AbortSignal) {
  const out = toErrorInfo(error, signal)
  expect(ErrorInfo.safeParse(out).success).toBe(true)
  return out
}

function imgError(process: string): ImgError {
  try {
    parseProcess(process)
  } catch (error) {
    return error as ImgError
  }
  throw new Error('expected an invalid process')
}

describe('toErrorInfo', () => {
  it('ImgError: OSS code, status, EC, span', () => {
    const error = imgError('image/resize,w_0')
    expect(info(error)).toEqual({ code: 'InvalidArgument', status: 400, message: error.message, ec: error.ec, span: error.span })
  })

  it('OssError from the server: code, status, request id, EC; no host id, operation or retry flag', () => {
    const error = new OssError({ code: 'NoSuchKey', status: 404, message: 'The specified key does not exist.', origin: 'server', requestId: 'ABC123', hostId: 'bucket.host', ec: '0026-00000001', operation: 'getObject' })
    expect(info(error)).toEqual({ code: 'NoSuchKey', status: 404, message: 'The specified key does not exist.', requestId: 'ABC123', ec: '0026-00000001' })
  })

  it('OssError from a process-string check keeps the span', () => {
    const source = imgError('image/rotate,400')
    const error = fromImgError(source, 'signUrl')
    expect(info(error)).toMatchObject({ code: 'InvalidArgument', status: 400, span: source.span })
  })

  it('network failures and timeouts are NetworkError, with the status telling which', () => {
    expect(info(new OssError({ code: 'RequestError', status: -1, message: 'connect ECONNREFUSED 127.0.0.1:1', origin: 'network' }))).toEqual({ code: 'NetworkError', status: -1, message: 'connect ECONNREFUSED 127.0.0.1:1' })
    expect(info(new OssError({ code: 'ResponseTimeout', status: -2, message: 'timeout', origin: 'network' }))).toMatchObject({ code: 'NetworkError', status: -2 })
  })

  it('aborts are Cancelled: an AbortError, an aborted OSS call, or any failure once the signal aborted', () => {
    expect(info(new DOMException('x', 'AbortError'))).toEqual({ code: 'Cancelled', message: 'The request was cancelled.' })
    expect(info(new OssError({ code: 'Aborted', status: 0, message: 'getObject was aborted', origin: 'client' })).code).toBe('Cancelled')
    const controller = new AbortController()
    controller.abort()
    expect(info(new Error('anything'), controller.signal).code).toBe('Cancelled')
  })

  it('VaultError: code and message only (issues and profile id stay in main)', () => {
    const error = new VaultError('ValidationError', 'Invalid profile: bucket must be …', { issues: [{ path: 'bucket', message: 'must be …' }], profileId: 'abc' })
    expect(info(error)).toEqual({ code: 'ValidationError', message: 'Invalid profile: bucket must be …' })
  })

  it('StyleLibraryError and AppError: code and status', () => {
    expect(info(new StyleLibraryError({ code: 'StyleNotFound', message: 'style: no style named "x" in the library', styleName: 'x' }))).toEqual({ code: 'StyleNotFound', status: 404, message: 'style: no style named "x" in the library' })
    expect(info(new AppError('NotSupported', 'no clipboard'))).toEqual({ code: 'NotSupported', status: 501, message: 'no clipboard' })
  })

  it('anything else is an InternalError without details: plain errors, Node system errors (paths), ERR_ codes, non-errors', () => {
    const internal = { code: 'InternalError', message: 'Something went wrong in the main process; details are in its log.' }
    expect(info(new Error('secret detail'))).toEqual(internal)
    expect(info(Object.assign(new Error("ENOENT: no such file or directory, open '/home/me/x'"), { code: 'ENOENT', errno: -2, syscall: 'open' }))).toEqual(internal)
    expect(info(Object.assign(new TypeError('bad'), { code: 'ERR_INVALID_ARG_TYPE' }))).toEqual(internal)
    expect(info('a string')).toEqual(internal)
    expect(info(undefined)).toEqual(internal)
  })

  it('clips messages and fields to the contract', () => {
    const error = new OssError({ code: 'X'.repeat(100), status: 400, message: 'm'.repeat(5000), origin: 'server', requestId: 'r'.repeat(300), ec: 'e'.repeat(50) })
    const out = info(error)
    expect(out.message).toHaveLength(2048)
    expect(out.code).toHaveLength(64)
    expect(out.requestId).toHaveLength(128)
    expect(out.ec).toHaveLength(32)
  })
})
