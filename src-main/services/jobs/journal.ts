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

export interface ItemJournalState {
  /** `started`: a start without a terminal record after it (interrupted, or in flight). */
  readonly status: 'started' | 'done' | 'skipped' | 'failed'
  /** Highest attempt number recorded. */
  readonly attempts: number
  /** The last start recorded that the target was absent (skip-existing checked it first); kept by `failed`. */
  readonly absent: boolean
  /** The target named by the item's latest record that names one. */
  readonly target: string | undefined
  readonly bytes?: number | undefined
  readonly recovered?: boolean | undefined
  readonly error?: ItemError | undefined
}

export interface JournalReplay {
  readonly header: JobHeader
  readonly items: Map<string, ItemJournalState>
  /** Runs started so far. */
  readonly runs: number
  /** Items in the last run's manifest (0 before the first run). */
  readonly total: number
  /** The last run's `end` record, if it has one (none: the run is in progress or was killed). */
  readonly lastEnd: Extract<JournalRecord, { t: 'end' }> | undefined
  /** A `run` record without an `end` after it. */
  readonly openRun: boolean
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

/** Parses journal text; `validBytes` is where the last complete, parsable line ends. */
export function parseJournal(path: string, text: string): { replay: JournalReplay | undefined; validBytes: number } {
  const items = new Map<string, ItemJournalState>()
  let header: JobHeader | undefined
  let runs = 0
  let total = 0
  let lastEnd: JournalReplay['lastEnd']
  let openRun = false
  let offset = 0
  let bytesSoFar = 0
  let validBytes = 0
  let badLine: number | undefined
  let lineNo = 0
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset)
    const complete = nl >= 0
    const line = text.slice(offset, complete ? nl : text.length)
    const next = complete ? nl + 1 : text.length
    bytesSoFar += Buffer.byteLength(text.slice(offset, next), 'utf8')
    lineNo++
    let record: unknown
    let ok = false
    if (complete && line.trim() !== '') {
      try {
        record = JSON.parse(line)
        ok = typeof record === 'object' && record !== null && typeof (record as { t?: unknown }).t === 'string'
      } catch {
        ok = false
      }
    } else if (complete && line.trim() === '') {
      offset = next
      if (badLine === undefined) validBytes = bytesSoFar
      continue
    }
    if (!ok) {
      badLine ??= lineNo
      offset = next
      continue
    }
    if (badLine !== undefined) throw corrupt(path, `line ${badLine} is damaged but later lines are not (an append-only journal only tears at its end)`)
    const r = record as JournalRecord | JobHeader
    if (!header) {
      if (!isHeader(r)) throw corrupt(path, 'expected a job header on the first line (is this a bulk-job journal?)')
      header = r
    } else {
      switch (r.t) {
        case 'run':
          runs = Math.max(runs, r.n)
          total = typeof r.total === 'number' ? r.total : total
          openRun = true
          break
        case 'end':
          lastEnd = r
          openRun = false
          break
        case 'start': {
          const prev = items.get(r.item)
          items.set(r.item, { status: 'started', attempts: Math.max(prev?.attempts ?? 0, r.attempt), absent: r.absent === true, target: r.target ?? prev?.target })
          break
        }
        case 'done':
        case 'skipped':
        case 'failed': {
          const prev = items.get(r.item)
          items.set(r.item, {
            status: r.t,
            attempts: Math.max(prev?.attempts ?? 0, r.attempt),
            // A failed item keeps what its last start saw: a retry of it may find its own write.
            absent: r.t === 'failed' ? (prev?.absent ?? false) : false,
            target: (r.t === 'done' ? undefined : r.target) ?? prev?.target,
            ...(r.t === 'done' && r.bytes !== undefined ? { bytes: r.bytes } : {}),
            ...(r.t === 'done' && r.recovered ? { recovered: true } : {}),
            ...(r.t === 'failed' ? { error: r.error } : {})
          })
          break
        }
        case 'job':
          throw corrupt(path, `line ${lineNo}: a second job header`)
        default:
          // Unknown record kinds from a newer version are ignored.
          break
      }
    }
    offset = next
    validBytes = bytesSoFar
  }
  return { replay: header ? { header, items, runs, total, lastEnd, openRun } : undefined, validBytes }
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
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

export class Journal {
  private readonly queue: Pending[] = []
  private flushing: Promise<void> | undefined
  private failure: unknown
  private closed = false

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly lockPath: string
  ) {}

  /**
   * Opens `path` for `spec`: creates it with the header when missing (or empty), otherwise checks
   * that it was written for the same spec (`SpecMismatch` when not), cuts a torn last line, and
   * returns what it holds.
   */
  static async open(path: string, spec: JobSpec, init: { id: string; meta?: Record<string, string> | undefined }): Promise<{ journal: Journal; replay: JournalReplay; created: boolean }> {
    await mkdir(dirname(path), { recursive: true })
    const lockPath = `${path}.lock`
    await acquireLock(lockPath, path)
    let handle: FileHandle | undefined
    try {
      let text = ''
      try {
        text = await readFile(path, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      const { replay, validBytes } = parseJournal(path, text)
      // Never clobber a file that is not ours: only an empty file or a torn header is started over.
      if (!replay && text.trim() !== '' && !(!text.includes('\n') && text.startsWith('{"t":"job"'))) {
        throw corrupt(path, 'expected a bulk-job journal (a {"t":"job",…} header line) but the file holds something else; choose another --journal')
      }
      const digest = specDigest(spec)
      if (replay && replay.header.digest !== digest) {
        const fields = specDifferences(replay.header.spec, spec)
        throw new JobError('SpecMismatch', `journal ${path} belongs to another job (it differs in: ${fields.join(', ') || 'its digest'}); use a new --journal for a new job`)
      }
      handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600)
      const size = (await handle.stat()).size
      if (replay && size > validBytes) {
        await handle.truncate(validBytes)
        await handle.datasync()
      }
      const journal = new Journal(path, handle, lockPath)
      if (replay) return { journal, replay, created: false }
      if (size > 0) {
        await handle.truncate(0)
      }
      const header: JobHeader = { t: 'job', v: 1, id: init.id, digest, createdAt: new Date().toISOString(), spec, ...(init.meta ? { meta: init.meta } : {}) }
      await journal.appendRaw(header)
      await syncFolder(dirname(path))
      return { journal, replay: { header, items: new Map(), runs: 0, total: 0, lastEnd: undefined, openRun: false }, created: true }
    } catch (error) {
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
      this.queue.push({ line: `${JSON.stringify(record)}\n`, resolve, reject })
      this.flushing ??= this.flush()
    })
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
        for (const p of batch) p.resolve()
      } catch (error) {
        this.failure = error
        for (const p of [...batch, ...this.queue.splice(0)]) p.reject(error)
      }
    }
    this.flushing = undefined
  }

  /** Waits for pending appends, closes the file and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return
    while (this.flushing) await this.flushing
    this.closed = true
    await this.handle.close().catch(() => undefined)
    await rm(this.lockPath, { force: true })
  }
}
