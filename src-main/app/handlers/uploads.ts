/** `uploads:add` — a local image for previews, kept in memory (uploads.ts). */
import type { Handlers } from '../../ipc/router'
import type { AppContext } from '../context'
import { decodeBase64 } from '../uploads'

export function uploadHandlers(ctx: AppContext): Pick<Handlers, 'uploads:add'> {
  return {
    'uploads:add': async ({ name, data }, { signal }) => {
      const bytes = decodeBase64(data)
      signal.throwIfAborted()
      const upload = await ctx.uploads.add(name, bytes)
      return { uploadId: upload.id, bytes: upload.bytes.length }
    }
  }
}
