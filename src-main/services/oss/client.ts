/**
 * OssClient: one ali-oss client for one bucket, plus the machinery every operation shares —
 * credential refresh, per-attempt timeout, retries, abort, and mapping every failure to OssError.
 *
 * Operations (objects.ts, styles.ts, save-as.ts, sign.ts) call `run()` with a function that makes
 * one attempt. They use ali-oss's own methods where those are faithful (put, delete, deleteMulti,
 * listV2, signatureUrl/V4) and `send()` — ali-oss's internal `request()` with our status check —
 * where ali-oss loses information: GET bodies and HEAD errors (it synthesizes NoSuchKey for every
 * bodiless 404 and ignores the XML of streamed error bodies), styles, and saveas.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type OSS from 'ali-oss'
import type { AddressingStyle, OssConnectionConfig, SignatureVersion } from './config'
import { resolveAddressing, validateConfig } from './config'
import { CredentialStore, DEFAULT_REFRESH_INTERVAL_MS } from './credentials'
import { OssError, clientError, configError, toOssError } from './errors'
import { DEFAULT_RETRY_POLICY, NO_RETRY, validatePolicy, withRetry, type RetryEvent, type RetryPolicy } from './retry'
import { TransportAbortError, abortableUrllib, requestScope } from './transport'

export type AliOss = OSS & OSS.Internals

export const DEFAULT_TIMEOUT_MS = 60_000

type AliOssConstructor = typeof OSS
let aliOssModule: Promise<AliOssConstructor> | undefined
/** ali-oss (and urllib, lodash, xml2js under it) loads with the first request or signature, not with the app. */
const loadAliOss = (): Promise<AliOssConstructor> => (aliOssModule ??= import('ali-oss').then((m) => m.default))
/** Error bodies are small XML documents; never read more than this of one. */
const MAX_ERROR_BODY = 64 * 1024

export interface CallOptions {
  /** Aborts the operation, including an in-flight request and a pending backoff. */
  readonly signal?: AbortSignal | undefined
  /** Per-attempt timeout; default the client's `timeoutMs`. */
  readonly timeoutMs?: number | undefined
  /** Overrides the client's retry policy; `false` = a single attempt. */
  readonly retry?: Partial<RetryPolicy> | false | undefined
}

/** What one attempt of an operation gets. */
export interface Attempt {
  readonly oss: AliOss
  /** 1-based. */
  readonly attempt: number
  readonly timeout: number
  readonly signal: AbortSignal | undefined
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

export interface ReadBodyOptions {
  /** Stop (and report `truncated`) once more than this many bytes arrived. */
  readonly maxBytes?: number | undefined
  /** No data for this long → ResponseTimeout (urllib's timer stops once the headers arrive). */
  readonly idleTimeoutMs: number
  readonly signal?: AbortSignal | undefined
}

function networkError(message: string): Error & { status: number } {
  return Object.assign(new Error(message), { name: 'ResponseError', status: -1 })
}

/**
 * Reads a streamed response body with a byte cap, an idle timeout and abort. On `truncated`, the
 * stream (and its socket) is destroyed: nothing beyond `maxBytes` + one chunk is downloaded.
 */
export function readBody(stream: Readable, options: ReadBodyOptions): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    let ended = false
    let timer: NodeJS.Timeout | undefined
    const cleanup = () => {
      clearTimeout(timer)
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      stream.off('close', onClose)
      options.signal?.removeEventListener('abort', onAbort)
    }
    const finish = (error: Error | undefined, truncated = false) => {
      if (done) return
      done = true
      cleanup()
      if (error || truncated) stream.destroy()
      if (error) reject(error)
      else resolve({ body: Buffer.concat(chunks), truncated })
    }
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => finish(Object.assign(new Error(`Response timeout for ${options.idleTimeoutMs}ms while reading the body`), { name: 'ResponseTimeoutError' })), options.idleTimeoutMs)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      chunks.push(chunk)
      if (options.maxBytes !== undefined && size > options.maxBytes) finish(undefined, true)
      else arm()
    }
    const onEnd = () => {
      ended = true
      finish(undefined)
    }
    const onError = (error: Error) => finish(networkError(`response body: ${error.message}`))
    const onClose = () => {
      if (!ended) finish(networkError('response body: connection closed before the end of the body'))
    }
    const onAbort = () => finish(new TransportAbortError('aborted while reading the body'))
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    stream.on('close', onClose)
    if (options.signal?.aborted) return onAbort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    arm()
  })
}

export class OssClient {
  readonly bucket: string
  /** Standard region id (`cn-hangzhou`), what V4 signs with. */
  readonly region: string
  /** The origin ali-oss talks to (loopback endpoints are rewritten to `localhost`). */
  readonly endpoint: string
  readonly addressing: AddressingStyle
  readonly signatureVersion: SignatureVersion
  readonly timeoutMs: number
  /** The ali-oss client, made on first use (loadAliOss). */
  private aliClient: Promise<AliOss> | undefined
  private readonly credentials: CredentialStore
  private readonly policy: RetryPolicy
  private readonly onRetry: ((event: RetryEvent) => void) | undefined
  private readonly config: OssConnectionConfig

  constructor(config: OssConnectionConfig) {
    validateConfig(config)
    const addressing = resolveAddressing(config)
    this.config = config
    this.bucket = config.bucket
    this.region = addressing.region
    this.endpoint = addressing.endpoint
    this.addressing = addressing.style
    this.signatureVersion = config.signatureVersion ?? 'v4'
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.policy = validatePolicy({ ...DEFAULT_RETRY_POLICY, ...config.retry })
    this.onRetry = config.onRetry
    this.credentials = new CredentialStore(config, config.refreshCredentials, config.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS)
  }

  /** When the current STS credentials expire, if known (epoch ms). */
  get credentialsExpireAt(): number | undefined {
    return this.credentials.current.expiresAt
  }

  /** Whether the current credentials are STS credentials. */
  get usesSts(): boolean {
    return this.credentials.current.stsToken !== undefined
  }

  private client(): Promise<AliOss> {
    return (this.aliClient ??= this.createAliClient(this.endpoint, this.addressing))
  }

  private async createAliClient(endpoint: string, style: AddressingStyle): Promise<AliOss> {
    const OSS = await loadAliOss()
    const creds = this.credentials.current
    const oss = new OSS({
      accessKeyId: creds.accessKeyId,
      accessKeySecret: creds.accessKeySecret,
      stsToken: creds.stsToken,
      // We refresh ourselves (credentials.ts); the interval only silences ali-oss's warning.
      refreshSTSTokenInterval: DEFAULT_REFRESH_INTERVAL_MS,
      bucket: this.bucket,
      endpoint,
      region: `oss-${this.region}`,
      secure: endpoint.startsWith('https:'),
      cname: style === 'cname',
      sldEnable: style === 'path',
      authorizationV4: this.signatureVersion === 'v4',
      timeout: this.timeoutMs,
      retryMax: 0,
      ...(this.config.agent ? { agent: this.config.agent } : {}),
      ...(this.config.httpsAgent ? { httpsAgent: this.config.httpsAgent } : {})
    }) as AliOss
    oss.urllib = abortableUrllib(oss.urllib)
    return oss
  }

  private async applyCredentials(force: boolean): Promise<AliOss> {
    const creds = await this.credentials.fresh(force)
    const oss = await this.client()
    Object.assign(oss.options, { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret, stsToken: creds.stsToken })
    return oss
  }

  /** Maps an error with this client's secrets redacted. */
  toError(error: unknown, operation: string, signal?: AbortSignal): OssError {
    return toOssError(error, { operation, secrets: this.credentials.secrets(), signal })
  }

  private resolveTimeout(options: CallOptions | undefined, operation: string): number {
    const timeout = options?.timeoutMs ?? this.timeoutMs
    if (!Number.isInteger(timeout) || timeout <= 0) throw clientError({ code: 'InvalidArgument', status: 0, operation, message: `timeoutMs: expected a positive integer but received ${String(timeout)}` })
    return timeout
  }

  /**
   * Runs one logical operation: refreshes credentials when due, makes attempts under the retry
   * policy, and throws only OssError. A SecurityTokenExpired answer forces one credential refresh and
   * one more attempt when a `refreshCredentials` callback exists (a re-signed request, not a blind
   * 4xx retry).
   */
  async run<T>(operation: string, options: CallOptions | undefined, attemptFn: (attempt: Attempt) => Promise<T>): Promise<T> {
    const signal = options?.signal
    const timeout = this.resolveTimeout(options, operation)
    let policy: RetryPolicy
    try {
      policy = options?.retry === false ? NO_RETRY : validatePolicy({ ...this.policy, ...options?.retry })
    } catch (error) {
      throw configError(error instanceof Error ? error.message : String(error))
    }
    let forceRefresh = false
    let refreshedForExpiry = false
    return withRetry(
      async (attempt) => {
        try {
          const oss = await this.applyCredentials(forceRefresh)
          forceRefresh = false
          return await requestScope.run({ signal }, () => attemptFn({ oss, attempt, timeout, signal }))
        } catch (error) {
          throw this.toError(error, operation, signal)
        }
      },
      {
        policy,
        signal,
        operation,
        onRetry: this.onRetry,
        isRetryable: (error) => {
          if (!(error instanceof OssError)) return false
          if (error.retryable) return true
          if (error.code === 'SecurityTokenExpired' && this.credentials.canRefresh && !refreshedForExpiry) {
            refreshedForExpiry = true
            forceRefresh = true
            return true
          }
          return false
        }
      }
    )
  }

  /**
   * One request through ali-oss's `request()` (signing, addressing) with our own status check:
   * any status outside `ok` becomes ali-oss's error object built from the XML body — or, for
   * bodiless responses (HEAD), from the `x-oss-err` header — so the code is never guessed.
   */
  async send(attempt: Attempt, params: OSS.RawRequestParams, ok: readonly number[]): Promise<OSS.RawResponse> {
    const { successStatuses: _ignored, xmlResponse: _xml, ...rest } = params
    const result = await attempt.oss.request({ ...rest, timeout: attempt.timeout })
    if (ok.includes(result.status)) return result
    let body: Buffer | null = null
    if (params.customResponse) {
      body = await readBody(result.res, { maxBytes: MAX_ERROR_BODY, idleTimeoutMs: attempt.timeout, signal: attempt.signal })
        .then((r) => r.body)
        .catch(() => null)
    } else if (Buffer.isBuffer(result.data)) {
      body = result.data
    }
    const encoded = header(result.headers, 'x-oss-err')
    if ((!body || body.length === 0) && encoded) body = Buffer.from(encoded, 'base64')
    const error = await attempt.oss.requestError({ status: result.status, headers: result.headers, data: body })
    error.ecCode ??= header(result.headers, 'x-oss-ec')
    error.requestId ??= header(result.headers, 'x-oss-request-id')
    throw error
  }

  /** Parses an XML body the way ali-oss does (xml2js, no explicit root, no arrays). */
  async parseXml(attempt: Attempt, data: Buffer | null): Promise<unknown> {
    if (!data || data.length === 0) return undefined
    return attempt.oss.parseXML(data)
  }

  /**
   * The ali-oss client to sign URLs with: this one, or — for a custom domain — a CNAME client on
   * that domain with the current credentials (refreshed first when due).
   */
  async signer(operation: string, customDomain?: string): Promise<AliOss> {
    let oss: AliOss
    try {
      oss = await this.applyCredentials(false)
    } catch (error) {
      throw this.toError(error, operation)
    }
    if (customDomain === undefined) return oss
    const { endpoint } = resolveAddressing({ endpoint: customDomain, cname: true, region: this.region, signatureVersion: this.signatureVersion })
    return this.createAliClient(endpoint, 'cname')
  }
}
