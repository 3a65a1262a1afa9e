/**
 * The process box and the live comparison of the selected object: split slider, side by side and
 * toggle views, zoom (fit, 1:1, wheel around the cursor) with one viewport for every pane, a
 * checkerboard behind transparency, the output info (W × H, format, bytes, change against the
 * original, render time) and "Compare with OSS" (OSS's own result through a signed URL, beside the
 * local render, with a difference measure).
 *
 * Pictures come from usePreview (interactive frames while a slider moves, then the full-resolution
 * final); every number in the output info comes from a final answer, except W × H, which main
 * computes exactly (the engine's geometry) for interactive frames too.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { isImgError } from '../../../src-shared/img/errors'
import { parseProcess } from '../../../src-shared/img/process'
import { useEditor } from '../state/editor'
import { setProcessString, useProcessString } from '../state/process'
import { useStudio } from '../state/store'
import { Empty, Spinner } from '../ui/Empty'
import { ErrorCallout } from '../ui/ErrorCallout'
import { SaveStyleButton } from '../library/StylesPanel'
import { SignedUrlButton } from '../sign/SignedUrlButton'
import { SampleGrid } from '../sources/SampleGrid'
import { useCurrentSource } from '../sources/store'
import { DifferenceBar, useOssCompare } from './OssCompare'
import { OutputInfo } from './OutputInfo'
import { ProcessBox } from './ProcessBox'
import { SideView } from './SideView'
import { SplitView } from './SplitView'
import { StageStatus, type Layers } from './StageParts'
import { ToggleView } from './ToggleView'
import { notePainted } from './timing'
import { Toolbar } from './Toolbar'
import { DETAIL_MAX_SIDE, PREVIEW_MAX_SIDE, usePreview, type Rendered } from './usePreview'
import { useSettled } from './useSettled'
import { usePreviewView, type ViewMode } from './viewStore'
import { detailSide, FIT, fitScale, type Size } from './viewport'
import { AspectGhosts } from './watermark/AspectGhosts'
import { noteShape } from './watermark/shapes'

/** The original, upright (OSS applies EXIF orientation by default). */
const ORIGINAL_PROCESS = 'image/auto-orient,1'

/** The shared parser gives OSS's own answer at once; main re-validates and renders. */
function validate(process: string): ErrorInfo | undefined {
  try {
    parseProcess(process)
    return undefined
  } catch (error) {
    if (!isImgError(error)) return { code: 'InvalidArgument', message: String(error) }
    return { code: error.code, status: error.status, message: error.message, ...(error.ec ? { ec: error.ec } : {}), ...(error.span ? { span: error.span } : {}) }
  }
}

function formatJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}



const sizeOf = (rendered: Rendered | undefined): Size | undefined =>
  rendered?.kind === 'image' && rendered.width !== undefined && rendered.height !== undefined ? { width: rendered.width, height: rendered.height } : undefined

export function PreviewPanel() {
  const activeId = useStudio((s) => s.activeId)
  const selectedKey = useStudio((s) => s.selectedKey)
  const current = useCurrentSource()
  const process = useProcessString()
  const listingFailed = useStudio((s) => s.listing.status === 'error' && !('data' in s.listing && s.listing.data))
  const listingLoading = useStudio((s) => s.listing.status === 'loading' || s.listing.status === 'idle')
  const mode = usePreviewView((s) => s.mode)
  const setMode = usePreviewView((s) => s.setMode)
  const viewport = usePreviewView((s) => s.viewport)
  const setViewport = usePreviewView((s) => s.setViewport)
  const [stage, setStage] = useState<Size>({ width: 0, height: 0 })
  const onStageSize = useCallback((size: Size) => setStage((s) => (s.width === size.width && s.height === size.height ? s : size)), [])

  const localError = useMemo(() => validate(process), [process])

  // A sharper transport picture only when the screen shows more pixels than the default one holds
  // (zoomed in, or a large HiDPI stage). The sizes are last render's (the hooks come first).
  const [boxes, setBoxes] = useState<{ source?: Size; box?: Size }>({})
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1
  const longest = (size: Size | undefined) => (size ? Math.max(size.width, size.height) : 0)
  const shownScale = boxes.box ? (viewport.zoom === 'fit' ? fitScale(stage, boxes.box) : viewport.zoom) : 1
  const displayed = longest(boxes.box) * shownScale * dpr
  const beforeSide = useSettled(detailSide(longest(boxes.source), displayed, PREVIEW_MAX_SIDE, DETAIL_MAX_SIDE), 250)
  const afterSide = useSettled(detailSide(longest(boxes.box), displayed, PREVIEW_MAX_SIDE, DETAIL_MAX_SIDE), 250)

  // The original too: a proxy frame at once, then full resolution (rendered once per object, cached
  // in main), so it is never compared at a lower quality than the result.
  // The grid renders every sample itself: the main view's pictures would be rendered for nothing.
  const shown = mode !== 'grid'
  const before = usePreview({ source: current?.source, sourceId: current?.id, process: shown ? ORIGINAL_PROCESS : undefined, maxSide: beforeSide })
  const after = usePreview({ source: current?.source, sourceId: current?.id, process: shown && !localError ? process : undefined, maxSide: afterSide })
  const oss = useOssCompare()

  // Reset the zoom when another object is selected.
  useEffect(() => setViewport(FIT), [current?.id, setViewport])

  // The error to show for the current text: the parser's at once, else main's for this exact text.
  const afterError = localError ?? (after.error && after.errorProcess === process ? after.error : undefined)
  const b = before.frame?.rendered
  const frame = after.frame
  const a = frame?.rendered
  const final = after.final && frame && after.final.process === frame.process && after.final.sourceKey === frame.sourceKey ? after.final.rendered : undefined
  const upToDate = !!frame && frame.process === process && !after.busy

  const sourceSize: Size | undefined = b ? { width: b.sourceWidth, height: b.sourceHeight } : a ? { width: a.sourceWidth, height: a.sourceHeight } : undefined
  const outputSize = sizeOf(a)
  const box = afterError ? sourceSize : (outputSize ?? sourceSize)

  useEffect(() => {
    setBoxes((s) => (s.source?.width === sourceSize?.width && s.source?.height === sourceSize?.height && s.box?.width === box?.width && s.box?.height === box?.height ? s : { source: sourceSize, box }))
  }, [sourceSize?.width, sourceSize?.height, box?.width, box?.height])

  // Every original seen is a shape the aspect ghosts may use.
  const beforeKey = before.frame?.sourceKey
  useEffect(() => {
    if (current && b && beforeKey === current.id) noteShape(current, b.sourceWidth, b.sourceHeight)
  }, [current, b, beforeKey])
  const hasWatermark = useEditor((s) => s.doc.style === undefined && s.doc.items.some((i) => i.enabled && i.action === 'watermark'))

  const layers: Layers = {
    before: before.frame?.url ? { url: before.frame.url, alt: 'Original preview', testId: 'before-image', aspect: sourceSize ? sourceSize.width / sourceSize.height : undefined } : undefined,
    after:
      !afterError && frame?.url
        ? { url: frame.url, alt: 'Processed preview', testId: 'after-image', aspect: outputSize ? outputSize.width / outputSize.height : undefined, onPainted: () => notePainted(frame.process, frame.quality) }
        : undefined,
    marks: !afterError && a?.kind === 'image' ? { marks: a.marks, current: frame?.process === process } : undefined
  }

  const blocked = afterError ? (
    <div className="vblocked" data-no-pan>
      <strong>No result</strong>
      <span>{localError ? 'Fix the process string above to see the result.' : `${afterError.code}${afterError.status ? ` (HTTP ${afterError.status})` : ''}: see the error above.`}</span>
    </div>
  ) : !frame && after.busy ? (
    <span className="vcenter">
      <Spinner large label="Rendering processed" />
    </span>
  ) : null

  const scale = box ? (viewport.zoom === 'fit' ? fitScale(stage, box) : viewport.zoom) : 1
  // An upload is in no bucket: OSS cannot render it.
  const canCompare = current?.kind === 'object' && !!activeId && !!selectedKey && !localError && a?.kind !== 'json'
  // The view to go back to when "Compare with OSS" is pressed again.
  const previousMode = useRef<ViewMode>('split')
  const runCompare = () => {
    if (!activeId || !selectedKey) return
    if (mode !== 'oss') previousMode.current = mode
    setMode('oss')
    oss.run(activeId, selectedKey, process)
  }
  const toggleCompare = () => {
    if (mode === 'oss') setMode(previousMode.current)
    else runCompare()
  }
  // Leaving the OSS view cancels a comparison still running.
  const ossCancel = oss.cancel
  useEffect(() => {
    if (mode !== 'oss') ossCancel()
  }, [mode, ossCancel])
  const ossStale = oss.state.status !== 'idle' && (oss.state.process !== process || oss.state.sourceKey !== `${activeId}\n${selectedKey}`)

  const isJson = a?.kind === 'json' && !afterError
  const showGhosts = hasWatermark && !!sourceSize && !localError && a?.kind === 'image' && (mode === 'split' || mode === 'side' || mode === 'toggle')

  let viewer: React.ReactNode
  if (isJson) {
    viewer = (
      <div className="vjson">
        <pre data-testid="after-json">{formatJson(a.data)}</pre>
      </div>
    )
  } else if (mode === 'grid') {
    viewer = (
      <SampleGrid
        process={localError ? undefined : process}
        onOpen={(sample) => {
          if (sample.source.kind === 'upload') useStudio.getState().selectUpload(sample.source.uploadId)
          else useStudio.getState().select(sample.source.key)
          setMode('split')
        }}
      />
    )
  } else if (mode === 'split') {
    viewer = <SplitView box={box} layers={layers} after={after} blocked={blocked} onStageSize={onStageSize} />
  } else if (mode === 'toggle') {
    viewer = <ToggleView box={box} layers={layers} after={after} blocked={blocked} onStageSize={onStageSize} />
  } else if (mode === 'side') {
    viewer = <SideView box={box} left={layers.before} right={layers.after} leftLabel="Original" rightLabel="Processed" rightStatus={<StageStatus preview={after} label="processed" />} rightBlocked={blocked} rightMarks={layers.marks} onStageSize={onStageSize} />
  } else {
    const theirs = oss.state.url && oss.state.rendered ? { url: oss.state.url, alt: 'OSS result', testId: 'oss-image', aspect: oss.state.rendered.width && oss.state.rendered.height ? oss.state.rendered.width / oss.state.rendered.height : undefined } : undefined
    viewer = (
      <div className="voss">
        <SideView
          box={box}
          left={layers.after ? { ...layers.after, testId: 'local-image' } : undefined}
          right={theirs}
          leftLabel="Local engine"
          rightLabel="OSS"
          leftOverlay={<StageStatus preview={after} label="local" />}
          rightStatus={
            oss.state.status === 'loading' ? (
              <span className="vbusy">
                <Spinner label="Asking OSS" /> Asking OSS…
              </span>
            ) : null
          }
          onStageSize={onStageSize}
        />
        <DifferenceBar compare={oss.state} stale={ossStale} onRun={runCompare} />
      </div>
    )
  }

  return (
    <section className="editor" aria-label="Preview">
      <div className="process-bar">
        <ProcessBox value={process} onChange={setProcessString} error={afterError} actions={<><SaveStyleButton /><SignedUrlButton /></>} />
        {afterError ? (
          <div className="process-error" id="process-error" data-testid="process-error">
            <ErrorCallout error={afterError} />
          </div>
        ) : null}
      </div>
      {!current ? (
        listingLoading ? (
          <div className="empty">
            <Spinner large label="Loading the bucket" />
          </div>
        ) : listingFailed ? (
          <Empty icon="bucket" title="Nothing to preview">
            The bucket could not be listed; the error is shown on the left.
          </Empty>
        ) : (
          <Empty icon="image" title="No image selected">
            Choose an image in the bucket, or drop images from this computer, to preview the process on it.
          </Empty>
        )
      ) : (
        <div className="viewer" data-mode={mode}>
          <Toolbar scale={scale} box={box} stage={stage} canCompare={canCompare} onCompare={toggleCompare} />
          <div className="vstages" data-ghosts={showGhosts ? 'true' : undefined}>
            {before.error && !b ? (
              <div className="vcenter wide">
                <ErrorCallout error={before.error} title="Could not load the original" />
              </div>
            ) : (
              viewer
            )}
            {showGhosts && current && sourceSize ? <AspectGhosts process={process} current={current} size={sourceSize} /> : null}
          </div>
          <OutputInfo hidden={mode === 'grid'} label={current.label} before={b} after={a} final={final} upToDate={upToDate} busy={after.busy} process={frame?.process} outputSize={outputSize} error={afterError} localError={!!localError} />
        </div>
      )}
    </section>
  )
}
