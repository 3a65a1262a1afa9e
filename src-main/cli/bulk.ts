/**
 * `oss-img bulk`: derivatives in bulk across a bucket prefix, a key list or a local folder, with
 * the job service (services/jobs): server-side saveas bucket → bucket, the local engine otherwise.
 *
 * stdout: with --json one JSON line per finished item (a dry run: per planned item); always, as
 * the last line, the summary `{"done":N,"skipped":N,"failed":N}` (a dry run: the manifest's
 * summary). stderr: progress (a bar on a TTY, plain lines otherwise), failures, notes.
 * Exit codes: 0 nothing failed; 1 items failed, the run stopped, or a dry run found problems;
 * 2 usage error or invalid job (OSS 4xx before any item ran, a journal of another job);
 * 130 interrupted (SIGINT/SIGTERM: in-flight items stay resumable with the same --journal).
 */
import { stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { isImgError } from '../../src-shared/img/errors'
import { isJobError, JobRunner, openInventory, planManifest, reportCsv, resolveSpec, scratchIndex, specDigest, type JobInput, type Manifest, type ManifestItem, type StyleInput } from '../services/jobs'
import { isOssError, OssError } from '../services/oss/errors'
import { writeFileAtomic } from '../util/atomic-write'
import { fileError, isFsError, isFileError, type FileAction } from '../util/file-errors'
import type { BulkConnection } from './bulk-connection'
import { failureText, ProgressReporter } from './bulk-progress'
import { BULK_HELP } from './bulk-help'
import { UsageError } from './usage-error'
import { readKeyFile } from './key-file'


interface Parsed {
  values: {
    profile?: string | undefined
    endpoint?: string | undefined
    region?: string | undefined
    bucket?: string | undefined
    prefix?: string | undefined
    keys?: string | undefined
    inventory?: string | undefined
    'from-dir'?: string | undefined
    suffix?: string[] | undefined
    match?: string | undefined
    'target-bucket'?: string | undefined
    'target-region'?: string | undefined
    'to-dir'?: string | undefined
    target?: string | undefined
    concurrency?: string | undefined
    qps?: string | undefined
    journal?: string | undefined
    overwrite?: boolean | undefined
    'retry-failed'?: boolean | undefined
    report?: string | undefined
    'dry-run'?: boolean | undefined
    json?: boolean | undefined
    'data-dir'?: string | undefined
    help?: boolean | undefined
  }
  styles: StyleInput[]
}

const LABELLED = /^([A-Za-z0-9_.-]{1,63})=((?:image|style)\/[\s\S]*)$/

function parse(argv: string[]): Parsed {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      tokens: true,
      options: {
        profile: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        bucket: { type: 'string' },
        prefix: { type: 'string' },
        keys: { type: 'string' },
        inventory: { type: 'string' },
        'from-dir': { type: 'string' },
        suffix: { type: 'string', multiple: true },
        match: { type: 'string' },
        style: { type: 'string', multiple: true },
        process: { type: 'string', short: 'p', multiple: true },
        'target-bucket': { type: 'string' },
        'target-region': { type: 'string' },
        'to-dir': { type: 'string' },
        target: { type: 'string' },
        concurrency: { type: 'string' },
        qps: { type: 'string' },
        journal: { type: 'string' },
        overwrite: { type: 'boolean' },
        'retry-failed': { type: 'boolean' },
        report: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new UsageError(`bulk: ${(error as Error).message}`)
  }
  // --style and --process keep their command-line order: it is the order of the derivatives.
  const styles: StyleInput[] = []
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || (token.name !== 'style' && token.name !== 'process')) continue
    const value = token.value ?? ''
    if (token.name === 'style') styles.push({ style: value })
    else {
      const m = LABELLED.exec(value)
      styles.push(m ? { process: m[2]!, label: m[1]! } : { process: value })
    }
  }
  return { values: parsed.values as Parsed['values'], styles }
}

async function jobInput(values: Parsed['values'], styles: StyleInput[]): Promise<JobInput> {
  const fromDir = values['from-dir']
  const inventory = values.inventory
  if (fromDir !== undefined && (values.bucket !== undefined || inventory !== undefined)) throw new UsageError('give either --bucket (with --prefix or --keys), --inventory or --from-dir, not more than one')
  if (fromDir === undefined && values.bucket === undefined && inventory === undefined) throw new UsageError('bulk needs a source: --bucket B with --prefix P or --keys FILE, --inventory MANIFEST, or --from-dir DIR')
  if (values.prefix !== undefined && values.keys !== undefined) throw new UsageError('give either --prefix or --keys, not both')
  let source: JobInput['source']
  if (inventory !== undefined) {
    if (values.keys !== undefined) throw new UsageError('give either --inventory or --keys, not both')
    // The bucket is the report's sourceBucket unless given (filled in once the manifest is read).
    source = { kind: 'inventory', bucket: values.bucket ?? '', manifest: inventory, prefix: values.prefix, suffixes: values.suffix, pattern: values.match }
  } else if (fromDir !== undefined) {
    if (values.prefix !== undefined || values.keys !== undefined) throw new UsageError('--prefix and --keys go with --bucket, not --from-dir')
    source = { kind: 'folder', dir: fromDir, suffixes: values.suffix, pattern: values.match }
  } else if (values.keys !== undefined) {
    if (values.suffix || values.match) throw new UsageError('--suffix and --match filter listings: they do not apply to --keys')
    source = { kind: 'keys', bucket: values.bucket!, keys: await readKeyFile(values.keys) }
  } else {
    if (values.prefix === undefined) throw new UsageError('--bucket needs --prefix P (use --prefix "" for the whole bucket) or --keys FILE')
    source = { kind: 'bucket', bucket: values.bucket!, prefix: values.prefix, suffixes: values.suffix, pattern: values.match }
  }
  if ((values['target-bucket'] === undefined) === (values['to-dir'] === undefined)) throw new UsageError('bulk needs exactly one target: --target-bucket B2 or --to-dir DIR')
  const target: JobInput['target'] =
    values['to-dir'] !== undefined ? { kind: 'folder', dir: values['to-dir'] } : { kind: 'bucket', bucket: values['target-bucket']!, region: values['target-region'] }
  if (values['target-region'] !== undefined && values['target-bucket'] === undefined) throw new UsageError('--target-region goes with --target-bucket')
  if (values.target === undefined) throw new UsageError('bulk needs --target TEMPLATE, e.g. "thumbs/{dir}/{name}.{format}"')
  if (styles.length === 0) throw new UsageError('bulk needs at least one --style NAME or --process STR')
  return { source, styles, target, template: values.target, conflict: values.overwrite ? 'overwrite' : 'skip-existing' }
}

function concurrencyOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--concurrency expects an integer between 1 and 256, got ${JSON.stringify(text)}`)
  return n
}

function qpsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(n > 0) || n > 100_000) throw new UsageError(`--qps expects a number of requests per second above 0 and at most 100000, got ${JSON.stringify(text)}`)
  return n
}

/**
 * --journal must be a file and --to-dir a folder (or not exist yet, under folders that can be made):
 * checked before the job starts, so a folder or a file in the way is one sentence about the path
 * given, not the journal's raw EISDIR or a failure per item.
 */
async function checkPath(path: string, kind: 'file' | 'folder', action: FileAction): Promise<void> {
  try {
    const isFolder = (await stat(path)).isDirectory()
    if (isFolder !== (kind === 'folder')) throw Object.assign(new Error(kind), { code: isFolder ? 'EISDIR' : 'ENOTDIR', path })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(error, action, path)
  }
}

function errorLine(error: unknown): string {
  if (isOssError(error) || isImgError(error)) return `${error.status} ${error.code}${error.ec ? ` EC ${error.ec}` : ''}: ${error.message}`
  if (isJobError(error)) return `${error.code}: ${error.message}`
  if (isFileError(error)) return error.message
  // A file-system failure no module put in words (its path is Node's, the errno the reason).
  if (isFsError(error)) return (fileError(error, 'use', error.path) as Error).message
  return (error as Error)?.message ?? String(error)
}

/** 2 for what the caller must fix (usage, an invalid job, OSS 4xx), 1 otherwise. */
function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return 2
  if (isJobError(error)) return error.code === 'InvalidJob' || error.code === 'InvalidInventory' || error.code === 'SpecMismatch' || error.code === 'Blocked' ? 2 : 1
  if (error instanceof OssError || isImgError(error)) return error.status >= 400 && error.status < 500 ? 2 : 1
  return 1
}

/** Prints every planned item (streamed from the plan's index, in plan order), then the summary. */
function printManifest(manifest: Manifest, items: Iterable<ManifestItem>, json: boolean, out: (line: string) => void, err: (line: string) => void): number {
  let flagged = 0
  let lines: string[] = []
  for (const item of items) {
    if (item.issues.length > 0) flagged++
    if (json) lines.push(JSON.stringify({ source: item.sourceKey, style: item.style, target: item.targetKey, format: item.format, bytes: item.sourceBytes, ...(item.issues.length ? { issues: item.issues } : {}) }))
    else lines.push(`${item.sourceKey} [${item.style}] → ${item.targetKey}${item.issues.map((i) => `  !${i.code}: ${i.message}`).join('')}`)
    if (lines.length >= 1000) {
      out(lines.join('\n'))
      lines = []
    }
  }
  if (lines.length > 0) out(lines.join('\n'))
  for (const issue of manifest.issues) err(`bulk: ${issue.blocking ? 'BLOCKING ' : ''}${issue.code}: ${issue.message}`)
  const s = manifest.summary
  err(
    `bulk: dry run — ${s.sources} source(s) × ${manifest.spec.styles.length} style(s) = ${s.items} item(s), ${s.runnable} runnable; ` +
      `collisions ${s.collisions}, invalid targets ${s.invalidTargets}, targets = sources ${s.targetIsSource}, over 20 MB ${s.tooLarge}` +
      `${s.missingSources ? `, missing ${s.missingSources}` : ''}${s.excludedOwnTargets ? `, own targets left out ${s.excludedOwnTargets}` : ''}; ` +
      `cross-region ${s.crossRegion === undefined ? 'unknown' : s.crossRegion}; estimated ${s.estimatedBytes} bytes to read; ${flagged} item(s) flagged`
  )
  out(JSON.stringify({ dryRun: true, ...s, issues: manifest.issues.map((i) => ({ code: i.code, blocking: i.blocking, message: i.message })) }))
  return manifest.issues.some((i) => i.blocking) || s.runnable < s.items ? 1 : 0
}

export async function run(argv: string[]): Promise<number> {
  const { values, styles } = parse(argv)
  if (values.help) {
    process.stdout.write(BULK_HELP)
    return 0
  }
  const json = values.json === true
  const out = (line: string) => void process.stdout.write(`${line}\n`)
  const reporter = new ProgressReporter(process.stderr)
  let input = await jobInput(values, styles)
  const concurrency = concurrencyOf(values.concurrency)
  const qps = qpsOf(values.qps)
  if (values['retry-failed'] && values.journal === undefined) throw new UsageError('--retry-failed needs the --journal of the earlier run')
  const needsOss = input.source.kind !== 'folder' || input.target.kind === 'bucket'
  if (needsOss && values.profile === undefined && values.endpoint === undefined) throw new UsageError('a bucket source or target needs --profile NAME or --endpoint URL (with OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET)')
  // Profiles, the vault, the style library and the OSS client load only for a job that needs them.
  const connecting = () => import('./bulk-connection')
  const connection: BulkConnection | undefined = needsOss ? await (await connecting()).openBulkConnection({ profile: values.profile, endpoint: values.endpoint, region: values.region, dataDir: values['data-dir'] }) : undefined
  try {
    if (input.source.kind === 'inventory' && input.source.bucket === '') {
      const opened = await openInventory(input.source.manifest, connection ? (bucket) => connection.service(bucket) : undefined)
      input = { ...input, source: { ...input.source, bucket: opened.manifest.sourceBucket } }
    }
    const sourceBucket = input.source.kind === 'folder' ? undefined : input.source.bucket
    let styleLookup: ((name: string) => Promise<string | undefined>) | undefined
    const lookup = async (name: string) => (styleLookup ??= (await connecting()).bulkStyleLookup(values['data-dir'], connection, sourceBucket))(name)
    const spec = await resolveSpec(input, lookup)
    const connect = connection ? (bucket: string) => connection.service(bucket) : undefined

    const onListed = (n: number) => reporter.progress({ jobId: '', state: 'planning', total: n, done: 0, skipped: 0, failed: 0, pending: n, inFlight: 0, concurrency: 0, throttled: 0, retries: 0, bytes: 0, rate: 0, etaSeconds: null, elapsedMs: 0 })
    if (values['dry-run']) {
      const index = await scratchIndex()
      try {
        const { manifest, gen } = await planManifest(spec, index, { connect, probeKeys: true, onListed })
        return printManifest(manifest, (function* () {
          for (const { item } of index.planned(gen)) yield item
        })(), json, out, (line) => reporter.line(line))
      } finally {
        index.close()
      }
    }

    if (values.journal !== undefined) await checkPath(values.journal, 'file', 'use the journal')
    if (values['to-dir'] !== undefined) await checkPath(values['to-dir'], 'folder', 'use the target folder')
    const journalPath = values.journal ?? join(tmpdir(), `oss-img-bulk-${specDigest(spec).slice(0, 12)}-${Date.now().toString(36)}.jsonl`)
    if (values.journal === undefined) reporter.line(`bulk: journal ${journalPath} (re-run with --journal ${JSON.stringify(journalPath)} to resume)`)
    const runner = new JobRunner({
      spec,
      journalPath,
      meta: connection?.meta,
      connect,
      // Local mode: --concurrency counts images in the engine at once, with twice as many items in
      // flight so reading sources and the durable writes (fdatasync) overlap processing, as the
      // runner's default does; server-side it counts requests in flight.
      ...(concurrency !== undefined && spec.mode === 'local' ? { concurrency: 2 * concurrency, engineSlots: concurrency } : { concurrency }),
      qps,
      retryFailed: values['retry-failed'] === true,
      onListed,
      onProgress: (p) => {
        if (p.state !== 'planning') reporter.progress(p)
      },
      onItem: (result) => {
        if (result.status === 'failed') reporter.line(failureText(result))
        if (json) out(JSON.stringify(result))
      }
    })
    let interrupted = false
    const onSignal = () => {
      if (interrupted) process.exit(130)
      interrupted = true
      reporter.line('bulk: stopping (in-flight items stay resumable with the same --journal); press Ctrl-C again to quit at once')
      runner.cancel()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    let result
    try {
      result = await runner.run()
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    reporter.progress(runner.progress, true)
    if (values.report) await writeFileAtomic(values.report, reportCsv(result.items))
    let code = result.counts.failed > 0 ? 1 : 0
    if (result.state === 'error') {
      reporter.line(`oss-img bulk: ${errorLine(result.error)}`)
      code = result.counts.done + result.counts.skipped + result.counts.failed === 0 ? exitCodeOf(result.error) : 1
    } else if (result.state === 'cancelled') {
      code = 130
    }
    out(JSON.stringify({ done: result.counts.done, skipped: result.counts.skipped, failed: result.counts.failed }))
    return code
  } catch (error) {
    if (error instanceof UsageError) throw error
    reporter.line(`oss-img bulk: ${errorLine(error)}`)
    return exitCodeOf(error)
  } finally {
    await connection?.close()
  }
}
