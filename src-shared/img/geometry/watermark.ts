/**
 * Spec §3.15.1 watermark placement, pure and both ways: g/x/y/voffset → the block's top-left corner
 * (what the engine composites at), and a wanted top-left corner → the g/x/y/voffset OSS needs to put
 * it there (what the studio writes while the user drags the mark on the preview). Shared by the
 * engine, the preview's drag box and the aspect ghosts' badges, so all three measure alike.
 */
import type { Gravity } from '../actions/gravity'
import { watermark as schema } from '../actions/watermark'

export interface Size {
  readonly width: number
  readonly height: number
}

export interface Point {
  readonly left: number
  readonly top: number
}

export interface Rect extends Point, Size {}

export interface PlacementParams {
  readonly g: Gravity
  readonly x: number
  readonly y: number
  readonly voffset: number
}

/** Project decision §3.15.1 / §11.14: positive voffset moves the watermark up (σ = −1). */
export const VOFFSET_SIGN = -1

const X_RANGE = schema.params.x
const Y_RANGE = schema.params.y
const VOFFSET_RANGE = schema.params.voffset

/** Which column (0 west, 1 centre, 2 east) and row (0 north, 1 middle, 2 south) a gravity anchors to. */
const CELLS: Record<Gravity, readonly [number, number]> = {
  nw: [0, 0],
  north: [1, 0],
  ne: [2, 0],
  west: [0, 1],
  center: [1, 1],
  east: [2, 1],
  sw: [0, 2],
  south: [1, 2],
  se: [2, 2]
}

const GRID: readonly (readonly Gravity[])[] = [
  ['nw', 'north', 'ne'],
  ['west', 'center', 'east'],
  ['sw', 'south', 'se']
]

/** Whether `voffset` counts for this gravity (the middle row only). */
export const usesVoffset = (g: Gravity): boolean => CELLS[g][1] === 1

/**
 * Top-left corner of a `box` watermark on a `frame` main image (spec §3.15.1 placement table).
 * x only counts for the west/east columns, y only for the north/south rows, voffset only for the
 * middle row; halves use Math.floor (Project decision, as for crop). The result may lie partly or
 * wholly outside the image: clipping is the caller's job.
 */
export function watermarkPosition(frame: Size, box: Size, p: PlacementParams): Point {
  const [column, row] = CELLS[p.g]
  const left = column === 0 ? p.x : column === 1 ? Math.floor((frame.width - box.width) / 2) : frame.width - box.width - p.x
  const top = row === 0 ? p.y : row === 1 ? Math.floor((frame.height - box.height) / 2) + VOFFSET_SIGN * p.voffset : frame.height - box.height - p.y
  return { left, top }
}

/**
 * The gravity cell (of the 3 × 3 grid over the frame) the box's centre falls in: where a dragged
 * mark anchors. Centres outside the frame count for the nearest edge cell.
 */
export function nearestGravity(frame: Size, box: Size, at: Point): Gravity {
  const cell = (centre: number, side: number) => Math.max(0, Math.min(2, Math.floor((centre / side) * 3)))
  const column = cell(at.left + box.width / 2, frame.width)
  const row = cell(at.top + box.height / 2, frame.height)
  return GRID[row]![column]!
}

const clamp = (n: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(n)))

/**
 * The g/x/y/voffset that put a `box` watermark's top-left corner at (or as near as OSS allows to)
 * `at` on `frame`: `g` is the given gravity (a keyboard nudge keeps it) or the nearest cell (a
 * drag). Offsets are measured inward from the anchor and kept in OSS's ranges (x, y ≥ 0: the box
 * stops at the edge it is anchored to; voffset within ±1000). Parameters the gravity ignores keep
 * their `previous` value, so moving a mark never rewrites what it does not use.
 */
export function placementFor(frame: Size, box: Size, at: Point, previous: PlacementParams, g: Gravity = nearestGravity(frame, box, at)): PlacementParams {
  const [column, row] = CELLS[g]
  const x = column === 0 ? at.left : column === 2 ? frame.width - box.width - at.left : previous.x
  const y = row === 0 ? at.top : row === 2 ? frame.height - box.height - at.top : previous.y
  const voffset = row === 1 ? VOFFSET_SIGN * (at.top - Math.floor((frame.height - box.height) / 2)) : previous.voffset
  return {
    g,
    x: clamp(x, X_RANGE.min, X_RANGE.max),
    y: clamp(y, Y_RANGE.min, Y_RANGE.max),
    voffset: clamp(voffset, VOFFSET_RANGE.min, VOFFSET_RANGE.max)
  }
}

/** The part of `rect` inside `frame`, or undefined when none is. */
export function visiblePart(rect: Rect, frame: Size): Rect | undefined {
  const left = Math.max(0, rect.left)
  const top = Math.max(0, rect.top)
  const right = Math.min(frame.width, rect.left + rect.width)
  const bottom = Math.min(frame.height, rect.top + rect.height)
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : undefined
}

/** A watermark covering more than this share of the image is flagged (issue 12: "covers more than 25 %"). */
export const LARGE_MARK_SHARE = 0.25

export type MarkProblem = 'outside' | 'clipped' | 'large'

/**
 * What a designer should know about a mark placed at `rect` on an image of `frame`: it lies wholly
 * outside (`outside`), part of it is cut off (`clipped`), or its visible part covers more than a
 * quarter of the image (`large`). Less than a pixel over the edge is rounding, not a clip.
 */
export function markProblems(rect: Rect, frame: Size): MarkProblem[] {
  const visible = visiblePart(rect, frame)
  if (!visible) return ['outside']
  const problems: MarkProblem[] = []
  if (rect.width * rect.height - visible.width * visible.height >= 1) problems.push('clipped')
  if (visible.width * visible.height > LARGE_MARK_SHARE * frame.width * frame.height) problems.push('large')
  return problems
}

const NESTED_CHAIN = '?x-oss-process=image/'

/** The `P` of a watermark image's own `resize` (spec §3.15.2: `panda.png?x-oss-process=image/resize,P_30`), if it has one. */
export function watermarkImagePercent(image: string): number | undefined {
  const at = image.indexOf(NESTED_CHAIN)
  if (at === -1) return undefined
  const resize = image
    .slice(at + NESTED_CHAIN.length)
    .split('/')
    .find((step) => step === 'resize' || step.startsWith('resize,'))
  const token = resize?.split(',').find((t) => t.startsWith('P_'))
  const value = token === undefined ? NaN : Number(token.slice(2))
  return Number.isInteger(value) ? value : undefined
}

/**
 * The watermark image value with its own `resize` at `P` percent (its width as a share of the main
 * image's, Project decision §3.15.2): the first nested resize gets `P_…` (replacing one it has),
 * else `resize,P_…` goes first in the nested chain (or starts one).
 */
export function withWatermarkImagePercent(image: string, percent: number): string {
  const P = `P_${Math.max(1, Math.min(100, Math.round(percent)))}`
  const at = image.indexOf(NESTED_CHAIN)
  if (at === -1) return `${image}${NESTED_CHAIN}resize,${P}`
  const steps = image.slice(at + NESTED_CHAIN.length).split('/')
  const index = steps.findIndex((step) => step === 'resize' || step.startsWith('resize,'))
  if (index === -1) steps.unshift(`resize,${P}`)
  else {
    const tokens = steps[index]!.split(',').filter((t) => !t.startsWith('P_'))
    steps[index] = [...tokens, P].join(',')
  }
  return `${image.slice(0, at)}${NESTED_CHAIN}${steps.join('/')}`
}
