/**
 * The app's bulk jobs: one JobManager (src-main/services/jobs) per set of main services, with
 * journals in `<dataDir>/jobs`, OSS connections from the job's profile (`connection.profileId`)
 * and named styles from the style library first, then the source bucket's styles. Its events go
 * out as `jobs:state`, `jobs:progress` (already throttled by the manager) and `jobs:item`
 * (failures only: done and skipped items are counted by progress, so a big job does not flood the
 * transport). Also the contract's views of jobs, manifests and item results: exactly the
 * contract's fields, key lists reduced to their size, long texts clipped to its bounds.
 *
 * Jobs live here, in main, independent of any window: a page reload or a closed window does not
 * touch them; `close()` (on quit) cancels running jobs, which stay resumable.
 */
import type { ResponseOf } from '../../src-shared/ipc/contract'
import { JOB_MANIFEST_ITEMS_MAX } from '../../src-shared/ipc/contract'
import type { EventSink } from '../ipc/router'
import { isOssError } from '../services/oss'
import { buildManifest, inventoryObjects, openJobManager, resolveSpec, sourceFilter, type CreateJobInput, type ItemResult, type JobConnection, type JobInfo, type JobManager, type Manifest, type ManifestItem } from '../services/jobs'
import type { StyleLibrary } from '../services/styles'
import { AppError } from './errors'
import type { OssConnections } from './oss-connections'

type JobView = ResponseOf<'jobs:start'>
type ManifestView = ResponseOf<'jobs:dryRun'>
type ItemView = ResponseOf<'jobs:report'>['failures'][number]

const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value)

const styleViews = (styles: Manifest['spec']['styles']) => styles.map((s) => ({ label: s.label, process: s.process, ...(s.name !== undefined ? { name: s.name } : {}) }))

export interface AppJobs {
  readonly manager: JobManager
  /** The manifest rows of the first source key only: the template's live example (one listing page or so, nothing written). */
  example(input: CreateJobInput, signal: AbortSignal): Promise<readonly ManifestItem[]>
  close(): Promise<void>
}

function profileOf(connection: JobConnection | undefined): string {
  const profileId = connection?.profileId
  if (!profileId) throw new AppError('InvalidPayload', 'This job has no profile to connect with.')
  return profileId
}

/** Listing pages the live example looks through for a key that passes the filters. */
const EXAMPLE_PAGES = 5

export async function openAppJobs(options: { dataDir: string; oss: OssConnections; library: StyleLibrary; emit: EventSink }): Promise<AppJobs> {
  const { oss, library, emit } = options
  const connect = async (connection: JobConnection | undefined, bucket: string) => (await oss.get(profileOf(connection), bucket)).service
  const lookup = async (name: string, connection: JobConnection | undefined, sourceBucket: string | undefined): Promise<string | undefined> => {
    const local = await library.find(name)
    if (local) return local.process
    if (sourceBucket === undefined) return undefined
    try {
      return (await (await connect(connection, sourceBucket)).getStyle(name)).content
    } catch (error) {
      if (isOssError(error) && error.status === 404) return undefined
      throw error
    }
  }

  const manager = await openJobManager({
    dataDir: options.dataDir,
    connect,
    styleLookup: (name, { connection, sourceBucket }) => lookup(name, connection, sourceBucket)
  })
  const off = manager.on((event) => {
    if (event.type === 'state') emit('jobs:state', { job: toJobView(event.job) })
    else if (event.type === 'progress') emit('jobs:progress', event.progress)
    else if (event.result.status === 'failed') emit('jobs:item', { jobId: event.jobId, result: toItemView(event.result) })
  })

  return {
    manager,
    async example(input, signal) {
      const spec = await resolveSpec(input, (name) => lookup(name, input.connection, input.source.kind === 'folder' ? undefined : input.source.bucket))
      let first: string | undefined
      if (spec.source.kind === 'keys') first = spec.source.keys[0]
      else if (spec.source.kind === 'bucket') {
        const keep = sourceFilter(spec.source)
        let pages = 0
        for await (const page of (await connect(input.connection, spec.source.bucket)).listAllObjects({ prefix: spec.source.prefix, maxKeys: 100, signal })) {
          first = page.objects.find((o) => keep(o.key))?.key
          if (first !== undefined || ++pages >= EXAMPLE_PAGES) break
        }
      } else if (spec.source.kind === 'inventory') {
        for await (const batch of inventoryObjects(spec.source, (bucket) => connect(input.connection, bucket), signal)) {
          first = batch[0]?.key
          if (first !== undefined) break
        }
      }
      if (first === undefined || spec.source.kind === 'folder') return []
      const one = { ...spec, source: { kind: 'keys' as const, bucket: spec.source.bucket, keys: [first] } }
      return (await buildManifest(one, { connect: (bucket) => connect(input.connection, bucket), signal })).items
    },
    async close() {
      await manager.close()
      off()
    }
  }
}

export function toJobView(info: JobInfo): JobView {
  const { spec } = info
  const { source, target } = spec
  const filter = source.kind === 'keys' ? {} : { ...(source.suffixes ? { suffixes: [...source.suffixes] } : {}), ...(source.pattern !== undefined ? { pattern: source.pattern } : {}) }
  return {
    id: info.id,
    ...(info.name !== undefined ? { name: clip(info.name, 200) } : {}),
    ...(info.connection?.profileId !== undefined ? { profileId: info.connection.profileId } : {}),
    state: info.state,
    createdAt: info.createdAt,
    spec: {
      source:
        source.kind === 'bucket'
          ? { kind: 'bucket', bucket: source.bucket, prefix: source.prefix, ...filter }
          : source.kind === 'keys'
            ? { kind: 'keys', bucket: source.bucket, keys: source.keys.length }
            : source.kind === 'inventory'
              ? { kind: 'inventory', bucket: source.bucket, manifest: clip(source.manifest, 4096), prefix: source.prefix, ...filter }
              : { kind: 'folder', dir: source.dir, ...filter },
      styles: styleViews(spec.styles),
      target: target.kind === 'bucket' ? { kind: 'bucket', bucket: target.bucket, ...(target.region ? { region: target.region } : {}) } : { kind: 'folder', dir: target.dir },
      template: spec.template,
      conflict: spec.conflict,
      mode: spec.mode
    },
    ...(info.concurrency !== undefined ? { concurrency: info.concurrency } : {}),
    counts: { ...info.counts },
    ...(info.progress ? { progress: { ...info.progress } } : {}),
    ...(info.error
      ? {
          error: {
            code: clip(info.error.code, 64),
            message: clip(info.error.message, 2048),
            ...(info.error.status !== undefined ? { status: info.error.status } : {}),
            ...(info.error.ec ? { ec: clip(info.error.ec, 32) } : {})
          }
        }
      : {})
  }
}

export function toItemView(result: ItemResult): ItemView {
  const { error } = result
  return {
    sourceKey: clip(result.sourceKey, 4096),
    style: result.style,
    targetKey: clip(result.targetKey, 4096),
    status: result.status,
    attempts: result.attempts,
    ...(result.bytes !== undefined ? { bytes: result.bytes } : {}),
    ...(result.recovered ? { recovered: true } : {}),
    ...(error
      ? {
          error: {
            status: error.status,
            code: clip(error.code, 64),
            ...(error.ec ? { ec: clip(error.ec, 32) } : {}),
            message: clip(error.message, 2048),
            ...(error.requestId ? { requestId: clip(error.requestId, 128) } : {}),
            retryable: error.retryable
          }
        }
      : {})
  }
}

export function toManifestItemView(item: ManifestItem): ManifestView['items'][number] {
  return {
    sourceKey: clip(item.sourceKey, 4096),
    style: item.style,
    targetKey: clip(item.targetKey, 4096),
    format: item.format,
    sourceBytes: item.sourceBytes,
    issues: item.issues.slice(0, 8).map((i) => ({ code: i.code, message: clip(i.message, 2048) }))
  }
}

/** The flagged rows first (so every problem is visible even when the manifest is cut), then the rest in manifest order. */
export function toManifestView(manifest: Manifest): ManifestView {
  const { summary } = manifest
  const flagged = manifest.items.filter((i) => i.issues.length > 0)
  const rows = (flagged.length === 0 ? manifest.items : [...flagged, ...manifest.items.filter((i) => i.issues.length === 0)]).slice(0, JOB_MANIFEST_ITEMS_MAX)
  return {
    summary: {
      sources: summary.sources,
      items: summary.items,
      byStyle: { ...summary.byStyle },
      estimatedBytes: summary.estimatedBytes,
      collisions: summary.collisions,
      invalidTargets: summary.invalidTargets,
      targetIsSource: summary.targetIsSource,
      tooLarge: summary.tooLarge,
      missingSources: summary.missingSources,
      excludedOwnTargets: summary.excludedOwnTargets,
      ...(summary.crossRegion !== undefined ? { crossRegion: summary.crossRegion } : {}),
      runnable: summary.runnable
    },
    issues: manifest.issues.slice(0, 16).map((i) => ({ code: i.code, message: clip(i.message, 2048), blocking: i.blocking })),
    styles: styleViews(manifest.spec.styles),
    items: rows.map(toManifestItemView),
    omitted: manifest.items.length - rows.length
  }
}
