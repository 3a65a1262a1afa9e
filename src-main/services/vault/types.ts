/**
 * The vault's renderer-facing shapes. Pure types, no Node: they can move to `src-shared/ipc` as they
 * are. None of them carries a secret.
 */

export const LOCAL_SANDBOX_ID = 'local-sandbox'
export const LOCAL_SANDBOX_NAME = 'Local sandbox'

export type ProfileKind = 'sandbox' | 'oss'

/** What the renderer sees of a profile: no secrets, the access key id only masked. */
export interface ProfileSummary {
  readonly id: string
  readonly name: string
  readonly kind: ProfileKind
  /** Normalized origin, e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  readonly endpoint?: string
  /** `oss-cn-hangzhou` form. */
  readonly region?: string
  /** Default bucket. */
  readonly bucket?: string
  /** `LTAI****abcd` */
  readonly maskedAccessKeyId?: string
  readonly hasStsToken: boolean
  /** Host bound to the bucket (CNAME), e.g. `img.example.com`. */
  readonly customDomain?: string
  /** Set when the profile cannot be used: why, in words (the profile can still be deleted). */
  readonly broken?: string
  /** With `broken`: `CorruptProfile` (only deletion helps) or `DecryptFailed` (re-entering the secrets helps). */
  readonly brokenCode?: 'CorruptProfile' | 'DecryptFailed'
}

export interface ProfileInput {
  /** 1–64 characters. */
  readonly name: string
  /** http(s) URL of the OSS endpoint (origin only); `https://` is assumed without a scheme. */
  readonly endpoint?: string | undefined
  /** `oss-cn-hangzhou` (or `cn-hangzhou`). At least one of endpoint and region. */
  readonly region?: string | undefined
  /** Default bucket, OSS naming rules. */
  readonly bucket: string
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly stsToken?: string | undefined
  /** Host name only, e.g. `img.example.com`. */
  readonly customDomain?: string | undefined
}

/**
 * Absent (or `undefined`) = keep. `null` clears an optional field (endpoint, region, STS token,
 * custom domain). Secrets are never sent back to the renderer, so the edit form sends them only
 * when the user typed new ones. Changing the access key id requires the secret as well.
 */
export interface ProfilePatch {
  readonly name?: string | undefined
  readonly endpoint?: string | null | undefined
  readonly region?: string | null | undefined
  readonly bucket?: string | undefined
  readonly accessKeyId?: string | undefined
  readonly accessKeySecret?: string | undefined
  readonly stsToken?: string | null | undefined
  readonly customDomain?: string | null | undefined
}

export interface TestConnectionError {
  /** OSS's code (`SignatureDoesNotMatch`, `InvalidAccessKeyId`, `AccessDenied`, `NoSuchBucket`…), `NetworkError`, or a vault code. */
  readonly code: string
  /** HTTP status; -1 network, -2 timeout, 0 never sent. */
  readonly status: number
  /** What went wrong in words, then OSS's own message. Never contains a secret. */
  readonly message: string
  readonly requestId?: string
  readonly ec?: string
}

export type TestConnectionResult =
  | { readonly ok: true; readonly latencyMs: number; readonly bucketCount?: number }
  | { readonly ok: false; readonly error: TestConnectionError }
