/**
 * JobManager: the app's bulk jobs, kept in the main process and running independently of any
 * window. Each job is one journal, `<dataDir>/jobs/<id>.jsonl`; on open, the manager lists what is
 * on disk (a job whose last run never ended is `interrupted`: start it to resume).
 *
 *   const jobs = await openJobManager({ dataDir, connect: (conn, bucket) => …, styleLookup })
 *   const off = jobs.on((event) => …)                  // state / progress (throttled) / item
 *   const job = await jobs.create({ source, styles, target, template, conflict, connection })
 *   const manifest = await jobs.dryRun(job.id)         // the full source → target manifest
 *   await jobs.start(job.id)                           // returns once started
 *   jobs.pause(job.id); jobs.resume(job.id); jobs.cancel(job.id)
 *   await jobs.wait(job.id)                            // → JobInfo when the run ends
 *   const csv = await jobs.reportCsv(job.id)
 *   await jobs.start(job.id, { retryFailed: true })    // retry failed only
 *
 * See README.md for the API and the decisions.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { JobError } from './errors'
import { JobIndex } from './job-index'
import { Journal, readJournal, type JournalReplay } from './journal'
import { buildManifest } from './manifest'
import type { Connect, JobOss } from './oss-port'
import { buildReport, reportCsv } from './report'
import { JobRunner, type RunResult } from './runner'
import { resolveSpec, type JobInput } from './spec'
import type { ItemResult, JobCounts, JobProgress, JobReport, JobSpec, JobState, Manifest } from './types'
import type { RetryPolicy } from '../oss/retry'

/** Which credentials a job uses: opaque to the manager (the app passes a profile id). */
export type JobConnection = Readonly<Record<string, string>>

export interface CreateJobInput extends JobInput {
  readonly connection?: JobConnection | undefined
  /** A name for lists. */
  readonly name?: string | undefined
  /** Items in flight; default local: cores, server: 16. */
  readonly concurrency?: number | undefined
}

export interface JobInfo {
  readonly id: string
  readonly name: string | undefined
  readonly spec: JobSpec
  readonly connection: JobConnection | undefined
  readonly concurrency: number | undefined
  readonly state: JobState
  readonly createdAt: string
  readonly journalPath: string
  /** Over the whole job; `total` is the last run's manifest size (0 before the first run). */
  readonly counts: JobCounts
  /** While running. */
  readonly progress?: JobProgress | undefined
  /** For `error`: why the run stopped. */
  readonly error?: { readonly code: string; readonly message: string; readonly status?: number | undefined; readonly ec?: string | undefined } | undefined
}

export type JobEvent =
  | { readonly type: 'state'; readonly job: JobInfo }
  | { readonly type: 'progress'; readonly progress: JobProgress }
  | { readonly type: 'item'; readonly jobId: string; readonly result: ItemResult }

export interface JobManagerOptions {
  readonly dataDir: string
  /** An OSS connection for a job's bucket. */
  readonly connect?: ((connection: JobConnection | undefined, bucket: string) => JobOss | Promise<JobOss>) | undefined
  /** Named styles: e.g. the style library first, then the source bucket's styles. */
  readonly styleLookup?: ((name: string, context: { connection: JobConnection | undefined; sourceBucket: string | undefined }) => Promise<string | undefined>) | undefined
  readonly progressIntervalMs?: number | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
}

export interface StartOptions {
  readonly retryFailed?: boolean | undefined
  readonly concurrency?: number | undefined
}

export interface JobManager {
  create(input: CreateJobInput): Promise<JobInfo>
  /** The manifest of a job (by id) or of a job input not created yet; nothing is written. */
  dryRun(job: string | CreateJobInput, options?: { signal?: AbortSignal }): Promise<Manifest>
  /** Starts (or resumes) a run; resolves once it has started. `retryFailed`: also rerun failed items. */
  start(id: string, options?: StartOptions): Promise<JobInfo>
  pause(id: string): JobInfo
  resume(id: string): JobInfo
  /** Stops the run; interrupted items stay resumable (start again). Resolves when it has stopped. */
  cancel(id: string): Promise<JobInfo>
  setConcurrency(id: string, concurrency: number): JobInfo
  list(): JobInfo[]
  get(id: string): JobInfo
  /** Resolves when the job's current run ends (at once when none runs). */
  wait(id: string): Promise<JobInfo>
  report(id: string): Promise<JobReport>
  reportCsv(id: string, options?: { failedOnly?: boolean }): Promise<string>
  /** Deletes a job that is not running (its journal; targets stay). */
  remove(id: string): Promise<void>
  on(listener: (event: JobEvent) => void): () => void
  /** Cancels running jobs (they stay resumable) and waits for their journals. */
  close(): Promise<void>
}

interface Entry {
  info: JobInfo
  runner?: JobRunner | undefined
  running?: Promise<RunResult> | undefined
  /** The last run's results, read from its index when a report asks for them. */
  lastResults?: (() => readonly ItemResult[]) | undefined
}

const JOB_ID = /^[a-z0-9][a-z0-9-]{0,63}$/

function countsFromReplay(replay: JournalReplay): JobCounts {
  let done = 0
  let skipped = 0
  let failed = 0
  for (const state of replay.items.values()) {
    if (state.status === 'done') done++
    else if (state.status === 'skipped') skipped++
    else if (state.status === 'failed') failed++
  }
  return { total: Math.max(replay.total, done + skipped + failed), done, skipped, failed }
}

function stateFromReplay(replay: JournalReplay): JobState {
  if (replay.openRun) return 'interrupted'
  if (replay.runs === 0) return 'created'
  return replay.lastEnd?.state ?? 'interrupted'
}

function resultsFromReplay(replay: JournalReplay): ItemResult[] {
  const out: ItemResult[] = []
  for (const [id, state] of replay.items) {
    const colon = id.indexOf(':')
    out.push({
      id,
      style: id.slice(0, colon),
      sourceKey: id.slice(colon + 1),
      targetKey: state.target ?? '',
      status: state.status === 'started' ? 'pending' : state.status,
      attempts: state.attempts,
      ...(state.bytes !== undefined ? { bytes: state.bytes } : {}),
      ...(state.recovered ? { recovered: true } : {}),
      ...(state.error ? { error: state.error } : {})
    })
  }
  return out
}

function parseMeta(meta: Readonly<Record<string, string>> | undefined): { name?: string; connection?: JobConnection; concurrency?: number } {
  const out: { name?: string; connection?: JobConnection; concurrency?: number } = {}
  if (meta?.name) out.name = meta.name
  if (meta?.connection) {
    try {
      out.connection = JSON.parse(meta.connection) as JobConnection
    } catch {
      // informational only
    }
  }
  if (meta?.concurrency && Number.isInteger(Number(meta.concurrency))) out.concurrency = Number(meta.concurrency)
  return out
}

function errorInfo(error: unknown): JobInfo['error'] {
  const e = error as { code?: unknown; message?: unknown; status?: unknown; ec?: unknown } | undefined
  return {
    code: typeof e?.code === 'string' ? e.code : 'InternalError',
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.status === 'number' ? { status: e.status } : {}),
    ...(typeof e?.ec === 'string' ? { ec: e.ec } : {})
  }
}

export async function openJobManager(options: JobManagerOptions): Promise<JobManager> {
  const dir = join(options.dataDir, 'jobs')
  await mkdir(dir, { recursive: true })
  const entries = new Map<string, Entry>()
  const listeners = new Set<(event: JobEvent) => void>()
  let closed = false

  const emit = (event: JobEvent) => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch {
        // A listener's failure is its own.
      }
    }
  }
  const journalPath = (id: string) => join(dir, `${id}.jsonl`)

  for (const name of (await readdir(dir)).sort()) {
    const m = /^(.+)\.jsonl$/.exec(name)
    if (!m || !JOB_ID.test(m[1]!)) continue
    const replay = await readJournal(join(dir, name)).catch(() => undefined)
    if (!replay || replay.header.id !== m[1]) continue
    const meta = parseMeta(replay.header.meta)
    entries.set(m[1]!, {
      info: {
        id: m[1]!,
        name: meta.name,
        spec: replay.header.spec,
        connection: meta.connection,
        concurrency: meta.concurrency,
        state: stateFromReplay(replay),
        createdAt: replay.header.createdAt,
        journalPath: join(dir, name),
        counts: countsFromReplay(replay)
      }
    })
  }

  const entry = (id: string): Entry => {
    const found = typeof id === 'string' ? entries.get(id) : undefined
    if (!found) throw new JobError('NotFound', `no job with id ${JSON.stringify(id)}`)
    return found
  }
  const update = (e: Entry, patch: Partial<JobInfo>, notify = true) => {
    e.info = { ...e.info, ...patch }
    if (notify) emit({ type: 'state', job: e.info })
  }
  const connectFor = (connection: JobConnection | undefined): Connect | undefined => {
    const connect = options.connect
    return connect ? (bucket) => connect(connection, bucket) : undefined
  }
  const resolveInput = async (input: CreateJobInput): Promise<JobSpec> => {
    const sourceBucket = input.source?.kind === 'folder' ? undefined : input.source?.bucket
    const lookup = options.styleLookup
    return resolveSpec(input, lookup ? (name) => lookup(name, { connection: input.connection, sourceBucket }) : undefined)
  }
  const isActive = (e: Entry) => e.running !== undefined

  const manager: JobManager = {
    async create(input) {
      if (closed) throw new JobError('InvalidState', 'the job manager is closed')
      const spec = await resolveInput(input)
      const id = randomUUID()
      const meta: Record<string, string> = {}
      if (input.name) meta.name = String(input.name).slice(0, 200)
      if (input.connection) meta.connection = JSON.stringify(input.connection)
      if (input.concurrency !== undefined) meta.concurrency = String(input.concurrency)
      const path = journalPath(id)
      const { journal, replay } = await Journal.open(path, spec, { id, meta })
      await journal.close()
      const info: JobInfo = {
        id,
        name: meta.name,
        spec,
        connection: input.connection,
        concurrency: input.concurrency,
        state: 'created',
        createdAt: replay.header.createdAt,
        journalPath: path,
        counts: { total: 0, done: 0, skipped: 0, failed: 0 }
      }
      const e: Entry = { info }
      entries.set(id, e)
      emit({ type: 'state', job: info })
      return info
    },

    async dryRun(job, dryOptions = {}) {
      let spec: JobSpec
      let connection: JobConnection | undefined
      if (typeof job === 'string') {
        const e = entry(job)
        spec = e.info.spec
        connection = e.info.connection
      } else {
        spec = await resolveInput(job)
        connection = job.connection
      }
      return buildManifest(spec, { connect: connectFor(connection), signal: dryOptions.signal, probeKeys: true })
    },

    async start(id, startOptions = {}) {
      if (closed) throw new JobError('InvalidState', 'the job manager is closed')
      const e = entry(id)
      if (isActive(e)) throw new JobError('InvalidState', `job ${id} is already ${e.info.state}`)
      const concurrency = startOptions.concurrency ?? e.info.concurrency
      const runner = new JobRunner({
        spec: e.info.spec,
        journalPath: e.info.journalPath,
        jobId: id,
        connect: connectFor(e.info.connection),
        concurrency,
        retry: options.retry,
        retryFailed: startOptions.retryFailed,
        progressIntervalMs: options.progressIntervalMs,
        onProgress: (progress) => {
          e.info = { ...e.info, progress, counts: { total: progress.total, done: progress.done, skipped: progress.skipped, failed: progress.failed } }
          emit({ type: 'progress', progress })
        },
        onItem: (result) => emit({ type: 'item', jobId: id, result }),
        // The run's end is recorded and announced once, below, with its final counts — only then is the
        // job no longer running, so a job seen as finished can always be started again at once.
        onState: (state) => {
          if (state !== 'finished' && state !== 'cancelled' && state !== 'error') update(e, { state, progress: runner.progress })
        }
      })
      e.runner = runner
      e.lastResults = undefined
      update(e, { state: 'planning', error: undefined }, false)
      e.running = runner.run().then((result) => {
        e.runner = undefined
        e.running = undefined
        e.lastResults = () => result.items
        update(e, {
          state: result.state,
          counts: result.state === 'error' && result.counts.total === 0 ? e.info.counts : result.counts,
          progress: runner.progress,
          error: result.state === 'error' ? errorInfo(result.error) : undefined
        })
        return result
      })
      return e.info
    },

    pause(id) {
      const e = entry(id)
      if (!e.runner) throw new JobError('InvalidState', `job ${id} is not running (${e.info.state})`)
      e.runner.pause()
      return e.info
    },

    resume(id) {
      const e = entry(id)
      if (!e.runner) throw new JobError('InvalidState', `job ${id} is not running (${e.info.state}); start it to resume from its journal`)
      e.runner.resume()
      return e.info
    },

    async cancel(id) {
      const e = entry(id)
      if (!e.runner || !e.running) return e.info
      e.runner.cancel()
      await e.running
      return e.info
    },

    setConcurrency(id, concurrency) {
      const e = entry(id)
      if (e.runner) e.runner.setConcurrency(concurrency)
      else if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new JobError('InvalidJob', `concurrency: expected an integer between 1 and 256 but received ${String(concurrency)}`)
      update(e, { concurrency })
      return e.info
    },

    list() {
      return [...entries.values()].map((e) => e.info).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    },

    get(id) {
      return entry(id).info
    },

    async wait(id) {
      const e = entry(id)
      if (e.running) await e.running
      return e.info
    },

    async report(id) {
      const e = entry(id)
      let items: readonly ItemResult[]
      if (e.runner) items = e.runner.results()
      else if (e.lastResults) items = e.lastResults()
      else {
        const replay = await readJournal(e.info.journalPath)
        items = replay ? resultsFromReplay(replay) : []
      }
      return buildReport(id, e.info.state, items)
    },

    async reportCsv(id, csvOptions = {}) {
      return reportCsv((await manager.report(id)).items, csvOptions)
    },

    async remove(id) {
      const e = entry(id)
      if (isActive(e)) throw new JobError('InvalidState', `job ${id} is ${e.info.state}: cancel it first`)
      await rm(e.info.journalPath, { force: true })
      JobIndex.remove(Journal.indexPath(e.info.journalPath))
      entries.delete(id)
    },

    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async close() {
      closed = true
      const running = [...entries.values()].filter((e) => e.running)
      for (const e of running) e.runner?.cancel()
      await Promise.all(running.map((e) => e.running))
      listeners.clear()
    }
  }
  return manager
}
