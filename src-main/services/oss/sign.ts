/**
 * Signed URLs for objects, processed images (`image/...`) and styles (`style/NAME`):
 * V1 (`OSSAccessKeyId`/`Expires`/`Signature`, ali-oss `asyncSignatureUrl`) and V4
 * (`x-oss-signature-version=OSS4-HMAC-SHA256`, ali-oss `signatureUrlV4` with `queries`).
 *
 * The process string and the `response-*` overrides are signed sub-resources: a URL signed without
 * `x-oss-process` does not authorise a processed GET (spec oss-img.md §9.1), so they are passed to
 * the signer, never appended afterwards. STS credentials add `security-token` (V1) or
 * `x-oss-security-token` (V4). A custom domain signs with a CNAME client (`cname: true`, the domain
 * as endpoint): the host is the domain, the path is the key, the signed resource is still
 * `/<bucket>/<key>`.
 */
import type { CallOptions, OssClient } from './client'
import type { SignatureVersion } from './config'
import { abortError, clientError } from './errors'
import { assertHeaderValue, assertObjectKey } from './names'
import { assertGetProcess } from './objects'

/** OSS's maximum for V4 presigned URLs (7 days); applied to V1 as well. */
export const MAX_SIGNED_URL_SECONDS = 604_800
export const DEFAULT_SIGNED_URL_SECONDS = 3_600

export interface ResponseOverrides {
  readonly contentType?: string | undefined
  readonly contentDisposition?: string | undefined
  readonly contentLanguage?: string | undefined
  readonly contentEncoding?: string | undefined
  readonly cacheControl?: string | undefined
  readonly expires?: string | undefined
}

export interface SignUrlOptions extends Pick<CallOptions, 'signal'> {
  readonly key: string
  /** `image/...` or `style/NAME` (validated; no saveas). */
  readonly process?: string | undefined
  /** 1–604800, default 3600. */
  readonly expiresSeconds?: number | undefined
  /** Default: the client's signature version. */
  readonly version?: SignatureVersion | undefined
  /** Response header overrides (`response-content-disposition`, …). Printable ASCII. */
  readonly response?: ResponseOverrides | undefined
  /** A custom domain bound to the bucket, e.g. `https://img.example.com`. */
  readonly customDomain?: string | undefined
}

export interface SignedUrl {
  readonly url: string
  readonly version: SignatureVersion
  /** ISO 8601; the earlier of the URL's expiry and the STS credentials' expiry when known. */
  readonly expiresAt: string
}

const RESPONSE_PARAMS: ReadonlyArray<readonly [keyof ResponseOverrides, string]> = [
  ['contentType', 'content-type'],
  ['contentDisposition', 'content-disposition'],
  ['contentLanguage', 'content-language'],
  ['contentEncoding', 'content-encoding'],
  ['cacheControl', 'cache-control'],
  ['expires', 'expires']
]

/** Lives in src-shared so the renderer builds the same value from a typed file name. */
export { contentDisposition } from '../../../src-shared/http/content-disposition'

function responseParams(response: ResponseOverrides | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, name] of RESPONSE_PARAMS) {
    const value = response?.[field]
    if (value === undefined) continue
    assertHeaderValue(`response.${field}`, value)
    out[name] = value
  }
  return out
}

export async function signUrl(client: OssClient, options: SignUrlOptions): Promise<SignedUrl> {
  const operation = 'signUrl'
  assertObjectKey(options.key)
  if (options.process !== undefined) assertGetProcess(options.process, operation)
  const expires = options.expiresSeconds ?? DEFAULT_SIGNED_URL_SECONDS
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_SIGNED_URL_SECONDS) {
    throw clientError({ code: 'InvalidArgument', status: 400, operation, message: `expiresSeconds: expected an integer between 1 and ${MAX_SIGNED_URL_SECONDS} but received ${String(expires)}` })
  }
  const version = options.version ?? client.signatureVersion
  if (version !== 'v1' && version !== 'v4') throw clientError({ code: 'InvalidArgument', status: 0, operation, message: `version: expected "v1" or "v4" but received ${JSON.stringify(version)}` })
  const method = 'GET'
  const response = responseParams(options.response)
  if (options.signal?.aborted) throw abortError(operation)

  const signer = await client.signer(operation, options.customDomain)
  const signedAt = Date.now()
  let url: string
  try {
    if (version === 'v1') {
      url = await signer.asyncSignatureUrl(options.key, {
        expires,
        method,
        ...(options.process !== undefined ? { process: options.process } : {}),
        ...(Object.keys(response).length > 0 ? { response } : {})
      })
    } else {
      const queries: Record<string, string> = {}
      if (options.process !== undefined) queries['x-oss-process'] = options.process
      for (const [name, value] of Object.entries(response)) queries[`response-${name}`] = value
      url = await signer.signatureUrlV4(method, expires, { headers: {}, queries }, options.key)
    }
  } catch (error) {
    throw client.toError(error, operation)
  }
  const credentialsExpireAt = client.credentialsExpireAt
  const urlExpiresAt = signedAt + expires * 1000
  const expiresAt = credentialsExpireAt !== undefined ? Math.min(urlExpiresAt, credentialsExpireAt) : urlExpiresAt
  return { url, version, expiresAt: new Date(expiresAt).toISOString() }
}
