/**
 * Symlinks: PutSymlink (`PUT ?symlink` + `x-oss-symlink-target`), GetSymlink (`GET ?symlink`),
 * and GET/HEAD through a symlink (`resolveSymlink`): the target's bytes under the symlink's own
 * type and user metadata. A symlink's target is a key in the same bucket; it need not exist when
 * the link is made (OSS allows that), but reading through a dangling link is 404
 * SymlinkTargetNotExist and through a link to a link 400 InvalidTargetType.
 */
import { bucketOf, keyOf, sendEmpty, type RequestContext } from '../context'
import { Err, OssError } from '../errors'
import { assertObjectKey } from '../names'
import type { Route } from '../router'
import type { ObjectMeta } from '../storage'
import { attributesFromRequest, objectHeaders } from './objects'
import { parseStorageClass } from './storage-class'

const SymlinkErr = {
  targetNotExist: (key: string) =>
    new OssError({ status: 404, code: 'SymlinkTargetNotExist', message: 'The symlink target object does not exist', ec: '0026-00000005', extra: { Key: key } }),
  invalidTargetType: () => new OssError({ status: 400, code: 'InvalidTargetType', message: 'The symlink target object type is not supported.', ec: '0016-00000801' })
}

function targetFromHeader(value: string | undefined): string {
  if (value === undefined || value === '') throw Err.invalidArgument('The x-oss-symlink-target header is required.', { ArgumentName: 'x-oss-symlink-target', ArgumentValue: '' })
  let target: string
  try {
    target = decodeURIComponent(value)
  } catch {
    throw Err.invalidArgument('The x-oss-symlink-target header is not correctly encoded.', { ArgumentName: 'x-oss-symlink-target', ArgumentValue: value })
  }
  assertObjectKey(target)
  return target
}

/** The object a GET/HEAD reads: `meta` itself, or the target of a symlink. */
export function resolveSymlink(ctx: RequestContext, meta: ObjectMeta): ObjectMeta {
  if (meta.type !== 'Symlink' || meta.symlinkTarget === undefined) return meta
  const target = ctx.storage.headObject(bucketOf(ctx), meta.symlinkTarget)
  if (!target) throw SymlinkErr.targetNotExist(meta.symlinkTarget)
  if (target.type === 'Symlink') throw SymlinkErr.invalidTargetType()
  return target
}

/** Headers for a read through a symlink: the target's content headers, the link's type and metadata. */
export function symlinkHeaders(ctx: RequestContext, link: ObjectMeta, target: ObjectMeta): Record<string, string | number> {
  const headers = objectHeaders(ctx, { ...target, userMeta: link.userMeta, type: link.type })
  for (const name of Object.keys(objectHeaders(ctx, target))) if (name.startsWith('x-oss-meta-') && !(name.slice(11) in link.userMeta)) delete headers[name]
  return headers
}

async function putSymlink(ctx: RequestContext): Promise<void> {
  const target = targetFromHeader(ctx.header('x-oss-symlink-target'))
  const attributes = attributesFromRequest(ctx)
  const meta = await ctx.storage.putObject(bucketOf(ctx), keyOf(ctx), Buffer.alloc(0), {
    ...attributes,
    type: 'Symlink',
    symlinkTarget: target,
    storageClass: parseStorageClass(ctx.header('x-oss-storage-class')),
    forbidOverwrite: ctx.header('x-oss-forbid-overwrite') === 'true'
  })
  sendEmpty(ctx, 200, { ETag: `"${meta.etag}"` })
}

async function getSymlink(ctx: RequestContext): Promise<void> {
  const key = keyOf(ctx)
  const meta = ctx.storage.headObject(bucketOf(ctx), key)
  if (!meta) throw Err.noSuchKey(key)
  if (meta.type !== 'Symlink' || meta.symlinkTarget === undefined) throw new OssError({ status: 400, code: 'NotSymlink', message: 'The specified object is not a symlink.', ec: '0016-00000802' })
  const target = encodeURIComponent(meta.symlinkTarget).replace(/%2F/g, '/')
  sendEmpty(ctx, 200, { 'x-oss-symlink-target': target, ETag: `"${meta.etag}"`, 'Last-Modified': new Date(meta.lastModified).toUTCString() })
}

export const symlinkRoutes: Route[] = [
  { name: 'PutSymlink', method: 'PUT', scope: 'object', subresource: 'symlink', access: 'write', handler: putSymlink },
  { name: 'GetSymlink', method: 'GET', scope: 'object', subresource: 'symlink', access: 'read', handler: getSymlink }
]
