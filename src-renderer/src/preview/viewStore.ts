/**
 * How the preview is looked at — view mode, the shared zoom/pan viewport, the split position and
 * the toggle — kept across selections and re-renders (not part of any document or undo history).
 */
import { create } from 'zustand'
import { FIT, type Viewport } from './viewport'

export type ViewMode = 'split' | 'side' | 'toggle' | 'difference' | 'grid' | 'oss'

export interface PreviewView {
  readonly mode: ViewMode
  readonly viewport: Viewport
  /** Split divider position across the stage, 0–1 (original on the left). */
  readonly split: number
  /** Toggle view: the original is shown instead of the result. */
  readonly showOriginal: boolean
  setMode(mode: ViewMode): void
  setViewport(viewport: Viewport): void
  setSplit(split: number): void
  setShowOriginal(show: boolean): void
}

export const usePreviewView = create<PreviewView>()((set) => ({
  mode: 'split',
  viewport: FIT,
  split: 0.5,
  showOriginal: false,
  setMode: (mode) => set({ mode }),
  setViewport: (viewport) => set({ viewport }),
  setSplit: (split) => set({ split: Math.max(0, Math.min(1, split)) }),
  setShowOriginal: (showOriginal) => set({ showOriginal })
}))
