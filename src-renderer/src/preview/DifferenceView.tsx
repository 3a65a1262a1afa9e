/**
 * The Difference view: where the style changed the picture, as a heatmap painted in main
 * (`preview:render` with `difference: true`: the result against its original, the original
 * stretched to the result's size when the style resizes), with its colour scale and SSIM.
 */
import { useEffect, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { HEAT_AMPLIFY, HEAT_STOPS } from '../../../src-shared/model/difference'
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
  return (
    <div className="heat-legend" role="img" aria-label={`Difference scale: black is no difference, yellow is ${top} or more levels (amplified ×${HEAT_AMPLIFY})`}>
      <span>0</span>
      <span className="heat-ramp" style={{ backgroundImage: gradient }} />
      <span>≥ {top} levels</span>
      <span className="heat-note">×{HEAT_AMPLIFY}, largest of R, G, B</span>
    </div>
  )
}

export function DifferenceNumbers({ difference, label }: { difference: DifferenceData; label: string }) {
  return (
    <dl className="stats vstats heat-stats" aria-label={label}>
      <div>
        <dt title="Structural similarity (ssim.js), 1 = identical">SSIM</dt>
        <dd data-stat="ssim">{difference.ssim.toFixed(4)}</dd>
      </div>
      <div>
        <dt title="Largest per-pixel difference, 0–255">Max Δ</dt>
        <dd data-stat="max">{difference.maxDelta}</dd>
      </div>
      <div>
        <dt title="Mean per-pixel difference, 0–255">Mean Δ</dt>
        <dd data-stat="mean">{difference.mean.toFixed(2)}</dd>
      </div>
      {difference.resized ? (
        <div>
          <dt>Compared</dt>
          <dd title="The other image was stretched to this size to compare pixel by pixel">{`at ${difference.width} × ${difference.height}`}</dd>
        </div>
      ) : null}
    </dl>
  )
}

type State = { status: 'idle' | 'loading' } | { status: 'done'; difference: DifferenceData; url: string } | { status: 'error'; error: ErrorInfo }

export function DifferenceView({ source, sourceId, process, box, onStageSize }: { source: ImageSource | undefined; sourceId: string | undefined; process: string | undefined; box: Size | undefined; onStageSize: (size: Size) => void }) {
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
            setState({ status: 'error', error: { code: 'NotSupported', message: 'This process string answers JSON: there is no picture to compare.' } })
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

  const picture = state.status === 'done' ? { url: state.url, alt: 'Difference heatmap', testId: 'difference-image', aspect: state.difference.width / state.difference.height } : undefined
  return (
    <div className="voss">
      <Stage
        box={box}
        label="Difference"
        testId="stage-difference"
        onSize={onStageSize}
        overlay={
          <>
            <Chip side="left">Difference from the original</Chip>
            {state.status === 'loading' ? (
              <span className="vbusy">
                <Spinner label="Comparing" /> Comparing…
              </span>
            ) : null}
          </>
        }
      >
        {(rect) => (picture ? <PictureLayer picture={picture} box={rect} pixelated={rect.scale >= 3} /> : null)}
      </Stage>
      <div className="vdiff heat-bar" role="status" aria-label="Difference from the original">
        {state.status === 'error' ? <ErrorCallout error={state.error} title="Could not compare" /> : null}
        {state.status === 'done' ? <DifferenceNumbers difference={state.difference} label="Difference numbers" /> : null}
        <HeatLegend />
      </div>
    </div>
  )
}
