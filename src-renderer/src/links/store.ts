/**
 * The Links view's state: which objects (a listed prefix with a filter and checkboxes, or pasted
 * keys), which columns (bucket styles, process strings), how to write the URLs (form, delimiter,
 * signing and expiry, custom domain), the matrix main built and the results of checking it.
 * URLs are built and signed in main (`links:build`); checks run there too (`links:check`, with
 * `links:checked` per URL for the progress bar).
 */
import { create } from 'zustand'
import type { ErrorInfo, RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import { isStyleDelimiter, type StyleDelimiter } from '../../../src-shared/model/image-settings'
import { LINK_KEYS_MAX, type LinkCheck, type LinkForm, type LinkFormat, type LinkMatrix } from '../../../src-shared/model/links'
import { errorInfoOf, invoke, isCancelled, onEvent } from '../ipc/client'

export type Signing = 'public' | 'v1' | 'v4'
export type ExpiryMode = 'seconds' | 'date'
export type Built = ResponseOf<'links:build'>

export interface LinkOptions {
  readonly source: 'bucket' | 'pasted'
  readonly prefix: string
  readonly filter: string
  readonly pasted: string
  readonly styles: readonly string[]
  /** One `image/…` per line. */
  readonly processes: string
  readonly form: LinkForm
  readonly delimiter: StyleDelimiter
  readonly signing: Signing
  readonly expiryMode: ExpiryMode
  readonly expiresSeconds: string
  /** `datetime-local` value, in the user's zone. */
  readonly expiresAt: string
  readonly domain: string
}

export interface CheckState {
  readonly id: string
  readonly done: number
  readonly total: number
  readonly running: boolean
}

interface LinksState extends LinkOptions {
  readonly listed: readonly string[] | undefined
  readonly listing: boolean
  readonly listError: ErrorInfo | undefined
  readonly selected: ReadonlySet<string>
  readonly bucketStyles: readonly string[] | undefined
  readonly matrix: Built | undefined
  readonly building: boolean
  readonly buildError: ErrorInfo | undefined
  readonly checks: readonly (LinkCheck | undefined)[]
  readonly check: CheckState | undefined
  readonly checkError: ErrorInfo | undefined
  readonly failedOnly: boolean
  readonly exportFormat: LinkFormat
  set(patch: Partial<LinkOptions & { failedOnly: boolean; exportFormat: LinkFormat }>): void
  toggle(key: string, on: boolean): void
  selectAll(keys: readonly string[], on: boolean): void
  list(profileId: string): Promise<void>
  loadStyles(profileId: string): Promise<void>
  build(profileId: string): Promise<void>
  runCheck(): Promise<void>
  cancelCheck(): void
  reset(): void
}

const INITIAL: LinkOptions = {
  source: 'bucket',
  prefix: '',
  filter: '',
  pasted: '',
  styles: [],
  processes: '',
  form: 'query',
  delimiter: '!',
  signing: 'v4',
  expiryMode: 'seconds',
  expiresSeconds: '3600',
  expiresAt: '',
  domain: ''
}

export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')

/** Keys of the listing that pass the filter (a case-insensitive substring). */
export function visibleKeys(listed: readonly string[] | undefined, filter: string): string[] {
  const needle = filter.trim().toLowerCase()
  return (listed ?? []).filter((k) => needle === '' || k.toLowerCase().includes(needle))
}

/** The keys the matrix is built for, in listing (or pasted) order. */
export function chosenKeys(s: Pick<LinksState, 'source' | 'pasted' | 'listed' | 'selected'>): string[] {
  return s.source === 'pasted' ? [...new Set(lines(s.pasted))] : (s.listed ?? []).filter((k) => s.selected.has(k))
}

/** Seconds until expiry, or the problem with the input. */
export function expirySeconds(o: Pick<LinkOptions, 'expiryMode' | 'expiresSeconds' | 'expiresAt'>, now = Date.now()): { seconds: number } | { error: string } {
  if (o.expiryMode === 'seconds') {
    const n = Number(o.expiresSeconds)
    if (!/^\d+$/.test(o.expiresSeconds.trim()) || n < 1 || n > 604_800) return { error: 'Expected whole seconds between 1 and 604800 (7 days).' }
    return { seconds: n }
  }
  const at = new Date(o.expiresAt).getTime()
  if (o.expiresAt === '' || Number.isNaN(at)) return { error: 'Expected a date and time.' }
  const seconds = Math.ceil((at - now) / 1000)
  if (seconds < 1 || seconds > 604_800) return { error: 'Expected a time within the next 7 days.' }
  return { seconds }
}

export function buildRequest(s: LinksState, profileId: string): { request: RequestOf<'links:build'> } | { error: string } {
  const keys = chosenKeys(s)
  if (keys.length === 0) return { error: s.source === 'pasted' ? 'Paste at least one object key.' : 'Select at least one object.' }
  if (keys.length > LINK_KEYS_MAX) return { error: `At most ${LINK_KEYS_MAX} objects per matrix.` }
  const columns = [...s.styles.map((style) => ({ style })), ...lines(s.processes).map((process) => ({ process }))]
  if (columns.length === 0) return { error: 'Choose at least one style or enter a process string.' }
  let sign: RequestOf<'links:build'>['sign']
  if (s.signing !== 'public') {
    const expiry = expirySeconds(s)
    if ('error' in expiry) return expiry
    sign = { version: s.signing, expiresSeconds: expiry.seconds }
  }
  return {
    request: {
      profileId,
      keys,
      columns,
      form: s.form,
      ...(s.form === 'delimiter' ? { delimiter: s.delimiter } : {}),
      ...(sign ? { sign } : {}),
      ...(s.domain.trim() !== '' ? { domain: s.domain.trim() } : {})
    }
  }
}

/** The built matrix with its checks, in the shape the exports take. */
export function asMatrix(built: Built, checks: readonly (LinkCheck | undefined)[]): LinkMatrix {
  const width = built.columns.length
  return {
    keys: built.cells.filter((_, i) => i % width === 0).map((c) => c.key),
    columns: built.columns,
    cells: built.cells.map((c, i) => ({ ...c, check: checks[i] }))
  }
}

const local = typeof localStorage === 'undefined' ? undefined : localStorage
const delimiterKey = (profileId: string) => `oss-img-studio.links.delimiter.${profileId}`

/** The delimiter the user set for a profile's bucket (OSS sets one per bucket; it is remembered per profile). */
export function savedDelimiter(profileId: string): StyleDelimiter | undefined {
  const value = local?.getItem(delimiterKey(profileId))
  return isStyleDelimiter(value) ? value : undefined
}

export function saveDelimiter(profileId: string, delimiter: StyleDelimiter): void {
  try {
    local?.setItem(delimiterKey(profileId), delimiter)
  } catch {
    // Storage full or disabled: the choice just does not survive a reload.
  }
}

let checkSeq = 0
let checkAbort: AbortController | undefined
let unsubscribe: (() => void) | undefined

export const useLinks = create<LinksState>((set, get) => ({
  ...INITIAL,
  listed: undefined,
  listing: false,
  listError: undefined,
  selected: new Set(),
  bucketStyles: undefined,
  matrix: undefined,
  building: false,
  buildError: undefined,
  checks: [],
  check: undefined,
  checkError: undefined,
  failedOnly: false,
  exportFormat: 'csv',

  set: (patch) => set(patch),
  toggle: (key, on) => {
    const selected = new Set(get().selected)
    if (on) selected.add(key)
    else selected.delete(key)
    set({ selected })
  },
  selectAll: (keys, on) => {
    const selected = new Set(get().selected)
    for (const k of keys) {
      if (on) selected.add(k)
      else selected.delete(k)
    }
    set({ selected })
  },

  async list(profileId) {
    set({ listing: true, listError: undefined })
    try {
      const keys: string[] = []
      let token: string | undefined
      do {
        const page = await invoke('objects:list', { profileId, prefix: get().prefix, maxKeys: 1000, ...(token ? { continuationToken: token } : {}) })
        for (const o of page.objects) if (!o.key.endsWith('/')) keys.push(o.key)
        token = page.nextContinuationToken
      } while (token !== undefined && keys.length < LINK_KEYS_MAX)
      set({ listed: keys.slice(0, LINK_KEYS_MAX), selected: new Set(), listing: false })
    } catch (error) {
      set({ listing: false, listError: errorInfoOf(error) })
    }
  },

  async loadStyles(profileId) {
    try {
      const { styles } = await invoke('styles:diff', { profileId })
      set({ bucketStyles: styles.filter((s) => s.bucket !== undefined).map((s) => s.name) })
    } catch {
      set({ bucketStyles: [] })
    }
  },

  async build(profileId) {
    const made = buildRequest(get(), profileId)
    if ('error' in made) {
      set({ buildError: { code: 'InvalidInput', message: made.error } })
      return
    }
    get().cancelCheck()
    set({ building: true, buildError: undefined })
    try {
      const matrix = await invoke('links:build', made.request)
      set({ matrix, building: false, checks: [], check: undefined, checkError: undefined })
    } catch (error) {
      set({ building: false, buildError: errorInfoOf(error) })
    }
  },

  async runCheck() {
    const matrix = get().matrix
    if (!matrix) return
    get().cancelCheck()
    const id = `links-${Date.now().toString(36)}-${(checkSeq += 1)}`
    const controller = new AbortController()
    checkAbort = controller
    unsubscribe ??= onEvent('links:checked', (event) => {
      const current = get().check
      if (!current || current.id !== event.checkId) return
      const checks = [...get().checks]
      checks[event.index] = event.check
      set({ checks, check: { ...current, done: event.done } })
    })
    set({ checks: [], check: { id, done: 0, total: matrix.cells.length, running: true }, checkError: undefined })
    try {
      const { checks } = await invoke('links:check', { checkId: id, urls: matrix.cells.map((c) => c.url) }, { signal: controller.signal })
      if (get().check?.id === id) set({ checks, check: { id, done: checks.length, total: checks.length, running: false } })
    } catch (error) {
      const current = get().check
      if (current?.id === id) set({ check: { ...current, running: false }, ...(isCancelled(error) ? {} : { checkError: errorInfoOf(error) }) })
    } finally {
      if (checkAbort === controller) checkAbort = undefined
    }
  },

  cancelCheck() {
    checkAbort?.abort()
    checkAbort = undefined
  },

  reset() {
    get().cancelCheck()
    set({ listed: undefined, selected: new Set(), bucketStyles: undefined, matrix: undefined, checks: [], check: undefined, styles: [] })
  }
}))
