/**
 * Spec §3.11: sharpen, `sharpen,[v]` with v in [50, 399] (100 recommended). OSS's maths is
 * undocumented; Project decision §3.11: `sharpen({ sigma: v / 100 })` — sharp's unsharp mask on
 * the L channel (LAB), default flat/jagged gains. Alpha is not sharpened.
 */
import type { EngineOp } from '../op'
import { RANK } from '../planner'

export function sharpenSigma(v: number): number {
  return v / 100
}

export const sharpen: EngineOp<'sharpen'> = {
  action: 'sharpen',
  placement: () => ({ kind: 'pixels', rank: RANK.sharpen }),
  // Static output for animations. sharp sharpens an animation's page strip as one tall image, so the
  // mask reaches across frame boundaries: with a flat grey frame above a black one, the grey frame's
  // last 1–5 rows (sigma 0.5–4) come out brighter. OSS documents nothing for animations; a clean
  // first frame beats frames with seams (as blur, Project decision §3.8).
  keepsAnimation: false,
  apply(ctx, params) {
    ctx.pipeline().sharpen({ sigma: sharpenSigma(params.value ?? 100) })
  }
}
