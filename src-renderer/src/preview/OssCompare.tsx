/** "Compare with OSS": OSS's own result through a signed URL, and the difference bar under it. */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { useTranslation } from '../i18n'
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
  const { t } = useTranslation()
  const c: Comparison | undefined = compare.rendered?.comparison
  const r = compare.rendered
  let body: React.ReactNode
  if (compare.status === 'loading') {
    body = (
      <span className="vdiff-wait">
        <Spinner label={t('preview.compare.asking')} /> {t('preview.compare.fetching')}
      </span>
    )
  } else if (compare.status === 'error' && compare.error) {
    body = <ErrorCallout error={compare.error} title={t('preview.compare.failed')} />
  } else if (c && r) {
    const identical = c.mae === 0 && c.sameSize
    const matches = c.sameSize && c.ssim >= MATCHES_OSS_SSIM
    body = (
      <>
        <span className={`vdiff-verdict ${identical ? 'same' : matches ? 'close' : 'differs'}`} data-testid="oss-verdict" title={t('preview.compare.matchesHint', { ssim: MATCHES_OSS_SSIM })}>
          {identical ? t('preview.compare.identical') : !c.sameSize ? t('preview.compare.differentSize') : matches ? t('preview.compare.matches') : t('preview.compare.differs')}
        </span>
        <dl className="stats vstats" data-testid="oss-difference">
          <div>
            <dt title={t('preview.compare.ssimHint', { ssim: MATCHES_OSS_SSIM })}>SSIM</dt>
            <dd data-stat="ssim">{c.ssim.toFixed(4)}</dd>
          </div>
          <div>
            <dt title={t('preview.compare.maeHint')}>MAE</dt>
            <dd data-stat="mae">{c.mae.toFixed(2)}</dd>
          </div>
          <div>
            <dt title={t('preview.compare.psnrHint')}>PSNR</dt>
            <dd data-stat="psnr">{c.psnr === null ? '∞' : `${c.psnr.toFixed(1)} dB`}</dd>
          </div>
          <div>
            <dt title={t('preview.compare.maxHint')}>{t('preview.compare.max')}</dt>
            <dd data-stat="max">{c.maxDelta}</dd>
          </div>
          <div>
            <dt title={t('preview.compare.changedHint')}>{t('preview.compare.changed')}</dt>
            <dd data-stat="changed">{`${(c.changedShare * 100).toFixed(c.changedShare > 0 && c.changedShare < 0.01 ? 2 : 1)}%`}</dd>
          </div>
          <div>
            <dt title={t('preview.compare.phashHint')}>{'pHash'}</dt>
            <dd data-stat="phash">{`${c.phashDistance}/64`}</dd>
          </div>
          <div>
            <dt>{t('preview.compare.local')}</dt>
            <dd data-stat="local">{`${c.local.width} × ${c.local.height} ${c.local.format.toUpperCase()} ${formatBytes(c.local.bytes)}`}</dd>
          </div>
          <div>
            <dt>OSS</dt>
            <dd data-stat="oss">{t('preview.compare.ossStat', { size: `${r.width ?? '?'} × ${r.height ?? '?'} ${(r.format ?? '—').toUpperCase()} ${formatBytes(r.bytes)}`, time: formatMs(r.renderMs) })}</dd>
          </div>
        </dl>
      </>
    )
  } else {
    body = <span className="vdiff-wait">{t('preview.compare.idle')}</span>
  }
  return (
    <div className="vdiff" role="status" aria-label={t('preview.compare.label')} aria-busy={compare.status === 'loading'}>
      {body}
      {compare.status === 'done' && compare.heatUrl ? (
        <>
          <button type="button" className="btn small" aria-pressed={heat} onClick={() => onHeat(!heat)} title={t('preview.compare.heatHint')}>
            {t('preview.compare.heat')}
          </button>
          {heat ? <HeatLegend /> : null}
        </>
      ) : null}
      {compare.status !== 'loading' ? (
        <button type="button" className="btn small" onClick={onRun} data-stale={stale ? 'true' : undefined}>
          {compare.status === 'idle' ? t('preview.compare.run') : stale ? t('preview.compare.againStale') : t('preview.compare.again')}
        </button>
      ) : null}
    </div>
  )
}
