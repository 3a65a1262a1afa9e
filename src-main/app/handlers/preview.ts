/**
 * `preview:render` — the engine on a source from the bucket (capped at OSS's 20 MB) or from the
 * uploads, with watermark objects resolved in the same bucket and `style/NAME` resolved in the
 * library first, then in the bucket's styles. An upload has no bucket: its watermark objects and
 * bucket styles resolve through the active profile's default bucket.
 *
 * Rendering goes through the preview engine (engine/preview/): sources (and watermark objects)
 * are cached per ETag (re-checked with a HEAD after 10 s), full-resolution results per chain, and
 * `quality: 'interactive'` may render on a reduced-resolution proxy (a picture only). `maxSide` is
 * a transport hint: width, height, format and bytes stay those of the full-resolution result.
 *
 * `via: 'oss'` (objects only): OSS's own result, fetched through a signed URL of the same process,
 * with `comparison` measuring it against the local engine's full-resolution result.
 */
import { ImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { parseProcess } from '../../../src-shared/img/process'
import { orientedSize } from '../../engine/decode'
import { createPreviewEngine, imageFacts, measureDifference, transportImage, type PreviewEngine, type PreviewSource } from '../../engine/preview'
import type { EngineResult, ObjectResolver, PlacedMark, StyleResolver } from '../../engine/types'
import type { Handlers } from '../../ipc/router'
import { CLIENT_CODES, isOssError, OssError } from '../../services/oss'
import type { AppContext } from '../context'
import { raceAbort } from '../../util/abort'
import { AppError } from '../errors'
import type { OssConnection } from '../oss-connections'

/** Base64 of the contract's `imageData` limit (30 MiB of text). */
const MAX_TRANSPORT_CHARS = 30 * 1024 * 1024
/** What OSS's processed answer may weigh before we stop reading it. */
const MAX_OSS_RESULT_BYTES = 22 * 1024 * 1024
const SIGNED_URL_SECONDS = 300

function toBase64(data: Buffer): string {
  const base64 = data.toString('base64')
  if (base64.length > MAX_TRANSPORT_CHARS) {
    throw new AppError('ResponseTooLarge', `preview:render: the result (${data.length} bytes) is too large to send to the window; ask for a smaller preview with maxSide`)
  }
  return base64
}

/** The bucket object as a cacheable preview source (versioned by ETag). */
function objectSource(connection: OssConnection, key: string, tooLarge: () => ImgError): PreviewSource {
  return {
    id: `object:${connection.profileId}\0${connection.bucket}\0${key}`,
    async load(signal) {
      try {
        const object = await connection.service.getObject(key, { maxBytes: LIMITS.maxSourceBytes, signal })
        return { bytes: object.content, version: object.etag || `${object.content.length}:${object.lastModified}` }
      } catch (error) {
        // OSS's own answer to a source over 20 MB (the engine's check, spec §2).
        if (isOssError(error) && error.code === CLIENT_CODES.objectTooLarge) throw tooLarge()
        throw error
      }
    },
    async check(signal) {
      const head = await connection.service.headObject(key, { signal })
      return head.etag || `${head.size}:${head.lastModified}`
    }
  }
}

/** OSS's error XML (Code, Message, RequestId, EC) as an OssError. */
function ossErrorFrom(status: number, body: string, headers: Headers): OssError {
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1]
  return new OssError({
    code: field('Code') ?? (status === 404 ? 'NoSuchKey' : 'UnknownError'),
    status,
    message: (field('Message') ?? `OSS answered HTTP ${status}`).slice(0, 1024),
    origin: 'server',
    requestId: field('RequestId') ?? headers.get('x-oss-request-id') ?? undefined,
    ec: field('EC') ?? headers.get('x-oss-ec') ?? undefined,
    operation: 'compareWithOss'
  })
}

async function fetchSigned(url: string, signal: AbortSignal): Promise<{ bytes: Buffer; contentType: string; fetchMs: number }> {
  const started = performance.now()
  let response: Response
  try {
    response = await fetch(url, { signal, redirect: 'error' })
  } catch (error) {
    if (signal.aborted) throw error
    throw new OssError({ code: CLIENT_CODES.requestError, status: -1, message: `compareWithOss: could not reach OSS (${(error as Error)?.message?.split('\n')[0] ?? 'network error'})`, origin: 'network', operation: 'compareWithOss' })
  }
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > MAX_OSS_RESULT_BYTES) {
    await response.body?.cancel()
    throw new OssError({ code: CLIENT_CODES.objectTooLarge, status: 0, message: `compareWithOss: expected at most ${MAX_OSS_RESULT_BYTES} bytes but OSS's result has ${declared}`, origin: 'client', operation: 'compareWithOss' })
  }
  const bytes = Buffer.from(await response.arrayBuffer())
  if (!response.ok) throw ossErrorFrom(response.status, bytes.toString('utf8', 0, 8192), response.headers)
  return { bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream', fetchMs: Math.round((performance.now() - started) * 10) / 10 }
}

/** The contract carries at most 64 marks (a chain has at most a few watermark steps). */
const marksOf = (marks: readonly PlacedMark[]) => (marks.length > 0 ? { marks: marks.slice(0, 64) } : {})

export function previewHandlers(ctx: AppContext, preview: PreviewEngine = createPreviewEngine()): Pick<Handlers, 'preview:render'> {
  return {
    'preview:render': async ({ source, process, maxSide, quality, via }, { signal }) => {
      // The process string first: a typo costs no download (ImgError with OSS's code, EC and span).
      const parsed = parseProcess(process)
      const resizing = parsed.kind === 'image' && parsed.steps.some((s) => s.action === 'resize')
      const tooLarge = () =>
        new ImgError({ code: 'ImageTooLarge', ec: resizing ? '0040-00000009' : '0040-00000012', message: `image: expected a source of at most ${LIMITS.maxSourceBytes} bytes (20 MB) but received a larger object` })

      let main: PreviewSource
      let bucket: () => Promise<OssConnection>
      let own: OssConnection | undefined
      if (source.kind === 'object') {
        const connection = await ctx.oss.get(source.profileId, source.bucket)
        own = connection
        bucket = async () => connection
        main = objectSource(connection, source.key, tooLarge)
      } else {
        if (via === 'oss') throw new AppError('NotSupported', 'preview:render: an upload is not in a bucket, so OSS cannot render it; compare a bucket object instead')
        const upload = ctx.uploads.get(source.uploadId)
        if (!upload) throw new AppError('NoSuchUpload', `preview:render: no upload with id "${source.uploadId}" (never added, or evicted to make room); add the image again`)
        // An upload id names fixed bytes: no version to check.
        main = { id: `upload:${source.uploadId}`, load: async () => ({ bytes: upload.bytes, version: String(upload.bytes.length) }) }
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
              const watermark = objectSource(await bucket(), key, () => new ImgError({ code: 'ImageTooLarge', message: `watermark: expected an image of at most ${LIMITS.maxSourceBytes} bytes` }))
              return (await preview.source(watermark, signal)).bytes
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

      const render = async (mode: 'interactive' | 'final', side: number | undefined) => {
        try {
          // Only the live preview (which says which quality it wants) fills the caches: one-off
          // renders (bucket thumbnails) use them but must not evict the image being edited.
          return await preview.render({ source: main, process: parsed, engine: { objects, styles }, quality: mode, maxSide: side, signal, store: quality !== undefined || via === 'oss' })
        } catch (error) {
          if (!signal.aborted && error instanceof ImgError && error.code === 'InternalError' && resolverErrors.length > 0) throw resolverErrors[0]
          throw error
        }
      }

      if (via === 'oss') {
        // OSS's own answer for the same string, through a signed URL, next to the local one.
        const connection = own!
        const local = await render('final', maxSide)
        if (local.result.kind !== 'image') throw new AppError('NotSupported', 'preview:render: Compare with OSS measures images; this process string answers JSON')
        const signed = await connection.service.signUrl({
          key: (source as { key: string }).key,
          process,
          expiresSeconds: SIGNED_URL_SECONDS,
          ...(connection.customDomain !== undefined ? { customDomain: connection.customDomain } : {}),
          signal
        })
        const fetched = await fetchSigned(signed.url, signal)
        const [difference, { width, height, format }] = await raceAbort(Promise.all([measureDifference(local.result.data, fetched.bytes), imageFacts(fetched.bytes)]), signal)
        const shown = await raceAbort(transportImage(fetched.bytes, format, fetched.contentType, width, height, maxSide), signal)
        const { width: sourceWidth, height: sourceHeight } = orientedSize(local.source.info, true)
        return {
          kind: 'image' as const,
          data: toBase64(shown.data),
          contentType: shown.contentType,
          width,
          height,
          format,
          bytes: fetched.bytes.length,
          sourceBytes: local.source.bytes,
          sourceWidth,
          sourceHeight,
          sourceFormat: local.source.info.format,
          renderMs: fetched.fetchMs,
          quality: 'final' as const,
          comparison: {
            local: { width: local.result.width, height: local.result.height, format: local.result.format, bytes: local.result.data.length, renderMs: local.renderMs },
            ...difference
          }
        }
      }

      const out = await render(quality ?? 'final', maxSide)
      // The original's size and (displayed, EXIF-oriented) dimensions, for "change against the original".
      const { width: sourceWidth, height: sourceHeight } = orientedSize(out.source.info, true)
      const sourceInfo = { sourceBytes: out.source.bytes, sourceWidth, sourceHeight, sourceFormat: out.source.info.format, renderMs: out.renderMs, quality: out.quality }
      const result: EngineResult = out.result
      if (result.kind === 'json') {
        return { kind: 'json' as const, data: result.body, contentType: result.contentType, bytes: Buffer.byteLength(result.body), ...sourceInfo }
      }
      const transport = out.transport ?? { data: result.data, contentType: result.contentType }
      if (out.quality === 'interactive') {
        // The picture and the size it stands for (the engine's geometry at full resolution); format
        // and bytes come with the final render.
        return { kind: 'image' as const, data: toBase64(transport.data), contentType: transport.contentType, width: out.size?.width, height: out.size?.height, bytes: 0, ...sourceInfo, ...marksOf(out.marks) }
      }
      return {
        kind: 'image' as const,
        data: toBase64(transport.data),
        contentType: transport.contentType,
        width: result.width,
        height: result.height,
        format: result.format,
        bytes: result.data.length,
        ...sourceInfo,
        ...(result.warnings ? { warnings: [...result.warnings] } : {}),
        ...marksOf(out.marks)
      }
    }
  }
}
