/**
 * Spec §3.2 (custom crop). The rectangle is computed here from the current frame (spec §4 step 3:
 * gravity uses the size of the image as it is at this point of the chain) and handed to sharp's
 * `extract()` as exact integers.
 */
import { cropGeometry, isWholeFrame } from '../../../src-shared/img/geometry/crop'
import type { EngineOp } from '../op'
import { extractRank } from '../planner'

export { cropGeometry, isWholeFrame, OUT_OF_IMAGE, type Region } from '../../../src-shared/img/geometry/crop'

export const crop: EngineOp<'crop'> = {
  action: 'crop',
  // Pre-resize extract when first in its segment, post-resize/rotate extract otherwise (planner).
  placement: (_params, segmentRanks) => ({ kind: 'pixels', rank: extractRank(segmentRanks) }),
  // Project decision §3.2 (TOS statement): an animated source is cropped as its first frame, static.
  keepsAnimation: false,
  apply(ctx, params) {
    const region = cropGeometry(ctx.frame, params)
    if (isWholeFrame(region, ctx.frame)) return
    ctx.extract(region)
  }
}
