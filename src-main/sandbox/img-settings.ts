/**
 * Per-bucket IMG settings (src-shared/model/image-settings.ts), kept as bucket side data
 * (`side/image.json`): the style delimiter and source-image protection (原图保护, spec oss-img.md
 * §7). OSS configures both in its console (no API); here they come from `startSandbox({ buckets:
 * [{ name, styleDelimiter, sourceProtection, protectionRules }] })` (seed.ts), `oss-img sandbox
 * --style-delimiter / --source-protection / --protect-rule`, or `Sandbox.updateImageSettings`.
 *
 * Protection: anonymous requests may only read covered objects through a style (query or
 * delimiter form); raw GETs/HEADs and `?x-oss-process=image/...` answer 403 AccessDenied, EC
 * 0040-00000031. Rules (prefix and/or suffix, up to 10, optionally case-insensitive) narrow which
 * objects are covered; without rules every object is. Signed requests (V1/V4, STS) are never affected.
 */
import { imageSettingsProblems, isProtectedKey, type ImageSettings, type ImageSettingsPatch } from '../../src-shared/model/image-settings'
import type { RequestContext } from './context'
import { Err, OssError } from './errors'
import type { Route } from './router'
import type { Storage } from './storage'

export type { ImageSettings } from '../../src-shared/model/image-settings'

export const IMAGE_SETTINGS_FILE = 'image.json'

export async function readImageSettings(storage: Storage, bucket: string): Promise<ImageSettings> {
  return (await storage.readBucketJson<ImageSettings>(bucket, IMAGE_SETTINGS_FILE)) ?? {}
}

/** Merge `patch` into the bucket's settings (absent fields are kept, `null` clears one); 400 InvalidArgument when invalid. */
export async function updateImageSettings(storage: Storage, bucket: string, patch: ImageSettingsPatch): Promise<ImageSettings> {
  return storage.updateBucketJson<ImageSettings>(bucket, IMAGE_SETTINGS_FILE, (current = {}) => {
    const next: Record<string, unknown> = { ...current }
    for (const [name, value] of Object.entries(patch)) {
      if (value === null) delete next[name]
      else if (value !== undefined) next[name] = value
    }
    const problems = imageSettingsProblems(next)
    if (problems.length > 0) throw Err.invalidArgument(problems.join('; '))
    return next as ImageSettings
  })
}

export async function setSourceProtection(storage: Storage, bucket: string, enabled: boolean): Promise<void> {
  await updateImageSettings(storage, bucket, { sourceProtection: enabled })
}

/** 403 for an anonymous non-style read of a protected object (the message OSS sends, ali-oss #672). */
export function sourceProtected(): OssError {
  return new OssError({ status: 403, code: 'AccessDenied', message: 'The channel can be only accessed using style.', ec: '0040-00000031' })
}

/** Throws `sourceProtected()` when an anonymous caller reads a protected object without a style. */
export async function assertSourceAccess(ctx: RequestContext, viaStyle: boolean): Promise<void> {
  if (!ctx.principal.anonymous || viaStyle || ctx.bucket === undefined || ctx.key === undefined) return
  if (isProtectedKey(await readImageSettings(ctx.storage, ctx.bucket), ctx.key)) throw sourceProtected()
}

const STYLE_NAME = /^[A-Za-z0-9_.-]{1,63}$/

/**
 * The delimiter form `<key><delim><style>` (spec §7) of a key that is not itself an object: the
 * source key and the style, or undefined. An existing object of the full key is served as is (a
 * project decision: OSS documents no precedence). Otherwise the split is tried at each delimiter
 * from the right (style names may contain `-`, `_` and `.`); the first whose left part is an
 * object wins, so a missing style answers NoSuchStyle rather than NoSuchKey.
 */
export async function delimiterForm(storage: Storage, bucket: string, key: string): Promise<{ key: string; style: string } | undefined> {
  if (storage.headObject(bucket, key)) return undefined
  const delimiter = (await readImageSettings(storage, bucket)).styleDelimiter
  if (delimiter === undefined) return undefined
  for (let at = key.lastIndexOf(delimiter); at > 0; at = key.lastIndexOf(delimiter, at - 1)) {
    const style = key.slice(at + 1)
    if (!STYLE_NAME.test(style)) break
    const source = key.slice(0, at)
    if (storage.headObject(bucket, source)) return { key: source, style }
  }
  return undefined
}

const RAW_READS = ['GetObject', 'HeadObject']

export function isRawRead(route: Route): boolean {
  return RAW_READS.includes(route.name) && route.scope === 'object'
}

/** Wraps the plain GetObject/HeadObject routes so protected objects refuse anonymous raw reads. */
export function withSourceProtection(routes: readonly Route[]): Route[] {
  const wrapped = routes.map((route) =>
    isRawRead(route)
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
