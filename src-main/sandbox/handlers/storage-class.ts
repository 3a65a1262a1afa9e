/**
 * Storage classes and RestoreObject (`POST /<bucket>/<key>?restore`). Objects take the bucket's
 * class unless `x-oss-storage-class` says otherwise. Archive, ColdArchive and DeepColdArchive
 * objects cannot be read until restored: the first RestoreObject answers 202 and starts the
 * restore, a second while it runs 409 RestoreAlreadyInProgress, one after it 200 (the copy's life
 * is extended). OSS takes minutes to hours; the sandbox finishes after `RESTORE_DELAY_MS` so
 * tests and people can watch both states. HEAD/GET show `x-oss-restore`, listings `RestoreInfo`.
 */
import { bucketOf, keyOf, sendEmpty, type RequestContext } from '../context'
import { Err, OssError } from '../errors'
import type { Route } from '../router'
import type { ObjectMeta } from '../storage'
import { parseXml, textOf } from '../xml'

export const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive']
const ARCHIVE_CLASSES = new Set(['Archive', 'ColdArchive', 'DeepColdArchive'])
/** How long a restore runs in the sandbox. */
export const RESTORE_DELAY_MS = 1000
const DAY_MS = 86_400_000

const RestoreErr = {
  operationNotSupported: () =>
    new OssError({ status: 400, code: 'OperationNotSupported', message: 'The operation is not supported for this resource', ec: '0016-00000702' }),
  alreadyInProgress: () => new OssError({ status: 409, code: 'RestoreAlreadyInProgress', message: 'The restore operation is in progress.', ec: '0026-00000004' }),
  invalidObjectState: (key: string) =>
    new OssError({ status: 403, code: 'InvalidObjectState', message: 'The operation is not valid for the object\'s state', ec: '0026-00000003', extra: { Key: key } })
}

/** `x-oss-storage-class` → the class, undefined when absent; 400 InvalidArgument when unknown. */
export function parseStorageClass(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  if (!STORAGE_CLASSES.includes(value)) throw Err.invalidArgument('Invalid storage class.', { ArgumentName: 'x-oss-storage-class', ArgumentValue: value })
  return value
}

/** Where a restore stands: running, or done with the copy readable until `expiry`. */
export function restoreState(meta: ObjectMeta, now = Date.now()): { ongoing: true } | { ongoing: false; expiry: number } | undefined {
  if (!ARCHIVE_CLASSES.has(meta.storageClass) || !meta.restore) return undefined
  const done = meta.restore.requestedAt + RESTORE_DELAY_MS
  if (now < done) return { ongoing: true }
  const expiry = done + meta.restore.days * DAY_MS
  return now < expiry ? { ongoing: false, expiry } : undefined
}

/** The `x-oss-restore` header / `RestoreInfo` value, as OSS words it. */
export function restoreInfo(meta: ObjectMeta): string | undefined {
  const state = restoreState(meta)
  if (!state) return undefined
  return state.ongoing ? 'ongoing-request="true"' : `ongoing-request="false", expiry-date="${new Date(state.expiry).toUTCString()}"`
}

/** GET of an archived object that has no restored copy → 403 InvalidObjectState. */
export function assertReadable(meta: ObjectMeta): void {
  if (!ARCHIVE_CLASSES.has(meta.storageClass)) return
  const state = restoreState(meta)
  if (!state || state.ongoing) throw RestoreErr.invalidObjectState(meta.key)
}

interface RestoreRequest {
  days: number
  tier: string | undefined
}

function parseRestoreRequest(body: Buffer, storageClass: string): RestoreRequest {
  if (body.length === 0) return { days: 1, tier: undefined }
  const doc = parseXml(body).RestoreRequest
  if (!doc || typeof doc !== 'object') throw Err.malformedXml()
  const fields = doc as Record<string, unknown>
  const daysText = textOf(fields.Days)
  const maxDays = storageClass === 'Archive' ? 7 : 365
  const days = daysText === undefined ? 1 : Number(daysText.trim())
  if (!Number.isInteger(days) || days < 1 || days > maxDays) {
    throw Err.invalidArgument(`The restore days must be an integer between 1 and ${maxDays}.`, { ArgumentName: 'Days', ArgumentValue: daysText ?? '' })
  }
  const job = fields.JobParameters
  // Archive objects have no restore priority: OSS refuses the element.
  if (job !== undefined && storageClass === 'Archive') throw Err.malformedXml()
  const tier = job && typeof job === 'object' ? textOf((job as Record<string, unknown>).Tier)?.trim() : undefined
  const tiers = storageClass === 'DeepColdArchive' ? ['Expedited', 'Standard'] : ['Expedited', 'Standard', 'Bulk']
  if (tier !== undefined && !tiers.includes(tier)) throw Err.invalidArgument('Invalid restore tier.', { ArgumentName: 'Tier', ArgumentValue: tier })
  return { days, tier }
}

async function restoreObject(ctx: RequestContext): Promise<void> {
  const bucket = bucketOf(ctx)
  const key = keyOf(ctx)
  const meta = ctx.storage.headObject(bucket, key)
  if (!meta) throw Err.noSuchKey(key)
  if (!ARCHIVE_CLASSES.has(meta.storageClass)) throw RestoreErr.operationNotSupported()
  const request = parseRestoreRequest(await ctx.readBody(64 * 1024), meta.storageClass)
  const priority = request.tier ?? 'Standard'
  let status = 202
  await ctx.storage.updateObject(bucket, key, (current) => {
    const state = restoreState(current)
    if (state?.ongoing) throw RestoreErr.alreadyInProgress()
    if (state && current.restore) {
      // Restored already: the copy lives `days` more from now.
      status = 200
      const requestedAt = Date.now() - RESTORE_DELAY_MS
      return { ...current, restore: { ...current.restore, requestedAt, days: request.days } }
    }
    return { ...current, restore: { requestedAt: Date.now(), days: request.days, priority } }
  })
  sendEmpty(ctx, status, meta.storageClass === 'Archive' ? {} : { 'x-oss-object-restore-priority': priority })
}

export const storageClassRoutes: Route[] = [{ name: 'RestoreObject', method: 'POST', scope: 'object', subresource: 'restore', access: 'write', handler: restoreObject }]
