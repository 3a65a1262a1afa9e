/**
 * One OssService per (profile, bucket), created from the vault's credentials on first use and
 * reused until the profile is updated or deleted. The credentials stay inside the service (and
 * the vault); nothing here keeps or returns a secret.
 */
import { OssService } from '../services/oss'
import { ossConfigFor, type Vault } from '../services/vault'

export interface OssConnection {
  readonly service: OssService
  readonly profileId: string
  readonly bucket: string
  /** The profile's custom domain, when the connection is to the profile's own bucket (a CNAME is bound to one bucket). */
  readonly customDomain: string | undefined
}

export interface OssConnections {
  /** `bucket` defaults to the profile's default bucket. Throws the vault's errors (NotFound, DecryptFailed…) or OssError (InvalidConfig). */
  get(profileId: string, bucket?: string): Promise<OssConnection>
  /** Drops the cached services of a profile (after an update or a delete). */
  invalidate(profileId: string): void
  clear(): void
}

export function createOssConnections(vault: Vault): OssConnections {
  // `${profileId}\0${bucket}`; the default bucket (known only from the credentials) is cached under ''.
  const cache = new Map<string, Promise<OssConnection>>()
  const keyOf = (profileId: string, bucket: string | undefined) => `${profileId}\0${bucket ?? ''}`

  const create = async (profileId: string, bucket: string | undefined): Promise<OssConnection> => {
    const credentials = await vault.credentialsFor(profileId)
    const target = bucket ?? credentials.bucket
    const service = new OssService(ossConfigFor(credentials, { bucket: target }))
    return { service, profileId, bucket: target, customDomain: target === credentials.bucket ? credentials.customDomain : undefined }
  }

  return {
    get(profileId, bucket) {
      const key = keyOf(profileId, bucket)
      const cached = cache.get(key)
      if (cached) return cached
      const attempt = create(profileId, bucket)
      cache.set(key, attempt)
      // A failure is not cached: the next call tries again (e.g. once the profile is repaired).
      attempt.catch(() => {
        if (cache.get(key) === attempt) cache.delete(key)
      })
      return attempt
    },
    invalidate(profileId) {
      const prefix = `${profileId}\0`
      for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key)
    },
    clear() {
      cache.clear()
    }
  }
}
