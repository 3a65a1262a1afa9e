/**
 * Connection settings and how they become ali-oss options: addressing style (path-style for a
 * loopback sandbox, virtual-hosted for real OSS, CNAME for custom domains) and the V4 signing region.
 */
import type { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { isIP } from 'node:net'
import { configError } from './errors'
import { assertBucketName } from './names'
import type { RetryEvent, RetryPolicy } from './retry'

export interface OssCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** STS security token; sent as `x-oss-security-token` (requests) / `security-token` (signed URLs). */
  readonly stsToken?: string | undefined
  /** When the STS credentials expire; they are refreshed a minute before. */
  readonly expiration?: Date | string | undefined
}

/**
 * Returns fresh STS credentials. Any key casing is accepted (`AccessKeyId`, `SecurityToken`,
 * `securityToken`…), so the STS AssumeRole response's `Credentials` object can be returned as is.
 */
export type CredentialsProvider = () => Promise<OssCredentials | Record<string, unknown>>

export type SignatureVersion = 'v1' | 'v4'

export interface OssConnectionConfig extends OssCredentials {
  readonly bucket: string
  /**
   * `https://oss-cn-hangzhou.aliyuncs.com`, `oss-cn-hangzhou.aliyuncs.com` (https implied), a
   * custom domain with `cname: true`, or a loopback sandbox such as `http://localhost:9000` or
   * `http://127.0.0.1:9000` (path-style). Takes priority over `region`.
   */
  readonly endpoint?: string | undefined
  /** `cn-hangzhou` or `oss-cn-hangzhou`. Used for V4 signing; derived from an aliyuncs endpoint when omitted. */
  readonly region?: string | undefined
  /** With `region` only: the `-internal` (VPC) endpoint. */
  readonly internal?: boolean | undefined
  /** Scheme when the endpoint has none or only `region` is given. Default true (https), except loopback. */
  readonly secure?: boolean | undefined
  /** The endpoint is a custom domain bound to the bucket. */
  readonly cname?: boolean | undefined
  /** Called when STS credentials are about to expire, every `refreshIntervalMs`, and once on SecurityTokenExpired. */
  readonly refreshCredentials?: CredentialsProvider | undefined
  /** Default 300000 (ali-oss's `refreshSTSTokenInterval`). */
  readonly refreshIntervalMs?: number | undefined
  /** Request signing. Default 'v4' (OSS4-HMAC-SHA256), which needs a region. */
  readonly signatureVersion?: SignatureVersion | undefined
  /** Per-attempt timeout (connect and response), default 60000. */
  readonly timeoutMs?: number | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
  readonly onRetry?: ((event: RetryEvent) => void) | undefined
  readonly agent?: HttpAgent | undefined
  readonly httpsAgent?: HttpsAgent | undefined
}

export type AddressingStyle = 'path' | 'virtual-hosted' | 'cname'

export interface ResolvedAddressing {
  /** Origin handed to ali-oss, e.g. `http://localhost:9000` or `https://oss-cn-hangzhou.aliyuncs.com`. */
  readonly endpoint: string
  /** Standard region, e.g. `cn-hangzhou` (what V4 signs). */
  readonly region: string
  readonly style: AddressingStyle
}

const DEFAULT_REGION = 'cn-hangzhou'
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
// oss-<region>[-internal].aliyuncs.com; accelerate endpoints carry no region.
const ALIYUN_HOST = /^(?:([^.]+)\.)?oss-([a-z0-9-]+?)(-internal)?\.aliyuncs\.com$/
const NOT_REGIONS = new Set(['accelerate', 'accelerate-overseas'])

/** `localhost`, 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host) || /^::ffff:7f[0-9a-f]{2}:/.test(host)
  return false
}

function normalizeRegion(region: string): string {
  const standard = region.trim().toLowerCase().replace(/^oss-/, '').replace(/-internal$/, '')
  if (!REGION.test(standard)) throw configError(`region: expected a region id such as "cn-hangzhou" but received ${JSON.stringify(region)}`)
  return standard
}

/**
 * Decides how ali-oss addresses the bucket:
 * - loopback host → `http://localhost:PORT` + `sldEnable` (path-style). An IP literal is rewritten to
 *   `localhost` because ali-oss drops the bucket and forges the Host header for IP endpoints
 *   (spec §0.2); `localhost` without sldEnable would resolve `<bucket>.localhost`.
 * - custom domain with `cname` → the domain as is, bucket neither in host nor path.
 * - anything else → virtual-hosted (`<bucket>.<endpoint host>`). Other IP literals are refused.
 */
export function resolveAddressing(config: Pick<OssConnectionConfig, 'endpoint' | 'region' | 'internal' | 'secure' | 'cname' | 'signatureVersion'>): ResolvedAddressing {
  const v4 = (config.signatureVersion ?? 'v4') === 'v4'
  const explicitRegion = config.region === undefined || config.region === '' ? undefined : normalizeRegion(config.region)
  if (config.endpoint === undefined || config.endpoint === '') {
    if (explicitRegion === undefined) throw configError('endpoint: expected an endpoint or a region but received neither')
    if (config.cname) throw configError('cname: expected the custom domain as endpoint but received only a region')
    const scheme = config.secure === false ? 'http' : 'https'
    return { endpoint: `${scheme}://oss-${explicitRegion}${config.internal ? '-internal' : ''}.aliyuncs.com`, region: explicitRegion, style: 'virtual-hosted' }
  }

  const raw = config.endpoint.trim()
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw)
  let url: URL
  try {
    url = new URL(hasScheme ? raw : `http://${raw}`)
  } catch {
    throw configError(`endpoint: expected a host name or URL but received ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configError(`endpoint: expected http or https but received ${JSON.stringify(url.protocol)}`)
  if (url.username || url.password) throw configError('endpoint: expected no user information in the URL')
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw configError(`endpoint: expected an origin without path or query but received ${JSON.stringify(raw)}`)

  const loopback = isLoopbackHost(url.hostname)
  if (!hasScheme) url.protocol = loopback || config.secure === false ? 'http:' : 'https:'
  if (loopback) {
    if (config.cname) throw configError('cname: a loopback endpoint is addressed path-style; cname is not supported there')
    const port = url.port ? `:${url.port}` : ''
    return { endpoint: `${url.protocol}//localhost${port}`, region: explicitRegion ?? DEFAULT_REGION, style: 'path' }
  }
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
    throw configError(`endpoint: ali-oss cannot address a bucket on an IP endpoint (${url.hostname}); use a host name`)
  }

  const match = ALIYUN_HOST.exec(url.hostname.toLowerCase())
  if (match?.[1] !== undefined && !config.cname) {
    throw configError(`endpoint: expected the region endpoint without the bucket (e.g. "oss-${match[2]}.aliyuncs.com") but received ${JSON.stringify(url.hostname)}`)
  }
  const derived = match && !NOT_REGIONS.has(match[2] ?? '') ? match[2] : undefined
  const region = explicitRegion ?? derived
  if (region === undefined && v4) {
    throw configError(`region: V4 signing needs the bucket's region (e.g. "cn-hangzhou"); it cannot be derived from ${JSON.stringify(url.hostname)}`)
  }
  return { endpoint: url.origin, region: region ?? DEFAULT_REGION, style: config.cname ? 'cname' : 'virtual-hosted' }
}

export function validateConfig(config: OssConnectionConfig): void {
  assertBucketName(config.bucket)
  for (const key of ['accessKeyId', 'accessKeySecret'] as const) {
    if (typeof config[key] !== 'string' || config[key].trim() === '') throw configError(`${key}: expected a non-empty string`)
  }
  if (config.stsToken !== undefined && (typeof config.stsToken !== 'string' || config.stsToken.trim() === '')) throw configError('stsToken: expected a non-empty string when given')
  if (config.timeoutMs !== undefined && !(Number.isInteger(config.timeoutMs) && config.timeoutMs > 0)) throw configError(`timeoutMs: expected a positive integer but received ${String(config.timeoutMs)}`)
  if (config.refreshIntervalMs !== undefined && !(Number.isInteger(config.refreshIntervalMs) && config.refreshIntervalMs > 0)) throw configError(`refreshIntervalMs: expected a positive integer but received ${String(config.refreshIntervalMs)}`)
  if (config.signatureVersion !== undefined && config.signatureVersion !== 'v1' && config.signatureVersion !== 'v4') throw configError(`signatureVersion: expected "v1" or "v4" but received ${JSON.stringify(config.signatureVersion)}`)
}
