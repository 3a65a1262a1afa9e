/**
 * Signed URLs, the stateful part: the options (kept while the studio runs, so "Copy signed URL"
 * always uses the last ones), the bucket's styles (`styles:diff`, to offer `style/NAME`), the
 * source-image protection probe (`sign:check`) and the signing of many keys.
 */
import { create } from 'zustand'
import type { ErrorInfo, ResponseOf } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke } from '../ipc/client'
import { subscribeProcessString } from '../state/process'
import type { Apply, BucketStyle, Expiry, SignedRow, SignSettings } from './model'
import { signRequest } from './model'

export interface SignOptions {
  readonly expiry: Expiry
  readonly version: 'v1' | 'v4'
  /** Used only when the profile has a custom domain. */
  readonly useCustomDomain: boolean
  readonly fileName: string
  /** Unset: the matching bucket style, else the current string (model.ts `effectiveApply`); reset when the string changes. */
  readonly apply: Apply | undefined
}

export const useSignOptions = create<SignOptions>()(() => ({ expiry: { preset: 3_600 }, version: 'v4', useCustomDomain: true, fileName: '', apply: undefined }))

export function setSignOptions(patch: Partial<SignOptions>): void {
  useSignOptions.setState(patch)
}

// A choice of what to apply answers the string it was made for: a new string starts from auto again.
subscribeProcessString(() => {
  if (useSignOptions.getState().apply !== undefined) useSignOptions.setState({ apply: undefined })
})

// ---- the bucket's styles ----------------------------------------------------------------------

export type BucketStyles = { readonly status: 'loading' } | { readonly status: 'ready'; readonly styles: readonly BucketStyle[] } | { readonly status: 'error'; readonly error: ErrorInfo }

interface RemoteState {
  readonly styles: Readonly<Record<string, BucketStyles>>
  readonly protection: Readonly<Record<string, ResponseOf<'sign:check'>>>
}

export const useSignRemote = create<RemoteState>()(() => ({ styles: {}, protection: {} }))

const stylesInFlight = new Map<string, Promise<BucketStyles>>()

/**
 * The styles stored in the profile's bucket (one request per profile at a time). Pushes emit no
 * event, so callers `force` a fresh answer where it matters (opening the panel, copying).
 */
export function loadBucketStyles(profileId: string, force = false): Promise<BucketStyles> {
  const known = useSignRemote.getState().styles[profileId]
  if (known && known.status !== 'loading' && !force) return Promise.resolve(known)
  const pending = stylesInFlight.get(profileId)
  if (pending) return pending
  const set = (value: BucketStyles) => useSignRemote.setState((s) => ({ styles: { ...s.styles, [profileId]: value } }))
  if (!known) set({ status: 'loading' })
  const request = invoke('styles:diff', { profileId }).then(
    ({ styles }): BucketStyles => ({ status: 'ready', styles: styles.flatMap((d) => (d.bucket !== undefined ? [{ name: d.name, process: d.bucket }] : [])) }),
    (error: unknown): BucketStyles => ({ status: 'error', error: errorInfoOf(error) })
  )
  stylesInFlight.set(profileId, request)
  void request.then((value) => {
    stylesInFlight.delete(profileId)
    set(value)
  })
  return request
}

// ---- source-image protection -----------------------------------------------------------------

export const protectionKey = (profileId: string, key: string) => `${profileId}\n${key}`

/** The probe's answer for one object, asked once per object while the studio runs (`force` asks again). */
export async function checkProtection(profileId: string, key: string, force = false): Promise<ResponseOf<'sign:check'>> {
  const id = protectionKey(profileId, key)
  const known = useSignRemote.getState().protection[id]
  if (known && !force) return known
  let result: ResponseOf<'sign:check'>
  try {
    result = await invoke('sign:check', { profileId, key })
  } catch {
    // Advice only: a failed probe must not stand in the way of a URL.
    result = { sourceProtection: 'unknown' }
  }
  useSignRemote.setState((s) => ({ protection: { ...s.protection, [id]: result } }))
  return result
}

// ---- signing -----------------------------------------------------------------------------------

/** Signing is local HMAC work in main; a few in flight keep a long list quick without flooding IPC. */
const PARALLEL = 4

/** Signed URLs for `keys`, in their order; the first failure rejects (with OSS's error shape from main). */
export async function signAll(keys: readonly string[], settings: SignSettings, signal?: AbortSignal): Promise<SignedRow[]> {
  const rows: SignedRow[] = new Array<SignedRow>(keys.length)
  let next = 0
  const worker = async () => {
    while (next < keys.length) {
      const index = next++
      const key = keys[index]!
      const signed = await invoke('sign:url', signRequest(key, settings), { signal })
      rows[index] = { key, url: signed.url, expiresAt: signed.expiresAt }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, keys.length) }, worker))
  return rows
}
