/**
 * Spec §3.3 (circle crop): cut the centred square around the circle, make everything outside the
 * circle transparent. JPG output shows it white: the encoder flattens on white (spec §2).
 */
import type { CircleParams } from '../../../src-shared/img/actions/circle'
import type { EngineOp } from '../op'
import { RANK, extractRank } from '../planner'
import { isWholeFrame, type Region } from './crop'
import { clearCorners } from './rounded-corners'

/**
 * The square to cut: side `min(2r + 1, shorter side)` (Project decision §3.3, the 2023+ cap rule
 * `2r + 1` extended to in-range radii), centred on the image centre with `Math.floor` halves
 * (as crop's gravity, Project decision §3.2). DEMO_A 400×267: `r_100` → 201×201, `r_200` → 267×267.
 */
export function circleGeometry(frame: { readonly width: number; readonly height: number }, params: CircleParams): Region {
  const { width: W, height: H } = frame
  const side = Math.min(2 * params.r! + 1, W, H)
  return { left: Math.floor((W - side) / 2), top: Math.floor((H - side) / 2), width: side, height: side }
}

export const circle: EngineOp<'circle'> = {
  action: 'circle',
  // Two sharp stages: the square cut (an extract) through the mask (a composite).
  placement: (_params, segmentRanks) => ({ kind: 'pixels', rank: extractRank(segmentRanks), through: RANK.composite }),
  // Not documented for animations; a per-frame composite is not what sharp does on a page strip:
  // first frame, static (like crop, Project decision §3.2).
  keepsAnimation: false,
  apply(ctx, params) {
    const region = circleGeometry(ctx.frame, params)
    if (!isWholeFrame(region, ctx.frame)) {
      ctx.extract(region)
    }
    // The inscribed circle: a square with corner radius side/2.
    clearCorners(ctx, region.width / 2)
  }
}
