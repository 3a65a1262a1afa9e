/**
 * The Difference view: where the style changed the picture, as a heatmap painted in main
 * (`preview:render` with `difference: true`: the result against its original, the original
 * stretched to the result's size when the style resizes), with its colour scale and SSIM.
 */
import { useEffect, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { HEAT_AMPLIFY, HEAT_STOPS } from '../../../src-shared/model/difference'
import { i18n, useTranslation } from '../i18n'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import type { ImageSource } from '../sources/store'
import { Spinner } from '../ui/Empty'
import { ErrorCallout } from '../ui/ErrorCallout'
import { objectUrlFromBase64 } from '../ui/format'
import { Chip } from './StageParts'
import { PictureLayer, Stage } from './Stage'
import { PREVIEW_MAX_SIDE, type Rendered } from './usePreview'
import type { Size } from './viewport'

export type DifferenceData = NonNullable<Rendered['difference']>

/** The scale from no difference to the amplified top, with its ends labelled. */
export function HeatLegend() {
  const gradient = `linear-gradient(to right, ${HEAT_STOPS.map((s) => `rgb(${s.rgb.join(' ')}) ${s.at * 100}%`).join(', ')})`
  const top = Math.ceil(255 / HEAT_AMPLIFY)
  const { t } = useTranslation()
  return (
    <div className="heat-legend" role="img" aria-label={t('preview.heat.scale', { top, amplify: HEAT_AMPLIFY })}>
      <span>0</span>
      <span className="heat-ramp" style={{ backgroundImage: gradient }} />
      <span>{t('preview.heat.top', { top })}</span>
      <span className="heat-note">{t('preview.heat.note', { amplify: HEAT_AMPLIFY })}</span>
    </div>
  )
}

export function DifferenceNumbers({ difference, label }: { difference: DifferenceData; label: string }) {
  const { t } = useTranslation()
  return (
    <dl className="stats vstats heat-stats" aria-label={label}>
      <div>
        <dt title={t('preview.heat.ssimHint')}>SSIM</dt>
        <dd data-stat="ssim">{difference.ssim.toFixed(4)}</dd>
      </div>
      <div>
        <dt title={t('preview.heat.maxHint')}>{t('preview.compare.max')}</dt>
        <dd data-stat="max">{difference.maxDelta}</dd>
      </div>
      <div>
        <dt title={t('preview.heat.meanHint')}>{t('preview.heat.mean')}</dt>
        <dd data-stat="mean">{difference.mean.toFixed(2)}</dd>
      </div>
      {difference.resized ? (
        <div>
          <dt>{t('preview.heat.compared')}</dt>
          <dd title={t('preview.heat.comparedHint')}>{t('preview.heat.comparedAt', { width: difference.width, height: difference.height })}</dd>
        </div>
      ) : null}
    </dl>
  )
}

type State = { status: 'idle' | 'loading' } | { status: 'done'; difference: DifferenceData; url: string } | { status: 'error'; error: ErrorInfo }

export function DifferenceView({ source, sourceId, process, box, onStageSize }: { source: ImageSource | undefined; sourceId: string | undefined; process: string | undefined; box: Size | undefined; onStageSize: (size: Size) => void }) {
  const { t } = useTranslation()
  const [state, setState] = useState<State>({ status: 'idle' })
  useEffect(() => {
    if (!source || process === undefined) return
    const controller = new AbortController()
    let url: string | undefined
    // After the string rests: every keystroke would cost a full-resolution render and a comparison.
    const timer = setTimeout(() => {
      setState((s) => (s.status === 'done' ? s : { status: 'loading' }))
      invoke('preview:render', { source, process, quality: 'final', maxSide: PREVIEW_MAX_SIDE, difference: true }, { signal: controller.signal }).then(
        (rendered) => {
          if (!rendered.difference) {
            setState({ status: 'error', error: { code: 'NotSupported', message: i18n.t('preview.heat.noPicture') } })
            return
          }
          url = objectUrlFromBase64(rendered.difference.data, rendered.difference.contentType)
          setState({ status: 'done', difference: rendered.difference, url })
        },
        (error: unknown) => {
          if (!isCancelled(error)) setState({ status: 'error', error: errorInfoOf(error) })
        }
      )
    }, 300)
    return () => {
      clearTimeout(timer)
      controller.abort()
      if (url) URL.revokeObjectURL(url)
    }
    // sourceId names the source (the object is rebuilt on every render).
  }, [sourceId, process])

  const picture = state.status === 'done' ? { url: state.url, alt: t('preview.heat.alt'), testId: 'difference-image', aspect: state.difference.width / state.difference.height } : undefined
  return (
    <div className="voss">
      <Stage
        box={box}
        label={t('preview.modes.difference')}
        testId="stage-difference"
        onSize={onStageSize}
        overlay={
          <>
            <Chip side="left">{t('preview.heat.fromOriginal')}</Chip>
            {state.status === 'loading' ? (
              <span className="vbusy">
                <Spinner label={t('preview.heat.comparing')} /> {t('preview.heat.comparingBusy')}
              </span>
            ) : null}
          </>
        }
      >
        {(rect) => (picture ? <PictureLayer picture={picture} box={rect} pixelated={rect.scale >= 3} /> : null)}
      </Stage>
      <div className="vdiff heat-bar" role="status" aria-label={t('preview.heat.fromOriginal')}>
        {state.status === 'error' ? <ErrorCallout error={state.error} title={t('preview.heat.failed')} /> : null}
        {state.status === 'done' ? <DifferenceNumbers difference={state.difference} label={t('preview.heat.numbers')} /> : null}
        <HeatLegend />
      </div>
    </div>
  )
}
