/** "Compare with OSS": OSS's own result through a signed URL, and the difference bar under it. */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { Spinner } from '../ui/Empty'
import { ErrorCallout } from '../ui/ErrorCallout'
import { formatBytes, formatMs, objectUrlFromBase64 } from '../ui/format'
import { PREVIEW_MAX_SIDE, type Rendered } from './usePreview'

type Comparison = NonNullable<Rendered['comparison']>

export interface OssCompareState {
  readonly status: 'idle' | 'loading' | 'done' | 'error'
  readonly process?: string
  readonly sourceKey?: string
  readonly rendered?: Rendered
  readonly url?: string
  readonly error?: ErrorInfo
}

export function useOssCompare() {
  const [state, setState] = useState<OssCompareState>({ status: 'idle' })
  const controller = useRef<AbortController | undefined>(undefined)
  const urlRef = useRef<string | undefined>(undefined)
  const run = useCallback((profileId: string, key: string, process: string) => {
    controller.current?.abort()
    const abort = new AbortController()
    controller.current = abort
    const sourceKey = `${profileId}\n${key}`
    setState((s) => ({ ...s, status: 'loading', process, sourceKey, error: undefined }))
    invoke('preview:render', { source: { kind: 'object', profileId, key }, process, via: 'oss', maxSide: PREVIEW_MAX_SIDE }, { signal: abort.signal }).then(
      (rendered) => {
        const url = rendered.kind === 'image' ? objectUrlFromBase64(rendered.data, rendered.contentType) : undefined
        if (urlRef.current) URL.revokeObjectURL(urlRef.current)
        urlRef.current = url
        setState({ status: 'done', process, sourceKey, rendered, url })
      },
      (error: unknown) => {
        if (isCancelled(error)) return
        setState({ status: 'error', process, sourceKey, error: errorInfoOf(error) })
      }
    )
  }, [])
  const cancel = useCallback(() => controller.current?.abort(), [])
  useEffect(
    () => () => {
      controller.current?.abort()
      if (urlRef.current) URL.revokeObjectURL(urlRef.current)
    },
    []
  )
  return { state, run, cancel }
}

export function DifferenceBar({ compare, stale, onRun }: { compare: OssCompareState; stale: boolean; onRun: () => void }) {
  const c: Comparison | undefined = compare.rendered?.comparison
  const r = compare.rendered
  let body: React.ReactNode
  if (compare.status === 'loading') {
    body = (
      <span className="vdiff-wait">
        <Spinner label="Asking OSS" /> Fetching OSS’s result through a signed URL and measuring it against the local render…
      </span>
    )
  } else if (compare.status === 'error' && compare.error) {
    body = <ErrorCallout error={compare.error} title="OSS could not be compared" />
  } else if (c && r) {
    const identical = c.mae === 0 && c.sameSize
    body = (
      <>
        <span className={`vdiff-verdict ${identical ? 'same' : c.phashDistance <= 4 && (c.psnr ?? 99) >= 35 ? 'close' : 'differs'}`} data-testid="oss-verdict">
          {identical ? 'Identical pixels' : c.sameSize ? 'Differs' : 'Different size'}
        </span>
        <dl className="stats vstats" data-testid="oss-difference">
          <div>
            <dt title="Mean absolute difference per channel, 0–255">MAE</dt>
            <dd data-stat="mae">{c.mae.toFixed(2)}</dd>
          </div>
          <div>
            <dt title="Peak signal-to-noise ratio">PSNR</dt>
            <dd data-stat="psnr">{c.psnr === null ? '∞' : `${c.psnr.toFixed(1)} dB`}</dd>
          </div>
          <div>
            <dt title="Largest difference of any channel">Max Δ</dt>
            <dd data-stat="max">{c.maxDelta}</dd>
          </div>
          <div>
            <dt title="Pixels differing by more than 8 levels">Changed</dt>
            <dd data-stat="changed">{`${(c.changedShare * 100).toFixed(c.changedShare > 0 && c.changedShare < 0.01 ? 2 : 1)}%`}</dd>
          </div>
          <div>
            <dt title="Perceptual hash distance, 0–64">pHash</dt>
            <dd data-stat="phash">{`${c.phashDistance}/64`}</dd>
          </div>
          <div>
            <dt>Local</dt>
            <dd data-stat="local">{`${c.local.width} × ${c.local.height} ${c.local.format.toUpperCase()} ${formatBytes(c.local.bytes)}`}</dd>
          </div>
          <div>
            <dt>OSS</dt>
            <dd data-stat="oss">{`${r.width ?? '?'} × ${r.height ?? '?'} ${(r.format ?? '—').toUpperCase()} ${formatBytes(r.bytes)} in ${formatMs(r.renderMs)}`}</dd>
          </div>
        </dl>
      </>
    )
  } else {
    body = <span className="vdiff-wait">Fetches OSS’s own result for this string through a signed URL and measures it against the local engine.</span>
  }
  return (
    <div className="vdiff" role="status" aria-label="Difference from OSS" aria-busy={compare.status === 'loading'}>
      {body}
      {compare.status !== 'loading' ? (
        <button type="button" className="btn small" onClick={onRun} data-stale={stale ? 'true' : undefined}>
          {compare.status === 'idle' ? 'Compare' : stale ? 'Compare again (out of date)' : 'Compare again'}
        </button>
      ) : null}
    </div>
  )
}
