/**
 * The watermark box on the preview, as pure functions: which pipeline item each mark the engine
 * reported belongs to, where its box goes in output pixels (the engine's rectangle when the picture
 * is current, else predicted from the item's parameters with the shared placement math), and the
 * parameters a drag, a nudge, the size handle or the rotate handle write.
 *
 * Two pixel spaces: output pixels (the result, what the preview box is drawn in) and step pixels
 * (the image as it was at the watermark step, what g/x/y/voffset measure). They differ only when a
 * later step scales or crops; `placed` (step pixels) and the mark's box (output pixels) give the map.
 */
import type { ResponseOf } from '../../../../src-shared/ipc/contract'
import type { Gravity } from '../../../../src-shared/img/actions/gravity'
import { watermark as schema } from '../../../../src-shared/img/actions/watermark'
import { placementFor, usesVoffset, watermarkImagePercent, watermarkPosition, withWatermarkImagePercent, type PlacementParams, type Rect } from '../../../../src-shared/img/geometry/watermark'
import type { EditorDoc, ParamValue, Params } from '../../editor/model'

export type PlacedMark = NonNullable<ResponseOf<'preview:render'>['marks']>[number]

export interface MarkTarget {
  /** The pipeline item (a watermark step) the mark belongs to. */
  readonly itemId: string
  readonly params: Params
  readonly mark: PlacedMark
}

/**
 * The marks that belong to watermark items of the document (the chain's step index counts enabled
 * items). A named style has no items to edit; a mark turned by a later rotate cannot be dragged
 * straight, so it gets no box.
 */
export function markTargets(doc: EditorDoc, marks: readonly PlacedMark[] | undefined): MarkTarget[] {
  if (!marks || doc.style !== undefined) return []
  const enabled = doc.items.filter((item) => item.enabled)
  return marks.flatMap((mark) => {
    const item = enabled[mark.step]
    if (!item || item.action !== 'watermark' || mark.turned || mark.width <= 0 || mark.height <= 0) return []
    if (Number(item.params.fill ?? 0) === 1) return []
    return [{ itemId: item.id, params: item.params, mark }]
  })
}

const number = (value: ParamValue | undefined, fallback: number) => {
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : fallback
}

/** g/x/y/voffset of an item, OSS's defaults where not given. */
export function placementOf(params: Params): PlacementParams {
  const g = (typeof params.g === 'string' && (schema.params.g.values as readonly string[]).includes(params.g) ? params.g : schema.params.g.default) as Gravity
  return { g, x: number(params.x, schema.params.x.default!), y: number(params.y, schema.params.y.default!), voffset: number(params.voffset, schema.params.voffset.default!) }
}

/** Step pixels per output pixel, horizontally and vertically. */
function ratio(mark: PlacedMark): { kx: number; ky: number } {
  return { kx: mark.placed.width / mark.width, ky: mark.placed.height / mark.height }
}

const frameOf = (mark: PlacedMark) => ({ width: mark.placed.frameWidth, height: mark.placed.frameHeight })
const blockOf = (mark: PlacedMark) => ({ width: mark.placed.width, height: mark.placed.height })

/** Step pixels → output pixels. */
function toOutput(mark: PlacedMark, left: number, top: number): { left: number; top: number } {
  const { kx, ky } = ratio(mark)
  return { left: mark.x + (left - mark.placed.left) / kx, top: mark.y + (top - mark.placed.top) / ky }
}

/**
 * The box in output pixels: the engine's own rectangle when `current` (the picture on screen was
 * rendered from these parameters), else where the shared placement math puts the same block with
 * the item's parameters now (a drag's new position before its render arrives).
 */
export function boxOf(mark: PlacedMark, params: Params, current: boolean): Rect {
  if (current) return { left: mark.x, top: mark.y, width: mark.width, height: mark.height }
  const at = watermarkPosition(frameOf(mark), blockOf(mark), placementOf(params))
  return { ...toOutput(mark, at.left, at.top), width: mark.width, height: mark.height }
}

/** The image at the watermark step, in output pixels: what the gravity guides divide in nine. */
export function stepFrameOf(mark: PlacedMark): Rect {
  const { kx, ky } = ratio(mark)
  const origin = toOutput(mark, 0, 0)
  return { ...origin, width: mark.placed.frameWidth / kx, height: mark.placed.frameHeight / ky }
}

/**
 * Where a drag that started with `start` (the item's placement when the pointer went down) and the
 * box at `mark`'s placement, moved by (dx, dy) output pixels, anchors the mark: the nearest of the
 * nine gravity cells, offsets inward from its anchor.
 */
export function dragged(mark: PlacedMark, start: PlacementParams, dx: number, dy: number): PlacementParams {
  const { kx, ky } = ratio(mark)
  const from = watermarkPosition(frameOf(mark), blockOf(mark), start)
  return placementFor(frameOf(mark), blockOf(mark), { left: Math.round(from.left + dx * kx), top: Math.round(from.top + dy * ky) }, start)
}

/** An arrow-key nudge by (dx, dy) pixels as OSS measures them: the gravity stays, its offsets change. */
export function nudged(mark: PlacedMark, current: PlacementParams, dx: number, dy: number): PlacementParams {
  const from = watermarkPosition(frameOf(mark), blockOf(mark), current)
  return placementFor(frameOf(mark), blockOf(mark), { left: from.left + dx, top: from.top + dy }, current, current.g)
}

/** The parameters a placement writes: g, x, y always; voffset only where the gravity uses it (dropped elsewhere). */
export function placementValues(next: PlacementParams): Record<string, ParamValue | undefined> {
  return { g: next.g, x: next.x, y: next.y, voffset: usesVoffset(next.g) ? next.voffset : undefined }
}

/** What the box announces: the parameters that count for its gravity, in process-string spelling (`g_se x_10 y_10`). */
export function describePlacement(p: PlacementParams): string {
  const column = ['nw', 'west', 'sw'].includes(p.g) ? 0 : ['north', 'center', 'south'].includes(p.g) ? 1 : 2
  const parts = [`g_${p.g}`]
  if (column !== 1) parts.push(`x_${p.x}`)
  parts.push(usesVoffset(p.g) ? `voffset_${p.voffset}` : `y_${p.y}`)
  return parts.join(' ')
}

export type SizeKind = 'text' | 'image' | 'both'

export function sizeKindOf(params: Params): SizeKind {
  const text = typeof params.text === 'string'
  const image = typeof params.image === 'string'
  return text && image ? 'both' : image ? 'image' : 'text'
}

/** The image watermark's current `P`: its own, else what its width is as a share of the main image's. */
export function percentOf(params: Params, mark: PlacedMark): number {
  const own = typeof params.image === 'string' ? watermarkImagePercent(params.image) : undefined
  return own ?? Math.max(1, Math.min(100, Math.round((mark.placed.width / mark.placed.frameWidth) * 100)))
}

/**
 * The size handle scaled the block by `factor` (from the size at pointer down, `start`): a text
 * mark's `size`, an image mark's `P` (its nested resize), both for a mixed block.
 */
export function resized(start: Params, mark: PlacedMark, factor: number): Record<string, ParamValue | undefined> {
  const kind = sizeKindOf(start)
  const values: Record<string, ParamValue | undefined> = {}
  if (kind !== 'image') {
    const size = number(start.size, schema.params.size.default!)
    values.size = Math.max(schema.params.size.min, Math.min(schema.params.size.max, Math.round(size * factor)))
  }
  // A mixed block's image part has no width of its own in the mark: only an explicit P can be scaled.
  const own = typeof start.image === 'string' ? watermarkImagePercent(start.image) : undefined
  if (typeof start.image === 'string' && (kind === 'image' || own !== undefined)) values.image = withWatermarkImagePercent(start.image, percentOf(start, mark) * factor)
  return values
}

/** What the size handle announces. */
export function describeSize(params: Params, mark: PlacedMark): string {
  const kind = sizeKindOf(params)
  const size = `size_${number(params.size, schema.params.size.default!)}`
  const own = typeof params.image === 'string' ? watermarkImagePercent(params.image) : undefined
  if (kind === 'text' || (kind === 'both' && own === undefined)) return size
  const percent = `P_${percentOf(params, mark)}`
  return kind === 'image' ? percent : `${size} ${percent}`
}

/** The rotate handle: the text turned by `delta` degrees clockwise from `start` (0–360, whole degrees). */
export function rotated(start: Params, delta: number): number {
  const value = number(start.rotate, schema.params.rotate.default!) + delta
  return Math.round(((value % 360) + 360) % 360)
}
