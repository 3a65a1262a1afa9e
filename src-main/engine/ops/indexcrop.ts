/**
 * Spec §3.4 (indexed slice): cut the image into strips and keep strip `i`.
 */
import { indexcropGeometry } from '../../../src-shared/img/geometry/indexcrop'
import type { EngineOp } from '../op'
import { extractRank } from '../planner'
import { isWholeFrame } from './crop'

export { indexcropGeometry } from '../../../src-shared/img/geometry/indexcrop'

export const indexcrop: EngineOp<'indexcrop'> = {
  action: 'indexcrop',
  placement: (_params, segmentRanks) => ({ kind: 'pixels', rank: extractRank(segmentRanks) }),
  // Not documented for animations; treated like crop (Project decision §3.2): first frame, static.
  keepsAnimation: false,
  apply(ctx, params) {
    const region = indexcropGeometry(ctx.frame, params)
    if (region === undefined || isWholeFrame(region, ctx.frame)) return
    ctx.extract(region)
  }
}
