/** Split view: the original left of a draggable divider, the result right of it. */
import { useCallback, useRef, useState } from 'react'
import { Chip, StageStatus, type Layers } from './StageParts'
import { PictureLayer, Stage } from './Stage'
import type { PreviewState } from './usePreview'
import { usePreviewView } from './viewStore'
import type { Size } from './viewport'
import { WatermarkLayer } from './watermark/WatermarkLayer'

export function SplitView({ box, layers, after, blocked, onStageSize }: { box: Size | undefined; layers: Layers; after: PreviewState; blocked: React.ReactNode; onStageSize: (size: Size) => void }) {
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
            {layers.after && layers.marks ? <WatermarkLayer rect={rect} marks={layers.marks.marks} current={layers.marks.current} /> : null}
          </>
        )}
      </Stage>
    </div>
  )
}
