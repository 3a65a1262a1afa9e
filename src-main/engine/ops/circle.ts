/**
 * Spec §3.3 (circle crop): cut the centred square around the circle, make everything outside the
 * circle transparent. JPG output shows it white: the encoder flattens on white (spec §2).
 */
import { circleGeometry } from '../../../src-shared/img/geometry/circle'
import type { EngineOp } from '../op'
import { RANK, extractRank } from '../planner'
import { isWholeFrame } from './crop'
import { clearCorners } from './rounded-corners'

export { circleGeometry } from '../../../src-shared/img/geometry/circle'

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
