/**
 * The jobs panel's store (zustand). Jobs live in main and keep running whatever the page does: this
 * store mirrors them — `jobs:list` when the panel opens (and after a reconnect, when events may
 * have been missed), then `jobs:state` / `jobs:progress` / `jobs:item` / `jobs:removed` events.
 * Failures of the selected job come from `jobs:report`, then grow with `jobs:item` events.
 * The "New job" draft stays here too, so switching views does not lose it.
 */
import { create } from 'zustand'
import type { ErrorInfo, EventPayload, RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled, onConnectionState, onEvent } from '../ipc/client'

export type Job = ResponseOf<'jobs:start'>
export type Manifest = ResponseOf<'jobs:dryRun'>
export type ManifestRow = Manifest['items'][number]
export type Failure = ResponseOf<'jobs:report'>['failures'][number]
export type JobRequest = RequestOf<'jobs:example'>

/** What the form holds: text as typed, turned into a request by `draftRequest`. */
export interface JobDraft {
  readonly name: string
  /** `process`: the process string below; `library`: the named styles checked below. */
  readonly styleSource: 'process' | 'library'
  readonly process: string
  readonly label: string
  readonly styles: readonly string[]
  readonly bucket: string
  readonly prefix: string
  /** Comma-separated, e.g. `.jpg, .png`. */
  readonly suffixes: string
  readonly pattern: string
  readonly targetKind: 'bucket' | 'folder'
  readonly targetBucket: string
  readonly targetDir: string
  readonly template: string
  readonly conflict: 'skip-existing' | 'overwrite'
  /** Blank: main's default (16 server-side, 2 × cores locally). */
  readonly concurrency: string
}

export const EMPTY_DRAFT: JobDraft = {
  name: '',
  styleSource: 'process',
  process: '',
  label: '',
  styles: [],
  bucket: '',
  prefix: '',
  suffixes: '',
  pattern: '',
  targetKind: 'bucket',
  targetBucket: '',
  targetDir: '',
  template: 'derived/{style}/{dir}/{name}.{format}',
  conflict: 'skip-existing',
  concurrency: ''
}

/** The request for a draft, or what is missing (shown next to the buttons). */
export function draftRequest(draft: JobDraft, profileId: string | undefined): { request: JobRequest } | { problem: string } {
  if (!profileId) return { problem: 'Choose a profile first.' }
  const styles: JobRequest['styles'] =
    draft.styleSource === 'process' ? (draft.process.trim() ? [{ process: draft.process.trim(), ...(draft.label.trim() ? { label: draft.label.trim() } : {}) }] : []) : draft.styles.map((style) => ({ style }))
  if (styles.length === 0) return { problem: draft.styleSource === 'process' ? 'Enter a process string.' : 'Check at least one style.' }
  if (draft.targetKind === 'folder' && !draft.targetDir.trim()) return { problem: 'Enter the target folder.' }
  if (!draft.template.trim()) return { problem: 'Enter a key template.' }
  const suffixes = draft.suffixes
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const bucket = draft.bucket.trim() || undefined
  return {
    request: {
      profileId,
      source: { kind: 'bucket', ...(bucket ? { bucket } : {}), prefix: draft.prefix, ...(suffixes.length > 0 ? { suffixes } : {}), ...(draft.pattern ? { pattern: draft.pattern } : {}) },
      styles,
      target: draft.targetKind === 'folder' ? { kind: 'folder', dir: draft.targetDir.trim() } : { kind: 'bucket', ...(draft.targetBucket.trim() ? { bucket: draft.targetBucket.trim() } : bucket ? { bucket } : {}) },
      template: draft.template.trim(),
      conflict: draft.conflict
    }
  }
}

/** Failures kept per job in the renderer (the report and its CSV have them all). */
const FAILURES_KEPT = 1000

export type DryRun = { readonly status: 'running' } | { readonly status: 'done'; readonly manifest: Manifest } | { readonly status: 'error'; readonly error: ErrorInfo }

export interface JobsStore {
  readonly jobs: readonly Job[]
  readonly loaded: boolean
  readonly listError: ErrorInfo | undefined
  /** A job id, or `new` for the form. */
  readonly selected: string | 'new' | undefined
  readonly failures: Readonly<Record<string, readonly Failure[]>>
  /** Dry runs by job id, `new` for the draft's. */
  readonly dryRuns: Readonly<Record<string, DryRun>>
  /** The action in flight per job id (`new` for the form's), e.g. `start`. */
  readonly busy: Readonly<Record<string, string>>
  readonly errors: Readonly<Record<string, ErrorInfo>>
  readonly draft: JobDraft

  /** Subscribes to main's job events (once) and lists the jobs. */
  open(): Promise<void>
  select(id: string | 'new' | undefined): void
  setDraft(patch: Partial<JobDraft>): void
  dryRunDraft(request: JobRequest): Promise<void>
  /** Creates the job from the form and starts it. */
  createAndStart(request: JobRequest, extra: { name?: string; concurrency?: number }): Promise<void>
  dryRunJob(id: string): Promise<void>
  act(id: string, action: 'start' | 'retry' | 'pause' | 'resume' | 'cancel' | 'remove'): Promise<void>
  /** Items in flight, applied at once to a running job. */
  setConcurrency(id: string, concurrency: number): Promise<void>
  loadFailures(id: string): Promise<void>
  /** The CSV report (every item), for a download. */
  reportCsv(id: string): Promise<string>
}

const RUN_ENDED: ReadonlySet<string> = new Set(['finished', 'cancelled', 'error'])

let subscribed = false
let dryRunAbort: AbortController | undefined

export const useJobs = create<JobsStore>()((set, get) => {
  const upsert = (job: Job) =>
    set((s) => {
      const at = s.jobs.findIndex((j) => j.id === job.id)
      const jobs = at < 0 ? [job, ...s.jobs] : s.jobs.map((j) => (j.id === job.id ? job : j))
      return { jobs }
    })

  const progressed = (progress: EventPayload<'jobs:progress'>) =>
    set((s) => ({
      jobs: s.jobs.map((j) =>
        j.id === progress.jobId ? { ...j, state: progress.state, progress, counts: { total: progress.total, done: progress.done, skipped: progress.skipped, failed: progress.failed } } : j
      )
    }))

  const failed = ({ jobId, result }: EventPayload<'jobs:item'>) =>
    set((s) => {
      const list = s.failures[jobId]
      // Only jobs whose failures were loaded keep a list (the report fills it when one is opened).
      if (!list) return {}
      const rest = list.filter((f) => f.sourceKey !== result.sourceKey || f.style !== result.style)
      return { failures: { ...s.failures, [jobId]: [...rest, result].slice(-FAILURES_KEPT) } }
    })

  const withBusy = async (key: string, action: string, work: () => Promise<void>) => {
    set((s) => ({ busy: { ...s.busy, [key]: action }, errors: Object.fromEntries(Object.entries(s.errors).filter(([k]) => k !== key)) }))
    try {
      await work()
    } catch (error) {
      if (!isCancelled(error)) set((s) => ({ errors: { ...s.errors, [key]: errorInfoOf(error) } }))
    } finally {
      set((s) => ({ busy: Object.fromEntries(Object.entries(s.busy).filter(([k]) => k !== key)) }))
    }
  }

  const list = async () => {
    try {
      const { jobs } = await invoke('jobs:list', {})
      set({ jobs, loaded: true, listError: undefined })
    } catch (error) {
      set({ loaded: true, listError: errorInfoOf(error) })
    }
  }

  return {
    jobs: [],
    loaded: false,
    listError: undefined,
    selected: undefined,
    failures: {},
    dryRuns: {},
    busy: {},
    errors: {},
    draft: EMPTY_DRAFT,

    async open() {
      if (!subscribed) {
        subscribed = true
        onEvent('jobs:state', ({ job }) => {
          upsert(job)
          // A run ended: its report is the full account (a retry may have fixed earlier failures).
          if (RUN_ENDED.has(job.state) && get().failures[job.id]) void get().loadFailures(job.id)
        })
        onEvent('jobs:progress', progressed)
        onEvent('jobs:item', failed)
        onEvent('jobs:removed', ({ id }) => set((s) => ({ jobs: s.jobs.filter((j) => j.id !== id), selected: s.selected === id ? undefined : s.selected })))
        // Events sent while the connection was down are lost: ask again once it is back.
        onConnectionState((state) => {
          if (state === 'open') void list()
        })
      }
      await list()
      const { selected, jobs } = get()
      if (selected === undefined && jobs[0]) get().select(jobs[0].id)
    },

    select(id) {
      set({ selected: id })
      if (id !== undefined && id !== 'new') void get().loadFailures(id)
    },

    setDraft(patch) {
      dryRunAbort?.abort()
      // A dry run shows the draft it was made for: an edit makes it stale.
      set((s) => ({ draft: { ...s.draft, ...patch }, dryRuns: Object.fromEntries(Object.entries(s.dryRuns).filter(([k]) => k !== 'new')) }))
    },

    async dryRunDraft(request) {
      dryRunAbort?.abort()
      const controller = new AbortController()
      dryRunAbort = controller
      set((s) => ({ dryRuns: { ...s.dryRuns, new: { status: 'running' } } }))
      try {
        const manifest = await invoke('jobs:dryRun', { job: request }, { signal: controller.signal })
        set((s) => ({ dryRuns: { ...s.dryRuns, new: { status: 'done', manifest } } }))
      } catch (error) {
        if (!isCancelled(error)) set((s) => ({ dryRuns: { ...s.dryRuns, new: { status: 'error', error: errorInfoOf(error) } } }))
      }
    },

    createAndStart(request, extra) {
      return withBusy('new', 'start', async () => {
        const job = await invoke('jobs:create', { ...request, ...(extra.name ? { name: extra.name } : {}), ...(extra.concurrency ? { concurrency: extra.concurrency } : {}) })
        upsert(job)
        set((s) => ({ failures: { ...s.failures, [job.id]: [] }, selected: job.id, dryRuns: Object.fromEntries(Object.entries(s.dryRuns).filter(([k]) => k !== 'new')) }))
        upsert(await invoke('jobs:start', { id: job.id }))
      })
    },

    async dryRunJob(id) {
      set((s) => ({ dryRuns: { ...s.dryRuns, [id]: { status: 'running' } } }))
      try {
        const manifest = await invoke('jobs:dryRun', { id })
        set((s) => ({ dryRuns: { ...s.dryRuns, [id]: { status: 'done', manifest } } }))
      } catch (error) {
        set((s) => ({ dryRuns: { ...s.dryRuns, [id]: { status: 'error', error: errorInfoOf(error) } } }))
      }
    },

    setConcurrency(id, concurrency) {
      return withBusy(id, 'concurrency', async () => upsert(await invoke('jobs:setConcurrency', { id, concurrency })))
    },

    act(id, action) {
      return withBusy(id, action, async () => {
        if (action === 'remove') {
          await invoke('jobs:remove', { id })
          set((s) => ({ jobs: s.jobs.filter((j) => j.id !== id), selected: s.selected === id ? undefined : s.selected }))
          return
        }
        const state = get().jobs.find((j) => j.id === id)?.state
        if (action === 'pause') upsert(await invoke('jobs:pause', { id }))
        else if (action === 'cancel') upsert(await invoke('jobs:cancel', { id }))
        // A paused run continues; a cancelled or interrupted job starts again from its journal.
        else if (action === 'resume' && (state === 'paused' || state === 'pausing')) upsert(await invoke('jobs:resume', { id }))
        else {
          // Failures of this run arrive live; the ones it fixes must not linger.
          if (action === 'retry') set((s) => ({ failures: { ...s.failures, [id]: [] } }))
          upsert(await invoke('jobs:start', { id, ...(action === 'retry' ? { retryFailed: true } : {}) }))
        }
      })
    },

    async loadFailures(id) {
      try {
        const report = await invoke('jobs:report', { id })
        set((s) => ({ failures: { ...s.failures, [id]: report.failures } }))
      } catch (error) {
        set((s) => ({ errors: { ...s.errors, [id]: errorInfoOf(error) } }))
      }
    },

    async reportCsv(id) {
      const report = await invoke('jobs:report', { id, csv: true })
      return report.csv ?? ''
    }
  }
})
