/** Toggle view: one picture; click to flip between original and result, press and hold to peek. */
import { useRef } from 'react'
import { Chip, StageStatus, type Layers } from './StageParts'
import { PictureLayer, Stage } from './Stage'
import type { PreviewState } from './usePreview'
import { usePreviewView } from './viewStore'
import type { Size } from './viewport'
import { WatermarkLayer } from './watermark/WatermarkLayer'

export function ToggleView({ box, layers, after, blocked, onStageSize }: { box: Size | undefined; layers: Layers; after: PreviewState; blocked: React.ReactNode; onStageSize: (size: Size) => void }) {
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
        {(rect) => (
          <>
            {shown ? <PictureLayer picture={shown} box={rect} pixelated={rect.scale >= 3} /> : null}
            {!showOriginal && layers.after && layers.marks ? <WatermarkLayer rect={rect} marks={layers.marks.marks} current={layers.marks.current} /> : null}
          </>
        )}
      </Stage>
    </div>
  )
}
