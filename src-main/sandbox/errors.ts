/**
 * OSS errors as the sandbox puts them on the wire (`<Error>` XML, `x-oss-ec`, `x-oss-err` for
 * HEAD). Handlers throw an `OssError` (or an `ImgError` from the engine, converted by
 * `toOssError`); the server turns it into the response.
 *
 * EC values: the ones OSS documents for the case (0002-00000040 signature mismatch, 0002-00000069
 * expired URL, 0026-00000001 no such key, 0016-0000000x object names, …); where the docs show
 * none the sandbox assigns one in the same family. Alibaba says ECs may change and must not
 * drive logic: match on `Code`.
 */
import { isImgError, type ImgError } from '../../src-shared/img/errors'

export interface OssErrorInit {
  status: number
  code: string
  message: string
  ec?: string | undefined
  /** Extra `<Error>` children in order, e.g. `Key`, `BucketName`, `StringToSign`. */
  extra?: Record<string, string> | undefined
  /** Extra response headers (e.g. `Connection: close` when the body was not read). */
  headers?: Record<string, string> | undefined
}

export class OssError extends Error {
  override readonly name = 'OssError'
  readonly status: number
  readonly code: string
  readonly ec: string | undefined
  readonly extra: Record<string, string>
  readonly headers: Record<string, string>

  constructor(init: OssErrorInit) {
    super(init.message)
    this.status = init.status
    this.code = init.code
    this.ec = init.ec
    this.extra = init.extra ?? {}
    this.headers = init.headers ?? {}
  }
}

export function isOssError(value: unknown): value is OssError {
  return value instanceof OssError
}

/** Any thrown value → the error to send. Unknown failures become 500 InternalError. */
export function toOssError(error: unknown): OssError {
  if (isOssError(error)) return error
  if (isImgError(error)) {
    return new OssError({ status: error.status, code: error.code, message: error.message, ec: error.ec ?? imgDefaultEc(error) })
  }
  return internalError()
}

/**
 * IMG errors that OSS documents without an EC: a missing style is reported in the IMG family
 * (0040-*) rather than as a missing key; the rest fall back to their status's family.
 */
function imgDefaultEc(error: ImgError): string {
  return error.code === 'NoSuchStyle' ? '0040-00000024' : defaultEc(error.status)
}

function defaultEc(status: number): string {
  if (status >= 500) return '0005-00000001'
  if (status === 404) return '0026-00000001'
  if (status === 403) return '0003-00000001'
  return '0016-00000100'
}

const make =
  (status: number, code: string, ec: string) =>
  (message: string, extra?: Record<string, string>, headers?: Record<string, string>): OssError =>
    new OssError({ status, code, message, ec, extra, headers })

export const Err = {
  // 400
  invalidArgument: make(400, 'InvalidArgument', '0016-00000100'),
  invalidBucketName: (bucket: string) =>
    new OssError({ status: 400, code: 'InvalidBucketName', message: 'The specified bucket is not valid.', ec: '0015-00000001', extra: { BucketName: bucket } }),
  invalidObjectName: (message: string, ec = '0016-00000005') => new OssError({ status: 400, code: 'InvalidObjectName', message, ec }),
  malformedXml: () =>
    new OssError({
      status: 400,
      code: 'MalformedXML',
      message: 'The XML you provided was not well-formed or did not validate against our published schema.',
      ec: '0016-00000608'
    }),
  invalidDigest: () => new OssError({ status: 400, code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.', ec: '0016-00000102' }),
  badDigest: (expected: string, calculated: string) =>
    new OssError({
      status: 400,
      code: 'BadDigest',
      message: 'The Content-MD5 you specified did not match what was received.',
      ec: '0016-00000103',
      extra: { ExpectedDigest: expected, CalculatedDigest: calculated }
    }),
  entityTooLarge: (limit: number) =>
    new OssError({
      status: 400,
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size.',
      ec: '0016-00000104',
      extra: { MaxAllowedSize: String(limit) },
      headers: { Connection: 'close' }
    }),
  entityTooSmall: (minimum: number) =>
    new OssError({
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size.',
      ec: '0016-00000107',
      extra: { MinSizeAllowed: String(minimum) }
    }),
  incompleteBody: () =>
    new OssError({ status: 400, code: 'IncompleteBody', message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.', ec: '0016-00000105' }),
  invalidUri: () => new OssError({ status: 400, code: 'InvalidURI', message: "Couldn't parse the specified URI.", ec: '0016-00000106' }),
  // 403
  accessDenied: make(403, 'AccessDenied', '0003-00000001'),
  bucketAclDenied: () =>
    new OssError({ status: 403, code: 'AccessDenied', message: 'You have no right to access this object because of bucket acl.', ec: '0003-00000001' }),
  objectAclDenied: () =>
    new OssError({ status: 403, code: 'AccessDenied', message: 'You have no right to access this object because of object acl.', ec: '0003-00000001' }),
  requestExpired: (expires: string, serverTime: string) =>
    new OssError({ status: 403, code: 'AccessDenied', message: 'Request has expired.', ec: '0002-00000069', extra: { Expires: expires, ServerTime: serverTime } }),
  invalidAccessKeyId: (accessKeyId: string) =>
    new OssError({
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The OSS Access Key Id you provided does not exist in our records.',
      ec: '0002-00000002',
      extra: { OSSAccessKeyId: accessKeyId }
    }),
  securityTokenExpired: (accessKeyId: string) =>
    new OssError({
      status: 403,
      code: 'SecurityTokenExpired',
      message: 'The security token you provided has expired.',
      ec: '0002-00000007',
      extra: { OSSAccessKeyId: accessKeyId }
    }),
  invalidSecurityToken: (accessKeyId: string) =>
    new OssError({
      status: 403,
      code: 'InvalidSecurityToken',
      message: 'The security token you provided is invalid.',
      ec: '0002-00000008',
      extra: { OSSAccessKeyId: accessKeyId }
    }),
  requestTimeTooSkewed: (requestTime: string, serverTime: string) =>
    new OssError({
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
      ec: '0002-00000504',
      extra: { RequestTime: requestTime, ServerTime: serverTime, MaxAllowedSkewMilliseconds: '900000' }
    }),
  signatureDoesNotMatch: (extra: Record<string, string>) =>
    new OssError({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      ec: '0002-00000040',
      extra
    }),
  // 404
  noSuchBucket: (bucket: string) =>
    new OssError({ status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist.', ec: '0015-00000101', extra: { BucketName: bucket } }),
  noSuchKey: (key: string) => new OssError({ status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', ec: '0026-00000001', extra: { Key: key } }),
  // 405, 409, 412, 416
  methodNotAllowed: (method: string) =>
    new OssError({
      status: 405,
      code: 'MethodNotAllowed',
      message: 'The specified method is not allowed against this resource.',
      ec: '0016-00000201',
      extra: { Method: method }
    }),
  bucketAlreadyExists: (bucket: string) =>
    new OssError({
      status: 409,
      code: 'BucketAlreadyExists',
      message: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      ec: '0015-00000104',
      extra: { BucketName: bucket }
    }),
  bucketNotEmpty: (bucket: string) =>
    new OssError({
      status: 409,
      code: 'BucketNotEmpty',
      message: 'The bucket you tried to delete is not empty.',
      ec: '0015-00000301',
      extra: { BucketName: bucket }
    }),
  fileAlreadyExists: (key: string) =>
    new OssError({ status: 409, code: 'FileAlreadyExists', message: 'The object you specified already exists and can not be overwritten.', ec: '0016-00000301', extra: { Key: key } }),
  preconditionFailed: (condition: string) =>
    new OssError({ status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold.', ec: '0026-00000002', extra: { Condition: condition } }),
  invalidRange: (size: number) =>
    new OssError({
      status: 416,
      code: 'InvalidRange',
      message: 'The requested range cannot be satisfied',
      ec: '0016-00000402',
      extra: { ActualObjectSize: String(size) },
      headers: { 'Content-Range': `bytes */${size}` }
    }),
  // 5xx
  internalError: () => internalError(),
  slowDown: () => new OssError({ status: 503, code: 'SlowDown', message: 'Please reduce your request rate.', ec: '0005-00000002' })
}

function internalError(): OssError {
  return new OssError({ status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.', ec: '0005-00000001' })
}
