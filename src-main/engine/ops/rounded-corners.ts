/**
 * Spec §3.5 (rounded rectangle): same size, corners outside the arcs transparent (white in JPG,
 * through the encoder's flatten, spec §2).
 */
import type { RoundedCornersParams } from '../../../src-shared/img/actions/rounded-corners'
import type { EngineOp } from '../op'
import { RANK } from '../planner'
import { applyMask, svgMask } from './circle'

/** The radius used: r capped at the largest inscribed circle's, half the shorter side (§3.5). */
export function cornerRadius(frame: { readonly width: number; readonly height: number }, params: RoundedCornersParams): number {
  return Math.min(params.r!, Math.min(frame.width, frame.height) / 2)
}

export const roundedCorners: EngineOp<'rounded-corners'> = {
  action: 'rounded-corners',
  // sharp runs linear() (bright, contrast) *after* composite(), although the planner's table ranks
  // linear first: after a linear op, answer a rank that is not above it so the planner starts a new
  // segment (the mask would otherwise be applied before the brightening — visible only in the colour
  // values left under fully transparent pixels, but the segment rule is "sharp's order = OSS's").
  placement: (_params, segmentRanks) => ({ kind: 'pixels', rank: segmentRanks.includes(RANK.linear) ? RANK.linear : RANK.composite }),
  // Spec §2/§3.5: "not applicable to GIF" [DOC 2026] — the doc does not say it fails. Decision: an
  // animated GIF is processed as its first frame and the result is static (as crop, §3.2); a GIF
  // output keeps the corners transparent (GIF's 1-bit transparency).
  keepsAnimation: false,
  async apply(ctx, params) {
    const { width, height } = ctx.frame
    const r = cornerRadius(ctx.frame, params)
    await applyMask(ctx, svgMask(width, height, `<rect x="0" y="0" width="${width}" height="${height}" rx="${r}" ry="${r}" fill="#fff"/>`))
  }
}
