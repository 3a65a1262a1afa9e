/**
 * services/styles: the named style library (library.ts) and bucket sync (sync.ts).
 * Layout on disk in files.ts; document schema, migrations and the export format in
 * src-shared/model/style.ts. Never imports Electron.
 */
export { createStyleLibrary, type BrokenStyle, type ImportConflict, type ImportReport, type SaveResult, type SaveStyleInput, type StyleLibrary, type StyleLibraryOptions, type StyleListing, type TrashEntry } from './library'
export { bucketStylesFromOss, createStyleSync, diffStyles, type BucketStyle, type BucketStyles, type DeleteReport, type DeleteStatus, type OssStyleApi, type PullReport, type PullStatus, type PushReport, type PushStatus, type StyleDiff, type StyleDiffState, type StyleSync, type StyleSyncOptions, type SyncResult } from './sync'
export { StyleLibraryError, isStyleLibraryError, type StyleLibraryErrorCode } from './errors'
