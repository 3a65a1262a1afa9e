/**
 * Spec §3.10: contrast, `contrast,[v]` with v in [-100, 100]. OSS's maths is undocumented; Project
 * decision §3.10: `linear(a, 128 × (1 − a))` with `a = max(0, 1 + v/100)` — a stretch (v > 0) or a
 * squeeze (v < 0) around mid-grey 128; v = −100 gives flat grey.
 */
import type { EngineOp } from '../op'
import { RANK } from '../planner'
import { applyLinear, type Linear } from './bright'

export function contrastLinear(v: number): Linear {
  const a = Math.max(0, 1 + v / 100)
  return { a, b: 128 * (1 - a) }
}

export const contrast: EngineOp<'contrast'> = {
  action: 'contrast',
  placement: () => ({ kind: 'pixels', rank: RANK.linear }),
  // Per pixel, like bright: every frame of the page strip is treated alike, the animation survives.
  keepsAnimation: true,
  apply(ctx, params) {
    applyLinear(ctx, contrastLinear(params.value ?? 0))
  }
}
