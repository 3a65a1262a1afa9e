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
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { setProcessString, useProcessString } from '../state/process'
import { useStudio } from '../state/store'
import { Empty, Spinner } from '../ui/Empty'
import { ErrorCallout } from '../ui/ErrorCallout'
import { formatBytes, formatMs, objectUrlFromBase64 } from '../ui/format'
import { SaveStyleButton } from '../library/StylesPanel'
import { SignedUrlButton } from '../sign/SignedUrlButton'
import { SampleGrid, WarningBadges } from '../sources/SampleGrid'
import { useCurrentSource } from '../sources/store'
import { ProcessBox } from './ProcessBox'
import { PictureLayer, Stage, type Picture } from './Stage'
import { DETAIL_MAX_SIDE, PREVIEW_MAX_SIDE, usePreview, type PreviewState, type Rendered } from './usePreview'
import { usePreviewView, type ViewMode } from './viewStore'
import { detailSide, FIT, fitScale, zoomAt, zoomTo, type Size } from './viewport'

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

/** A value that follows `value` once it has been stable for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

type Stat = readonly [label: string, value: React.ReactNode, pending?: boolean]

function Stats({ items }: { items: readonly Stat[] }) {
  return (
    <dl className="stats vstats">
      {items.map(([label, value, pending]) => (
        <div key={label} data-pending={pending ? 'true' : undefined}>
          <dt>{label}</dt>
          <dd data-stat={label.toLowerCase()}>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function Delta({ bytes, sourceBytes }: { bytes: number; sourceBytes: number }) {
  if (!(sourceBytes > 0)) return null
  const smaller = bytes <= sourceBytes
  const percent = Math.abs(Math.round((1 - bytes / sourceBytes) * 100))
  return <span className={smaller ? 'delta-down' : 'delta-up'}>{` (${smaller ? '−' : '+'}${percent}%)`}</span>
}

const sizeOf = (rendered: Rendered | undefined): Size | undefined =>
  rendered?.kind === 'image' && rendered.width !== undefined && rendered.height !== undefined ? { width: rendered.width, height: rendered.height } : undefined

// ---------------------------------------------------------------------------------------------
// Compare with OSS

type Comparison = NonNullable<Rendered['comparison']>

interface OssCompareState {
  readonly status: 'idle' | 'loading' | 'done' | 'error'
  readonly process?: string
  readonly sourceKey?: string
  readonly rendered?: Rendered
  readonly url?: string
  readonly error?: ErrorInfo
}

function useOssCompare() {
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

function DifferenceBar({ compare, stale, onRun }: { compare: OssCompareState; stale: boolean; onRun: () => void }) {
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

// ---------------------------------------------------------------------------------------------
// Toolbar

const MODES: readonly { mode: ViewMode; label: string; hint: string }[] = [
  { mode: 'split', label: 'Split', hint: 'Original left of the divider, result right' },
  { mode: 'side', label: 'Side by side', hint: 'Both at once, zoomed and panned together' },
  { mode: 'toggle', label: 'Toggle', hint: 'One picture; click or hold to flip' },
  { mode: 'grid', label: 'Grid', hint: 'The process on every sample image, with warnings' }
]

function Toolbar({ scale, box: shownBox, stage, canCompare, onCompare }: { scale: number; box: Size | undefined; stage: Size; canCompare: boolean; onCompare: () => void }) {
  const mode = usePreviewView((s) => s.mode)
  // The grid has no zoom.
  const box = mode === 'grid' ? undefined : shownBox
  const setMode = usePreviewView((s) => s.setMode)
  const viewport = usePreviewView((s) => s.viewport)
  const setViewport = usePreviewView((s) => s.setViewport)
  const isFit = viewport.zoom === 'fit'
  const isOne = viewport.zoom !== 'fit' && Math.abs(viewport.zoom - 1) < 1e-6
  return (
    <div className="vtoolbar">
      <div className="segmented" role="group" aria-label="View">
        {MODES.map((m) => (
          <button key={m.mode} type="button" aria-pressed={mode === m.mode} title={m.hint} onClick={() => setMode(m.mode)}>
            {m.label}
          </button>
        ))}
      </div>
      <div className="segmented" role="group" aria-label="Zoom">
        <button type="button" aria-pressed={isFit} disabled={!box} onClick={() => setViewport(FIT)} title="Fit the picture in the stage (0)">
          Fit
        </button>
        <button type="button" aria-pressed={isOne} disabled={!box} onClick={() => box && setViewport(zoomTo(viewport, stage, box, 1))} title="One output pixel per screen pixel (1)">
          1:1
        </button>
        <button type="button" aria-label="Zoom out" disabled={!box} onClick={() => box && setViewport(zoomAt(viewport, stage, box, 0.8))}>
          −
        </button>
        <output className="vzoom" aria-label="Zoom level" data-testid="zoom-level">
          {`${Math.round(scale * 100)}%`}
        </output>
        <button type="button" aria-label="Zoom in" disabled={!box} onClick={() => box && setViewport(zoomAt(viewport, stage, box, 1.25))}>
          +
        </button>
      </div>
      <span className="vtoolbar-spacer" />
      <button type="button" className="btn small vcompare" aria-pressed={mode === 'oss'} disabled={!canCompare} onClick={onCompare} title={mode === 'oss' ? 'Back to the previous view' : 'Fetch OSS’s own result through a signed URL and compare'}>
        Compare with OSS
      </button>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------
// Views

interface Layers {
  readonly before: Picture | undefined
  readonly after: Picture | undefined
}

function StageStatus({ preview, label }: { preview: PreviewState; label: string }) {
  if (!preview.busy || !preview.frame) return null
  const interactive = preview.frame.quality === 'interactive'
  return (
    <span className="vbusy" data-testid={`${label}-busy`}>
      <Spinner label={`Rendering ${label}`} /> {interactive ? 'Full resolution…' : 'Rendering…'}
    </span>
  )
}

function Chip({ children, side }: { children: React.ReactNode; side: 'left' | 'right' }) {
  return (
    <span className={`vlabel ${side}`} aria-hidden="true">
      {children}
    </span>
  )
}

function SplitView({ box, layers, after, blocked, onStageSize }: { box: Size | undefined; layers: Layers; after: PreviewState; blocked: React.ReactNode; onStageSize: (size: Size) => void }) {
  const split = usePreviewView((s) => s.split)
  const setSplit = usePreviewView((s) => s.setSplit)
  const [stage, setStage] = useState<Size>({ width: 0, height: 0 })
  const dragging = useRef<number | undefined>(undefined)
  const host = useRef<HTMLDivElement>(null)
  const x = stage.width * split
  const onSize = useCallback(
    (size: Size) => {
      setStage(size)
      onStageSize(size)
    },
    [onStageSize]
  )
  const moveTo = (clientX: number) => {
    const bounds = host.current?.getBoundingClientRect()
    if (bounds && bounds.width > 0) setSplit((clientX - bounds.left) / bounds.width)
  }
  return (
    <div className="vsplit" ref={host}>
      <Stage
        box={box}
        label="Split view"
        testId="stage-split"
        onSize={onSize}
        overlay={
          <>
            <Chip side="left">Original</Chip>
            <Chip side="right">Processed</Chip>
            <StageStatus preview={after} label="processed" />
            {blocked}
            {layers.after ? (
              <div
                className="vdivider"
                data-no-pan
                style={{ left: x }}
                role="slider"
                tabIndex={0}
                aria-label="Split position"
                aria-orientation="horizontal"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(split * 100)}
                aria-valuetext={`Original ${Math.round(split * 100)}%, processed ${100 - Math.round(split * 100)}%`}
                data-testid="split-divider"
                onPointerDown={(event) => {
                  dragging.current = event.pointerId
                  event.currentTarget.setPointerCapture(event.pointerId)
                  event.stopPropagation()
                }}
                onPointerMove={(event) => {
                  if (dragging.current === event.pointerId) moveTo(event.clientX)
                }}
                onPointerUp={() => (dragging.current = undefined)}
                onPointerCancel={() => (dragging.current = undefined)}
                onKeyDown={(event) => {
                  const step = event.shiftKey || event.key === 'PageUp' || event.key === 'PageDown' ? 0.1 : 0.02
                  const next: Record<string, number> = { ArrowLeft: split - step, ArrowDown: split - step, PageDown: split - step, ArrowRight: split + step, ArrowUp: split + step, PageUp: split + step, Home: 0, End: 1 }
                  if (next[event.key] === undefined) return
                  event.preventDefault()
                  event.stopPropagation()
                  setSplit(next[event.key]!)
                }}
              >
                <span className="vdivider-handle" aria-hidden="true">
                  <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
                    <path d="M6 4L2.5 8L6 12M10 4l3.5 4L10 12" />
                  </svg>
                </span>
              </div>
            ) : null}
          </>
        }
      >
        {(rect) => (
          <>
            {layers.before ? (
              <div className="vlayer">
                <PictureLayer picture={layers.before} box={rect} pixelated={rect.scale >= 3} />
              </div>
            ) : null}
            {layers.after ? (
              <div className="vlayer" style={{ clipPath: `inset(0 0 0 ${Math.max(0, x)}px)` }} data-testid="split-after">
                <PictureLayer picture={layers.after} box={rect} pixelated={rect.scale >= 3} />
              </div>
            ) : null}
          </>
        )}
      </Stage>
    </div>
  )
}

function SideView({ box, left, right, leftLabel, rightLabel, rightStatus, rightBlocked, leftOverlay, onStageSize }: { box: Size | undefined; left: Picture | undefined; right: Picture | undefined; leftLabel: string; rightLabel: string; rightStatus?: React.ReactNode; rightBlocked?: React.ReactNode; leftOverlay?: React.ReactNode; onStageSize: (size: Size) => void }) {
  return (
    <div className="vside">
      <Stage
        box={box}
        label={leftLabel}
        testId={`stage-${leftLabel.toLowerCase().replace(/\W+/g, '-')}`}
        onSize={onStageSize}
        overlay={
          <>
            <Chip side="left">{leftLabel}</Chip>
            {leftOverlay}
          </>
        }
      >
        {(rect) => (left ? <PictureLayer picture={left} box={rect} pixelated={rect.scale >= 3} /> : null)}
      </Stage>
      <Stage
        box={box}
        label={rightLabel}
        testId={`stage-${rightLabel.toLowerCase().replace(/\W+/g, '-')}`}
        overlay={
          <>
            <Chip side="left">{rightLabel}</Chip>
            {rightStatus}
            {rightBlocked}
          </>
        }
      >
        {(rect) => (right ? <PictureLayer picture={right} box={rect} pixelated={rect.scale >= 3} /> : null)}
      </Stage>
    </div>
  )
}

function ToggleView({ box, layers, after, blocked, onStageSize }: { box: Size | undefined; layers: Layers; after: PreviewState; blocked: React.ReactNode; onStageSize: (size: Size) => void }) {
  const showOriginal = usePreviewView((s) => s.showOriginal)
  const setShowOriginal = usePreviewView((s) => s.setShowOriginal)
  const press = useRef<{ at: number; was: boolean } | undefined>(undefined)
  const shown = showOriginal ? layers.before : layers.after
  return (
    <div className="vsplit">
      <Stage
        box={box}
        label="Toggle view"
        testId="stage-toggle"
        onSize={onStageSize}
        overlay={
          <>
            <Chip side="left">{showOriginal ? 'Original' : 'Processed'}</Chip>
            {showOriginal ? null : <StageStatus preview={after} label="processed" />}
            {showOriginal ? null : blocked}
            <button
              type="button"
              className="vflip"
              data-no-pan
              aria-pressed={showOriginal}
              title="Click to flip; press and hold to peek"
              onPointerDown={(event) => {
                if (event.button !== 0) return
                press.current = { at: performance.now(), was: showOriginal }
                setShowOriginal(!showOriginal)
              }}
              onPointerUp={() => {
                const held = press.current
                press.current = undefined
                // Held: a peek, so flip back on release. A click keeps the flip.
                if (held && performance.now() - held.at > 350) setShowOriginal(held.was)
              }}
              onPointerLeave={() => {
                const held = press.current
                press.current = undefined
                if (held && performance.now() - held.at > 350) setShowOriginal(held.was)
              }}
              onClick={(event) => {
                // Keyboard activation (Enter/Space) has no pointer events.
                if (event.detail === 0) setShowOriginal(!showOriginal)
              }}
            >
              <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
                <path d="M2.5 5.5h10l-2.5-2.5M13.5 10.5h-10l2.5 2.5" />
              </svg>
              {showOriginal ? 'Show processed' : 'Show original'}
            </button>
          </>
        }
      >
        {(rect) => (shown ? <PictureLayer picture={shown} box={rect} pixelated={rect.scale >= 3} /> : null)}
      </Stage>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------
// The panel

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

  const layers: Layers = {
    before: before.frame?.url ? { url: before.frame.url, alt: 'Original preview', testId: 'before-image', aspect: sourceSize ? sourceSize.width / sourceSize.height : undefined } : undefined,
    after: !afterError && frame?.url ? { url: frame.url, alt: 'Processed preview', testId: 'after-image', aspect: outputSize ? outputSize.width / outputSize.height : undefined } : undefined
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

  // ---- output info
  const beforeStats: Stat[] = b ? [['Size', `${b.sourceWidth} × ${b.sourceHeight}`], ['Format', (b.sourceFormat ?? b.format ?? '—').toUpperCase()], ['Bytes', formatBytes(b.sourceBytes)]] : []
  const afterStats: Stat[] = a
    ? a.kind === 'json'
      ? [
          ['Format', 'JSON'],
          ['Bytes', formatBytes(a.bytes)],
          ['Render', formatMs(a.renderMs)]
        ]
      : [
          ['Size', outputSize ? `${outputSize.width} × ${outputSize.height}` : '…'],
          ['Format', final ? (final.format ?? '—').toUpperCase() : '…', !final],
          [
            'Bytes',
            final ? (
              <span title={`${final.bytes.toLocaleString()} bytes`} data-bytes={final.bytes}>
                {formatBytes(final.bytes)}
                <Delta bytes={final.bytes} sourceBytes={final.sourceBytes} />
              </span>
            ) : (
              '…'
            ),
            !final
          ],
          ['Render', final ? formatMs(final.renderMs) : '…', !final]
        ]
    : []

  const isJson = a?.kind === 'json' && !afterError

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
    viewer = <SideView box={box} left={layers.before} right={layers.after} leftLabel="Original" rightLabel="Processed" rightStatus={<StageStatus preview={after} label="processed" />} rightBlocked={blocked} onStageSize={onStageSize} />
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
          <div className="vstages">
            {before.error && !b ? (
              <div className="vcenter wide">
                <ErrorCallout error={before.error} title="Could not load the original" />
              </div>
            ) : (
              viewer
            )}
          </div>
          <footer className="vinfo" hidden={mode === 'grid'}>
            <section className="vinfo-block" aria-label="Original" data-testid="before">
              <header>
                <span className="vinfo-title">Original</span>
                <span className="pane-sub mono" title={current.label}>
                  {current.label}
                </span>
              </header>
              <Stats items={beforeStats} />
            </section>
            <section className="vinfo-block" aria-label="Processed" data-testid="after">
              <header>
                <span className="vinfo-title">Processed</span>
                <span className="pane-sub mono" title={frame?.process}>
                  {afterError ? '' : (frame?.process ?? '')}
                </span>
              </header>
              {afterError ? (
                <p className="vinfo-note">{localError ? 'Fix the process string above to see the result.' : 'No result for this string: see the error above.'}</p>
              ) : (
                <div role="status" aria-label="Output info" aria-busy={after.busy} data-quality={final && upToDate ? 'final' : 'pending'} data-testid="output-info">
                  <Stats items={afterStats} />
                  {final && upToDate ? <WarningBadges rendered={final} label="Warnings" /> : null}
                </div>
              )}
            </section>
          </footer>
        </div>
      )}
    </section>
  )
}
