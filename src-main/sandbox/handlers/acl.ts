/** Bucket ACL: PutBucketAcl (`PUT /<bucket>?acl` + `x-oss-acl`) and GetBucketAcl (`GET /<bucket>?acl`). */
import { bucketOf, sendEmpty, sendXml, type RequestContext } from '../context'
import { Err } from '../errors'
import type { Route } from '../router'
import { parseAcl } from './buckets'

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
  sendXml(ctx, 'AccessControlPolicy', {
    Owner: { ID: ctx.server.owner.id, DisplayName: ctx.server.owner.displayName },
    AccessControlList: { Grant: record.acl }
  })
}

export const aclRoutes: Route[] = [
  { name: 'PutBucketAcl', method: 'PUT', scope: 'bucket', subresource: 'acl', access: 'owner', bucketMustExist: false, handler: putBucketAcl },
  { name: 'GetBucketAcl', method: 'GET', scope: 'bucket', subresource: 'acl', access: 'owner', handler: getBucketAcl }
]
