/**
 * ACLs. Bucket: PutBucketAcl (`PUT /<bucket>?acl` + `x-oss-acl`), GetBucketAcl (`GET /<bucket>?acl`).
 * Object: PutObjectAcl (`PUT /<bucket>/<key>?acl` + `x-oss-object-acl`, as ali-oss `putACL` sends it),
 * GetObjectAcl (`GET /<bucket>/<key>?acl`, ali-oss `getACL`), and `x-oss-object-acl` on PutObject.
 * An object's `default` ACL inherits the bucket's; server.ts applies the effective ACL to anonymous
 * requests before any handler runs.
 */
import { bucketOf, keyOf, sendEmpty, sendXml, type RequestContext } from '../context'
import { Err } from '../errors'
import type { Route } from '../router'
import { OBJECT_ACLS, type BucketAcl, type BucketRecord, type ObjectAcl, type ObjectMeta } from '../storage'
import { parseAcl } from './buckets'

/** `x-oss-object-acl` → the ACL; undefined when absent; 400 InvalidArgument when not an object ACL. */
export function parseObjectAcl(value: string | undefined): ObjectAcl | undefined {
  if (value === undefined) return undefined
  if (!(OBJECT_ACLS as readonly string[]).includes(value)) throw Err.invalidArgument('no such object access control exists', { ArgumentName: 'x-oss-object-acl', ArgumentValue: value })
  return value as ObjectAcl
}

/** What governs anonymous access to an object: its own ACL, or the bucket's when `default`. */
export function effectiveAcl(bucket: BucketRecord | undefined, object: ObjectMeta | undefined): { acl: BucketAcl; from: 'bucket' | 'object' } {
  if (object?.acl !== undefined && object.acl !== 'default') return { acl: object.acl, from: 'object' }
  return { acl: bucket?.acl ?? 'private', from: 'bucket' }
}

function aclDocument(ctx: RequestContext, grant: ObjectAcl) {
  return {
    Owner: { ID: ctx.server.owner.id, DisplayName: ctx.server.owner.displayName },
    AccessControlList: { Grant: grant }
  }
}

async function putBucketAcl(ctx: RequestContext): Promise<void> {
  const acl = parseAcl(ctx.header('x-oss-acl'))
  if (!acl) throw Err.invalidArgument('The x-oss-acl header is required.', { ArgumentName: 'x-oss-acl', ArgumentValue: '' })
  // OSS's PutBucketACL creates a missing bucket with that ACL (ali-oss documents putBucketACL so).
  if (ctx.storage.getBucket(bucketOf(ctx))) await ctx.storage.setBucketAcl(bucketOf(ctx), acl)
  else await ctx.storage.createBucket(bucketOf(ctx), { acl })
  sendEmpty(ctx, 200, { Location: `/${bucketOf(ctx)}` })
}

async function getBucketAcl(ctx: RequestContext): Promise<void> {
  const record = ctx.storage.getBucket(bucketOf(ctx))
  if (!record) throw Err.noSuchBucket(bucketOf(ctx))
  sendXml(ctx, 'AccessControlPolicy', aclDocument(ctx, record.acl))
}

async function putObjectAcl(ctx: RequestContext): Promise<void> {
  const acl = parseObjectAcl(ctx.header('x-oss-object-acl'))
  if (!acl) throw Err.invalidArgument('The x-oss-object-acl header is required.', { ArgumentName: 'x-oss-object-acl', ArgumentValue: '' })
  await ctx.storage.updateObject(bucketOf(ctx), keyOf(ctx), (meta) => ({ ...meta, acl: acl === 'default' ? undefined : acl }))
  sendEmpty(ctx, 200)
}

async function getObjectAcl(ctx: RequestContext): Promise<void> {
  const key = keyOf(ctx)
  const meta = ctx.storage.headObject(bucketOf(ctx), key)
  if (!meta) throw Err.noSuchKey(key)
  sendXml(ctx, 'AccessControlPolicy', aclDocument(ctx, meta.acl ?? 'default'))
}

export const aclRoutes: Route[] = [
  { name: 'PutBucketAcl', method: 'PUT', scope: 'bucket', subresource: 'acl', access: 'owner', bucketMustExist: false, handler: putBucketAcl },
  { name: 'GetBucketAcl', method: 'GET', scope: 'bucket', subresource: 'acl', access: 'owner', handler: getBucketAcl },
  { name: 'PutObjectAcl', method: 'PUT', scope: 'object', subresource: 'acl', access: 'owner', handler: putObjectAcl },
  { name: 'GetObjectAcl', method: 'GET', scope: 'object', subresource: 'acl', access: 'owner', handler: getObjectAcl }
]
