/**
 * The sandbox's operations, one table. EXTENSION POINTS (IMG handlers and others):
 *
 * 1. Add a route. Write `src-main/sandbox/handlers/<area>.ts` exporting `Route[]` and spread it
 *    into `SANDBOX_ROUTES` below. A route is
 *      { name: 'PutStyle', method: 'PUT', scope: 'bucket', subresource: 'style', access: 'owner', handler }
 *    - `scope`: 'service' (`/`), 'bucket' (`/<bucket>/`), 'object' (`/<bucket>/<key>`).
 *    - `subresource`: the query parameter that selects the operation (`style`, `x-oss-process`,
 *      `bucketInfo`, …; any value, `?style` and `?style=` alike). Sub-resource routes win over
 *      plain ones, so `{ method: 'GET', scope: 'object', subresource: 'x-oss-process' }` takes
 *      processed GETs and `{ method: 'POST', scope: 'object', subresource: 'x-oss-process' }`
 *      takes saveas; without such a route those requests answer 501 NotImplemented. A plain
 *      route never sees requests carrying an operation-selecting sub-resource (router.ts).
 *    - `when`: optional extra predicate on `{ query, header() }` (e.g. `list-type=2`).
 *    - `access`: what anonymous callers may do — 'read' (public-read buckets), 'write'
 *      (public-read-write), 'owner' (never). Signed requests are already verified (V1/V4,
 *      header/URL, STS) before the handler runs; `ctx.principal` says how (anonymous or not,
 *      `signature` kind, `sts`) — e.g. for source-image protection, allow anonymous GETs only
 *      with `style/…` by checking `ctx.principal.anonymous` in the handler.
 *    - `bucketMustExist` (default true): 404 NoSuchBucket before the handler; `ctx.bucketRecord`
 *      then holds the bucket (ACL, creation date).
 *
 * 2. In a handler (`(ctx: RequestContext) => Promise<void>`, context.ts):
 *    - request: `ctx.bucket`, `ctx.key` (decoded, validated), `ctx.query.get/has`,
 *      `ctx.header(name)`, `ctx.readBody(limit?)` (small bodies; Content-MD5 checked) or
 *      `ctx.req` (stream), `ctx.requestId`, `ctx.server` (endpoint, owner, location, limits).
 *    - answer with `sendXml(ctx, root, obj)`, `sendJson(ctx, value)`, `sendBytes(ctx, buf,
 *      type)`, `sendStream(ctx, stream, status, headers)`, `sendEmpty(ctx, status)`; helpers for
 *      objects in handlers/objects.ts (`objectHeaders`, `checkConditions`, `parseRange`).
 *    - fail by throwing: `Err.*` (errors.ts) or `new OssError({ status, code, message, ec })`,
 *      or an engine `ImgError` (status/code/ec/message are used as is). The server writes the
 *      OSS error (XML `<Error>`, `x-oss-ec`, `x-oss-err` for HEAD).
 *
 * 3. Storage (`ctx.storage`, storage.ts): `headObject`, `readObject` (whole bytes + meta, for
 *    images), `openObject` (stream, optional range), `putObject(bucket, key, bytes|stream,
 *    { contentType, userMeta, headers })` (atomic; returns meta with ETag), `copyObject`,
 *    `deleteObject`, `listObjects`, and per-bucket JSON side data:
 *    `readBucketJson(bucket, 'styles.json')`, `updateBucketJson(bucket, 'styles.json', cur => next)`
 *    (serialised read-modify-write, atomic) — the place for styles and bucket IMG settings.
 */
import { aclRoutes } from './handlers/acl'
import { appendRoutes } from './handlers/append'
import { bucketRoutes } from './handlers/buckets'
import { imgRoutes } from './handlers/img'
import { listRoutes } from './handlers/list'
import { multipartRoutes } from './handlers/multipart'
import { objectRoutes } from './handlers/objects'
import { postObjectRoutes } from './handlers/post-object'
import { storageClassRoutes } from './handlers/storage-class'
import { styleRoutes } from './handlers/styles'
import { symlinkRoutes } from './handlers/symlink'
import { taggingRoutes } from './handlers/tagging'
import { withSourceProtection } from './img-settings'
import type { Route } from './router'

/**
 * IMG: `imgRoutes` (GET/HEAD/POST `?x-oss-process`, saveas), `styleRoutes` (Put/Get/List/DeleteStyle);
 * `withSourceProtection` makes the plain GetObject/HeadObject refuse anonymous reads of buckets
 * with source-image protection on (img-settings.ts).
 */
export const SANDBOX_ROUTES: readonly Route[] = [
  ...bucketRoutes,
  ...aclRoutes,
  ...listRoutes,
  ...withSourceProtection(objectRoutes),
  ...imgRoutes,
  ...styleRoutes,
  // Object features beyond plain put/get (issue 15): one module per OSS action group.
  ...multipartRoutes,
  ...appendRoutes,
  ...taggingRoutes,
  ...symlinkRoutes,
  ...storageClassRoutes,
  ...postObjectRoutes
]
