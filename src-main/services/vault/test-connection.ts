/**
 * "Test connection": one ListObjects (max-keys 1, no retries) on the profile's default bucket,
 * through the OSS service. OSS's own error is kept (code, status, request id, EC) and prefixed
 * with what it means in words; every text is redacted against the profile's secrets.
 */
import { isOssError, OssService, type OssError } from '../oss'
import { ossConfigFor, type ResolvedCredentials } from './credentials'
import { redactSecrets } from './redact'
import type { TestConnectionError, TestConnectionResult } from './types'

export const DEFAULT_TEST_TIMEOUT_MS = 10_000

function hintFor(error: OssError, credentials: ResolvedCredentials): string {
  const where = credentials.endpoint ?? credentials.region ?? 'OSS'
  switch (error.code) {
    case 'InvalidAccessKeyId':
      return 'Wrong AccessKey ID: OSS does not know this key (or it was disabled or deleted)'
    case 'SignatureDoesNotMatch':
      return 'Wrong AccessKey secret: OSS could not verify the request signature (check the secret, and that the region matches the bucket)'
    case 'InvalidSecurityToken':
      return 'The STS token is not valid for this AccessKey ID'
    case 'SecurityTokenExpired':
      return 'The STS token has expired; get new temporary credentials'
    case 'NoSuchBucket':
      return `Bucket "${credentials.bucket}" does not exist (or is in another region)`
    case 'AccessDenied':
      return /endpoint/i.test(error.message)
        ? `Wrong region: bucket "${credentials.bucket}" must be accessed through another endpoint`
        : `No permission: this AccessKey may not list bucket "${credentials.bucket}"`
    case 'InvalidArgument':
      return /region/i.test(error.message) ? 'Wrong region for this bucket' : 'OSS refused the request'
    case 'InvalidConfig':
      return 'The connection settings are invalid'
    case 'RequestError':
      if (/ECONNREFUSED/.test(error.message)) return `Cannot reach ${where}: connection refused (nothing is listening there; check the endpoint)`
      if (/ENOTFOUND|EAI_AGAIN/.test(error.message)) return `Cannot reach ${where}: the host name could not be resolved (network down, or a wrong endpoint)`
      if (/ENETUNREACH|EHOSTUNREACH|ENETDOWN/.test(error.message)) return `Cannot reach ${where}: the network is unreachable`
      return `Cannot reach ${where}: the network is down, the host name is wrong, or nothing is listening there`
    case 'ConnectionTimeout':
    case 'ResponseTimeout':
      return `No answer from ${where} in time (network down, firewall, or wrong endpoint)`
    default:
      return error.status >= 500 ? 'OSS had a server error; try again later' : 'OSS refused the request'
  }
}

export function describeOssFailure(error: OssError, credentials: ResolvedCredentials): TestConnectionError {
  const secrets = [credentials.accessKeySecret, credentials.stsToken]
  const network = error.status === -1
  const detail = error.status >= 100 ? `OSS ${error.status} ${error.code}: ${error.message}` : error.message
  return {
    code: network ? 'NetworkError' : error.code,
    status: error.status,
    message: redactSecrets(`${hintFor(error, credentials)}. ${detail}`, secrets),
    ...(error.requestId ? { requestId: error.requestId } : {}),
    ...(error.ec ? { ec: error.ec } : {})
  }
}

export async function testCredentials(credentials: ResolvedCredentials, options: { timeoutMs?: number | undefined } = {}): Promise<TestConnectionResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS
  const started = performance.now()
  try {
    const service = new OssService(ossConfigFor(credentials, { timeoutMs, retry: { maxAttempts: 1 } }))
    await service.listObjects({ maxKeys: 1, retry: false, timeoutMs })
    return { ok: true, latencyMs: Math.max(0, Math.round(performance.now() - started)) }
  } catch (error) {
    if (isOssError(error)) return { ok: false, error: describeOssFailure(error, credentials) }
    // Not expected (the service throws OssError only); keep nothing of the raw text but its first line, redacted.
    const text = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'unknown error'
    return { ok: false, error: { code: 'UnknownError', status: 0, message: redactSecrets(`Connection test failed: ${text.slice(0, 200)}`, [credentials.accessKeySecret, credentials.stsToken]) } }
  }
}
