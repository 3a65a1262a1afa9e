/**
 * The bulk-job model (src-main/services/jobs runs it; the IPC contract and the renderer show it):
 * what a job is (JobSpec), what a dry run shows (Manifest), what a run reports (JobProgress,
 * ItemResult, JobReport). Pure TypeScript: no Node, DOM or Electron. The enumerations are const
 * arrays so the contract's zod enums are built from the same lists.
 */

export const CONFLICT_POLICIES = ['skip-existing', 'overwrite'] as const
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number]

/**
 * `server`: OSS processes and stores (`processObjectSave`); the only mode for bucket → bucket.
 * `local`: the engine on this machine; for folder sources, and for bucket objects that must be
 * processed here (bucket → folder).
 */
export const JOB_MODES = ['server', 'local'] as const
export type JobMode = (typeof JOB_MODES)[number]

export interface SourceFilter {
  /** Keep keys ending with one of these (case-insensitive), e.g. `['.jpg', '.jpeg']`. */
  readonly suffixes?: readonly string[] | undefined
  /** JavaScript regular expression (with the `u` flag) tested against the key / relative path. */
  readonly pattern?: string | undefined
}

export type JobSource =
  | ({ readonly kind: 'bucket'; readonly bucket: string; readonly prefix: string } & SourceFilter)
  | { readonly kind: 'keys'; readonly bucket: string; readonly keys: readonly string[] }
  /**
   * An OSS bucket inventory report: `manifest` is an absolute path of a downloaded manifest.json or
   * `oss://bucket/key`; `bucket` is the report's sourceBucket; `prefix` filters keys like a listing's.
   */
  | ({ readonly kind: 'inventory'; readonly bucket: string; readonly manifest: string; readonly prefix: string } & SourceFilter)
  /** `dir` absolute; keys are paths relative to it with `/` separators. */
  | ({ readonly kind: 'folder'; readonly dir: string } & SourceFilter)

export type JobTarget =
  /** `region` (standard id, e.g. `cn-hangzhou`) when known; a different region than the source's is flagged. */
  | { readonly kind: 'bucket'; readonly bucket: string; readonly region?: string | undefined }
  /** `dir` absolute. */
  | { readonly kind: 'folder'; readonly dir: string }

/** One derivative: a label for `{style}` and the (resolved, canonical) process string. */
export interface JobStyle {
  /** 1–63 of [A-Za-z0-9_.-]: the style's name, or the label given to a process string. */
  readonly label: string
  /** `image/...` in canonical form: named styles are resolved when the job is created. */
  readonly process: string
  /** Set when the style came from a named style (library or bucket). */
  readonly name?: string | undefined
}

/**
 * A job, fully resolved and deterministic: the same spec always yields the same manifest for the
 * same source listing. It is written at the top of the journal; a journal is only ever resumed by
 * the identical spec (compared by `specDigest`).
 */
export interface JobSpec {
  readonly version: 1
  readonly source: JobSource
  readonly styles: readonly JobStyle[]
  readonly target: JobTarget
  /** With `{key}`, `{dir}`, `{name}`, `{ext}`, `{style}`, `{format}` (template.ts). */
  readonly template: string
  readonly conflict: ConflictPolicy
  readonly mode: JobMode
}

/** Why an item cannot run as planned (dry run flags; at run time such items fail without a request). */
export const ITEM_ISSUE_CODES = [
  /** The rendered target is not a valid object key / stays not inside the target folder. */
  'InvalidTargetKey',
  /** Another item renders the same target. */
  'TargetCollision',
  /** The target is one of this job's own source objects. */
  'TargetIsSource',
  /** The source is over OSS's 20 MB limit (it will fail with ImageTooLarge). Informational. */
  'SourceTooLarge',
  /** Dry run of a key list: HEAD found no such object (it will fail with NoSuchKey). Informational. */
  'SourceMissing'
] as const
export type ItemIssueCode = (typeof ITEM_ISSUE_CODES)[number]

export interface ItemIssue {
  readonly code: ItemIssueCode
  readonly message: string
}

export interface ManifestItem {
  /** `<style>:<source key>`: stable across runs, how the journal names the item. */
  readonly id: string
  readonly sourceKey: string
  readonly style: string
  readonly styleIndex: number
  /** Bucket key, or path relative to the target folder (`/` separators). */
  readonly targetKey: string
  /** Output format (`jpg`, `webp`…, `json` for info/average-hue), `''` when unknown. */
  readonly format: string
  /** Source size in bytes (from the listing / stat; 0 when unknown, e.g. a key list). */
  readonly sourceBytes: number
  readonly issues: readonly ItemIssue[]
}

export const JOB_ISSUE_CODES = ['CrossRegion', 'TargetBucketUnreachable', 'NoItems'] as const
export type JobIssueCode = (typeof JOB_ISSUE_CODES)[number]

/** Job-level findings of a dry run. `blocking` ones make `start` refuse to run. */
export interface JobIssue {
  readonly code: JobIssueCode
  readonly message: string
  readonly blocking: boolean
}

export interface ManifestSummary {
  /** Source objects / files selected (after filters, before × styles). */
  readonly sources: number
  /** sources × styles. */
  readonly items: number
  readonly byStyle: Readonly<Record<string, number>>
  /** Sum of the sources' sizes over all items: the bytes the job reads. */
  readonly estimatedBytes: number
  /** Items whose target another item also renders. */
  readonly collisions: number
  readonly invalidTargets: number
  readonly targetIsSource: number
  readonly tooLarge: number
  /** Key lists in a dry run: keys HEAD did not find. */
  readonly missingSources: number
  /** Sources left out because they are this job's own targets (re-listing after a partial run). */
  readonly excludedOwnTargets: number
  /** True / false when the target region is known, undefined when it could not be determined. */
  readonly crossRegion: boolean | undefined
  /** Items that would run (no blocking item issue: invalid target, collision, target = source). */
  readonly runnable: number
}

export interface Manifest {
  readonly spec: JobSpec
  readonly items: readonly ManifestItem[]
  readonly summary: ManifestSummary
  readonly issues: readonly JobIssue[]
}

/** An item's failure: OSS's (or the engine's) status, code, EC and message. */
export interface ItemError {
  /** HTTP status; -1 network, -2 timeout, 0 never sent / local. */
  readonly status: number
  readonly code: string
  readonly ec?: string | undefined
  readonly message: string
  readonly requestId?: string | undefined
  readonly retryable: boolean
}

export const ITEM_STATUSES = ['pending', 'done', 'skipped', 'failed'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

export interface ItemResult {
  readonly id: string
  readonly sourceKey: string
  readonly style: string
  readonly targetKey: string
  readonly status: ItemStatus
  /** Attempts over all runs of the job. */
  readonly attempts: number
  /** Output bytes written (done items, when known). */
  readonly bytes?: number | undefined
  /** Done without a new write: an interrupted attempt's write was found in place. */
  readonly recovered?: boolean | undefined
  readonly error?: ItemError | undefined
}

export const JOB_STATES = [
  /** Created, never run. */
  'created',
  /** Listing the source and building the manifest. */
  'planning',
  'running',
  /** No new items start; the ones in flight finish. */
  'pausing',
  'paused',
  'cancelling',
  'cancelled',
  /** Every item has a terminal result (some may have failed). */
  'finished',
  /** The run could not proceed (listing failed, blocking issue…): `error` says why. */
  'error',
  /** Found on disk with a run that never ended (crash / kill): start it to resume. */
  'interrupted'
] as const
export type JobState = (typeof JOB_STATES)[number]

export interface JobCounts {
  readonly total: number
  readonly done: number
  readonly skipped: number
  readonly failed: number
}

export interface JobProgress extends JobCounts {
  readonly jobId: string
  readonly state: JobState
  readonly pending: number
  readonly inFlight: number
  /** The most items in flight now: the job's concurrency, lowered while OSS answers 503 / SlowDown. */
  readonly concurrency: number
  /** Throttling answers (503, SlowDown) in this run. */
  readonly throttled: number
  /** Retries scheduled in this run. */
  readonly retries: number
  /** Output bytes written in this run. */
  readonly bytes: number
  /** Items per second finished over the last few seconds (this run). */
  readonly rate: number
  /** Seconds to go at `rate`; null when unknown. */
  readonly etaSeconds: number | null
  readonly elapsedMs: number
}

export interface JobReport {
  readonly jobId: string
  readonly state: JobState
  readonly counts: JobCounts
  readonly items: readonly ItemResult[]
  readonly failures: readonly ItemResult[]
}
