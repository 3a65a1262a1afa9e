/**
 * services/jobs: bulk derivatives across bucket prefixes, key lists and local folders —
 * server-side (OSS processObjectSave) or local (the engine) — with bounded concurrency, retries
 * on retryable errors only, pause / resume / cancel, a durable journal per job (resume after a
 * crash without redoing finished items), dry runs, reports and CSV export. See README.md.
 *
 *   const manifest = await buildManifest(await resolveSpec(input, lookup), { connect })   // dry run
 *   const result = await new JobRunner({ spec, journalPath, connect, onProgress }).run()  // one run
 *   const jobs = await openJobManager({ dataDir, connect, styleLookup })                  // the app's
 */
export { JobError, isJobError, toItemError, type JobErrorCode } from './errors'
export { Journal, parseJournal, readJournal, type ItemJournalState, type JobHeader, type JournalRecord, type JournalReplay, type JournalSummary, type OpenedJournal } from './journal'
export { BLOCKING_ITEM_ISSUES, buildManifest, isRunnable, itemId, MANIFEST_ITEMS_IN_MEMORY, planManifest, scratchIndex, type BuildManifestOptions, type PlanOptions } from './manifest'
export { JobIndex, type ItemState, type PlannedItem } from './job-index'
export { openJobManager, type CreateJobInput, type JobConnection, type JobEvent, type JobInfo, type JobManager, type JobManagerOptions, type StartOptions } from './manager'
export type { Connect, JobOss } from './oss-port'
export { outputFormatResolver, sourceFormat } from './output-format'
export { buildReport, countsOf, CSV_COLUMNS, csvField, reportCsv } from './report'
export { DEFAULT_JOB_RETRY, defaultConcurrency, defaultEngineSlots, JobRunner, MAX_CONCURRENCY, SERVER_DEFAULT_CONCURRENCY, type JobRunnerOptions, type RunResult } from './runner'
export { inventoryObjects, sourceBatches, sourceFilter, type SourceObject } from './sources'
export { openInventory, parseCsvRecord, parseInventoryManifest, type InventoryManifest } from './inventory'
export { canonicalJson, resolveSpec, specDifferences, specDigest, type JobInput, type SourceInput, type StyleInput, type StyleLookup } from './spec'
export { keyParts, parseTemplate, PLACEHOLDERS, type KeyTemplate } from './template'
export type * from './types'
