/**
 * `preview:render` — the engine on a source from the bucket (capped at OSS's 20 MB) or from the
 * uploads, with watermark objects resolved in the same bucket and `style/NAME` resolved in the
 * library first, then in the bucket's styles. An upload has no bucket: its watermark objects and
 * bucket styles resolve through the active profile's default bucket.
 *
 * `maxSide` is a transport hint: the engine renders at full resolution (so every number the user
 * sees is OSS's), and only the returned image is scaled down to fit `maxSide`; width, height,
 * format and bytes stay those of the full-resolution result.
 */
import sharp from 'sharp'
import { ImgError, isImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { parseProcess } from '../../../src-shared/img/process'
import { inspectSource, orientedSize } from '../../engine/decode'
import { processImage } from '../../engine/executor'
import type { EngineResult, ObjectResolver, StyleResolver } from '../../engine/types'
import type { Handlers } from '../../ipc/router'
import { CLIENT_CODES, isOssError } from '../../services/oss'
import type { AppContext } from '../context'
import { AppError, raceAbort } from '../errors'
import type { OssConnection } from '../oss-connections'

/** Base64 of the contract's `imageData` limit (30 MiB of text). */
const MAX_TRANSPORT_CHARS = 30 * 1024 * 1024

/** What the renderer can show as is; anything else is sent as PNG when it is scaled down. */
const DISPLAYABLE: Readonly<Record<string, 'jpeg' | 'png' | 'webp' | 'gif' | 'avif'>> = { jpg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', avif: 'avif' }
const CONTENT_TYPE = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif' } as const

/** The output scaled to fit maxSide, for transport only. */
async function downsize(data: Buffer, format: string, maxSide: number): Promise<{ data: Buffer; contentType: string }> {
  const target = DISPLAYABLE[format] ?? 'png'
  const animated = target === 'gif' || target === 'webp'
  const scaled = sharp(data, { animated, limitInputPixels: false }).resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
  const out = target === 'jpeg' ? scaled.jpeg({ quality: 90 }) : target === 'webp' ? scaled.webp({ quality: 90 }) : target === 'avif' ? scaled.avif({ quality: 70 }) : target === 'gif' ? scaled.gif() : scaled.png()
  return { data: await out.toBuffer(), contentType: CONTENT_TYPE[target] }
}

export function previewHandlers(ctx: AppContext): Pick<Handlers, 'preview:render'> {
  return {
    'preview:render': async ({ source, process, maxSide }, { signal }) => {
      // The process string first: a typo costs no download (ImgError with OSS's code, EC and span).
      const parsed = parseProcess(process)
      const resizing = parsed.kind === 'image' && parsed.steps.some((s) => s.action === 'resize')

      let bytes: Buffer
      let bucket: () => Promise<OssConnection>
      if (source.kind === 'object') {
        const connection = await ctx.oss.get(source.profileId, source.bucket)
        bucket = async () => connection
        try {
          bytes = (await connection.service.getObject(source.key, { maxBytes: LIMITS.maxSourceBytes, signal })).content
        } catch (error) {
          if (isOssError(error) && error.code === CLIENT_CODES.objectTooLarge) {
            // OSS's own answer to a source over 20 MB (the engine's check, spec §2).
            throw new ImgError({ code: 'ImageTooLarge', ec: resizing ? '0040-00000009' : '0040-00000012', message: `image: expected a source of at most ${LIMITS.maxSourceBytes} bytes (20 MB) but received a larger object` })
          }
          throw error
        }
      } else {
        const upload = ctx.uploads.get(source.uploadId)
        if (!upload) throw new AppError('NoSuchUpload', `preview:render: no upload with id "${source.uploadId}" (never added, or evicted to make room); add the image again`)
        bytes = upload.bytes
        let active: Promise<OssConnection> | undefined
        bucket = () => (active ??= ctx.oss.get(ctx.vault.activeId))
      }

      // The engine turns a resolver's exception into an InternalError; the original (OSS's, the
      // library's) is kept here and reported instead.
      const resolverErrors: unknown[] = []
      const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
        try {
          return await work()
        } catch (error) {
          resolverErrors.push(error)
          throw error
        }
      }
      const objects: ObjectResolver = {
        get: (key) =>
          tracked(async () => {
            try {
              return (await (await bucket()).service.getObject(key, { maxBytes: LIMITS.maxSourceBytes, signal })).content
            } catch (error) {
              // Missing, or a key OSS would not accept: the engine's NoSuchKey for the watermark.
              if (isOssError(error) && (error.code === 'NoSuchKey' || (error.origin === 'client' && error.status === 400))) return undefined
              throw error
            }
          })
      }
      const styles: StyleResolver = {
        get: (name) =>
          tracked(async () => {
            const local = await ctx.library.find(name)
            if (local) return local.process
            try {
              return (await (await bucket()).service.getStyle(name, { signal })).content
            } catch (error) {
              if (isOssError(error) && error.code === 'NoSuchStyle') return undefined
              throw error
            }
          })
      }

      const started = performance.now()
      let result: EngineResult
      try {
        result = await raceAbort(processImage(bytes, process, { objects, styles, signal }), signal)
      } catch (error) {
        if (!signal.aborted && isImgError(error) && error.code === 'InternalError' && resolverErrors.length > 0) throw resolverErrors[0]
        throw error
      }
      const renderMs = Math.round((performance.now() - started) * 10) / 10

      // The original's size and (displayed, EXIF-oriented) dimensions, for "change against the original".
      const original = await inspectSource(bytes, false)
      const { width: sourceWidth, height: sourceHeight } = orientedSize(original, true)
      const sourceInfo = { sourceBytes: bytes.length, sourceWidth, sourceHeight, renderMs }

      if (result.kind === 'json') {
        return { kind: 'json' as const, data: result.body, contentType: result.contentType, bytes: Buffer.byteLength(result.body), ...sourceInfo }
      }
      let data = result.data
      let contentType = result.contentType
      if (maxSide !== undefined && Math.max(result.width, result.height) > maxSide) {
        signal.throwIfAborted()
        ;({ data, contentType } = await raceAbort(downsize(result.data, result.format, maxSide), signal))
      }
      const base64 = data.toString('base64')
      if (base64.length > MAX_TRANSPORT_CHARS) {
        throw new AppError('ResponseTooLarge', `preview:render: the result (${data.length} bytes) is too large to send to the window; ask for a smaller preview with maxSide`)
      }
      return {
        kind: 'image' as const,
        data: base64,
        contentType,
        width: result.width,
        height: result.height,
        format: result.format,
        bytes: result.data.length,
        ...sourceInfo
      }
    }
  }
}
