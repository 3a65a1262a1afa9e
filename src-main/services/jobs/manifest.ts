/**
 * The manifest: every source × style with its rendered target, derived deterministically from the
 * spec and the source listing, before anything is written. A dry run shows it; every run rebuilds
 * it and matches it to the journal by item id (`<style>:<source key>`).
 *
 * Flags, per item: an invalid target key / path (`InvalidTargetKey`), two items rendering the same
 * target (`TargetCollision`, all of them), a target that is one of the job's own sources
 * (`TargetIsSource`) — these three never run (they fail without a request) — and, informational,
 * sources over OSS's 20 MB limit or (key lists, dry run) missing. Per job: a target bucket in
 * another region (`CrossRegion`, blocking: saveas requires the same region) or unreachable.
 *
 * Sources that are this job's own targets (a target under the source prefix, listed again on a
 * resume) are left out and counted in `excludedOwnTargets`, so a job never feeds on its outputs.
 */
import { rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { LIMITS } from '../../../src-shared/img/limits'
import { OssError } from '../oss/errors'
import { assertObjectKey } from '../oss/names'
import type { Connect } from './oss-port'
import { outputFormatResolver } from './output-format'
import { ISSUE_FLAGS, JobIndex, type PlanRow } from './job-index'
import { sourceBatches, type SourceObject } from './sources'
import { specDigest } from './spec'
import { folderPathProblem, parseTemplate } from './template'
import type { ItemIssue, JobIssue, JobSpec, Manifest, ManifestItem } from './types'

export interface BuildManifestOptions {
  /** Needed for bucket / key-list sources and bucket targets. */
  readonly connect?: Connect | undefined
  readonly signal?: AbortSignal | undefined
  /** Dry run: HEAD every key of a key list (sizes, missing keys). Default false. */
  readonly probeKeys?: boolean | undefined
  /** Probe the target bucket (exists, same region) with one HEAD. Default true. */
  readonly probeTarget?: boolean | undefined
  readonly onListed?: ((count: number) => void) | undefined
}

export const BLOCKING_ITEM_ISSUES: ReadonlySet<string> = new Set(['InvalidTargetKey', 'TargetCollision', 'TargetIsSource'])

export function itemId(style: string, sourceKey: string): string {
  return `${style}:${sourceKey}`
}

export function isRunnable(item: ManifestItem): boolean {
  return !item.issues.some((i) => BLOCKING_ITEM_ISSUES.has(i.code))
}

/** Maps a target key into the source's key space when both live in the same place. */
function targetToSourceKey(spec: JobSpec): (targetKey: string) => string | undefined {
  const { source, target } = spec
  if (target.kind === 'bucket') {
    if (source.kind === 'folder' || source.bucket !== target.bucket) return () => undefined
    return (key) => key
  }
  if (source.kind !== 'folder') return () => undefined
  return (key) => {
    const rel = relative(source.dir, join(target.dir, key))
    if (rel === '' || rel.startsWith('..') || rel.includes('\0')) return undefined
    return rel.split(sep).join('/')
  }
}

function targetProblem(spec: JobSpec, key: string): string | undefined {
  if (spec.target.kind === 'folder') {
    const problem = folderPathProblem(key)
    return problem ? `target: expected ${problem} inside the target folder but received ${JSON.stringify(key)}` : undefined
  }
  try {
    assertObjectKey(key, 'target')
  } catch (error) {
    return error instanceof OssError ? error.message : String(error)
  }
  if (key.endsWith('/')) return `target: expected an object key, not a folder ending in "/", but received ${JSON.stringify(key)}`
  return undefined
}

async function probeKeySizes(spec: JobSpec, objects: readonly SourceObject[], connect: Connect, signal: AbortSignal | undefined): Promise<{ objects: readonly SourceObject[]; missing: Set<string> }> {
  if (spec.source.kind !== 'keys') return { objects, missing: new Set() }
  const oss = await connect(spec.source.bucket)
  const out = [...objects]
  const missing = new Set<string>()
  let next = 0
  const worker = async () => {
    while (next < out.length) {
      const i = next++
      const key = out[i]!.key
      try {
        const info = await oss.headObject(key, { signal })
        out[i] = { key, size: info.size }
      } catch (error) {
        if (error instanceof OssError && error.status === 404) missing.add(key)
        else throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(16, out.length) }, worker))
  return { objects: out, missing }
}

/** The job-level probe of a bucket target: one HEAD of a key that does not exist. */
async function probeTargetBucket(spec: JobSpec, connect: Connect, signal: AbortSignal | undefined): Promise<{ issue?: JobIssue; crossRegion?: boolean }> {
  if (spec.target.kind !== 'bucket') return {}
  const sourceRegion = spec.source.kind === 'folder' ? undefined : (await connect(spec.source.bucket)).region
  if (spec.target.region && sourceRegion && spec.target.region !== sourceRegion && spec.mode === 'server') {
    return {
      crossRegion: true,
      issue: { code: 'CrossRegion', blocking: true, message: `target bucket ${spec.target.bucket} is in ${spec.target.region} but the source bucket is in ${sourceRegion}: server-side saveas needs both in the same region` }
    }
  }
  const oss = await connect(spec.target.bucket)
  try {
    await oss.headObject(`.oss-img-bulk-probe-${Date.now().toString(36)}`, { signal, retry: { maxAttempts: 3 } })
  } catch (error) {
    if (!(error instanceof OssError)) throw error
    if (error.status === 404 && error.code !== 'NoSuchBucket') return { crossRegion: spec.target.region ? false : undefined }
    const redirect = error.code === 'PermanentRedirect' || /specified endpoint/i.test(error.message)
    if (redirect && spec.mode === 'server') {
      return { crossRegion: true, issue: { code: 'CrossRegion', blocking: true, message: `target bucket ${spec.target.bucket} must be addressed through another endpoint (another region): server-side saveas needs the source's region (${error.code}: ${error.message})` } }
    }
    return {
      issue: { code: 'TargetBucketUnreachable', blocking: error.code === 'NoSuchBucket' || error.status === 403 || redirect, message: `target bucket ${spec.target.bucket}: ${error.status} ${error.code}${error.ec ? ` ${error.ec}` : ''}: ${error.message}` }
    }
  }
  return { crossRegion: spec.target.region ? false : undefined }
}

/** Items a Manifest holds in memory (the summary counts them all; `planned()` streams every one). */
export const MANIFEST_ITEMS_IN_MEMORY = 10_000

export interface PlanOptions extends BuildManifestOptions {
  /** Reuse the index's last complete plan of this spec instead of reading the source again (inventories: a report does not change). */
  readonly reuse?: boolean | undefined
}

/**
 * Plans `spec` into `index`: streams the source a batch at a time, renders every source × style,
 * flags what each item alone shows (invalid target, over 20 MB, missing), then the job-wide flags
 * (own targets left out, target = source, collisions) with queries over the whole plan. Returns the
 * plan generation and the manifest (its items: at most MANIFEST_ITEMS_IN_MEMORY, flagged first).
 */
export async function planManifest(spec: JobSpec, index: JobIndex, options: PlanOptions = {}): Promise<{ gen: number; manifest: Manifest }> {
  const { connect, signal } = options
  if ((spec.source.kind !== 'folder' || spec.target.kind === 'bucket') && !connect) throw new Error('buildManifest: this job needs an OSS connection')
  const digest = specDigest(spec)
  let gen = options.reuse && index.meta('plan_digest') === digest ? index.plannedGen() : undefined
  let excludedOwnTargets = Number(index.meta('plan_excluded') ?? 0)
  if (gen === undefined) {
    index.setMeta({ styles: JSON.stringify(spec.styles.map((s) => s.label)) })
    gen = index.beginPlan()
    const template = parseTemplate(spec.template)
    const formats = spec.styles.map((s) => outputFormatResolver(s.process))
    const toSource = targetToSourceKey(spec)
    let listed = 0
    for await (const batch of sourceBatches(spec.source, connect, { signal })) {
      let objects = batch
      let missing = new Set<string>()
      if (options.probeKeys && connect) ({ objects, missing } = await probeKeySizes(spec, objects, connect, signal))
      const rows: PlanRow[] = []
      for (const o of objects) {
        spec.styles.forEach((style, i) => {
          const format = formats[i]!(o.key)
          const targetKey = template.render({ key: o.key, style: style.label, format })
          const issues: ItemIssue[] = []
          const problem = targetProblem(spec, targetKey)
          if (problem) issues.push({ code: 'InvalidTargetKey', message: problem })
          if (o.size > LIMITS.maxSourceBytes) issues.push({ code: 'SourceTooLarge', message: `source is ${o.size} bytes, over OSS's ${LIMITS.maxSourceBytes}-byte (20 MB) image limit: it will fail with ImageTooLarge` })
          if (missing.has(o.key)) issues.push({ code: 'SourceMissing', message: 'HEAD found no such object: it will fail with NoSuchKey' })
          rows.push({ id: itemId(style.label, o.key), sourceKey: o.key, styleIndex: i, targetKey, format, sourceBytes: o.size, targetAsSource: toSource(targetKey), issues })
        })
      }
      index.addItems(gen, rows)
      listed += objects.length
      options.onListed?.(listed)
      signal?.throwIfAborted()
    }
    excludedOwnTargets = index.finishPlan(gen, { excludeOwnTargets: spec.source.kind !== 'keys' })
    index.setMeta({ plan_digest: digest, plan_excluded: excludedOwnTargets })
  }

  const issues: JobIssue[] = []
  let crossRegion: boolean | undefined
  if (spec.target.kind === 'bucket' && connect && options.probeTarget !== false) {
    const probe = await probeTargetBucket(spec, connect, signal)
    crossRegion = probe.crossRegion
    if (probe.issue) issues.push(probe.issue)
  }
  const counts = index.planSummary(gen)
  if (counts.items === 0) issues.push({ code: 'NoItems', blocking: false, message: 'the source selection is empty: nothing to do' })
  const byStyle: Record<string, number> = {}
  spec.styles.forEach((style, i) => (byStyle[style.label] = counts.byStyle.get(i) ?? 0))
  const flagged = (code: keyof typeof ISSUE_FLAGS) => counts.flagged.get(ISSUE_FLAGS[code]) ?? 0
  return {
    gen,
    manifest: {
      spec,
      items: index.manifestItems(gen, MANIFEST_ITEMS_IN_MEMORY),
      issues,
      summary: {
        sources: counts.sources,
        items: counts.items,
        byStyle,
        estimatedBytes: counts.estimatedBytes,
        collisions: flagged('TargetCollision'),
        invalidTargets: flagged('InvalidTargetKey'),
        targetIsSource: flagged('TargetIsSource'),
        tooLarge: flagged('SourceTooLarge'),
        missingSources: flagged('SourceMissing'),
        excludedOwnTargets,
        crossRegion,
        runnable: counts.runnable
      }
    }
  }
}

/** A dry run's scratch index (a temporary file, removed by `close`). */
export async function scratchIndex(): Promise<JobIndex> {
  const dir = await mkdtemp(join(tmpdir(), 'oss-img-plan-'))
  const index = await JobIndex.scratch(join(dir, 'plan.index'))
  const close = index.close.bind(index)
  index.close = () => {
    close()
    rmSync(dir, { recursive: true, force: true })
  }
  return index
}

/** The dry run: plans into a scratch index and returns the manifest; writes nothing of the job's. */
export async function buildManifest(spec: JobSpec, options: BuildManifestOptions = {}): Promise<Manifest> {
  const index = await scratchIndex()
  try {
    return (await planManifest(spec, index, options)).manifest
  } finally {
    index.close()
  }
}
