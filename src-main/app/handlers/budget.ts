/**
 * `budget:solve` — the byte-budget solver (services/budget) on the studio's samples: chosen bucket
 * objects and uploads, or the first images under a bucket prefix (each capped at OSS's 20 MB).
 * `style/NAME` resolves in the style library first, then in the samples' bucket; watermark objects
 * resolve in that bucket (the active profile's default bucket for uploads only). Progress goes out
 * as `budget:progress`; cancelling the request stops the solver.
 */
import { ImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { BUDGET_SAMPLES_MAX } from '../../../src-shared/model/budget'
import type { ObjectResolver, StyleResolver } from '../../engine/types'
import type { Handlers } from '../../ipc/router'
import { solveBudget, type BudgetSample } from '../../services/budget'
import { CLIENT_CODES, isOssError } from '../../services/oss'
import type { AppContext } from '../context'
import { AppError } from '../errors'
import type { OssConnection } from '../oss-connections'

/** What a prefix's listing counts as an image (by name: a listing has no content types). */
const IMAGE_KEY = /\.(jpe?g|png|webp|gif|tiff?|heic|heif|avif|bmp)$/i
const DEFAULT_PREFIX_LIMIT = 50

async function objectBytes(connection: OssConnection, key: string, signal: AbortSignal): Promise<Buffer> {
  try {
    return (await connection.service.getObject(key, { maxBytes: LIMITS.maxSourceBytes, signal })).content
  } catch (error) {
    if (isOssError(error) && error.code === CLIENT_CODES.objectTooLarge) throw new ImgError({ code: 'ImageTooLarge', message: `sample ${key}: expected a source of at most ${LIMITS.maxSourceBytes} bytes (20 MB)` })
    throw error
  }
}

export function budgetHandlers(ctx: AppContext): Pick<Handlers, 'budget:solve'> {
  return {
    'budget:solve': async (request, { signal }) => {
      const samples: BudgetSample[] = []
      let bucket: OssConnection | undefined
      if (request.samples.kind === 'prefix') {
        const { profileId, prefix } = request.samples
        const limit = request.samples.limit ?? DEFAULT_PREFIX_LIMIT
        bucket = await ctx.oss.get(profileId, request.samples.bucket)
        const keys: string[] = []
        for await (const page of bucket.service.listAllObjects({ prefix, maxKeys: 1000, signal })) {
          for (const object of page.objects) if (IMAGE_KEY.test(object.key) && keys.length < limit) keys.push(object.key)
          if (keys.length >= limit) break
        }
        if (keys.length === 0) throw new AppError('NoSamples', `budget:solve: no images (by file extension) under the prefix ${JSON.stringify(prefix)}`)
        for (const key of keys) samples.push({ name: key, bytes: await objectBytes(bucket, key, signal) })
      } else {
        for (const source of request.samples.sources.slice(0, BUDGET_SAMPLES_MAX)) {
          if (source.kind === 'upload') {
            const upload = ctx.uploads.get(source.uploadId)
            if (!upload) throw new AppError('NoSuchUpload', `budget:solve: no upload with id "${source.uploadId}" (never added, or evicted to make room); add the image again`)
            samples.push({ name: upload.name, bytes: upload.bytes })
          } else {
            const connection = await ctx.oss.get(source.profileId, source.bucket)
            bucket ??= connection
            samples.push({ name: source.key, bytes: await objectBytes(connection, source.key, signal) })
          }
        }
      }
      let active: Promise<OssConnection> | undefined
      const connection = () => (bucket ? Promise.resolve(bucket) : (active ??= ctx.oss.get(ctx.vault.activeId)))
      const objects: ObjectResolver = {
        get: async (key) => {
          try {
            return await objectBytes(await connection(), key, signal)
          } catch (error) {
            if (isOssError(error) && error.code === 'NoSuchKey') return undefined
            throw error
          }
        }
      }
      const styles: StyleResolver = {
        get: async (name) => {
          const local = await ctx.library.find(name)
          if (local) return local.process
          try {
            return (await (await connection()).service.getStyle(name, { signal })).content
          } catch (error) {
            if (isOssError(error) && error.code === 'NoSuchStyle') return undefined
            throw error
          }
        }
      }
      const results = await solveBudget({
        process: request.process,
        samples,
        budgetBytes: request.budgetBytes,
        measure: request.measure,
        formats: request.formats,
        engine: { objects, styles },
        signal,
        onProgress: ({ done, total, format }) => ctx.emit('budget:progress', { solveId: request.solveId, done, total, format })
      })
      return { results, samples: samples.length }
    }
  }
}
