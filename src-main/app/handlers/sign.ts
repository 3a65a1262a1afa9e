/**
 * `sign:url` — a signed GET URL (V1 or V4) for an object, optionally processed: `image/...` or
 * `style/NAME` (the bucket's style; the service validates either and signs `x-oss-process`).
 * The profile's custom domain is used for its own bucket.
 */
import type { Handlers } from '../../ipc/router'
import type { AppContext } from '../context'

export function signHandlers(ctx: AppContext): Pick<Handlers, 'sign:url'> {
  return {
    'sign:url': async (request, { signal }) => {
      const { service, customDomain } = await ctx.oss.get(request.profileId, request.bucket)
      const signed = await service.signUrl({
        key: request.key,
        ...(request.process !== undefined && request.process !== '' ? { process: request.process } : {}),
        expiresSeconds: request.expiresSeconds,
        version: request.version,
        ...(request.contentDisposition !== undefined ? { response: { contentDisposition: request.contentDisposition } } : {}),
        ...(customDomain !== undefined ? { customDomain } : {}),
        signal
      })
      return { url: signed.url, expiresAt: signed.expiresAt }
    }
  }
}
