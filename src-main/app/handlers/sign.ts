/**
 * `sign:url` — a signed GET URL (V1 or V4) for an object, optionally processed: `image/...` or
 * `style/NAME` (the bucket's style; the service validates either and signs `x-oss-process`).
 * The profile's custom domain is used for its own bucket unless `useCustomDomain: false`.
 *
 * `sign:check` — the bucket's source-image protection as the public meets it on one object
 * (an anonymous probe, services/oss/probe.ts): `on`, `off` or `unknown`.
 */
import type { Handlers } from '../../ipc/router'
import type { AppContext } from '../context'

export function signHandlers(ctx: AppContext): Pick<Handlers, 'sign:url' | 'sign:check'> {
  return {
    'sign:url': async (request, { signal }) => {
      const { service, customDomain } = await ctx.oss.get(request.profileId, request.bucket)
      const signed = await service.signUrl({
        key: request.key,
        ...(request.process !== undefined && request.process !== '' ? { process: request.process } : {}),
        expiresSeconds: request.expiresSeconds,
        version: request.version,
        ...(request.contentDisposition !== undefined ? { response: { contentDisposition: request.contentDisposition } } : {}),
        ...(customDomain !== undefined && request.useCustomDomain !== false ? { customDomain } : {}),
        signal
      })
      return { url: signed.url, expiresAt: signed.expiresAt }
    },

    'sign:check': async (request, { signal }) => {
      const { service } = await ctx.oss.get(request.profileId, request.bucket)
      const probe = await service.probeSourceProtection(request.key, { signal })
      return {
        sourceProtection: probe.sourceProtection,
        status: probe.status,
        ...(probe.code !== undefined ? { code: probe.code.slice(0, 64) } : {}),
        ...(probe.ec !== undefined ? { ec: probe.ec.slice(0, 32) } : {})
      }
    }
  }
}
