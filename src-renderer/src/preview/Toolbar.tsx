/** The preview's toolbar: view modes, zoom, and Compare with OSS. */
import { useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { usePreviewView, type ViewMode } from './viewStore'
import { formatPercent } from '../i18n/format'
import { FIT, zoomAt, zoomTo, type Size } from './viewport'

const MODES: readonly { mode: ViewMode; label: MessageKey; hint: MessageKey }[] = [
  { mode: 'split', label: 'preview.modes.split', hint: 'preview.modes.splitHint' },
  { mode: 'side', label: 'preview.modes.side', hint: 'preview.modes.sideHint' },
  { mode: 'toggle', label: 'preview.modes.toggle', hint: 'preview.modes.toggleHint' },
  { mode: 'difference', label: 'preview.modes.difference', hint: 'preview.modes.differenceHint' },
  { mode: 'grid', label: 'preview.modes.grid', hint: 'preview.modes.gridHint' }
]

export function Toolbar({ scale, box: shownBox, stage, canCompare, onCompare }: { scale: number; box: Size | undefined; stage: Size; canCompare: boolean; onCompare: () => void }) {
  const { t } = useTranslation()
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
      <div className="segmented" role="group" aria-label={t('preview.toolbar.view')}>
        {MODES.map((m) => (
          <button key={m.mode} type="button" aria-pressed={mode === m.mode} title={t(m.hint)} onClick={() => setMode(m.mode)}>
            {t(m.label)}
          </button>
        ))}
      </div>
      <div className="segmented" role="group" aria-label={t('preview.toolbar.zoom')}>
        <button type="button" aria-pressed={isFit} disabled={!box} onClick={() => setViewport(FIT)} title={t('preview.toolbar.fitHint')}>
          {t('preview.toolbar.fit')}
        </button>
        <button type="button" aria-pressed={isOne} disabled={!box} onClick={() => box && setViewport(zoomTo(viewport, stage, box, 1))} title={t('preview.toolbar.oneHint')}>
          1:1
        </button>
        <button type="button" aria-label={t('preview.toolbar.zoomOut')} disabled={!box} onClick={() => box && setViewport(zoomAt(viewport, stage, box, 0.8))}>
          −
        </button>
        <output className="vzoom" aria-label={t('preview.toolbar.zoomLevel')} data-testid="zoom-level">
          {formatPercent(scale)}
        </output>
        <button type="button" aria-label={t('preview.toolbar.zoomIn')} disabled={!box} onClick={() => box && setViewport(zoomAt(viewport, stage, box, 1.25))}>
          +
        </button>
      </div>
      <span className="vtoolbar-spacer" />
      <button type="button" className="btn small vcompare" aria-pressed={mode === 'oss'} disabled={!canCompare} onClick={onCompare} title={mode === 'oss' ? t('preview.toolbar.compareBack') : t('preview.toolbar.compareHint')}>
        {t('preview.toolbar.compare')}
      </button>
    </div>
  )
}
