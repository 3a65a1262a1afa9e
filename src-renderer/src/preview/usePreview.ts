/**
 * Live preview of one process string on one source, through the scheduler (scheduler.ts): an
 * interactive frame at once (main may render it on its cached proxy), coalesced while a slider
 * moves, the full-resolution final after the debounce; latest wins and the last frame stays up
 * until a newer one arrives. Every request has an AbortSignal that reaches main.
 *
 * `frame` is the picture on screen; `final` the full-resolution answer for the current request (its
 * numbers are OSS's). `maxSide` is the transport size: raising it (zooming in) asks for a sharper
 * final picture of the same string without an interactive pass.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ErrorInfo, RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { objectUrlFromBase64 } from '../ui/format'
import { createPreviewScheduler, type PreviewScheduler, type RenderQuality } from './scheduler'

export type Rendered = ResponseOf<'preview:render'>

export interface PreviewFrame {
  readonly rendered: Rendered
  /** Object URL for images (revoked once no longer on screen). */
  readonly url: string | undefined
  readonly process: string
  readonly quality: RenderQuality
  /** Identity of the source it belongs to. */
  readonly sourceKey: string
}

export interface PreviewState {
  /** The picture on screen (latest wins). */
  readonly frame: PreviewFrame | undefined
  /** The newest full-resolution answer for this source (compare its process with the current one: older while a newer string renders). */
  readonly final: PreviewFrame | undefined
  readonly error: ErrorInfo | undefined
  /** The process string the error belongs to (its span indexes into it). */
  readonly errorProcess: string | undefined
  /** Something newer than the frame on screen (or its final) is still coming. */
  readonly busy: boolean
}

/** The transport side at "fit"; sizes and bytes shown are still the full result's. */
export const PREVIEW_MAX_SIDE = 1600
/** The largest transport side asked for when zoomed in. */
export const DETAIL_MAX_SIDE = 4096

type ImageSource = RequestOf<'preview:render'>['source']

export interface PreviewTarget {
  /** What is rendered (a bucket object or an upload); `sourceId` names it for caches and cancellation. */
  readonly source: ImageSource | undefined
  readonly sourceId: string | undefined
  /** undefined: nothing to render (e.g. the string does not parse). */
  readonly process: string | undefined
  readonly maxSide?: number
  /** false: interactive answers only (e.g. the original, where the proxy is enough at fit). */
  readonly finals?: boolean
}

interface Payload {
  readonly source: ImageSource
  readonly process: string
  readonly maxSide: number
}

const EMPTY: PreviewState = { frame: undefined, final: undefined, error: undefined, errorProcess: undefined, busy: false }

export function usePreview(target: PreviewTarget): PreviewState {
  const [state, setState] = useState<PreviewState>(EMPTY)
  const schedulerRef = useRef<PreviewScheduler<Payload> | undefined>(undefined)
  const finalsRef = useRef(target.finals ?? true)
  finalsRef.current = target.finals ?? true
  /** Object URLs in use by `frame` / `final`; anything else is revoked. */
  const live = useRef(new Set<string>())

  const retain = (next: PreviewState) => {
    const keep = new Set([next.frame?.url, next.final?.url].filter((u): u is string => u !== undefined))
    for (const url of live.current) if (!keep.has(url)) URL.revokeObjectURL(url)
    live.current = keep
    return next
  }

  useEffect(() => {
    const scheduler = createPreviewScheduler<Payload, Rendered>({
      render: (payload, quality, signal) =>
        invoke(
          'preview:render',
          { source: payload.source, process: payload.process, maxSide: payload.maxSide, quality },
          { signal }
        ),
      qualityOf: (rendered) => rendered.quality ?? 'final',
      autoFinal: () => finalsRef.current,
      isCancelled,
      onFrame: ({ request, result, quality }) => {
        const url = result.kind === 'image' ? objectUrlFromBase64(result.data, result.contentType) : undefined
        const frame: PreviewFrame = { rendered: result, url, process: request.payload.process, quality, sourceKey: request.sourceKey }
        setState((s) =>
          retain({
            ...s,
            frame,
            // The newest final answer, kept while a newer string renders: the numbers shown dimmed until theirs arrive.
            final: quality === 'final' ? frame : s.final,
            error: undefined,
            errorProcess: undefined
          })
        )
      },
      onError: (error, _seq, request) => setState((s) => ({ ...s, error: errorInfoOf(error), errorProcess: request.payload.process })),
      onBusy: (busy) => setState((s) => (s.busy === busy ? s : { ...s, busy }))
    })
    schedulerRef.current = scheduler
    const urls = live.current
    return () => {
      scheduler.dispose()
      schedulerRef.current = undefined
      for (const url of urls) URL.revokeObjectURL(url)
      urls.clear()
    }
  }, [])

  const { source, sourceId, process } = target
  const maxSide = target.maxSide ?? PREVIEW_MAX_SIDE
  const previous = useRef<{ sourceKey: string; process: string | undefined; maxSide: number } | undefined>(undefined)

  useEffect(() => {
    const scheduler = schedulerRef.current
    if (!scheduler) return
    const sourceKey = sourceId ?? ''
    const before = previous.current
    previous.current = { sourceKey, process, maxSide }
    if (before?.sourceKey !== sourceKey) {
      // Another object: the old picture no longer belongs.
      setState((s) => retain({ ...EMPTY, busy: s.busy }))
    }
    if (!source || process === undefined) {
      scheduler.update(undefined)
      return
    }
    const onlySharper = before !== undefined && before.sourceKey === sourceKey && before.process === process && before.maxSide !== maxSide
    if (onlySharper && maxSide <= before.maxSide) return // the picture we have is sharp enough
    scheduler.update({ payload: { source, process, maxSide }, sourceKey, key: `${sourceKey}\n${process}\n${maxSide}` }, { finalOnly: onlySharper })
    // `source` is described by `sourceId`: a new object for the same image must not restart anything.
  }, [sourceId, process, maxSide])

  return useMemo(() => state, [state])
}
