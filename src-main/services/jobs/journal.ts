/**
 * The job journal: one JSON Lines file per job, append-only, fsync'd. Line 1 is the job header
 * (spec + digest); then, per item, a `start` record before anything is written and a terminal
 * record (`done` / `skipped` / `failed`) after; `run` / `end` records bracket each run.
 *
 *   {"t":"job","v":1,"id":"…","digest":"<sha256 of the canonical spec>","createdAt":"…","spec":{…}}
 *   {"t":"run","n":1,"at":"…","retryFailed":false,"total":400,"items":400}
 *   {"t":"start","item":"thumb:photos/a.jpg","attempt":1,"at":"…","target":"thumbs/a.jpg"}
 *   {"t":"done","item":"thumb:photos/a.jpg","attempt":1,"at":"…","bytes":8124}
 *   {"t":"failed","item":"thumb:photos/b.jpg","attempt":1,"at":"…","target":"thumbs/b.jpg","error":{"status":400,"code":"InvalidArgument","ec":"0040-00000311","message":"…","retryable":false}}
 *   {"t":"end","n":1,"at":"…","state":"finished","done":399,"skipped":0,"failed":1}
 *
 * Durability: appends are group-committed — records that arrive while a write + fdatasync is in
 * flight go out together in the next one (at most 512 records / 1 MiB per write) — and `append`
 * resolves only once its record is on disk. So a `start` is durable before its item acts, and a
 * `done` before the item counts as done.
 *
 * Crashes: a torn last line (kill -9 or power loss mid-write) is cut off when the journal is
 * reopened; damage anywhere else is `JournalCorrupt`. A lock file (`<journal>.lock`, holding the
 * pid) keeps two processes from appending to one journal; a lock whose process is gone is taken over.
 */
import { constants } from 'node:fs'
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { syncFolder } from '../../util/atomic-write'
import { JobError } from './errors'
import { JobIndex, nextState, type ItemState, type StateRecord } from './job-index'
import { specDifferences, specDigest } from './spec'
import type { ItemError, JobSpec, JobState } from './types'

export interface JobHeader {
  readonly t: 'job'
  readonly v: 1
  readonly id: string
  readonly digest: string
  readonly createdAt: string
  readonly spec: JobSpec
  /** Informational (not part of the digest): e.g. the profile or endpoint the job was created with. */
  readonly meta?: Readonly<Record<string, string>> | undefined
}

export type JournalRecord =
  /** `total`: items in this run's manifest; `items`: how many of them it runs. */
  | { readonly t: 'run'; readonly n: number; readonly at: string; readonly retryFailed: boolean; readonly total: number; readonly items: number }
  | { readonly t: 'start'; readonly item: string; readonly attempt: number; readonly at: string; readonly target: string; readonly absent?: true | undefined }
  | { readonly t: 'done'; readonly item: string; readonly attempt: number; readonly at: string; readonly bytes?: number | undefined; readonly recovered?: true | undefined }
  | { readonly t: 'skipped'; readonly item: string; readonly attempt: number; readonly at: string; readonly target: string; readonly reason: string }
  | { readonly t: 'failed'; readonly item: string; readonly attempt: number; readonly at: string; readonly target: string; readonly error: ItemError }
  | { readonly t: 'end'; readonly n: number; readonly at: string; readonly state: JobState; readonly done: number; readonly skipped: number; readonly failed: number }

/** An item's state as its journal records tell it. */
export type ItemJournalState = ItemState

/** What a journal says about its runs (the item states are in the index, or in `JournalReplay.items`). */
export interface JournalSummary {
  readonly header: JobHeader
  /** Runs started so far. */
  readonly runs: number
  /** Items in the last run's manifest (0 before the first run). */
  readonly total: number
  /** The last run's `end` record, if it has one (none: the run is in progress or was killed). */
  readonly lastEnd: Extract<JournalRecord, { t: 'end' }> | undefined
  /** A `run` record without an `end` after it. */
  readonly openRun: boolean
}

export interface JournalReplay extends JournalSummary {
  readonly items: Map<string, ItemJournalState>
}

const MAX_BATCH_RECORDS = 512
const MAX_BATCH_BYTES = 1 << 20

function corrupt(path: string, message: string): JobError {
  return new JobError('JournalCorrupt', `journal ${path}: ${message}`)
}

function isHeader(value: unknown): value is JobHeader {
  const v = value as JobHeader | null
  return !!v && v.t === 'job' && v.v === 1 && typeof v.id === 'string' && typeof v.digest === 'string' && typeof v.spec === 'object' && v.spec !== null
}

/**
 * Reads journal lines in order: the header, the run / end records, and each item record (handed to
 * `onItem`). Only a torn tail may be damaged: a bad line followed by a good one is JournalCorrupt.
 * `validBytes` is where the last complete, parsable line ends (absolute, from `start`).
 */
class JournalReader {
  header: JobHeader | undefined
  runs = 0
  total = 0
  lastEnd: JournalSummary['lastEnd']
  openRun = false
  validBytes: number
  private position: number
  private lineNo = 0
  private badLine: number | undefined

  constructor(
    private readonly path: string,
    start: number,
    private readonly onItem: (record: StateRecord) => void,
    seed?: JournalSummary
  ) {
    this.position = start
    this.validBytes = start
    if (seed) {
      this.header = seed.header
      this.runs = seed.runs
      this.total = seed.total
      this.lastEnd = seed.lastEnd
      this.openRun = seed.openRun
    }
  }

  summary(): JournalSummary | undefined {
    return this.header ? { header: this.header, runs: this.runs, total: this.total, lastEnd: this.lastEnd, openRun: this.openRun } : undefined
  }

  /** One line (without its newline); `bytes` counts it with its newline; `complete`: a newline ends it. */
  line(line: string, bytes: number, complete: boolean): void {
    this.position += bytes
    this.lineNo++
    if (complete && line.trim() === '') {
      if (this.badLine === undefined) this.validBytes = this.position
      return
    }
    let record: unknown
    let ok = false
    if (complete) {
      try {
        record = JSON.parse(line)
        ok = typeof record === 'object' && record !== null && typeof (record as { t?: unknown }).t === 'string'
      } catch {
        ok = false
      }
    }
    if (!ok) {
      this.badLine ??= this.lineNo
      return
    }
    if (this.badLine !== undefined) throw corrupt(this.path, `line ${this.badLine} is damaged but later lines are not (an append-only journal only tears at its end)`)
    const r = record as JournalRecord | JobHeader
    if (!this.header) {
      if (!isHeader(r)) throw corrupt(this.path, 'expected a job header on the first line (is this a bulk-job journal?)')
      this.header = r
    } else {
      switch (r.t) {
        case 'run':
          this.runs = Math.max(this.runs, r.n)
          this.total = typeof r.total === 'number' ? r.total : this.total
          this.openRun = true
          break
        case 'end':
          this.lastEnd = r
          this.openRun = false
          break
        case 'start':
        case 'done':
        case 'skipped':
        case 'failed':
          this.onItem(r)
          break
        case 'job':
          throw corrupt(this.path, `line ${this.lineNo}: a second job header`)
        default:
          // Unknown record kinds from a newer version are ignored.
          break
      }
    }
    this.validBytes = this.position
  }
}

/** Parses journal text into memory (small journals: listing jobs, tests); `validBytes` as JournalReader's. */
export function parseJournal(path: string, text: string): { replay: JournalReplay | undefined; validBytes: number } {
  const items = new Map<string, ItemJournalState>()
  const reader = new JournalReader(path, 0, (r) => items.set(r.item, nextState(items.get(r.item), r)))
  let offset = 0
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset)
    const complete = nl >= 0
    const next = complete ? nl + 1 : text.length
    reader.line(text.slice(offset, complete ? nl : text.length), Buffer.byteLength(text.slice(offset, next), 'utf8'), complete)
    offset = next
  }
  const summary = reader.summary()
  return { replay: summary ? { ...summary, items } : undefined, validBytes: reader.validBytes }
}

/** Streams `handle` from `start` through `reader`, a chunk at a time (never the whole file in memory). */
async function scan(handle: FileHandle, start: number, reader: JournalReader, untilFirstLine = false): Promise<void> {
  const chunk = Buffer.allocUnsafe(1 << 20)
  let carry: Buffer = Buffer.alloc(0)
  let position = start
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position)
    if (bytesRead === 0) break
    position += bytesRead
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
    let from = 0
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, from)) {
      reader.line(data.toString('utf8', from, nl), nl - from + 1, true)
      from = nl + 1
      if (untilFirstLine) return
    }
    carry = Buffer.from(data.subarray(from))
  }
  if (carry.length > 0) reader.line(carry.toString('utf8'), carry.length, false)
}

/** Reads a journal without opening it for writing (listing jobs). Undefined when it has no header yet. */
export async function readJournal(path: string): Promise<JournalReplay | undefined> {
  return parseJournal(path, await readFile(path, 'utf8')).replay
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function acquireLock(lockPath: string, journalPath: string): Promise<void> {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
      await handle.writeFile(String(process.pid))
      await handle.close()
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new JobError('InvalidState', `journal ${journalPath} is in use by process ${pid} (its lock ${lockPath}); wait for it or stop it`)
      }
      if (pid === process.pid) throw new JobError('InvalidState', `journal ${journalPath} is already open in this process`)
      // Stale: its process is gone (crash, kill -9).
      await rm(lockPath, { force: true })
    }
  }
  throw new JobError('InvalidState', `journal ${journalPath}: could not take its lock ${lockPath}`)
}


interface Pending {
  readonly line: string
  readonly record: JournalRecord | JobHeader
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** Records per index transaction while catching up with the journal. */
const REPLAY_BATCH = 4096

function summaryMeta(summary: JournalSummary, offset: number): Record<string, string | number> {
  return { offset, runs: summary.runs, total: summary.total, open_run: summary.openRun ? 1 : 0, last_end: JSON.stringify(summary.lastEnd ?? null) }
}

function summaryFromIndex(index: JobIndex, header: JobHeader): JournalSummary {
  const lastEnd = JSON.parse(index.meta('last_end') ?? 'null') as JournalSummary['lastEnd'] | null
  return { header, runs: Number(index.meta('runs') ?? 0), total: Number(index.meta('total') ?? 0), lastEnd: lastEnd ?? undefined, openRun: index.meta('open_run') === '1' }
}

export interface OpenedJournal {
  readonly journal: Journal
  readonly replay: JournalSummary
  /** The job's index, caught up with the journal; the journal keeps it so (closed with it). */
  readonly index: JobIndex
  readonly created: boolean
}

export class Journal {
  private readonly queue: Pending[] = []
  private flushing: Promise<void> | undefined
  private failure: unknown
  private closed = false

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly lockPath: string,
    private readonly index: JobIndex,
    /** Bytes on disk (the index's offset after each write). */
    private size: number,
    private summary: JournalSummary | undefined
  ) {}

  /** The job index's file beside a journal. */
  static indexPath(path: string): string {
    return `${path}.index`
  }

  /**
   * Opens `path` for `spec`: creates it with the header when missing (or empty), otherwise checks
   * that it was written for the same spec (`SpecMismatch` when not), cuts a torn last line, and
   * brings the index up to date by streaming only the journal lines it has not applied yet (all of
   * them when the index is missing or belongs to another journal).
   */
  static async open(path: string, spec: JobSpec, init: { id: string; meta?: Record<string, string> | undefined }): Promise<OpenedJournal> {
    await mkdir(dirname(path), { recursive: true })
    const lockPath = `${path}.lock`
    await acquireLock(lockPath, path)
    let handle: FileHandle | undefined
    let index: JobIndex | undefined
    try {
      handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND, 0o600)
      const size = (await handle.stat()).size
      const first = new JournalReader(path, 0, () => undefined)
      await scan(handle, 0, first, true)
      const header = first.header
      if (!header && size > 0) {
        // Never clobber a file that is not ours: only an empty file or a torn header is started over.
        const head = Buffer.alloc(Math.min(size, 64))
        await handle.read(head, 0, head.length, 0)
        const text = head.toString('utf8')
        const torn = first.validBytes === 0 && text.startsWith('{"t":"job"') && !(await lineEnds(handle, size))
        if (!torn && text.trim() !== '') throw corrupt(path, 'expected a bulk-job journal (a {"t":"job",…} header line) but the file holds something else; choose another --journal')
      }
      const digest = specDigest(spec)
      if (header && header.digest !== digest) {
        const fields = specDifferences(header.spec, spec)
        throw new JobError('SpecMismatch', `journal ${path} belongs to another job (it differs in: ${fields.join(', ') || 'its digest'}); use a new --journal for a new job`)
      }
      const indexPath = Journal.indexPath(path)
      index = await JobIndex.open(indexPath)
      if (header) {
        let offset = Number(index.meta('offset') ?? -1)
        if (index.meta('digest') !== digest || index.meta('job') !== header.id || offset < first.validBytes || offset > size) {
          index.close()
          JobIndex.remove(indexPath)
          index = await JobIndex.open(indexPath)
          index.setMeta({ digest, job: header.id })
          offset = first.validBytes
        }
        const seed = offset === first.validBytes ? { header, runs: 0, total: 0, lastEnd: undefined, openRun: false } : summaryFromIndex(index, header)
        const batch: StateRecord[] = []
        const target = index
        const reader = new JournalReader(path, offset, (r) => {
          batch.push(r)
          if (batch.length >= REPLAY_BATCH) target.apply(batch.splice(0), {})
        }, seed)
        await scan(handle, offset, reader)
        index.apply(batch, summaryMeta(reader.summary()!, reader.validBytes))
        if (size > reader.validBytes) {
          await handle.truncate(reader.validBytes)
          await handle.datasync()
        }
        return { journal: new Journal(path, handle, lockPath, index, reader.validBytes, reader.summary()), replay: reader.summary()!, index, created: false }
      }
      if (size > 0) await handle.truncate(0)
      index.close()
      JobIndex.remove(indexPath)
      index = await JobIndex.open(indexPath)
      const created: JobHeader = { t: 'job', v: 1, id: init.id, digest, createdAt: new Date().toISOString(), spec, ...(init.meta ? { meta: init.meta } : {}) }
      index.setMeta({ digest, job: created.id })
      const journal = new Journal(path, handle, lockPath, index, 0, undefined)
      await journal.appendRaw(created)
      await syncFolder(dirname(path))
      const replay = { header: created, runs: 0, total: 0, lastEnd: undefined, openRun: false }
      return { journal, replay, index, created: true }
    } catch (error) {
      index?.close()
      await handle?.close().catch(() => undefined)
      await rm(lockPath, { force: true })
      throw error
    }
  }

  append(record: JournalRecord): Promise<void> {
    return this.appendRaw(record)
  }

  private appendRaw(record: JournalRecord | JobHeader): Promise<void> {
    if (this.closed) return Promise.reject(new JobError('InvalidState', `journal ${this.path} is closed`))
    if (this.failure) return Promise.reject(this.failure)
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record)}\n`, record, resolve, reject })
      this.flushing ??= this.flush()
    })
  }

  /** After a batch is on disk: its item records and the new offset go into the index, in one transaction. */
  private indexBatch(batch: readonly Pending[], bytes: number): void {
    const items: StateRecord[] = []
    let summary = this.summary
    for (const { record: r } of batch) {
      if (r.t === 'job') summary = { header: r, runs: 0, total: 0, lastEnd: undefined, openRun: false }
      else if (r.t === 'run' && summary) summary = { ...summary, runs: Math.max(summary.runs, r.n), total: r.total, openRun: true }
      else if (r.t === 'end' && summary) summary = { ...summary, lastEnd: r, openRun: false }
      else if (r.t === 'start' || r.t === 'done' || r.t === 'skipped' || r.t === 'failed') items.push(r)
    }
    this.size += bytes
    this.summary = summary
    this.index.apply(items, summary ? summaryMeta(summary, this.size) : { offset: this.size })
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Pending[] = []
      let bytes = 0
      while (this.queue.length > 0 && batch.length < MAX_BATCH_RECORDS && bytes < MAX_BATCH_BYTES) {
        const next = this.queue.shift()!
        batch.push(next)
        bytes += next.line.length
      }
      try {
        const data = Buffer.from(batch.map((p) => p.line).join(''), 'utf8')
        let written = 0
        while (written < data.length) written += (await this.handle.write(data, written, data.length - written)).bytesWritten
        await this.handle.datasync()
        this.indexBatch(batch, data.length)
        for (const p of batch) p.resolve()
      } catch (error) {
        this.failure = error
        for (const p of [...batch, ...this.queue.splice(0)]) p.reject(error)
      }
    }
    this.flushing = undefined
  }

  /** Waits for pending appends, closes the file and the index, and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return
    while (this.flushing) await this.flushing
    this.closed = true
    this.index.close()
    await this.handle.close().catch(() => undefined)
    await rm(this.lockPath, { force: true })
  }
}

/** Whether a file has a newline anywhere (a torn header has none). */
async function lineEnds(handle: FileHandle, size: number): Promise<boolean> {
  const chunk = Buffer.allocUnsafe(Math.min(size, 1 << 20))
  for (let position = 0; position < size; ) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position)
    if (bytesRead === 0) return false
    if (chunk.subarray(0, bytesRead).includes(10)) return true
    position += bytesRead
  }
  return false
}
