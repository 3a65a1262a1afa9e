/**
 * Zoom and pan of the preview, as pure functions (no DOM). One viewport is shared by every pane
 * (split, side by side, toggle, Compare with OSS), so panes stay in step.
 *
 * The picture is a box of the output's size (W × H in output pixels) drawn at `scale` CSS pixels
 * per output pixel, centred on the stage and moved by the pan offset (x, y) in CSS pixels. The
 * original is drawn into the same box, so a resize is compared at the same displayed size.
 */

export interface Size {
  readonly width: number
  readonly height: number
}

export interface Viewport {
  /** `fit`: as large as the stage allows, never enlarged; a number: CSS px per output px (1 = 1:1). */
  readonly zoom: 'fit' | number
  /** Pan offset of the box centre from the stage centre, in CSS px. */
  readonly x: number
  readonly y: number
}

export const FIT: Viewport = { zoom: 'fit', x: 0, y: 0 }
export const MIN_SCALE = 0.02
export const MAX_SCALE = 16
/** Space kept around a fitted picture. */
const FIT_MARGIN = 16

export function fitScale(stage: Size, box: Size): number {
  if (box.width <= 0 || box.height <= 0 || stage.width <= 0 || stage.height <= 0) return 1
  const scale = Math.min((stage.width - 2 * FIT_MARGIN) / box.width, (stage.height - 2 * FIT_MARGIN) / box.height)
  return Math.max(MIN_SCALE, Math.min(1, scale))
}

export function scaleOf(viewport: Viewport, stage: Size, box: Size): number {
  return viewport.zoom === 'fit' ? fitScale(stage, box) : viewport.zoom
}

const clampScale = (scale: number) => Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale))

/** Keeps at least `keep` px of the picture on the stage. */
export function clampPan(viewport: Viewport, stage: Size, box: Size, keep = 48): Viewport {
  if (viewport.zoom === 'fit') return FIT
  const scale = viewport.zoom
  const limitX = Math.max(0, (box.width * scale + stage.width) / 2 - keep)
  const limitY = Math.max(0, (box.height * scale + stage.height) / 2 - keep)
  const x = Math.max(-limitX, Math.min(limitX, viewport.x))
  const y = Math.max(-limitY, Math.min(limitY, viewport.y))
  return x === viewport.x && y === viewport.y ? viewport : { ...viewport, x, y }
}

/**
 * Zooms by `factor` keeping the picture point under `at` (relative to the stage centre, CSS px)
 * where it is — the wheel zooms around the cursor.
 */
export function zoomAt(viewport: Viewport, stage: Size, box: Size, factor: number, at: { x: number; y: number } = { x: 0, y: 0 }): Viewport {
  const scale = scaleOf(viewport, stage, box)
  const next = clampScale(scale * factor)
  const k = next / scale
  const x = at.x - (at.x - (viewport.zoom === 'fit' ? 0 : viewport.x)) * k
  const y = at.y - (at.y - (viewport.zoom === 'fit' ? 0 : viewport.y)) * k
  return clampPan({ zoom: next, x, y }, stage, box)
}

/** A fixed scale (1 = 1:1), centred on the same picture point as now. */
export function zoomTo(viewport: Viewport, stage: Size, box: Size, scale: number): Viewport {
  return zoomAt(viewport, stage, box, clampScale(scale) / scaleOf(viewport, stage, box))
}

export function panBy(viewport: Viewport, stage: Size, box: Size, dx: number, dy: number): Viewport {
  const base = viewport.zoom === 'fit' ? { zoom: fitScale(stage, box), x: 0, y: 0 } : viewport
  return clampPan({ ...base, x: base.x + dx, y: base.y + dy }, stage, box)
}

/** Whether the picture is larger than the stage (panning makes sense). */
export function canPan(viewport: Viewport, stage: Size, box: Size): boolean {
  const scale = scaleOf(viewport, stage, box)
  return box.width * scale > stage.width + 0.5 || box.height * scale > stage.height + 0.5
}

/** The picture's rectangle on the stage, in CSS px. */
export function boxRect(viewport: Viewport, stage: Size, box: Size): { left: number; top: number; width: number; height: number; scale: number } {
  const scale = scaleOf(viewport, stage, box)
  const width = box.width * scale
  const height = box.height * scale
  const x = viewport.zoom === 'fit' ? 0 : viewport.x
  const y = viewport.zoom === 'fit' ? 0 : viewport.y
  return { left: (stage.width - width) / 2 + x, top: (stage.height - height) / 2 + y, width, height, scale }
}

/**
 * The transport side worth asking main for: the picture's own longest side (`natural`, output
 * pixels) or what the screen shows of it (`displayed`, device pixels), whichever is smaller —
 * `base` unless that is more than `base`, then rounded up to 512 and capped at `cap`.
 */
export function detailSide(natural: number, displayed: number, base: number, cap: number): number {
  const needed = Math.min(natural, displayed)
  if (!(needed > base * 1.05)) return base
  return Math.min(cap, Math.ceil(needed / 512) * 512)
}
