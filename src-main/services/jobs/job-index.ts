/**
 * The job's on-disk index (SQLite through better-sqlite3, `<journal>.index`): the plan (every item
 * of the manifest, in source order) and each item's state as the journal records it — so a job of
 * millions of items neither holds its key list nor its done-set in memory, and a resume reads only
 * the journal lines written since the index last caught up.
 *
 * The JSON Lines journal stays the durable record (fsync'd before an item acts or counts); the
 * index is derived from it and can always be rebuilt from it: it stores the journal byte offset it
 * has applied, in the same transaction as the states. Why SQLite rather than a sorted, compacted
 * journal: point look-ups, "next pending items after seq N", counts by status, collisions
 * (GROUP BY target) and a spill-to-disk plan all come with one well-kept embedded engine, in one
 * file, with atomic commits (WAL, synchronous=NORMAL: a crash loses at most the last commits,
 * which the journal replays).
 *
 * Tables: `items` (seq, id, source, style, target, format, bytes, tas = the target as a source key
 * when targets land where sources are listed, issues JSON, flags bitmask, gen = the plan it belongs
 * to, excluded = an own target left out), `state` (id → status, attempts, absent, target, bytes,
 * recovered, error), `meta` (key → value).
 */
import { rmSync } from 'node:fs'
import type BetterSqlite3 from 'better-sqlite3'
import type { ItemError, ItemIssue, ItemIssueCode, ItemResult, ManifestItem } from './types'

type Database = BetterSqlite3.Database
type DatabaseConstructor = typeof BetterSqlite3

let DatabaseClass: DatabaseConstructor | undefined

/** better-sqlite3 is a native module: loaded on first use, not when the jobs service is imported. */
async function database(): Promise<DatabaseConstructor> {
  DatabaseClass ??= (await import('better-sqlite3')).default
  return DatabaseClass
}

export const ISSUE_FLAGS: Readonly<Record<ItemIssueCode, number>> = { InvalidTargetKey: 1, TargetCollision: 2, TargetIsSource: 4, SourceTooLarge: 8, SourceMissing: 16 }
/** Items with one of these never run (they fail without a request). */
export const BLOCKING_FLAGS = ISSUE_FLAGS.InvalidTargetKey | ISSUE_FLAGS.TargetCollision | ISSUE_FLAGS.TargetIsSource

const STATUS = { started: 1, done: 2, skipped: 3, failed: 4 } as const
type StoredStatus = keyof typeof STATUS
const STATUS_NAMES: Record<number, StoredStatus> = { 1: 'started', 2: 'done', 3: 'skipped', 4: 'failed' }

export interface ItemState {
  /** `started`: a start without a terminal record after it (interrupted, or in flight). */
  readonly status: StoredStatus
  readonly attempts: number
  /** The last start recorded that the target was absent (skip-existing checked it first); kept by `failed`. */
  readonly absent: boolean
  readonly target: string | undefined
  readonly bytes?: number | undefined
  readonly recovered?: boolean | undefined
  readonly error?: ItemError | undefined
}

export interface PlanRow {
  readonly id: string
  readonly sourceKey: string
  readonly styleIndex: number
  readonly targetKey: string
  readonly format: string
  readonly sourceBytes: number
  /** The target as a key of the source (same bucket / inside the source folder), else undefined. */
  readonly targetAsSource: string | undefined
  readonly issues: readonly ItemIssue[]
}

export interface PlannedItem {
  readonly seq: number
  readonly item: ManifestItem
  readonly state: ItemState | undefined
}

interface ItemRow {
  seq: number
  id: string
  source: string
  style: number
  target: string
  format: string
  bytes: number
  issues: string | null
  flags: number
}

interface StateRow {
  status: number
  attempts: number
  absent: number
  starget: string | null
  sbytes: number | null
  recovered: number | null
  error: string | null
}

function flagsOf(issues: readonly ItemIssue[]): number {
  let flags = 0
  for (const issue of issues) flags |= ISSUE_FLAGS[issue.code]
  return flags
}

function toState(row: StateRow | undefined): ItemState | undefined {
  if (!row || row.status === null || row.status === undefined) return undefined
  return {
    status: STATUS_NAMES[row.status]!,
    attempts: row.attempts,
    absent: row.absent === 1,
    target: row.starget ?? undefined,
    ...(row.sbytes !== null ? { bytes: row.sbytes } : {}),
    ...(row.recovered ? { recovered: true } : {}),
    ...(row.error !== null ? { error: JSON.parse(row.error) as ItemError } : {})
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, style INTEGER NOT NULL,
  target TEXT NOT NULL, format TEXT NOT NULL, bytes INTEGER NOT NULL, tas TEXT, issues TEXT,
  flags INTEGER NOT NULL, gen INTEGER NOT NULL, excluded INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS state (
  id TEXT PRIMARY KEY, status INTEGER NOT NULL, attempts INTEGER NOT NULL, absent INTEGER NOT NULL,
  target TEXT, bytes INTEGER, recovered INTEGER, error TEXT) WITHOUT ROWID;
`

const ITEM_COLUMNS = 'i.seq, i.id, i.source, i.style, i.target, i.format, i.bytes, i.issues, i.flags'
const STATE_COLUMNS = 's.status, s.attempts, s.absent, s.target AS starget, s.bytes AS sbytes, s.recovered, s.error'

/** The journal records the index applies (journal.ts owns the full record type). */
export type StateRecord =
  | { readonly t: 'start'; readonly item: string; readonly attempt: number; readonly target: string; readonly absent?: true | undefined }
  | { readonly t: 'done'; readonly item: string; readonly attempt: number; readonly bytes?: number | undefined; readonly recovered?: true | undefined }
  | { readonly t: 'skipped' | 'failed'; readonly item: string; readonly attempt: number; readonly target: string; readonly error?: ItemError | undefined }

/** An item's state after one more journal record (the in-memory replay and the index share it). */
export function nextState(prev: ItemState | undefined, r: StateRecord): ItemState {
  const attempts = Math.max(prev?.attempts ?? 0, r.attempt)
  if (r.t === 'start') return { status: 'started', attempts, absent: r.absent === true, target: r.target ?? prev?.target }
  return {
    status: r.t,
    attempts,
    // A failed item keeps what its last start saw: a retry of it may find its own write.
    absent: r.t === 'failed' ? (prev?.absent ?? false) : false,
    target: (r.t === 'done' ? undefined : r.target) ?? prev?.target,
    ...(r.t === 'done' && r.bytes !== undefined ? { bytes: r.bytes } : {}),
    ...(r.t === 'done' && r.recovered ? { recovered: true } : {}),
    ...(r.t === 'failed' && r.error ? { error: r.error } : {})
  }
}

export class JobIndex {
  private readonly statements: ReturnType<JobIndex['prepare']>

  private constructor(
    readonly path: string,
    private readonly db: Database
  ) {
    this.statements = this.prepare()
  }

  /** Opens (creating) the index at `path`; a file that is not a readable index is started over. */
  static async open(path: string): Promise<JobIndex> {
    const Db = await database()
    try {
      return JobIndex.create(Db, path)
    } catch {
      JobIndex.remove(path)
      return JobIndex.create(Db, path)
    }
  }

  /** A scratch index (dry runs): nothing in it needs to survive a crash. */
  static async scratch(path: string): Promise<JobIndex> {
    const index = JobIndex.create(await database(), path)
    index.db.pragma('synchronous = OFF')
    return index
  }

  /** Synchronous re-open for reading results after a run (the module is loaded by then). */
  static openLoaded(path: string): JobIndex | undefined {
    if (!DatabaseClass) return undefined
    try {
      return JobIndex.create(DatabaseClass, path)
    } catch {
      return undefined
    }
  }

  private static create(Db: DatabaseConstructor, path: string): JobIndex {
    const db = new Db(path)
    try {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      db.pragma('cache_size = -16000')
      db.exec(SCHEMA)
      return new JobIndex(path, db)
    } catch (error) {
      db.close()
      throw error
    }
  }

  /** Deletes an index and its WAL files. */
  static remove(path: string): void {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  }

  private prepare() {
    const db = this.db
    return {
      getMeta: db.prepare<[string], { v: string }>('SELECT v FROM meta WHERE k = ?'),
      setMeta: db.prepare<[string, string]>('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v'),
      getState: db.prepare<[string], StateRow>(`SELECT ${STATE_COLUMNS} FROM state s WHERE s.id = ?`),
      putState: db.prepare('INSERT INTO state (id, status, attempts, absent, target, bytes, recovered, error) VALUES (@id, @status, @attempts, @absent, @target, @bytes, @recovered, @error) ON CONFLICT (id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, absent = excluded.absent, target = excluded.target, bytes = excluded.bytes, recovered = excluded.recovered, error = excluded.error'),
      upsertItem: db.prepare<[string, string, number, string, string, number, string | null, string | null, number, number]>(
        'INSERT INTO items (id, source, style, target, format, bytes, tas, issues, flags, gen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET source = excluded.source, style = excluded.style, target = excluded.target, format = excluded.format, bytes = excluded.bytes, tas = excluded.tas, issues = excluded.issues, flags = excluded.flags, gen = excluded.gen, excluded = 0'
      ),
      pending: db.prepare<[number, number, number, number], ItemRow & StateRow>(
        `SELECT ${ITEM_COLUMNS}, ${STATE_COLUMNS} FROM items i LEFT JOIN state s ON s.id = i.id WHERE i.gen = ? AND i.excluded = 0 AND i.seq > ? AND (s.status IS NULL OR s.status = 1 OR (? = 1 AND s.status = 4)) ORDER BY i.seq LIMIT ?`
      ),
      page: db.prepare<[number, number, number], ItemRow & StateRow>(`SELECT ${ITEM_COLUMNS}, ${STATE_COLUMNS} FROM items i LEFT JOIN state s ON s.id = i.id WHERE i.gen = ? AND i.excluded = 0 AND i.seq > ? ORDER BY i.seq LIMIT ?`),
      counts: db.prepare<[number], { status: number; n: number }>('SELECT s.status AS status, count(*) AS n FROM items i JOIN state s ON s.id = i.id WHERE i.gen = ? AND i.excluded = 0 GROUP BY s.status'),
      setIssues: db.prepare<[string, number, number]>('UPDATE items SET issues = ?, flags = ? WHERE seq = ?')
    }
  }

  meta(key: string): string | undefined {
    return this.statements.getMeta.get(key)?.v
  }

  setMeta(entries: Record<string, string | number>): void {
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(entries)) this.statements.setMeta.run(k, String(v))
    })()
  }

  // ---- item states (from the journal) ----

  /** Forgets every item state (the journal is replayed from its start). */
  resetStates(): void {
    this.db.exec('DELETE FROM state')
  }

  state(id: string): ItemState | undefined {
    return toState(this.statements.getState.get(id))
  }

  /** Applies journal records and the journal offset they end at, atomically. */
  apply(records: readonly StateRecord[], meta: Record<string, string | number>): void {
    const { putState, getState, setMeta } = this.statements
    this.db.transaction(() => {
      for (const r of records) {
        const next = nextState(toState(getState.get(r.item)), r)
        putState.run({
          id: r.item,
          status: STATUS[next.status],
          attempts: next.attempts,
          absent: next.absent ? 1 : 0,
          target: next.target ?? null,
          bytes: next.bytes ?? null,
          recovered: next.recovered ? 1 : null,
          error: next.error ? JSON.stringify(next.error) : null
        })
      }
      for (const [k, v] of Object.entries(meta)) setMeta.run(k, String(v))
    })()
  }

  // ---- the plan ----

  /** Starts a new plan generation; rows added with `addItems` belong to it. */
  beginPlan(): number {
    const gen = Number(this.meta('plan_gen') ?? '0') + 1
    this.setMeta({ plan_gen: gen })
    return gen
  }

  addItems(gen: number, rows: readonly PlanRow[]): void {
    const { upsertItem } = this.statements
    this.db.transaction(() => {
      for (const r of rows) {
        upsertItem.run(r.id, r.sourceKey, r.styleIndex, r.targetKey, r.format, r.sourceBytes, r.targetAsSource ?? null, r.issues.length > 0 ? JSON.stringify(r.issues) : null, flagsOf(r.issues), gen)
      }
    })()
  }

  private addIssue(seq: number, issues: string | null, issue: ItemIssue): void {
    const list: ItemIssue[] = issues ? (JSON.parse(issues) as ItemIssue[]) : []
    if (list.some((i) => i.code === issue.code)) return
    list.push(issue)
    this.statements.setIssues.run(JSON.stringify(list), flagsOf(list), seq)
  }

  /**
   * Job-wide flags once every row is in: own targets left out (`excludeOwnTargets`: sources that
   * are targets of other sources), `TargetIsSource`, `TargetCollision`. Returns how many sources were
   * left out. The plan becomes the current one.
   */
  finishPlan(gen: number, options: { excludeOwnTargets: boolean }): number {
    const db = this.db
    let excluded = 0
    const usesTas = db.prepare('SELECT 1 FROM items WHERE gen = ? AND tas IS NOT NULL LIMIT 1').get(gen) !== undefined
    if (usesTas) {
      db.exec('CREATE INDEX IF NOT EXISTS items_tas ON items (tas) WHERE tas IS NOT NULL; CREATE INDEX IF NOT EXISTS items_source ON items (source)')
      if (options.excludeOwnTargets) {
        excluded = db
          .prepare('UPDATE items SET excluded = 1 WHERE gen = @gen AND source IN (SELECT o.tas FROM items o WHERE o.gen = @gen AND o.tas IS NOT NULL AND o.source <> items.source)')
          .run({ gen }).changes
        if (excluded > 0) excluded = (db.prepare('SELECT count(DISTINCT source) AS n FROM items WHERE gen = ? AND excluded = 1').get(gen) as { n: number }).n
      }
      const hits = db
        .prepare<[number, number], { seq: number; issues: string | null; target: string; tas: string; source: string }>(
          'SELECT i.seq, i.issues, i.target, i.tas, i.source FROM items i WHERE i.gen = ? AND i.excluded = 0 AND i.tas IS NOT NULL AND EXISTS (SELECT 1 FROM items s WHERE s.source = i.tas AND s.gen = ? AND s.excluded = 0)'
        )
        .all(gen, gen)
      db.transaction(() => {
        for (const h of hits) {
          this.addIssue(h.seq, h.issues, { code: 'TargetIsSource', message: `target ${JSON.stringify(h.target)} is ${h.tas === h.source ? "the item's own source" : `the source ${JSON.stringify(h.tas)} of this job`}: the job would overwrite its input` })
        }
      })()
    }
    db.exec('CREATE INDEX IF NOT EXISTS items_target ON items (gen, target)')
    const groups = db.prepare<[number, string, number], { target: string; n: number }>('SELECT target, count(*) AS n FROM items WHERE gen = ? AND excluded = 0 AND target > ? GROUP BY target HAVING count(*) > 1 ORDER BY target LIMIT ?')
    const members = db.prepare<[number, string], { seq: number; issues: string | null; source: string; style: number }>('SELECT seq, issues, source, style FROM items WHERE gen = ? AND excluded = 0 AND target = ? ORDER BY seq')
    const labels = JSON.parse(this.meta('styles') ?? '[]') as string[]
    for (let after = ''; ; ) {
      const page = groups.all(gen, after, 500)
      if (page.length === 0) break
      db.transaction(() => {
        for (const group of page) {
          const list = members.all(gen, group.target)
          list.forEach((m, i) => {
            const other = list[i === 0 ? 1 : 0]!
            this.addIssue(m.seq, m.issues, { code: 'TargetCollision', message: `target ${JSON.stringify(group.target)} is also the target of ${labels[other.style] ?? other.style}:${other.source}${list.length > 2 ? ` and ${list.length - 2} more` : ''}` })
          })
        }
      })()
      after = page[page.length - 1]!.target
    }
    this.setMeta({ planned_gen: gen })
    return excluded
  }

  /** The last complete plan's generation, if any. */
  plannedGen(): number | undefined {
    const v = this.meta('planned_gen')
    return v === undefined ? undefined : Number(v)
  }

  /** Counts over the plan for the manifest summary, in one pass. */
  planSummary(gen: number): { items: number; sources: number; byStyle: Map<number, number>; estimatedBytes: number; flagged: Map<number, number>; runnable: number } {
    const codes = Object.values(ISSUE_FLAGS)
    const columns = [...codes, BLOCKING_FLAGS].map((flag, i) => `sum(flags & ${flag} != 0) AS f${i}`).join(', ')
    const rows = this.db.prepare<[number], Record<string, number>>(`SELECT style, count(*) AS n, total(bytes) AS b, ${columns} FROM items WHERE gen = ? AND excluded = 0 GROUP BY style`).all(gen)
    const byStyle = new Map<number, number>()
    const flagged = new Map<number, number>(codes.map((flag) => [flag, 0]))
    let items = 0
    let estimatedBytes = 0
    let blocked = 0
    for (const row of rows) {
      byStyle.set(row.style!, row.n!)
      items += row.n!
      estimatedBytes += row.b!
      codes.forEach((flag, i) => flagged.set(flag, flagged.get(flag)! + row[`f${i}`]!))
      blocked += row[`f${codes.length}`]!
    }
    // Every source of the plan has one item per style (own targets are left out with all their styles).
    return { items, sources: byStyle.get(0) ?? 0, byStyle, estimatedBytes, flagged, runnable: items - blocked }
  }

  private toItem(row: ItemRow, labels: readonly string[]): ManifestItem {
    return {
      id: row.id,
      sourceKey: row.source,
      style: labels[row.style] ?? String(row.style),
      styleIndex: row.style,
      targetKey: row.target,
      format: row.format,
      sourceBytes: row.bytes,
      issues: row.issues ? (JSON.parse(row.issues) as ItemIssue[]) : []
    }
  }

  private labels(): string[] {
    return JSON.parse(this.meta('styles') ?? '[]') as string[]
  }

  /** Up to `limit` items in plan order; when there are more, flagged ones first. */
  manifestItems(gen: number, limit: number): ManifestItem[] {
    const labels = this.labels()
    const rows = this.db.prepare<[number, number], ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items i WHERE i.gen = ? AND i.excluded = 0 ORDER BY (i.flags != 0) DESC, i.seq LIMIT ?`).all(gen, limit + 1)
    if (rows.length <= limit) rows.sort((a, b) => a.seq - b.seq)
    return rows.slice(0, limit).map((r) => this.toItem(r, labels))
  }

  /** Every item of the plan with its state, in plan order, a page at a time. */
  *planned(gen: number, pageSize = 1000): Generator<PlannedItem> {
    const labels = this.labels()
    for (let after = 0; ; ) {
      const rows = this.statements.page.all(gen, after, pageSize)
      for (const row of rows) yield { seq: row.seq, item: this.toItem(row, labels), state: toState(row) }
      if (rows.length < pageSize) return
      after = rows[rows.length - 1]!.seq
    }
  }

  /** The next items to run after `afterSeq`: no state, only a start (interrupted), or failed (with retryFailed). */
  pendingAfter(gen: number, afterSeq: number, retryFailed: boolean, limit: number): PlannedItem[] {
    const labels = this.labels()
    return this.statements.pending.all(gen, afterSeq, retryFailed ? 1 : 0, limit).map((row) => ({ seq: row.seq, item: this.toItem(row, labels), state: toState(row) }))
  }

  /** Terminal counts over the plan (a `failed` counts as failed even when it is about to be retried). */
  counts(gen: number): { done: number; skipped: number; failed: number } {
    const counts = { done: 0, skipped: 0, failed: 0 }
    for (const row of this.statements.counts.all(gen)) {
      const name = STATUS_NAMES[row.status]
      if (name === 'done' || name === 'skipped' || name === 'failed') counts[name] += row.n
    }
    return counts
  }

  /** The plan's items with their results, in plan order. */
  *results(gen: number): Generator<ItemResult> {
    for (const { item, state } of this.planned(gen)) {
      const terminal = state && state.status !== 'started'
      yield {
        id: item.id,
        sourceKey: item.sourceKey,
        style: item.style,
        targetKey: item.targetKey,
        status: terminal ? state.status : 'pending',
        attempts: state?.attempts ?? 0,
        ...(terminal && state.bytes !== undefined ? { bytes: state.bytes } : {}),
        ...(terminal && state.recovered ? { recovered: true } : {}),
        ...(terminal && state.error ? { error: state.error } : {})
      } as ItemResult
    }
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
