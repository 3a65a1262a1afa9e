/** `objects:list` — one ListObjectsV2 page through the profile's OSS service. */
import type { Handlers } from '../../ipc/router'
import type { AppContext } from '../context'

export function objectHandlers(ctx: AppContext): Pick<Handlers, 'objects:list'> {
  return {
    'objects:list': async (request, { signal }) => {
      const { service } = await ctx.oss.get(request.profileId, request.bucket)
      const page = await service.listObjects({
        prefix: request.prefix,
        delimiter: request.delimiter,
        continuationToken: request.continuationToken,
        maxKeys: request.maxKeys,
        signal
      })
      return {
        objects: page.objects.map((o) => ({
          key: o.key,
          size: o.size,
          lastModified: o.lastModified,
          ...(o.etag ? { etag: o.etag } : {}),
          ...(o.contentType ? { contentType: o.contentType } : {})
        })),
        prefixes: [...page.prefixes],
        ...(page.nextContinuationToken !== undefined ? { nextContinuationToken: page.nextContinuationToken } : {})
      }
    }
  }
}
