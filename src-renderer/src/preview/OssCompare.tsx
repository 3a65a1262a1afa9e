/** "Compare with OSS": OSS's own result through a signed URL, and the difference bar under it. */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { Spinner } from '../ui/Empty'
import { ErrorCallout } from '../ui/ErrorCallout'
import { formatBytes, formatMs, objectUrlFromBase64 } from '../ui/format'
import { MATCHES_OSS_SSIM } from '../../../src-shared/model/difference'
import { HeatLegend } from './DifferenceView'
import { PREVIEW_MAX_SIDE, type Rendered } from './usePreview'

type Comparison = NonNullable<Rendered['comparison']>

export interface OssCompareState {
  readonly status: 'idle' | 'loading' | 'done' | 'error'
  readonly process?: string
  readonly sourceKey?: string
  readonly rendered?: Rendered
  readonly url?: string
  /** The heatmap of OSS's result against the local render. */
  readonly heatUrl?: string
  readonly error?: ErrorInfo
}

export function useOssCompare() {
  const [state, setState] = useState<OssCompareState>({ status: 'idle' })
  const controller = useRef<AbortController | undefined>(undefined)
  const urlRef = useRef<string | undefined>(undefined)
  const heatRef = useRef<string | undefined>(undefined)
  const run = useCallback((profileId: string, key: string, process: string) => {
    controller.current?.abort()
    const abort = new AbortController()
    controller.current = abort
    const sourceKey = `${profileId}\n${key}`
    setState((s) => ({ ...s, status: 'loading', process, sourceKey, error: undefined }))
    invoke('preview:render', { source: { kind: 'object', profileId, key }, process, via: 'oss', maxSide: PREVIEW_MAX_SIDE, difference: true }, { signal: abort.signal }).then(
      (rendered) => {
        const url = rendered.kind === 'image' ? objectUrlFromBase64(rendered.data, rendered.contentType) : undefined
        const heatUrl = rendered.difference ? objectUrlFromBase64(rendered.difference.data, rendered.difference.contentType) : undefined
        if (urlRef.current) URL.revokeObjectURL(urlRef.current)
        if (heatRef.current) URL.revokeObjectURL(heatRef.current)
        urlRef.current = url
        heatRef.current = heatUrl
        setState({ status: 'done', process, sourceKey, rendered, url, ...(heatUrl ? { heatUrl } : {}) })
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
      if (heatRef.current) URL.revokeObjectURL(heatRef.current)
    },
    []
  )
  return { state, run, cancel }
}

export function DifferenceBar({ compare, stale, onRun, heat, onHeat }: { compare: OssCompareState; stale: boolean; onRun: () => void; heat: boolean; onHeat: (on: boolean) => void }) {
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
    const matches = c.sameSize && c.ssim >= MATCHES_OSS_SSIM
    body = (
      <>
        <span className={`vdiff-verdict ${identical ? 'same' : matches ? 'close' : 'differs'}`} data-testid="oss-verdict" title={`Matches OSS: same size and SSIM ≥ ${MATCHES_OSS_SSIM}`}>
          {identical ? 'Identical pixels' : !c.sameSize ? 'Different size' : matches ? 'Matches OSS' : 'Differs'}
        </span>
        <dl className="stats vstats" data-testid="oss-difference">
          <div>
            <dt title={`Structural similarity (ssim.js), 1 = identical; matches OSS at ≥ ${MATCHES_OSS_SSIM}`}>SSIM</dt>
            <dd data-stat="ssim">{c.ssim.toFixed(4)}</dd>
          </div>
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
      {compare.status === 'done' && compare.heatUrl ? (
        <>
          <button type="button" className="btn small" aria-pressed={heat} onClick={() => onHeat(!heat)} title="Show the heatmap of OSS's result against the local render instead of OSS's picture">
            Difference
          </button>
          {heat ? <HeatLegend /> : null}
        </>
      ) : null}
      {compare.status !== 'loading' ? (
        <button type="button" className="btn small" onClick={onRun} data-stale={stale ? 'true' : undefined}>
          {compare.status === 'idle' ? 'Compare' : stale ? 'Compare again (out of date)' : 'Compare again'}
        </button>
      ) : null}
    </div>
  )
}
