/**
 * The style library's renderer state: the local styles (`styles:list`), their state against the
 * active profile's bucket (`styles:diff`), and "the current style" — the one last opened or saved
 * in the editor, so Save style knows its name and the header can say when the string has moved on.
 *
 * Actions call main and then reload what they changed; failures reject with the IpcError for the
 * caller to show next to the control that started them. Main's `styles:changed` (a pull or an
 * import, maybe from another window) reloads too (`watchLibrary`).
 */
import { create } from 'zustand'
import type { RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import { sameStyleProcess } from '../../../src-shared/model/style-rules'
import { errorInfoOf, invoke, isCancelled, onEvent } from '../ipc/client'
import { canonicalize } from '../state/editor'
import { setProcessString, useProcessString } from '../state/process'
import { useStudio } from '../state/store'
import type { Load } from '../state/types'

export type StyleSummary = ResponseOf<'styles:list'>['styles'][number]
export type StyleDiff = ResponseOf<'styles:diff'>['styles'][number]
export type StyleVersion = ResponseOf<'styles:history'>['versions'][number]
export type DiffState = StyleDiff['state']
export type ImportConflict = RequestOf<'styles:import'>['onConflict']
export type ImportReport = ResponseOf<'styles:import'>

/** OSS's limit of styles per bucket (spec oss-img.md §7). */
export const BUCKET_STYLE_LIMIT = 50

export interface SyncData {
  readonly profileId: string
  readonly entries: readonly StyleDiff[]
}

export type BrokenStyle = NonNullable<ResponseOf<'styles:list'>['broken']>[number]

export interface LibraryState {
  readonly styles: Load<readonly StyleSummary[]>
  /** Style files main cannot read (they can only be deleted). */
  readonly broken: readonly BrokenStyle[]
  /** Against the active profile's default bucket. */
  readonly sync: Load<SyncData>
  readonly currentName: string | undefined
}

export const useLibrary = create<LibraryState>()(() => ({ styles: { status: 'idle' }, broken: [], sync: { status: 'idle' }, currentName: undefined }))

const keep = <T>(load: Load<T>): { data?: T } => ('data' in load && load.data !== undefined ? { data: load.data } : {})

// Overlapping reloads (an event during an action's own reload): only the newest answer lands.
let listSeq = 0
let diffAbort: AbortController | undefined

export async function loadStyles(): Promise<void> {
  const seq = ++listSeq
  useLibrary.setState((s) => ({ styles: { status: 'loading', ...keep(s.styles) } }))
  try {
    const { styles, broken = [] } = await invoke('styles:list', {})
    if (seq === listSeq) useLibrary.setState({ styles: { status: 'ready', data: styles }, broken })
  } catch (error) {
    if (seq === listSeq) useLibrary.setState((s) => ({ styles: { status: 'error', error: errorInfoOf(error), ...keep(s.styles) } }))
  }
}

export async function loadDiff(): Promise<void> {
  const profileId = useStudio.getState().activeId
  diffAbort?.abort()
  if (!profileId) {
    useLibrary.setState({ sync: { status: 'idle' } })
    return
  }
  const controller = new AbortController()
  diffAbort = controller
  // Another profile's states must not show as this one's while loading.
  useLibrary.setState((s) => ({ sync: { status: 'loading', ...(s.sync.status !== 'idle' && 'data' in s.sync && s.sync.data?.profileId === profileId ? { data: s.sync.data } : {}) } }))
  try {
    const { styles } = await invoke('styles:diff', { profileId }, { signal: controller.signal })
    useLibrary.setState({ sync: { status: 'ready', data: { profileId, entries: styles } } })
  } catch (error) {
    if (!isCancelled(error)) useLibrary.setState((s) => ({ sync: { status: 'error', error: errorInfoOf(error), ...keep(s.sync) } }))
  }
}

export function refreshLibrary(): Promise<void> {
  return Promise.all([loadStyles(), loadDiff()]).then(() => undefined)
}

/** Reloads on `styles:changed` and when the active profile changes. Returns the unsubscribe function. */
export function watchLibrary(): () => void {
  const offEvent = onEvent('styles:changed', () => void refreshLibrary())
  const offProfile = useStudio.subscribe((state, previous) => {
    if (state.activeId !== previous.activeId) void loadDiff()
  })
  return () => {
    offEvent()
    offProfile()
  }
}

// ---- the current style ----------------------------------------------------------------------

/** Loads a process into the editor (one undo step) and makes `name` the current style. */
export function openInEditor(name: string, process: string): void {
  useLibrary.setState({ currentName: name })
  setProcessString(process)
  // Bucket or older content may be spelled differently: show it the way the editor writes it.
  canonicalize()
}

export interface CurrentStyle {
  readonly name: string
  /** The saved content (latest version). */
  readonly process: string
  readonly description: string | undefined
  readonly versions: number
  /** The editor's string differs from the saved content. */
  readonly modified: boolean
  /** The bucket of the active profile holds this style with the same content. */
  readonly inBucket: boolean
}

/** The current style as saved in the library (undefined when none is open or it was deleted). */
export function useCurrentStyle(): CurrentStyle | undefined {
  const name = useLibrary((s) => s.currentName)
  const style = useLibrary((s) => ('data' in s.styles ? s.styles.data?.find((x) => x.name === name) : undefined))
  const inBucket = useLibrary((s) => 'data' in s.sync && s.sync.data?.entries.some((e) => e.name === name && e.state === 'same') === true)
  const process = useProcessString()
  if (!style) return undefined
  return { name: style.name, process: style.process, description: style.description, versions: style.versions, modified: !sameStyleProcess(process, style.process), inBucket }
}

// ---- actions --------------------------------------------------------------------------------

export async function saveStyle(name: string, process: string, description: string): Promise<StyleSummary> {
  const saved = await invoke('styles:save', { name, process, description })
  useLibrary.setState({ currentName: saved.name })
  await refreshLibrary()
  return saved
}

export async function renameStyle(from: string, to: string): Promise<void> {
  await invoke('styles:rename', { from, to })
  if (useLibrary.getState().currentName === from) useLibrary.setState({ currentName: to })
  await refreshLibrary()
}

export async function duplicateStyle(name: string, as: string): Promise<void> {
  await invoke('styles:duplicate', { name, as })
  await refreshLibrary()
}

/** Deletes from the library, and from the active profile's bucket when `remote`. */
export async function deleteStyle(name: string, remote: boolean): Promise<void> {
  const profileId = useStudio.getState().activeId
  try {
    // The bucket first: if OSS refuses, the local style is still there to retry with.
    if (remote && profileId) await invoke('styles:deleteRemote', { profileId, names: [name] })
    await invoke('styles:delete', { name })
    if (useLibrary.getState().currentName === name) useLibrary.setState({ currentName: undefined })
  } finally {
    await refreshLibrary()
  }
}

export function styleHistory(name: string, signal?: AbortSignal): Promise<readonly StyleVersion[]> {
  return invoke('styles:history', { name }, { signal }).then((r) => r.versions)
}

/** Saves an old version as the newest and opens it in the editor. */
export async function revertStyle(name: string, version: number): Promise<StyleSummary> {
  const reverted = await invoke('styles:revert', { name, version })
  openInEditor(reverted.name, reverted.process)
  await refreshLibrary()
  return reverted
}

function activeProfile(): string {
  const profileId = useStudio.getState().activeId
  if (!profileId) throw new Error('No active profile: choose one under Profiles.')
  return profileId
}

export async function pushStyles(names: readonly string[]): Promise<void> {
  try {
    await invoke('styles:push', { profileId: activeProfile(), names: [...names] })
  } finally {
    await loadDiff()
  }
}

export async function pullStyles(names: readonly string[]): Promise<void> {
  try {
    await invoke('styles:pull', { profileId: activeProfile(), names: [...names] })
  } finally {
    await refreshLibrary()
  }
}

export async function exportStyles(names?: readonly string[]): Promise<string> {
  return (await invoke('styles:export', names ? { names: [...names] } : {})).json
}

export async function importStyles(json: string, onConflict: ImportConflict): Promise<ImportReport> {
  try {
    return await invoke('styles:import', { json, onConflict })
  } finally {
    await refreshLibrary()
  }
}

