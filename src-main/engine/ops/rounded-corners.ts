/**
 * Spec §3.5 (rounded rectangle): same size, corners outside the arcs transparent (white in JPG,
 * through the encoder's flatten, spec §2). Also the mask of circle (§3.3): a square whose corner
 * radius is half its side is its inscribed circle.
 */
import type { OverlayOptions } from 'sharp'
import type { RoundedCornersParams } from '../../../src-shared/img/actions/rounded-corners'
import type { EngineOp, OpContext } from '../op'
import { RANK } from '../planner'

/** The radius used: r capped at the largest inscribed circle's, half the shorter side (§3.5). */
export function cornerRadius(frame: { readonly width: number; readonly height: number }, params: RoundedCornersParams): number {
  return Math.min(params.r!, Math.min(frame.width, frame.height) / 2)
}

/**
 * The four areas to clear, as small `dest-out` overlays: each is the corner square of side r minus
 * the quarter disc centred r px in from both edges, drawn in image coordinates (the viewBox places
 * the tile). Only the corners are rendered — a full-size mask costs ~10× more on large images,
 * and sharp clears whatever a `dest-in` overlay does not cover, so a partial keep-mask is not an
 * option. The arcs are anti-aliased by librsvg.
 */
export function cornerOverlays(width: number, height: number, r: number): OverlayOptions[] {
  const W = width
  const H = height
  const side = Math.ceil(r)
  const arc = `A${r} ${r} 0 0 0`
  const corners = [
    { left: 0, top: 0, d: `M0 0H${r}${arc} 0 ${r}Z` },
    { left: W - side, top: 0, d: `M${W} 0V${r}${arc} ${W - r} 0Z` },
    { left: W - side, top: H - side, d: `M${W} ${H}H${W - r}${arc} ${W} ${H - r}Z` },
    { left: 0, top: H - side, d: `M0 ${H}V${H - r}${arc} ${r} ${H}Z` }
  ]
  return corners.map(({ left, top, d }) => ({
    input: Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}" viewBox="${left} ${top} ${side} ${side}"><path d="${d}" fill="#fff"/></svg>`
    ),
    left,
    top,
    blend: 'dest-out'
  }))
}

/**
 * Rounds the corners of the current frame with radius r (≤ half the shorter side). sharp adds the
 * alpha channel itself when compositing; JPG output gets white corners from the encoder.
 */
export function clearCorners(ctx: OpContext, r: number): void {
  const { width, height } = ctx.frame
  ctx.pipeline().composite(cornerOverlays(width, height, r))
  ctx.setFrame({ hasAlpha: true })
}

export const roundedCorners: EngineOp<'rounded-corners'> = {
  action: 'rounded-corners',
  placement: () => ({ kind: 'pixels', rank: RANK.composite }),
  // Spec §2/§3.5: "not applicable to GIF" [DOC 2026] — the doc does not say it fails. Decision: an
  // animated GIF is processed as its first frame and the result is static (as crop, §3.2); a GIF
  // output keeps the corners transparent (GIF's 1-bit transparency).
  keepsAnimation: false,
  apply(ctx, params) {
    clearCorners(ctx, cornerRadius(ctx.frame, params))
  }
}
