/** The studio's renderer state: one zustand store made of slices (see store.ts). */
import type { ErrorInfo, ProfileSummary, RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import type { ConnectionState } from '../ipc/client'

export type View = 'studio' | 'jobs' | 'links' | 'profiles'

export type Load<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly data?: T }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly error: ErrorInfo; readonly data?: T }

export type AppInfo = ResponseOf<'app:info'>
export type ConnectionResult = ResponseOf<'profiles:test'>
export type ObjectEntry = ResponseOf<'objects:list'>['objects'][number]

export type TestState = { readonly status: 'running' } | { readonly status: 'done'; readonly result: ConnectionResult; readonly at: number }

export interface AppSlice {
  readonly info: AppInfo | undefined
  readonly connection: ConnectionState
  readonly view: View
  setView(view: View): void
  init(): Promise<void>
}

export interface ProfilesSlice {
  readonly profiles: Load<{ readonly list: readonly ProfileSummary[] }>
  readonly activeId: string | undefined
  readonly tests: Readonly<Record<string, TestState>>
  loadProfiles(): Promise<void>
  setActive(id: string): Promise<void>
  /** The input (with its secret) is sent and forgotten: nothing of it stays in the store. */
  createProfile(input: RequestOf<'profiles:create'>): Promise<ProfileSummary>
  updateProfile(request: RequestOf<'profiles:update'>): Promise<ProfileSummary>
  deleteProfile(id: string): Promise<void>
  testProfile(id: string): Promise<void>
}

export interface Listing {
  readonly profileId: string
  readonly prefix: string
  readonly objects: readonly ObjectEntry[]
  readonly prefixes: readonly string[]
  readonly nextContinuationToken: string | undefined
}

export interface BrowserSlice {
  readonly prefix: string
  readonly listing: Load<Listing>
  readonly loadingMore: boolean
  readonly selectedKey: string | undefined
  /** An image added from this computer shown instead of a bucket object (sources/). */
  readonly selectedUploadId: string | undefined
  openPrefix(prefix: string): Promise<void>
  reloadListing(): Promise<void>
  loadMore(): Promise<void>
  select(key: string | undefined): void
  selectUpload(uploadId: string): void
}

export interface EditorSlice {
  readonly process: string
  setProcess(process: string): void
}

export type Studio = AppSlice & ProfilesSlice & BrowserSlice & EditorSlice
