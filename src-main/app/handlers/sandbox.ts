/**
 * `sandbox:settings` / `sandbox:updateSettings` — the Local sandbox's bucket ACL and per-bucket IMG
 * settings (style delimiter, source-image protection and its rules), which OSS keeps in its console. Rules
 * travel as `PREFIX*SUFFIX` patterns (src-shared/model/image-settings.ts).
 */
import { formatProtectionRule, parseProtectionRule, type ImageSettings } from '../../../src-shared/model/image-settings'
import type { Handlers } from '../../ipc/router'
import type { BucketAcl } from '../../sandbox'
import { DEMO_BUCKET } from '../../services/vault'
import type { AppContext } from '../context'
import { AppError } from '../errors'

function view(bucket: string, buckets: readonly string[], acl: BucketAcl, settings: ImageSettings) {
  return {
    bucket,
    buckets: [...buckets],
    acl,
    ...(settings.styleDelimiter !== undefined ? { styleDelimiter: settings.styleDelimiter } : {}),
    sourceProtection: settings.sourceProtection === true,
    protectionRules: (settings.protectionRules ?? []).map(formatProtectionRule),
    protectionIgnoreCase: settings.protectionIgnoreCase === true
  }
}

export function sandboxHandlers(ctx: AppContext): Pick<Handlers, 'sandbox:settings' | 'sandbox:updateSettings'> {
  return {
    'sandbox:settings': async (request) => {
      const bucket = request.bucket ?? DEMO_BUCKET
      const { buckets } = await ctx.sandbox.ensureStarted()
      return view(bucket, buckets, await ctx.sandbox.bucketAcl(bucket), await ctx.sandbox.imageSettings(bucket))
    },
    'sandbox:updateSettings': async (request) => {
      const bucket = request.bucket ?? DEMO_BUCKET
      let rules
      try {
        rules = request.protectionRules?.map(parseProtectionRule)
      } catch (error) {
        throw new AppError('InvalidPayload', (error as Error).message)
      }
      const { buckets } = await ctx.sandbox.ensureStarted()
      if (request.acl !== undefined) await ctx.sandbox.setBucketAcl(bucket, request.acl)
      const settings = await ctx.sandbox.updateImageSettings(bucket, {
        ...(request.styleDelimiter !== undefined ? { styleDelimiter: request.styleDelimiter } : {}),
        ...(request.sourceProtection !== undefined ? { sourceProtection: request.sourceProtection } : {}),
        ...(rules !== undefined ? { protectionRules: rules } : {}),
        ...(request.protectionIgnoreCase !== undefined ? { protectionIgnoreCase: request.protectionIgnoreCase } : {})
      })
      return view(bucket, buckets, await ctx.sandbox.bucketAcl(bucket), settings)
    }
  }
}
