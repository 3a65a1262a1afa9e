/**
 * Aspect ghosts, pure: which image and process string each ghost renders, and the badges of its
 * answer (from the marks the engine reported, with the shared geometry).
 */
import { markProblems, type MarkProblem } from '../../../../src-shared/img/geometry/watermark'
import type { CurrentSource } from '../../sources/store'
import type { PlacedMark } from './model'
import { imageOfShape, type KnownShape } from './shapes'

export interface GhostFrame {
  readonly label: '1:1' | '16:9' | '9:16'
  readonly aspect: number
}

export const GHOST_FRAMES: readonly GhostFrame[] = [
  { label: '1:1', aspect: 1 },
  { label: '16:9', aspect: 16 / 9 },
  { label: '9:16', aspect: 9 / 16 }
]

export interface GhostPlan {
  readonly frame: GhostFrame
  readonly image: CurrentSource
  readonly process: string
  /** Another image of that shape, or a centre crop of the current one. */
  readonly from: 'image' | 'crop'
}

/** The largest centred `aspect` rectangle of a `width` × `height` image, as a crop step. */
export function centreCrop(width: number, height: number, aspect: number): string {
  const w = width / height > aspect ? Math.max(1, Math.round(height * aspect)) : width
  const h = width / height > aspect ? height : Math.max(1, Math.round(width / aspect))
  return `crop,w_${w},h_${h},g_center`
}

/**
 * What each ghost renders: the same `process` on another image of its shape when one is known,
 * else on a centre crop of the current image (`size`: its upright size) — the crop goes first,
 * so the style sees an image of that shape. Only `image/…` strings (a named style cannot be
 * prefixed; the editor has its steps anyway).
 */
export function ghostPlans(process: string, current: CurrentSource, size: { width: number; height: number }, shapes: Readonly<Record<string, KnownShape>>): GhostPlan[] {
  if (!process.startsWith('image/')) return []
  return GHOST_FRAMES.map((frame) => {
    const other = imageOfShape(shapes, frame.aspect, current.id)
    if (other) return { frame, image: other.image, process, from: 'image' }
    const rest = process.slice('image/'.length)
    return { frame, image: current, process: `image/${centreCrop(size.width, size.height, frame.aspect)}${rest ? `/${rest}` : ''}`, from: 'crop' }
  })
}

/** Every problem any mark has on a result of `size`, once each (outside, clipped, large). */
export function ghostBadges(marks: readonly PlacedMark[] | undefined, size: { width: number; height: number }): MarkProblem[] {
  const found = new Set<MarkProblem>()
  for (const mark of marks ?? []) for (const problem of markProblems({ left: mark.x, top: mark.y, width: mark.width, height: mark.height }, size)) found.add(problem)
  return (['outside', 'clipped', 'large'] as const).filter((p) => found.has(p))
}
