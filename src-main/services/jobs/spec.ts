/**
 * From what a caller asks for (JobInput) to a fully resolved, deterministic JobSpec: named styles
 * resolved to their `image/...` content (so a later edit of the style cannot change a half-done
 * job), process strings in canonical form, folders absolute, the mode derived and checked, the
 * template and filters validated. `specDigest` is what a journal is matched by.
 */
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { ImgError } from '../../../src-shared/img/errors'
import { parseProcess, serializeProcess, STYLE_NAME } from '../../../src-shared/img/process'
import { OssError } from '../oss/errors'
import { assertBucketName, assertObjectKey } from '../oss/names'
import { JobError } from './errors'
import { parseTemplate } from './template'
import type { ConflictPolicy, JobMode, JobSpec, JobStyle, JobTarget } from './types'

export type StyleInput =
  /** A named style: the local style library first, then the source bucket's styles. */
  | { readonly style: string }
  /** `image/...` (or `style/NAME`, resolved like `{ style: NAME }`); `label` is what `{style}` renders. */
  | { readonly process: string; readonly label?: string | undefined }

export type SourceInput =
  | { readonly kind: 'bucket'; readonly bucket: string; readonly prefix?: string | undefined; readonly suffixes?: readonly string[] | undefined; readonly pattern?: string | undefined }
  | { readonly kind: 'keys'; readonly bucket: string; readonly keys: readonly string[] }
  /** `manifest`: a local manifest.json (made absolute) or `oss://bucket/key`; `bucket`: the report's sourceBucket. */
  | { readonly kind: 'inventory'; readonly bucket: string; readonly manifest: string; readonly prefix?: string | undefined; readonly suffixes?: readonly string[] | undefined; readonly pattern?: string | undefined }
  | { readonly kind: 'folder'; readonly dir: string; readonly suffixes?: readonly string[] | undefined; readonly pattern?: string | undefined }

export interface JobInput {
  readonly source: SourceInput
  readonly styles: readonly StyleInput[]
  readonly target: JobTarget
  readonly template: string
  /** Default `skip-existing`. */
  readonly conflict?: ConflictPolicy | undefined
  /** Derived when absent: bucket → bucket is `server`, everything else `local`. */
  readonly mode?: JobMode | undefined
}

/** Resolves a named style to its process string (`image/...`), or undefined when unknown. */
export type StyleLookup = (name: string) => Promise<string | undefined>

function invalid(message: string): JobError {
  return new JobError('InvalidJob', message)
}

function checkBucket(bucket: unknown, param: string): string {
  try {
    assertBucketName(bucket, param)
  } catch (error) {
    throw invalid(error instanceof OssError ? error.message : String(error))
  }
  return bucket
}

function checkPattern(pattern: string | undefined): string | undefined {
  if (pattern === undefined || pattern === '') return undefined
  try {
    new RegExp(pattern, 'u')
  } catch (error) {
    throw invalid(`pattern: expected a valid regular expression but received ${JSON.stringify(pattern)} (${(error as Error).message})`)
  }
  return pattern
}

function checkSuffixes(suffixes: readonly string[] | undefined): string[] | undefined {
  const list = (suffixes ?? []).filter((s) => s !== '')
  if (list.some((s) => typeof s !== 'string')) throw invalid('suffixes: expected strings')
  return list.length > 0 ? [...new Set(list)] : undefined
}

/** `image/...` content in canonical form; no saveas (the job supplies the target). */
function canonicalImageProcess(text: string, what: string): string {
  let parsed
  try {
    parsed = parseProcess(text)
  } catch (error) {
    if (error instanceof ImgError) throw invalid(`${what}: ${error.message}`)
    throw error
  }
  if (parsed.kind !== 'image') throw invalid(`${what}: expected an image/... process but received ${JSON.stringify(text)}`)
  if (parsed.saveAs) throw invalid(`${what}: expected no sys/saveas (the job's template names the targets) but received one`)
  return serializeProcess(parsed)
}

async function resolveStyle(input: StyleInput, index: number, lookup: StyleLookup | undefined): Promise<JobStyle> {
  let name: string | undefined
  let label: string | undefined
  if ('style' in input) {
    name = input.style
  } else {
    if (typeof input.process !== 'string') throw invalid(`styles[${index}]: expected a process string`)
    const m = /^style\/(.*)$/.exec(input.process.trim())
    if (m) name = m[1]
    label = input.label
  }
  let process: string
  if (name !== undefined) {
    if (!STYLE_NAME.test(name)) throw invalid(`styles[${index}]: expected a style name of 1-63 letters, digits, "_", "." or "-" but received ${JSON.stringify(name)}`)
    const content = lookup ? await lookup(name) : undefined
    if (content === undefined) throw invalid(`styles[${index}]: expected an existing style but received ${JSON.stringify(name)} (not in the style library nor the source bucket)`)
    process = canonicalImageProcess(content, `style ${name}`)
  } else {
    process = canonicalImageProcess((input as { process: string }).process, `styles[${index}]`)
  }
  const finalLabel = label ?? name ?? `p-${createHash('sha256').update(process).digest('hex').slice(0, 8)}`
  if (!STYLE_NAME.test(finalLabel)) throw invalid(`styles[${index}]: expected a label of 1-63 letters, digits, "_", "." or "-" but received ${JSON.stringify(finalLabel)}`)
  return { label: finalLabel, process, ...(name !== undefined ? { name } : {}) }
}

function deriveMode(input: JobInput): JobMode {
  const bucketSource = input.source.kind !== 'folder'
  const bucketTarget = input.target.kind === 'bucket'
  const natural: JobMode = bucketSource && bucketTarget ? 'server' : 'local'
  if (input.mode === undefined) return natural
  if (input.mode === 'local' && natural === 'server') throw invalid('mode: bucket to bucket runs server-side only (processObjectSave); choose a folder target to process on this machine')
  if (input.mode === 'server' && natural === 'local') throw invalid(`mode: server-side needs a bucket source and a bucket target but received ${input.source.kind} → ${input.target.kind}`)
  return input.mode
}

export async function resolveSpec(input: JobInput, lookup?: StyleLookup): Promise<JobSpec> {
  if (!input || typeof input !== 'object') throw invalid('job: expected an object')
  const src = input.source
  let source: JobSpec['source']
  if (src?.kind === 'bucket') {
    const prefix = src.prefix ?? ''
    if (typeof prefix !== 'string') throw invalid('source.prefix: expected a string')
    const suffixes = checkSuffixes(src.suffixes)
    const pattern = checkPattern(src.pattern)
    source = { kind: 'bucket', bucket: checkBucket(src.bucket, 'source.bucket'), prefix, ...(suffixes ? { suffixes } : {}), ...(pattern ? { pattern } : {}) }
  } else if (src?.kind === 'keys') {
    if (!Array.isArray(src.keys)) throw invalid('source.keys: expected a list of object keys')
    const keys: string[] = []
    const seen = new Set<string>()
    src.keys.forEach((key, i) => {
      try {
        assertObjectKey(key, `source.keys[${i}]`)
      } catch (error) {
        throw invalid(error instanceof OssError ? error.message : String(error))
      }
      if (key.endsWith('/')) throw invalid(`source.keys[${i}]: expected an object key but received a folder ${JSON.stringify(key)}`)
      if (!seen.has(key)) {
        seen.add(key)
        keys.push(key)
      }
    })
    if (keys.length === 0) throw invalid('source.keys: expected at least one object key')
    source = { kind: 'keys', bucket: checkBucket(src.bucket, 'source.bucket'), keys }
  } else if (src?.kind === 'inventory') {
    if (typeof src.manifest !== 'string' || src.manifest === '') throw invalid('source.manifest: expected the path or oss://bucket/key of an inventory manifest.json')
    const prefix = src.prefix ?? ''
    if (typeof prefix !== 'string') throw invalid('source.prefix: expected a string')
    const suffixes = checkSuffixes(src.suffixes)
    const pattern = checkPattern(src.pattern)
    const manifest = src.manifest.startsWith('oss://') ? src.manifest : resolve(src.manifest)
    source = { kind: 'inventory', bucket: checkBucket(src.bucket, 'source.bucket'), manifest, prefix, ...(suffixes ? { suffixes } : {}), ...(pattern ? { pattern } : {}) }
  } else if (src?.kind === 'folder') {
    if (typeof src.dir !== 'string' || src.dir === '') throw invalid('source.dir: expected a folder')
    const suffixes = checkSuffixes(src.suffixes)
    const pattern = checkPattern(src.pattern)
    source = { kind: 'folder', dir: resolve(src.dir), ...(suffixes ? { suffixes } : {}), ...(pattern ? { pattern } : {}) }
  } else {
    throw invalid('source: expected { kind: "bucket" | "keys" | "inventory" | "folder", … }')
  }

  const tgt = input.target
  let target: JobTarget
  if (tgt?.kind === 'bucket') {
    const region = tgt.region ? tgt.region.trim().toLowerCase().replace(/^oss-/, '') : undefined
    target = { kind: 'bucket', bucket: checkBucket(tgt.bucket, 'target.bucket'), ...(region ? { region } : {}) }
  } else if (tgt?.kind === 'folder') {
    if (typeof tgt.dir !== 'string' || tgt.dir === '') throw invalid('target.dir: expected a folder')
    target = { kind: 'folder', dir: resolve(tgt.dir) }
  } else {
    throw invalid('target: expected { kind: "bucket" | "folder", … }')
  }

  if (!Array.isArray(input.styles) || input.styles.length === 0) throw invalid('styles: expected at least one style or process string')
  const styles: JobStyle[] = []
  for (const [i, style] of input.styles.entries()) styles.push(await resolveStyle(style, i, lookup))
  const labels = new Set<string>()
  for (const style of styles) {
    if (labels.has(style.label)) throw invalid(`styles: expected distinct labels but ${JSON.stringify(style.label)} appears twice (give process strings a label: "label=image/...")`)
    labels.add(style.label)
  }

  parseTemplate(input.template)
  const conflict = input.conflict ?? 'skip-existing'
  if (conflict !== 'skip-existing' && conflict !== 'overwrite') throw invalid(`conflict: expected "skip-existing" or "overwrite" but received ${JSON.stringify(conflict)}`)
  return { version: 1, source, styles, target, template: input.template, conflict, mode: deriveMode(input) }
}

/** JSON with object keys sorted at every level: the same spec always serializes the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export function specDigest(spec: JobSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex')
}

/** Which top-level fields differ (for the SpecMismatch message). */
export function specDifferences(a: JobSpec, b: JobSpec): string[] {
  const fields = ['version', 'source', 'styles', 'target', 'template', 'conflict', 'mode'] as const
  return fields.filter((f) => canonicalJson(a[f]) !== canonicalJson(b[f]))
}
