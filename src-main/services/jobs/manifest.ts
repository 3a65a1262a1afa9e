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
import { join, relative, sep } from 'node:path'
import { LIMITS } from '../../../src-shared/img/limits'
import { OssError } from '../oss/errors'
import { assertObjectKey } from '../oss/names'
import type { Connect } from './oss-port'
import { outputFormatResolver } from './output-format'
import { listSources, type SourceObject } from './sources'
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

async function probeKeySizes(spec: JobSpec, objects: SourceObject[], connect: Connect, signal: AbortSignal | undefined): Promise<{ objects: SourceObject[]; missing: Set<string> }> {
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

export async function buildManifest(spec: JobSpec, options: BuildManifestOptions = {}): Promise<Manifest> {
  const { connect, signal } = options
  if ((spec.source.kind !== 'folder' || spec.target.kind === 'bucket') && !connect) throw new Error('buildManifest: this job needs an OSS connection')
  let objects = await listSources(spec.source, connect, { signal, onListed: options.onListed })
  let missing = new Set<string>()
  if (options.probeKeys && connect) ({ objects, missing } = await probeKeySizes(spec, objects, connect, signal))

  const template = parseTemplate(spec.template)
  const formats = spec.styles.map((s) => outputFormatResolver(s.process))
  const render = (key: string) => spec.styles.map((style, i) => template.render({ key, style: style.label, format: formats[i]!(key) }))
  const toSource = targetToSourceKey(spec)

  // Leave out sources that are targets of *other* sources of this job (its own earlier outputs).
  let excludedOwnTargets = 0
  if (spec.source.kind !== 'keys') {
    const producedBy = new Map<string, string>()
    for (const o of objects) {
      for (const target of render(o.key)) {
        const asSource = toSource(target)
        if (asSource !== undefined && !producedBy.has(asSource)) producedBy.set(asSource, o.key)
      }
    }
    const kept = objects.filter((o) => {
      const producer = producedBy.get(o.key)
      return producer === undefined || producer === o.key
    })
    excludedOwnTargets = objects.length - kept.length
    objects = kept
  }
  const sourceKeys = new Set(objects.map((o) => o.key))

  const drafts: { item: Omit<ManifestItem, 'issues'>; issues: ItemIssue[] }[] = []
  for (const o of objects) {
    const targets = render(o.key)
    spec.styles.forEach((style, i) => {
      const targetKey = targets[i]!
      const issues: ItemIssue[] = []
      const problem = targetProblem(spec, targetKey)
      if (problem) issues.push({ code: 'InvalidTargetKey', message: problem })
      const asSource = toSource(targetKey)
      if (asSource !== undefined && sourceKeys.has(asSource)) {
        issues.push({ code: 'TargetIsSource', message: `target ${JSON.stringify(targetKey)} is ${asSource === o.key ? 'the item\'s own source' : `the source ${JSON.stringify(asSource)} of this job`}: the job would overwrite its input` })
      }
      if (o.size > LIMITS.maxSourceBytes) issues.push({ code: 'SourceTooLarge', message: `source is ${o.size} bytes, over OSS's ${LIMITS.maxSourceBytes}-byte (20 MB) image limit: it will fail with ImageTooLarge` })
      if (missing.has(o.key)) issues.push({ code: 'SourceMissing', message: 'HEAD found no such object: it will fail with NoSuchKey' })
      drafts.push({
        item: { id: itemId(style.label, o.key), sourceKey: o.key, style: style.label, styleIndex: i, targetKey, format: formats[i]!(o.key), sourceBytes: o.size },
        issues
      })
    })
  }
  const byTarget = new Map<string, number[]>()
  drafts.forEach((d, i) => {
    const list = byTarget.get(d.item.targetKey)
    if (list) list.push(i)
    else byTarget.set(d.item.targetKey, [i])
  })
  for (const list of byTarget.values()) {
    if (list.length < 2) continue
    for (const i of list) {
      const other = drafts[list.find((j) => j !== i)!]!.item
      drafts[i]!.issues.push({ code: 'TargetCollision', message: `target ${JSON.stringify(drafts[i]!.item.targetKey)} is also the target of ${other.style}:${other.sourceKey}${list.length > 2 ? ` and ${list.length - 2} more` : ''}` })
    }
  }
  const items: ManifestItem[] = drafts.map((d) => ({ ...d.item, issues: d.issues }))

  const issues: JobIssue[] = []
  let crossRegion: boolean | undefined
  if (spec.target.kind === 'bucket' && connect && options.probeTarget !== false) {
    const probe = await probeTargetBucket(spec, connect, signal)
    crossRegion = probe.crossRegion
    if (probe.issue) issues.push(probe.issue)
  }
  if (items.length === 0) issues.push({ code: 'NoItems', blocking: false, message: 'the source selection is empty: nothing to do' })

  const byStyle: Record<string, number> = {}
  for (const style of spec.styles) byStyle[style.label] = 0
  let estimatedBytes = 0
  const count = (code: string) => items.filter((it) => it.issues.some((i) => i.code === code)).length
  for (const item of items) {
    byStyle[item.style] = (byStyle[item.style] ?? 0) + 1
    estimatedBytes += item.sourceBytes
  }
  return {
    spec,
    items,
    issues,
    summary: {
      sources: objects.length,
      items: items.length,
      byStyle,
      estimatedBytes,
      collisions: count('TargetCollision'),
      invalidTargets: count('InvalidTargetKey'),
      targetIsSource: count('TargetIsSource'),
      tooLarge: count('SourceTooLarge'),
      missingSources: count('SourceMissing'),
      excludedOwnTargets,
      crossRegion,
      runnable: items.filter(isRunnable).length
    }
  }
}
