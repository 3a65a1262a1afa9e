/**
 * The current access key pair / STS token and their refresh. We refresh ourselves instead of using
 * ali-oss's `refreshSTSToken`, because ours is single-flight (concurrent operations wait for one
 * refresh instead of signing with the old token), honours the token's expiration, can be forced once
 * after a SecurityTokenExpired answer, and also covers signed URLs on CNAME clients.
 */
import { CLIENT_CODES, OssError, redact } from './errors'
import type { CredentialsProvider, OssCredentials } from './config'

export const DEFAULT_REFRESH_INTERVAL_MS = 300_000
/** Refresh this long before `expiration`. */
const EXPIRY_MARGIN_MS = 60_000

export interface CurrentCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly stsToken: string | undefined
  readonly expiresAt: number | undefined
}

function refreshFailed(message: string): OssError {
  return new OssError({ code: CLIENT_CODES.credentialsRefreshFailed, status: 0, origin: 'client', retryable: false, message })
}

function parseExpiration(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN
  return Number.isFinite(time) ? time : undefined
}

/** Accepts `AccessKeyId`/`accessKeyId`, `SecurityToken`/`securityToken`/`stsToken`, `Expiration`/`expiration`. */
export function normalizeCredentials(input: unknown): CurrentCredentials {
  if (input === null || typeof input !== 'object') throw refreshFailed('refreshCredentials: expected an object with accessKeyId, accessKeySecret and stsToken')
  const lower = new Map(Object.entries(input as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]))
  const text = (...names: string[]) => {
    for (const name of names) {
      const value = lower.get(name)
      if (typeof value === 'string' && value.trim() !== '') return value.trim()
    }
    return undefined
  }
  const accessKeyId = text('accesskeyid')
  const accessKeySecret = text('accesskeysecret')
  const stsToken = text('ststoken', 'securitytoken')
  if (!accessKeyId || !accessKeySecret || !stsToken) {
    const missing = [!accessKeyId && 'accessKeyId', !accessKeySecret && 'accessKeySecret', !stsToken && 'stsToken'].filter(Boolean).join(', ')
    throw refreshFailed(`refreshCredentials: expected ${missing} in the returned credentials`)
  }
  return { accessKeyId, accessKeySecret, stsToken, expiresAt: parseExpiration(lower.get('expiration')) }
}

export class CredentialStore {
  private value: CurrentCredentials
  private refreshedAt: number
  private inflight: Promise<CurrentCredentials> | undefined
  private readonly previousSecrets: string[] = []

  constructor(
    initial: OssCredentials,
    private readonly provider: CredentialsProvider | undefined,
    private readonly intervalMs = DEFAULT_REFRESH_INTERVAL_MS,
    private readonly now: () => number = Date.now
  ) {
    this.value = {
      accessKeyId: initial.accessKeyId.trim(),
      accessKeySecret: initial.accessKeySecret.trim(),
      stsToken: initial.stsToken?.trim() || undefined,
      expiresAt: parseExpiration(initial.expiration)
    }
    this.refreshedAt = now()
  }

  get current(): CurrentCredentials {
    return this.value
  }

  get canRefresh(): boolean {
    return this.provider !== undefined
  }

  /** Everything that must never appear in a message (current and replaced secrets). */
  secrets(): string[] {
    return [this.value.accessKeySecret, this.value.stsToken ?? '', ...this.previousSecrets].filter((s) => s !== '')
  }

  private due(): boolean {
    const now = this.now()
    if (now - this.refreshedAt >= this.intervalMs) return true
    return this.value.expiresAt !== undefined && this.value.expiresAt - now <= EXPIRY_MARGIN_MS
  }

  /** Returns credentials to sign with, refreshing first when due (or when `force`). */
  async fresh(force = false): Promise<CurrentCredentials> {
    if (!this.provider || (!force && !this.due())) return this.value
    if (!this.inflight) {
      const provider = this.provider
      this.inflight = (async () => {
        let result: unknown
        try {
          result = await provider()
        } catch (error) {
          const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? ''
          throw refreshFailed(redact(`refreshCredentials failed: ${reason}`, this.secrets()))
        }
        const next = normalizeCredentials(result)
        this.previousSecrets.splice(0, this.previousSecrets.length, this.value.accessKeySecret, ...(this.value.stsToken ? [this.value.stsToken] : []))
        this.value = next
        this.refreshedAt = this.now()
        return next
      })().finally(() => {
        this.inflight = undefined
      })
    }
    return this.inflight
  }
}
