/**
 * `jobs:*` — bulk derivatives over the app's JobManager (app/jobs.ts): create, dry run, the
 * template's live example, start / pause / resume / cancel, concurrency, report (+ CSV), remove. A job is on
 * one profile: its source bucket defaults to the profile's, a bucket target to the source's
 * bucket (server-side, processObjectSave); a folder target must be an absolute path.
 */
import { isAbsolute, relative, resolve } from 'node:path'
import type { RequestOf } from '../../../src-shared/ipc/contract'
import { JOB_FAILURES_MAX } from '../../../src-shared/ipc/contract'
import type { Handlers } from '../../ipc/router'
import type { CreateJobInput } from '../../services/jobs'
import type { AppContext } from '../context'
import { AppError } from '../errors'
import { toItemView, toJobView, toManifestItemView, toManifestView } from '../jobs'

/**
 * A folder target is any absolute folder except the studio's own data folder, its parents and
 * anything inside it: job outputs must never land on the vault, the journals or the sandbox's
 * storage, whatever the template renders.
 */
function assertSafeFolder(dir: string, dataDir: string): void {
  if (!isAbsolute(dir)) throw new AppError('InvalidPayload', 'target.dir: expected an absolute folder path')
  const target = resolve(dir)
  const within = (child: string, parent: string) => {
    const rel = relative(parent, child)
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
  }
  if (within(target, dataDir) || within(dataDir, target)) {
    throw new AppError('InvalidPayload', `target.dir: expected a folder outside the studio's data folder (${dataDir}) but received ${target}`)
  }
}

/** The contract's bound on the CSV text (`jobs:report`). */
const CSV_MAX = 30 * 1024 * 1024

type JobRequest = RequestOf<'jobs:example'>

export function jobHandlers(
  ctx: AppContext
): Pick<Handlers, 'jobs:list' | 'jobs:create' | 'jobs:dryRun' | 'jobs:example' | 'jobs:start' | 'jobs:pause' | 'jobs:resume' | 'jobs:cancel' | 'jobs:setConcurrency' | 'jobs:report' | 'jobs:remove'> {
  const { manager } = ctx.jobs

  const toInput = async (request: JobRequest): Promise<CreateJobInput> => {
    const { source, target } = request
    const bucket = source.bucket ?? (await ctx.oss.get(request.profileId)).bucket
    if (target.kind === 'folder') assertSafeFolder(target.dir, ctx.dataDir)
    return {
      connection: { profileId: request.profileId },
      source:
        source.kind === 'bucket'
          ? { kind: 'bucket', bucket, prefix: source.prefix ?? '', suffixes: source.suffixes, pattern: source.pattern }
          : source.kind === 'inventory'
            ? { kind: 'inventory', bucket, manifest: source.manifest, prefix: source.prefix ?? '', suffixes: source.suffixes, pattern: source.pattern }
            : { kind: 'keys', bucket, keys: source.keys },
      styles: request.styles,
      target: target.kind === 'bucket' ? { kind: 'bucket', bucket: target.bucket ?? bucket } : target,
      template: request.template,
      conflict: request.conflict
    }
  }

  return {
    'jobs:list': () => ({ jobs: manager.list().slice(0, 1000).map(toJobView) }),

    'jobs:create': async (request) => {
      const input = await toInput(request)
      return toJobView(await manager.create({ ...input, name: request.name, concurrency: request.concurrency }))
    },

    'jobs:dryRun': async (request, { signal }) => toManifestView(await manager.dryRun('id' in request ? request.id : await toInput(request.job), { signal })),

    'jobs:example': async (request, { signal }) => ({ items: (await ctx.jobs.example(await toInput(request), signal)).slice(0, 16).map(toManifestItemView) }),

    'jobs:start': async ({ id, retryFailed, concurrency }) => toJobView(await manager.start(id, { retryFailed, concurrency })),

    'jobs:pause': ({ id }) => toJobView(manager.pause(id)),

    'jobs:resume': ({ id }) => toJobView(manager.resume(id)),

    'jobs:cancel': async ({ id }) => toJobView(await manager.cancel(id)),

    'jobs:setConcurrency': ({ id, concurrency }) => toJobView(manager.setConcurrency(id, concurrency)),

    'jobs:report': async ({ id, csv, failedOnly }) => {
      const report = await manager.report(id)
      const text = csv ? await manager.reportCsv(id, { failedOnly }) : undefined
      if (text !== undefined && text.length > CSV_MAX) throw new AppError('ResponseTooLarge', 'The CSV report is larger than the transport allows; export the failures only.')
      return {
        state: report.state,
        counts: { ...report.counts },
        failures: report.failures.slice(0, JOB_FAILURES_MAX).map(toItemView),
        failuresOmitted: Math.max(0, report.failures.length - JOB_FAILURES_MAX),
        ...(text !== undefined ? { csv: text } : {})
      }
    },

    'jobs:remove': async ({ id }) => {
      await manager.remove(id)
      ctx.emit('jobs:removed', { id })
      return {}
    }
  }
}
