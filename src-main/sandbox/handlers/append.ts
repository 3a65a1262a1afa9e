/**
 * AppendObject (`POST /<bucket>/<key>?append&position=N`). The first append (position 0) makes an
 * `Appendable` object; each next one must name its current length (`x-oss-next-append-position`),
 * else 409 PositionNotEqualToLength with the right position in the header. A `Normal` or
 * `Multipart` object cannot be appended to (409 ObjectNotAppendable). Appends to one key are
 * serialised; each writes a new whole blob (old bytes + new), committed atomically like a put.
 */
import { Readable } from 'node:stream'
import { bucketOf, keyOf, sendEmpty, type RequestContext } from '../context'
import { Err, OssError } from '../errors'
import type { Route } from '../router'
import type { Storage } from '../storage'
import { attributesFromRequest } from './objects'
import { parseStorageClass } from './storage-class'
import { parseTaggingHeader } from './tagging'

const AppendErr = {
  positionNotEqualToLength: (next: number) =>
    new OssError({
      status: 409,
      code: 'PositionNotEqualToLength',
      message: 'Position is not equal to file length',
      ec: '0026-00000016',
      headers: { 'x-oss-next-append-position': String(next) }
    }),
  notAppendable: () => new OssError({ status: 409, code: 'ObjectNotAppendable', message: 'The object is not appendable', ec: '0026-00000017' })
}

const tails = new WeakMap<Storage, Map<string, Promise<unknown>>>()

/** Run `fn` after every earlier append to the same key of the same store. */
function serialised<T>(storage: Storage, id: string, fn: () => Promise<T>): Promise<T> {
  let map = tails.get(storage)
  if (!map) tails.set(storage, (map = new Map()))
  const previous = map.get(id) ?? Promise.resolve()
  const run = previous.then(fn, fn)
  const tail = run.catch(() => undefined)
  map.set(id, tail)
  void tail.then(() => {
    if (map.get(id) === tail) map.delete(id)
  })
  return run
}

async function appendObject(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const key = keyOf(ctx)
  const positionText = ctx.query.get('position') ?? ''
  if (!/^\d+$/.test(positionText)) throw Err.invalidArgument('The position must be a non-negative integer.', { ArgumentName: 'position', ArgumentValue: positionText })
  const position = Number(positionText)
  const declared = ctx.header('content-length')
  const meta = await serialised(ctx.storage, `${bucket}\n${key}`, async () => {
    const current = ctx.storage.headObject(bucket, key)
    if (current && current.type !== 'Appendable') throw AppendErr.notAppendable()
    const length = current?.size ?? 0
    if (position !== length) throw AppendErr.positionNotEqualToLength(length)
    const opened = current ? await ctx.storage.openObject(bucket, key) : undefined
    const head = opened?.stream
    const body = Readable.from(
      (async function* () {
        if (head) yield* head
        yield* ctx.req
      })()
    )
    try {
      // The first append sets the object's attributes; later ones keep them.
      const attributes = current ? { contentType: current.contentType, userMeta: current.userMeta, headers: current.headers } : attributesFromRequest(ctx)
      return await ctx.storage.putObject(bucket, key, body, {
        ...attributes,
        type: 'Appendable',
        storageClass: current?.storageClass ?? parseStorageClass(ctx.header('x-oss-storage-class')),
        tags: current ? current.tags : parseTaggingHeader(ctx.header('x-oss-tagging')),
        contentLength: declared !== undefined ? length + Number(declared) : undefined
      })
    } finally {
      head?.destroy()
    }
  })
  sendEmpty(ctx, 200, { ETag: `"${meta.etag}"`, 'x-oss-next-append-position': String(meta.size) })
}

export const appendRoutes: Route[] = [{ name: 'AppendObject', method: 'POST', scope: 'object', subresource: 'append', access: 'write', handler: appendObject }]
