/** The preview's toolbar: view modes, zoom, and Compare with OSS. */
import { usePreviewView, type ViewMode } from './viewStore'
import { FIT, zoomAt, zoomTo, type Size } from './viewport'

const MODES: readonly { mode: ViewMode; label: string; hint: string }[] = [
  { mode: 'split', label: 'Split', hint: 'Original left of the divider, result right' },
  { mode: 'side', label: 'Side by side', hint: 'Both at once, zoomed and panned together' },
  { mode: 'toggle', label: 'Toggle', hint: 'One picture; click or hold to flip' },
  { mode: 'difference', label: 'Difference', hint: 'Heatmap of what the style changed (amplified), with SSIM' },
  { mode: 'grid', label: 'Grid', hint: 'The process on every sample image, with warnings' }
]

export function Toolbar({ scale, box: shownBox, stage, canCompare, onCompare }: { scale: number; box: Size | undefined; stage: Size; canCompare: boolean; onCompare: () => void }) {
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
