/**
 * Searching the bucket browser: the name filter (pure, as you type) and the search of the whole
 * tree under the current folder — `objects:list` with the folder as prefix and no delimiter, page
 * after page, capped and cancellable. The scanned objects are kept (up to the cap) so the filter
 * refines them live; the note says how many were searched.
 */
import { create } from 'zustand'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { useStudio } from '../state/store'
import type { ObjectEntry } from '../state/types'

/** Objects scanned at most by one search (OSS lists 1,000 per page). */
export const SEARCH_CAP = 10_000
const PAGE = 1000

/** Every whitespace-separated term occurs in `name` (case-insensitive). An empty query matches all. */
export function matchesQuery(name: string, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean)
  const haystack = name.toLowerCase()
  return terms.every((term) => haystack.includes(term))
}

export interface DeepSearchState {
  readonly status: 'idle' | 'running' | 'done' | 'cancelled' | 'error'
  readonly profileId?: string | undefined
  readonly prefix: string
  readonly objects: readonly ObjectEntry[]
  /** True when the cap stopped the scan before the end of the listing. */
  readonly capped: boolean
  readonly error?: ErrorInfo | undefined
}

const IDLE: DeepSearchState = { status: 'idle', prefix: '', objects: [], capped: false }

export const useDeepSearch = create<DeepSearchState>()(() => IDLE)

let running: AbortController | undefined

/** Scans everything under the current folder of the active profile (replacing an earlier search). */
export async function startDeepSearch(): Promise<void> {
  const { activeId: profileId, prefix } = useStudio.getState()
  if (!profileId) return
  running?.abort()
  const controller = new AbortController()
  running = controller
  useDeepSearch.setState({ status: 'running', profileId, prefix, objects: [], capped: false, error: undefined })
  const objects: ObjectEntry[] = []
  let token: string | undefined
  try {
    do {
      const page = await invoke('objects:list', { profileId, prefix, maxKeys: PAGE, ...(token ? { continuationToken: token } : {}) }, { signal: controller.signal })
      objects.push(...page.objects.slice(0, SEARCH_CAP - objects.length))
      token = page.nextContinuationToken
      useDeepSearch.setState({ objects: [...objects], capped: token !== undefined && objects.length >= SEARCH_CAP })
    } while (token && objects.length < SEARCH_CAP)
    useDeepSearch.setState({ status: 'done' })
  } catch (error) {
    // A newer search or leaving search mode already moved the state on.
    if (running !== controller) return
    useDeepSearch.setState(isCancelled(error) ? { status: 'cancelled' } : { status: 'error', error: errorInfoOf(error) })
  } finally {
    if (running === controller) running = undefined
  }
}

/** Stops a running scan; what was scanned so far stays searchable. */
export function cancelDeepSearch(): void {
  running?.abort()
}

/** Back to the folder listing. */
export function endDeepSearch(): void {
  const controller = running
  running = undefined
  controller?.abort()
  useDeepSearch.setState(IDLE)
}

// A search belongs to one folder of one profile.
useStudio.subscribe((state, previous) => {
  if (state.prefix !== previous.prefix || state.activeId !== previous.activeId) endDeepSearch()
})
