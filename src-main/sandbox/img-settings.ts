/**
 * Per-bucket IMG settings, kept as bucket side data (`side/image.json`), and source-image
 * protection (原图保护, spec oss-img.md §7): when a bucket has it on, anonymous requests may only
 * read images through a style (`?x-oss-process=style/NAME`); raw GETs/HEADs and
 * `?x-oss-process=image/...` answer 403 AccessDenied, EC 0040-00000031. Signed requests (V1/V4,
 * STS) are never affected.
 *
 * Sandbox simplification: OSS scopes protection with up to 10 prefix/suffix rules; here it covers
 * every object of the bucket. It is switched on with `startSandbox({ buckets: [{ name,
 * sourceProtection: true }] })` (seed.ts) or `oss-img sandbox --source-protection`; there is no
 * OSS API for it (OSS configures it in the console).
 */
import type { RequestContext } from './context'
import { OssError } from './errors'
import type { Route } from './router'
import type { Storage } from './storage'

export const IMAGE_SETTINGS_FILE = 'image.json'

export interface ImageSettings {
  /** Source-image protection: anonymous requests may only use styles. */
  sourceProtection?: boolean
}

export async function readImageSettings(storage: Storage, bucket: string): Promise<ImageSettings> {
  return (await storage.readBucketJson<ImageSettings>(bucket, IMAGE_SETTINGS_FILE)) ?? {}
}

export async function setSourceProtection(storage: Storage, bucket: string, enabled: boolean): Promise<void> {
  await storage.updateBucketJson<ImageSettings>(bucket, IMAGE_SETTINGS_FILE, (current = {}) => ({ ...current, sourceProtection: enabled }))
}

/** 403 for an anonymous non-style read of a protected bucket (the message OSS sends, ali-oss #672). */
export function sourceProtected(): OssError {
  return new OssError({ status: 403, code: 'AccessDenied', message: 'The channel can be only accessed using style.', ec: '0040-00000031' })
}

/** Throws `sourceProtected()` when an anonymous caller reads a protected bucket without a style. */
export async function assertSourceAccess(ctx: RequestContext, viaStyle: boolean): Promise<void> {
  if (!ctx.principal.anonymous || viaStyle || ctx.bucket === undefined) return
  if ((await readImageSettings(ctx.storage, ctx.bucket)).sourceProtection === true) throw sourceProtected()
}

const RAW_READS = ['GetObject', 'HeadObject']

/** Wraps the plain GetObject/HeadObject routes so protected buckets refuse anonymous raw reads. */
export function withSourceProtection(routes: readonly Route[]): Route[] {
  const wrapped = routes.map((route) =>
    RAW_READS.includes(route.name) && route.scope === 'object'
      ? {
          ...route,
          handler: async (ctx: RequestContext) => {
            await assertSourceAccess(ctx, false)
            await route.handler(ctx)
          }
        }
      : route
  )
  // A renamed core route must not silently switch protection off.
  for (const name of RAW_READS) if (!routes.some((r) => r.name === name)) throw new Error(`withSourceProtection: no ${name} route to protect`)
  return wrapped
}
