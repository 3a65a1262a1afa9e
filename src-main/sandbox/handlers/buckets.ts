/** Service- and bucket-level operations: ListBuckets, PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation. */
import { bucketOf, sendBytes, sendEmpty, sendXml, type RequestContext } from '../context'
import { Err } from '../errors'
import { compareKeys } from '../names'
import type { Route } from '../router'
import { BUCKET_ACLS, type BucketAcl, type BucketRecord } from '../storage'
import { parseXml, textOf, toXmlText } from '../xml'
import { parseMaxKeys } from './list'
import { STORAGE_CLASSES } from './storage-class'


export function parseAcl(value: string | undefined): BucketAcl | undefined {
  if (value === undefined) return undefined
  if (!(BUCKET_ACLS as readonly string[]).includes(value)) throw Err.invalidArgument('no such bucket access control exists', { ArgumentName: 'x-oss-acl', ArgumentValue: value })
  return value as BucketAcl
}

function owner(ctx: RequestContext) {
  return { ID: ctx.server.owner.id, DisplayName: ctx.server.owner.displayName }
}

async function listBuckets(ctx: RequestContext): Promise<void> {
  const prefix = ctx.query.get('prefix') ?? ''
  const marker = ctx.query.get('marker') ?? ''
  const maxKeys = parseMaxKeys(ctx.query.get('max-keys'), 100)
  const matching = ctx.storage.listBuckets().filter((b) => b.name.startsWith(prefix) && (marker === '' || compareKeys(b.name, marker) > 0))
  const page = matching.slice(0, maxKeys)
  const truncated = matching.length > page.length
  sendXml(ctx, 'ListAllMyBucketsResult', {
    Prefix: ctx.query.has('prefix') ? prefix : undefined,
    Marker: ctx.query.has('marker') ? marker : undefined,
    MaxKeys: ctx.query.has('max-keys') ? maxKeys : undefined,
    IsTruncated: ctx.query.has('max-keys') || truncated ? truncated : undefined,
    NextMarker: truncated ? page[page.length - 1]?.name : undefined,
    Owner: owner(ctx),
    Buckets: {
      Bucket: page.map((b) => ({
        CreationDate: b.creationDate,
        ExtranetEndpoint: ctx.server.host,
        IntranetEndpoint: ctx.server.host,
        Location: ctx.server.location,
        Name: b.name,
        Region: ctx.server.location.replace(/^oss-/, ''),
        StorageClass: b.storageClass
      }))
    }
  })
}

async function putBucket(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const acl = parseAcl(ctx.header('x-oss-acl'))
  const body = await ctx.readBody(64 * 1024)
  let storageClass: string | undefined
  if (body.length > 0) {
    const doc = parseXml(body)
    const config = doc.CreateBucketConfiguration
    if (config === undefined) throw Err.malformedXml()
    const sc = config && typeof config === 'object' ? textOf((config as Record<string, unknown>).StorageClass) : undefined
    if (sc !== undefined && sc !== '') {
      if (!STORAGE_CLASSES.includes(sc)) throw Err.invalidArgument('Invalid storage class.', { ArgumentName: 'StorageClass', ArgumentValue: sc })
      storageClass = sc
    }
  }
  await ctx.storage.createBucket(bucket, { ...(acl ? { acl } : {}), ...(storageClass ? { storageClass } : {}) })
  sendEmpty(ctx, 200, { Location: `/${bucket}` })
}

async function deleteBucket(ctx: RequestContext): Promise<void> {
  await ctx.storage.deleteBucket(bucketOf(ctx))
  sendEmpty(ctx, 204)
}

export function bucketInfoXml(ctx: RequestContext, record: BucketRecord) {
  return {
    Bucket: {
      AccessMonitor: 'Disabled',
      CreationDate: record.creationDate,
      ExtranetEndpoint: ctx.server.host,
      IntranetEndpoint: ctx.server.host,
      Location: ctx.server.location,
      StorageClass: record.storageClass,
      TransferAcceleration: 'Disabled',
      CrossRegionReplication: 'Disabled',
      Name: record.name,
      Owner: owner(ctx),
      AccessControlList: { Grant: record.acl },
      DataRedundancyType: 'LRS',
      Comment: '',
      ServerSideEncryptionRule: { SSEAlgorithm: 'None' },
      BucketPolicy: { LogBucket: '', LogPrefix: '' }
    }
  }
}

async function getBucketInfo(ctx: RequestContext): Promise<void> {
  const record = ctx.bucketRecord
  if (!record) throw Err.noSuchBucket(bucketOf(ctx))
  sendXml(ctx, 'BucketInfo', bucketInfoXml(ctx, record))
}

async function getBucketLocation(ctx: RequestContext): Promise<void> {
  sendBytes(ctx, Buffer.from(toXmlText('LocationConstraint', ctx.server.location)), 'application/xml')
}

export const bucketRoutes: Route[] = [
  { name: 'ListBuckets', method: 'GET', scope: 'service', access: 'owner', handler: listBuckets },
  { name: 'PutBucket', method: 'PUT', scope: 'bucket', access: 'owner', bucketMustExist: false, handler: putBucket },
  { name: 'DeleteBucket', method: 'DELETE', scope: 'bucket', access: 'owner', handler: deleteBucket },
  { name: 'GetBucketInfo', method: 'GET', scope: 'bucket', subresource: 'bucketInfo', access: 'owner', handler: getBucketInfo },
  { name: 'GetBucketLocation', method: 'GET', scope: 'bucket', subresource: 'location', access: 'owner', handler: getBucketLocation }
]
