/**
 * Request authentication exactly as OSS does it: V1 (`Authorization: OSS ak:sig`, HMAC-SHA1) in
 * the header or the query (`OSSAccessKeyId`/`Expires`/`Signature`), V4 (`OSS4-HMAC-SHA256`) in
 * the header or the query (`x-oss-credential`/`x-oss-date`/`x-oss-expires`/`x-oss-signature`),
 * and STS temporary credentials (`x-oss-security-token` / `security-token`) minted by the sandbox.
 * Wire details: shared/spec/oss-rest-and-ali-oss.md §2.2–2.4 and oss-img.md §9.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { Err, type OssError } from './errors'
import { compareKeys } from './names'

export type SignatureKind = 'v1-header' | 'v1-query' | 'v4-header' | 'v4-query' | 'v1-post-policy' | 'v4-post-policy'

/** Who is making a request. Signed requests (main or STS credentials) may do anything. */
export interface Principal {
  readonly anonymous: boolean
  readonly accessKeyId: string | undefined
  readonly signature: SignatureKind | undefined
  /** Signed with STS temporary credentials. */
  readonly sts: boolean
}

export const ANONYMOUS: Principal = Object.freeze({ anonymous: true, accessKeyId: undefined, signature: undefined, sts: false })

export interface StsCredentials {
  accessKeyId: string
  accessKeySecret: string
  securityToken: string
  /** ISO 8601, as STS AssumeRole returns it. */
  expiration: string
}

interface StsEntry {
  secret: string
  token: string
  expiresAt: number
}

/** The sandbox account's key pair plus the STS credentials it has minted. */
export class Credentials {
  private readonly sts = new Map<string, StsEntry>()

  constructor(
    readonly accessKeyId: string,
    readonly accessKeySecret: string
  ) {}

  issueSts(expiresInSeconds = 3600, now = Date.now()): StsCredentials {
    if (!Number.isFinite(expiresInSeconds)) throw new TypeError('expiresInSeconds must be a finite number')
    for (const [id, entry] of this.sts) if (entry.expiresAt < now - 86_400_000) this.sts.delete(id)
    const accessKeyId = `STS.${randomToken(18)}`
    const entry: StsEntry = { secret: randomToken(30), token: `CAIS${randomToken(96)}`, expiresAt: now + expiresInSeconds * 1000 }
    this.sts.set(accessKeyId, entry)
    return { accessKeyId, accessKeySecret: entry.secret, securityToken: entry.token, expiration: new Date(entry.expiresAt).toISOString() }
  }

  /** The secret for a key id, checking the STS token rules; throws the OSS error otherwise. */
  resolve(accessKeyId: string, token: string | undefined, now: number): { secret: string; sts: boolean } {
    if (accessKeyId === this.accessKeyId) {
      // A token with a long-term key makes OSS treat it as an STS request whose key id is unknown.
      if (token !== undefined && token !== '') throw Err.invalidAccessKeyId(accessKeyId)
      return { secret: this.accessKeySecret, sts: false }
    }
    const entry = this.sts.get(accessKeyId)
    if (!entry || token === undefined || token === '') throw Err.invalidAccessKeyId(accessKeyId)
    if (!safeEqual(token, entry.token)) throw Err.invalidSecurityToken(accessKeyId)
    if (now >= entry.expiresAt) throw Err.securityTokenExpired(accessKeyId)
    return { secret: entry.secret, sts: true }
  }
}

export function randomToken(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length)
}

/** What authentication needs to know about a request (decoded bucket, key and query). */
export interface AuthRequest {
  readonly method: string
  readonly bucket: string | undefined
  readonly key: string | undefined
  /** Query parameters in arrival order, names and values percent-decoded ('' for `name` / `name=`). */
  readonly query: readonly (readonly [string, string])[]
  readonly headers: IncomingHttpHeaders
}

/** Sub-resources that take part in the V1 canonicalized resource (Go SDK `signKeyList`). */
export const SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set(
  (
    'acl uploads location cors logging website referer lifecycle delete append tagging objectMeta uploadId partNumber ' +
    'security-token position img style styleName replication replicationProgress replicationLocation cname bucketInfo ' +
    'comp qos live status vod startTime endTime symlink x-oss-process response-content-type x-oss-traffic-limit ' +
    'response-content-language response-expires response-cache-control response-content-disposition ' +
    'response-content-encoding udf udfName udfImage udfId udfImageDesc udfApplication udfApplicationLog restore callback ' +
    'callback-var qosInfo policy stat encryption versions versioning versionId requestPayment x-oss-request-payer ' +
    'sequential inventory inventoryId continuation-token asyncFetch worm wormId wormExtend withHashContext ' +
    'x-oss-enable-md5 x-oss-enable-sha1 x-oss-enable-sha256 x-oss-hash-ctx x-oss-md5-ctx transferAcceleration ' +
    'regionList cloudboxes x-oss-ac-source-ip x-oss-ac-subnet-mask x-oss-ac-vpc-id x-oss-ac-forward-allow metaQuery ' +
    'resourceGroup rtc x-oss-async-process responseHeader'
  ).split(' ')
)

const MAX_SKEW_MS = 15 * 60 * 1000
const V4_ALGORITHM = 'OSS4-HMAC-SHA256'

/**
 * Check a request's signature. Returns the principal (ANONYMOUS when the request carries no
 * signature at all); throws the OSS error for bad, expired or unknown credentials.
 */
export function authenticate(request: AuthRequest, credentials: Credentials, now = Date.now()): Principal {
  const authorization = header(request.headers, 'authorization')
  const query = new Map(request.query.map(([k, v]) => [k, v]))
  if (authorization !== undefined && authorization !== '') {
    if (authorization.startsWith(`${V4_ALGORITHM} `)) return v4Header(request, authorization, credentials, now)
    if (authorization.startsWith('OSS ')) return v1Header(request, authorization, credentials, now)
    throw Err.accessDenied('Authorization header is invalid.', { Authorization: authorization })
  }
  if (query.has('x-oss-signature-version') || query.has('x-oss-signature') || query.has('x-oss-credential')) return v4Query(request, query, credentials, now)
  if (query.has('OSSAccessKeyId') || query.has('Signature')) return v1Query(request, query, credentials, now)
  return ANONYMOUS
}

// ---- V1 -------------------------------------------------------------------------------------

/** `/<bucket>/<key>?<signed sub-resources>` with raw (decoded) values, sorted by name. */
export function v1CanonicalResource(request: AuthRequest, skip: ReadonlySet<string> = new Set()): string {
  let resource = `/${request.bucket ? `${request.bucket}/` : ''}${request.key ?? ''}`
  const subresources = request.query
    .filter(([name]) => !skip.has(name) && SIGNED_SUBRESOURCES.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  if (subresources.length > 0) resource += `?${subresources.map(([n, v]) => (v === '' ? n : `${n}=${v}`)).join('&')}`
  return resource
}

export function v1StringToSign(request: AuthRequest, date: string, skip?: ReadonlySet<string>): string {
  const ossHeaders = Object.keys(request.headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${(header(request.headers, name) ?? '').trim()}`)
  return [
    request.method.toUpperCase(),
    header(request.headers, 'content-md5') ?? '',
    header(request.headers, 'content-type') ?? '',
    date,
    ...ossHeaders,
    v1CanonicalResource(request, skip)
  ].join('\n')
}

export function v1Sign(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64')
}

function v1Header(request: AuthRequest, authorization: string, credentials: Credentials, now: number): Principal {
  const match = /^OSS\s+([^:\s]+):(\S+)$/.exec(authorization.trim())
  if (!match) throw Err.accessDenied('Authorization header is invalid.', { Authorization: authorization })
  const accessKeyId = match[1] as string
  const provided = match[2] as string
  const dateHeader = header(request.headers, 'date')
  const ossDate = header(request.headers, 'x-oss-date')
  const dates = [dateHeader, ossDate].filter((d): d is string => d !== undefined && d !== '')
  if (dates.length === 0) throw Err.accessDenied('Missing the Date or x-oss-date header.')
  const { secret, sts } = credentials.resolve(accessKeyId, header(request.headers, 'x-oss-security-token'), now)
  const requestTime = Date.parse(ossDate ?? dateHeader ?? '')
  if (Number.isNaN(requestTime)) throw Err.accessDenied('Invalid date format.', { Date: ossDate ?? dateHeader ?? '' })
  if (Math.abs(now - requestTime) > MAX_SKEW_MS) throw Err.requestTimeTooSkewed(new Date(requestTime).toUTCString(), new Date(now).toUTCString())
  const candidates = dates.map((date) => v1StringToSign(request, date))
  if (!candidates.some((s) => safeEqual(v1Sign(secret, s), provided))) throw signatureMismatch(accessKeyId, provided, candidates[0] as string)
  return { anonymous: false, accessKeyId, signature: 'v1-header', sts }
}

const V1_QUERY_AUTH = new Set(['OSSAccessKeyId', 'Expires', 'Signature'])

function v1Query(request: AuthRequest, query: Map<string, string>, credentials: Credentials, now: number): Principal {
  const accessKeyId = query.get('OSSAccessKeyId') ?? ''
  // '+' in a Base64 signature often arrives unencoded and so decodes as a space.
  const provided = (query.get('Signature') ?? '').replace(/ /g, '+')
  const expires = query.get('Expires') ?? ''
  if (accessKeyId === '' || provided === '' || expires === '') throw Err.accessDenied('OSSAccessKeyId, Signature and Expires must all be present in a signed URL.')
  if (!/^\d+$/.test(expires)) throw Err.accessDenied('Invalid expires.', { Expires: expires })
  if (Number(expires) * 1000 < now) throw Err.requestExpired(new Date(Number(expires) * 1000).toISOString(), new Date(now).toISOString())
  const { secret, sts } = credentials.resolve(accessKeyId, query.get('security-token'), now)
  const stringToSign = v1StringToSign(request, expires, V1_QUERY_AUTH)
  if (!safeEqual(v1Sign(secret, stringToSign), provided)) throw signatureMismatch(accessKeyId, provided, stringToSign)
  return { anonymous: false, accessKeyId, signature: 'v1-query', sts }
}

// ---- V4 -------------------------------------------------------------------------------------

/** RFC 3986 percent-encoding as OSS V4 wants it (also `!'()*`). */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

interface V4Variant {
  /** Sort order of the canonical query: byte order (OSS) or localeCompare (ali-oss's qs sort). */
  order: 'bytes' | 'locale'
  /** An empty value as a bare key (`a`, OSS) or as `a=` (a client that signed an empty string). */
  emptyAsBare: boolean
}

const V4_VARIANTS: readonly V4Variant[] = [
  { order: 'bytes', emptyAsBare: true },
  { order: 'locale', emptyAsBare: true },
  { order: 'bytes', emptyAsBare: false },
  { order: 'locale', emptyAsBare: false }
]

export function v4CanonicalRequest(
  request: AuthRequest,
  options: { additionalHeaders: readonly string[]; skipQuery?: ReadonlySet<string>; payloadHash: string; variant?: V4Variant }
): string {
  const variant = options.variant ?? { order: 'bytes', emptyAsBare: true }
  const uri = encodeRfc3986(`/${request.bucket ? `${request.bucket}/` : ''}${request.key ?? ''}`).replace(/%2F/g, '/')
  const pairs = request.query.filter(([name]) => !options.skipQuery?.has(name))
  pairs.sort(([a], [b]) => (variant.order === 'bytes' ? compareKeys(a, b) : a.localeCompare(b)))
  const canonicalQuery = pairs.map(([k, v]) => (v === '' && variant.emptyAsBare ? encodeRfc3986(k) : `${encodeRfc3986(k)}=${encodeRfc3986(v)}`)).join('&')
  const names = new Set<string>(options.additionalHeaders)
  for (const name of Object.keys(request.headers)) {
    const lower = name.toLowerCase()
    if (lower === 'content-type' || lower === 'content-md5' || lower.startsWith('x-oss-')) names.add(lower)
  }
  const canonicalHeaders = [...names]
    .sort()
    .map((name) => `${name}:${(header(request.headers, name) ?? '').trim()}\n`)
    .join('')
  return [request.method.toUpperCase(), uri, canonicalQuery, canonicalHeaders, options.additionalHeaders.join(';'), options.payloadHash].join('\n')
}

export function v4StringToSign(date: string, scope: string, canonicalRequest: string): string {
  return [V4_ALGORITHM, date, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n')
}

export function v4Sign(secret: string, day: string, region: string, product: string, stringToSign: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()
  const key = hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, day), region), product), 'aliyun_v4_request')
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
}

interface V4Credential {
  accessKeyId: string
  day: string
  region: string
  product: string
  scope: string
}

function parseCredential(value: string): V4Credential {
  const parts = value.split('/')
  if (parts.length !== 5 || parts[4] !== 'aliyun_v4_request' || !/^\d{8}$/.test(parts[1] ?? '') || !parts[0] || !parts[2] || !parts[3]) {
    throw Err.invalidArgument('Invalid credential in the request.', { Credential: value })
  }
  const [accessKeyId, day, region, product] = parts as [string, string, string, string, string]
  return { accessKeyId, day, region, product, scope: `${day}/${region}/${product}/aliyun_v4_request` }
}

function parseV4Date(value: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '')
  if (!m) return undefined
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number]
  return Date.UTC(y, mo - 1, d, h, mi, s)
}

function checkV4(
  request: AuthRequest,
  credential: V4Credential,
  date: string,
  additionalHeaders: string[],
  provided: string,
  secret: string,
  skipQuery: ReadonlySet<string> | undefined,
  payloadHash: string
): true | { stringToSign: string; canonicalRequest: string } {
  let first: { stringToSign: string; canonicalRequest: string } | undefined
  const seen = new Set<string>()
  for (const variant of V4_VARIANTS) {
    const canonicalRequest = v4CanonicalRequest(request, { additionalHeaders, skipQuery, payloadHash, variant })
    if (seen.has(canonicalRequest)) continue
    seen.add(canonicalRequest)
    const stringToSign = v4StringToSign(date, credential.scope, canonicalRequest)
    if (safeEqual(v4Sign(secret, credential.day, credential.region, credential.product, stringToSign), provided)) return true
    first ??= { stringToSign, canonicalRequest }
  }
  return first as { stringToSign: string; canonicalRequest: string }
}

function v4Header(request: AuthRequest, authorization: string, credentials: Credentials, now: number): Principal {
  const fields = new Map<string, string>()
  for (const part of authorization.slice(V4_ALGORITHM.length).split(',')) {
    const at = part.indexOf('=')
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim())
  }
  const credentialValue = fields.get('Credential')
  const provided = fields.get('Signature')
  if (!credentialValue || !provided) throw Err.accessDenied('Authorization header is invalid.', { Authorization: authorization })
  const credential = parseCredential(credentialValue)
  const date = header(request.headers, 'x-oss-date')
  const requestTime = parseV4Date(date)
  if (date === undefined || requestTime === undefined) throw Err.accessDenied('Missing or invalid x-oss-date header (yyyymmddTHHMMSSZ).')
  if (!date.startsWith(credential.day)) throw Err.accessDenied('The date in the credential scope does not match x-oss-date.', { Credential: credentialValue })
  const { secret, sts } = credentials.resolve(credential.accessKeyId, header(request.headers, 'x-oss-security-token'), now)
  if (Math.abs(now - requestTime) > MAX_SKEW_MS) throw Err.requestTimeTooSkewed(new Date(requestTime).toUTCString(), new Date(now).toUTCString())
  const additional = splitAdditional(fields.get('AdditionalHeaders'))
  const payloadHash = header(request.headers, 'x-oss-content-sha256') || 'UNSIGNED-PAYLOAD'
  const result = checkV4(request, credential, date, additional, provided, secret, undefined, payloadHash)
  if (result !== true) throw signatureMismatch(credential.accessKeyId, provided, result.stringToSign, result.canonicalRequest)
  return { anonymous: false, accessKeyId: credential.accessKeyId, signature: 'v4-header', sts }
}

const V4_QUERY_SKIP = new Set(['x-oss-signature'])

function v4Query(request: AuthRequest, query: Map<string, string>, credentials: Credentials, now: number): Principal {
  const version = query.get('x-oss-signature-version')
  if (version !== V4_ALGORITHM) throw Err.invalidArgument(`Unsupported x-oss-signature-version ${JSON.stringify(version ?? '')}.`)
  const credentialValue = query.get('x-oss-credential') ?? ''
  const provided = query.get('x-oss-signature') ?? ''
  const date = query.get('x-oss-date') ?? ''
  const expiresText = query.get('x-oss-expires') ?? ''
  if (credentialValue === '' || provided === '' || date === '' || expiresText === '') {
    throw Err.accessDenied('x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature must all be present in a signed URL.')
  }
  const credential = parseCredential(credentialValue)
  const requestTime = parseV4Date(date)
  if (requestTime === undefined || !date.startsWith(credential.day)) throw Err.accessDenied('Invalid x-oss-date.', { 'x-oss-date': date })
  if (!/^\d+$/.test(expiresText) || Number(expiresText) < 1 || Number(expiresText) > 604_800) {
    throw Err.accessDenied('Invalid expires: x-oss-expires must be between 1 and 604800 seconds.', { Expires: expiresText })
  }
  const expiresAt = requestTime + Number(expiresText) * 1000
  if (now > expiresAt) throw Err.requestExpired(new Date(expiresAt).toISOString(), new Date(now).toISOString())
  const { secret, sts } = credentials.resolve(credential.accessKeyId, query.get('x-oss-security-token'), now)
  const additional = splitAdditional(query.get('x-oss-additional-headers'))
  const result = checkV4(request, credential, date, additional, provided, secret, V4_QUERY_SKIP, 'UNSIGNED-PAYLOAD')
  if (result !== true) throw signatureMismatch(credential.accessKeyId, provided, result.stringToSign, result.canonicalRequest)
  return { anonymous: false, accessKeyId: credential.accessKeyId, signature: 'v4-query', sts }
}

function splitAdditional(value: string | undefined): string[] {
  if (!value) return []
  return [...new Set(value.split(';').map((h) => h.trim().toLowerCase()))].filter((h) => h !== '').sort()
}

// ---- helpers --------------------------------------------------------------------------------

/**
 * A header's value as the client signed it. Node decodes header bytes as Latin-1; a client that
 * sent UTF-8 text signed the UTF-8 string, so re-decode when that yields valid UTF-8.
 */
/**
 * PostObject's form signature: V1 (`OSSAccessKeyId` + `Signature` = Base64 HMAC-SHA1 of the
 * Base64 policy) or V4 (`x-oss-signature-version: OSS4-HMAC-SHA256`, `x-oss-credential`,
 * `x-oss-date`, `x-oss-signature` = hex HMAC-SHA256 of the Base64 policy under the V4 signing
 * key). `fields` are the form fields by lower-case name. A form with neither is anonymous.
 */
export function authenticatePostPolicy(fields: ReadonlyMap<string, string>, credentials: Credentials, now = Date.now()): Principal {
  const policy = fields.get('policy') ?? ''
  const token = fields.get('x-oss-security-token')
  const version = fields.get('x-oss-signature-version')
  if (version !== undefined) {
    if (version !== V4_ALGORITHM) throw Err.invalidArgument('Unsupported signature version.', { ArgumentName: 'x-oss-signature-version', ArgumentValue: version })
    const credential = parseCredential(fields.get('x-oss-credential') ?? '')
    const signed = parseV4Date(fields.get('x-oss-date'))
    if (signed === undefined) throw Err.invalidArgument('Invalid x-oss-date in the form.', { ArgumentName: 'x-oss-date', ArgumentValue: fields.get('x-oss-date') ?? '' })
    if (policy === '') throw Err.invalidArgument('A signed form must carry a policy.', { ArgumentName: 'policy', ArgumentValue: '' })
    const { secret, sts } = credentials.resolve(credential.accessKeyId, token, now)
    const provided = fields.get('x-oss-signature') ?? ''
    if (!safeEqual(v4Sign(secret, credential.day, credential.region, credential.product, policy), provided)) throw signatureMismatch(credential.accessKeyId, provided, policy)
    return { anonymous: false, accessKeyId: credential.accessKeyId, signature: 'v4-post-policy', sts }
  }
  const accessKeyId = fields.get('ossaccesskeyid')
  if (accessKeyId === undefined) return ANONYMOUS
  if (policy === '') throw Err.invalidArgument('A signed form must carry a policy.', { ArgumentName: 'policy', ArgumentValue: '' })
  const { secret, sts } = credentials.resolve(accessKeyId, token, now)
  const provided = fields.get('signature') ?? ''
  if (!safeEqual(v1Sign(secret, policy), provided)) throw signatureMismatch(accessKeyId, provided, policy)
  return { anonymous: false, accessKeyId, signature: 'v1-post-policy', sts }
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name]
  const value = Array.isArray(raw) ? raw.join(',') : raw
  if (value === undefined || !/[^ -~\t]/.test(value)) return value
  const utf8 = Buffer.from(value, 'latin1').toString('utf8')
  return utf8.includes('\uFFFD') ? value : utf8
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

function hexBytes(text: string): string {
  return `${[...Buffer.from(text, 'utf8')].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')} `
}

function signatureMismatch(accessKeyId: string, provided: string, stringToSign: string, canonicalRequest?: string): OssError {
  return Err.signatureDoesNotMatch({
    OSSAccessKeyId: accessKeyId,
    SignatureProvided: provided,
    StringToSign: stringToSign,
    StringToSignBytes: hexBytes(stringToSign),
    ...(canonicalRequest !== undefined ? { CanonicalRequest: canonicalRequest, CanonicalRequestBytes: hexBytes(canonicalRequest) } : {})
  })
}
