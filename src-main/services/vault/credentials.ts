/**
 * ResolvedCredentials: what the OSS service needs to connect with a profile. Main-process only —
 * never returned across IPC. As a second line of defence the secrets are non-enumerable: they are
 * dropped by JSON.stringify, structured clone (Electron IPC), object spread and util.inspect, and
 * are reached only by reading `accessKeySecret` / `stsToken` explicitly (as `ossConfigFor` does).
 */
import type { OssConnectionConfig } from '../oss'
import { maskAccessKeyId } from './redact'
import type { ProfileKind } from './types'

export interface ResolvedCredentials {
  readonly profileId: string
  readonly kind: ProfileKind
  /** Normalized origin; for the sandbox `http://localhost:PORT`. */
  readonly endpoint: string | undefined
  /** `oss-cn-hangzhou` form. */
  readonly region: string | undefined
  readonly bucket: string
  readonly customDomain: string | undefined
  readonly accessKeyId: string
  /** Non-enumerable. */
  readonly accessKeySecret: string
  /** Non-enumerable. */
  readonly stsToken: string | undefined
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

export function makeResolvedCredentials(
  fields: Omit<ResolvedCredentials, 'accessKeySecret' | 'stsToken'>,
  secrets: { accessKeySecret: string; stsToken: string | undefined }
): ResolvedCredentials {
  const visible = {
    profileId: fields.profileId,
    kind: fields.kind,
    endpoint: fields.endpoint,
    region: fields.region,
    bucket: fields.bucket,
    customDomain: fields.customDomain,
    accessKeyId: fields.accessKeyId
  }
  const safeView = () => ({ ...visible, accessKeyId: maskAccessKeyId(visible.accessKeyId), accessKeySecret: '***', stsToken: secrets.stsToken ? '***' : undefined })
  const out = { ...visible }
  Object.defineProperties(out, {
    accessKeySecret: { value: secrets.accessKeySecret, enumerable: false },
    stsToken: { value: secrets.stsToken, enumerable: false },
    toJSON: { value: safeView, enumerable: false },
    [INSPECT]: { value: safeView, enumerable: false }
  })
  return Object.freeze(out) as ResolvedCredentials
}

/** The OssService configuration for these credentials (API endpoint, not the custom domain). */
export function ossConfigFor(credentials: ResolvedCredentials, overrides: Partial<OssConnectionConfig> = {}): OssConnectionConfig {
  return {
    endpoint: credentials.endpoint,
    region: credentials.region,
    bucket: credentials.bucket,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    stsToken: credentials.stsToken,
    ...overrides
  }
}
