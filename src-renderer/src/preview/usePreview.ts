/**
 * Live preview: renders `process` on the selected object in main, latest wins — a newer request
 * cancels the one in flight (its AbortSignal reaches main, which stops waiting for it).
 */
import { useEffect, useRef, useState } from 'react'
import type { ErrorInfo, ResponseOf } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { objectUrlFromBase64 } from '../ui/format'

export type Rendered = ResponseOf<'preview:render'>

export interface PreviewResult {
  readonly rendered: Rendered
  /** Object URL for images (revoked when replaced). */
  readonly url: string | undefined
  readonly process: string
}

export interface PreviewState {
  readonly result: PreviewResult | undefined
  readonly error: ErrorInfo | undefined
  /** The process string the error belongs to (its span indexes into it). */
  readonly errorProcess: string | undefined
  readonly busy: boolean
}

/** The largest side sent over the transport; sizes and bytes shown are still the full result's. */
export const PREVIEW_MAX_SIDE = 1600

export function usePreview(profileId: string | undefined, key: string | undefined, process: string | undefined, delayMs: number): PreviewState {
  const [state, setState] = useState<PreviewState>({ result: undefined, error: undefined, errorProcess: undefined, busy: false })
  const urlRef = useRef<string | undefined>(undefined)
  const sourceRef = useRef<string | undefined>(undefined)

  useEffect(() => {
    const source = `${profileId ?? ''}\n${key ?? ''}`
    const sameSource = sourceRef.current === source
    sourceRef.current = source
    if (!profileId || !key || process === undefined) {
      setState((s) => (sameSource ? { ...s, busy: false } : { result: undefined, error: undefined, errorProcess: undefined, busy: false }))
      return
    }
    const controller = new AbortController()
    // A different object: the old picture no longer belongs.
    setState((s) => (sameSource ? { ...s, busy: true } : { result: undefined, error: undefined, errorProcess: undefined, busy: true }))
    const timer = setTimeout(() => {
      invoke('preview:render', { source: { kind: 'object', profileId, key }, process, maxSide: PREVIEW_MAX_SIDE }, { signal: controller.signal }).then(
        (rendered) => {
          const url = rendered.kind === 'image' ? objectUrlFromBase64(rendered.data, rendered.contentType) : undefined
          if (urlRef.current) URL.revokeObjectURL(urlRef.current)
          urlRef.current = url
          setState({ result: { rendered, url, process }, error: undefined, errorProcess: undefined, busy: false })
        },
        (error: unknown) => {
          if (isCancelled(error)) return
          setState((s) => ({ ...s, error: errorInfoOf(error), errorProcess: process, busy: false }))
        }
      )
    }, sameSource ? delayMs : 0) // Typing is debounced; a newly selected object renders at once.
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [profileId, key, process, delayMs])

  useEffect(
    () => () => {
      if (urlRef.current) URL.revokeObjectURL(urlRef.current)
    },
    []
  )
  return state
}
