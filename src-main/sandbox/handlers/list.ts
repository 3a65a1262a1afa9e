/** ListObjects (V1, `GET /<bucket>/`) and ListObjectsV2 (`GET /<bucket>/?list-type=2`). */
import { bucketOf, sendXml, type RequestContext } from '../context'
import { Err } from '../errors'
import { MAX_KEY_BYTES } from '../names'
import type { Route } from '../router'
import type { ObjectMeta } from '../storage'
import { restoreInfo } from './storage-class'

/** `max-keys`: an integer 0–1000 (OSS), default `fallback`. */
export function parseMaxKeys(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  if (!/^\d+$/.test(value) || Number(value) > 1000) {
    throw Err.invalidArgument('Argument max-keys must be an integer between 0 and 1000.', { ArgumentName: 'max-keys', ArgumentValue: value })
  }
  return Number(value)
}

function parseEncoding(ctx: RequestContext): boolean {
  const encoding = ctx.query.get('encoding-type')
  if (encoding === undefined || encoding === '') return false
  if (encoding !== 'url') throw Err.invalidArgument('The encoding-type must be url.', { ArgumentName: 'encoding-type', ArgumentValue: encoding })
  return true
}

function checkPrefix(name: string, value: string): void {
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) throw Err.invalidArgument(`Argument ${name} is too long.`, { ArgumentName: name, ArgumentValue: value.slice(0, 64) })
}

function contents(ctx: RequestContext, objects: ObjectMeta[], encode: (s: string) => string, withOwner: boolean) {
  return objects.map((o) => ({
    Key: encode(o.key),
    LastModified: new Date(o.lastModified).toISOString(),
    ETag: `"${o.etag}"`,
    Type: o.type,
    Size: o.size,
    StorageClass: o.storageClass,
    RestoreInfo: restoreInfo(o),
    Owner: withOwner ? { ID: ctx.server.owner.id, DisplayName: ctx.server.owner.displayName } : undefined
  }))
}

const identity = (s: string) => s
const urlEncode = (s: string) => encodeURIComponent(s)

async function listObjects(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const prefix = ctx.query.get('prefix') ?? ''
  const marker = ctx.query.get('marker') ?? ''
  const delimiter = ctx.query.get('delimiter') ?? ''
  const maxKeys = parseMaxKeys(ctx.query.get('max-keys'), 100)
  const url = parseEncoding(ctx)
  checkPrefix('prefix', prefix)
  checkPrefix('marker', marker)
  const enc = url ? urlEncode : identity
  const page = ctx.storage.listObjects(bucket, { prefix, delimiter, after: marker, maxKeys })
  sendXml(ctx, 'ListBucketResult', {
    Name: bucket,
    Prefix: enc(prefix),
    Marker: enc(marker),
    MaxKeys: maxKeys,
    Delimiter: enc(delimiter),
    EncodingType: url ? 'url' : undefined,
    IsTruncated: page.truncated,
    NextMarker: page.next !== undefined ? enc(page.next) : undefined,
    Contents: contents(ctx, page.objects, enc, true),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) }))
  })
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8')
  if (token === '' || Buffer.from(key, 'utf8').toString('base64url') !== token) {
    throw Err.invalidArgument('The continuation token provided is incorrect.', { ArgumentName: 'continuation-token', ArgumentValue: token })
  }
  return key
}

async function listObjectsV2(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const prefix = ctx.query.get('prefix') ?? ''
  const delimiter = ctx.query.get('delimiter') ?? ''
  const startAfter = ctx.query.get('start-after') ?? ''
  const token = ctx.query.get('continuation-token')
  const maxKeys = parseMaxKeys(ctx.query.get('max-keys'), 100)
  const url = parseEncoding(ctx)
  const fetchOwner = ctx.query.get('fetch-owner') === 'true'
  checkPrefix('prefix', prefix)
  checkPrefix('start-after', startAfter)
  const enc = url ? urlEncode : identity
  const after = token !== undefined && token !== '' ? decodeToken(token) : startAfter
  const page = ctx.storage.listObjects(bucket, { prefix, delimiter, after, maxKeys })
  sendXml(ctx, 'ListBucketResult', {
    Name: bucket,
    Prefix: enc(prefix),
    StartAfter: ctx.query.has('start-after') ? enc(startAfter) : undefined,
    ContinuationToken: token !== undefined && token !== '' ? token : undefined,
    MaxKeys: maxKeys,
    Delimiter: enc(delimiter),
    EncodingType: url ? 'url' : undefined,
    IsTruncated: page.truncated,
    NextContinuationToken: page.next !== undefined ? Buffer.from(page.next, 'utf8').toString('base64url') : undefined,
    KeyCount: page.objects.length + page.prefixes.length,
    Contents: contents(ctx, page.objects, enc, fetchOwner),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) }))
  })
}

export const listRoutes: Route[] = [
  { name: 'ListObjectsV2', method: 'GET', scope: 'bucket', when: (r) => r.query.get('list-type') === '2', access: 'read', handler: listObjectsV2 },
  { name: 'ListObjects', method: 'GET', scope: 'bucket', access: 'read', handler: listObjects }
]
