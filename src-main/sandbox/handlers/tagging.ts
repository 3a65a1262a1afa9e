/**
 * Object tagging: PutObjectTagging, GetObjectTagging, DeleteObjectTagging (`?tagging`), and the
 * `x-oss-tagging: k1=v1&k2=v2` header of PutObject / InitiateMultipartUpload. OSS's limits: at
 * most 10 tags per object, keys 1–128 characters, values at most 256, keys unique.
 */
import { bucketOf, keyOf, sendEmpty, sendXml, type RequestContext } from '../context'
import { Err, OssError } from '../errors'
import type { Route } from '../router'
import { asArray, parseXml, textOf } from '../xml'

const MAX_TAGS = 10

const invalidTag = (message: string) => new OssError({ status: 400, code: 'InvalidTag', message, ec: '0017-00000901' })

function checkTags(pairs: [string, string][]): Record<string, string> {
  if (pairs.length > MAX_TAGS) throw invalidTag(`Object tags cannot be greater than ${MAX_TAGS}`)
  const tags: Record<string, string> = {}
  for (const [key, value] of pairs) {
    if (key.length < 1 || key.length > 128) throw invalidTag('The tag key must be 1 to 128 characters long.')
    if (value.length > 256) throw invalidTag('The tag value must be at most 256 characters long.')
    if (key in tags) throw invalidTag(`The tag key ${key} is duplicated.`)
    tags[key] = value
  }
  return tags
}

/** `x-oss-tagging` (URL query form) → tags; undefined when absent. */
export function parseTaggingHeader(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined || value === '') return undefined
  const pairs: [string, string][] = []
  for (const part of value.split('&')) {
    if (part === '') continue
    const at = part.indexOf('=')
    try {
      pairs.push([decodeURIComponent(at < 0 ? part : part.slice(0, at)), decodeURIComponent(at < 0 ? '' : part.slice(at + 1))])
    } catch {
      throw Err.invalidArgument('The x-oss-tagging header is not correctly encoded.', { ArgumentName: 'x-oss-tagging', ArgumentValue: value })
    }
  }
  return checkTags(pairs)
}

function existing(ctx: RequestContext) {
  const key = keyOf(ctx)
  const meta = ctx.storage.headObject(bucketOf(ctx), key)
  if (!meta) throw Err.noSuchKey(key)
  return meta
}

async function putObjectTagging(ctx: RequestContext): Promise<void> {
  existing(ctx)
  const doc = parseXml(await ctx.readBody(64 * 1024)).Tagging
  if (!doc || typeof doc !== 'object') throw Err.malformedXml()
  const set = (doc as Record<string, unknown>).TagSet
  const entries = set && typeof set === 'object' ? asArray((set as Record<string, unknown>).Tag) : []
  const pairs = entries.map((entry): [string, string] => {
    const fields = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {}
    const key = textOf(fields.Key)
    if (key === undefined) throw Err.malformedXml()
    return [key, textOf(fields.Value) ?? '']
  })
  const tags = checkTags(pairs)
  await ctx.storage.updateObject(bucketOf(ctx), keyOf(ctx), (meta) => ({ ...meta, tags }))
  sendEmpty(ctx, 200)
}

async function getObjectTagging(ctx: RequestContext): Promise<void> {
  const meta = existing(ctx)
  sendXml(ctx, 'Tagging', { TagSet: { Tag: Object.entries(meta.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) } })
}

async function deleteObjectTagging(ctx: RequestContext): Promise<void> {
  existing(ctx)
  await ctx.storage.updateObject(bucketOf(ctx), keyOf(ctx), (meta) => ({ ...meta, tags: undefined }))
  sendEmpty(ctx, 204)
}

export const taggingRoutes: Route[] = [
  { name: 'PutObjectTagging', method: 'PUT', scope: 'object', subresource: 'tagging', access: 'owner', handler: putObjectTagging },
  { name: 'GetObjectTagging', method: 'GET', scope: 'object', subresource: 'tagging', access: 'owner', handler: getObjectTagging },
  { name: 'DeleteObjectTagging', method: 'DELETE', scope: 'object', subresource: 'tagging', access: 'owner', handler: deleteObjectTagging }
]
