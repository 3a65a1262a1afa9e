/**
 * The Difference view's scale, shared by main (which paints the heatmap: engine/preview/compare.ts)
 * and the renderer (which draws its legend), and the score threshold for "matches OSS".
 */

/** Per-pixel difference (largest of R, G, B, 0–255, both images on white) is multiplied by this before colouring. */
export const HEAT_AMPLIFY = 4

/** The colour scale, from no difference (0) to ≥ 255 / HEAT_AMPLIFY levels (1): black → blue → magenta → orange → yellow. */
export const HEAT_STOPS: readonly { readonly at: number; readonly rgb: readonly [number, number, number] }[] = [
  { at: 0, rgb: [0, 0, 0] },
  { at: 0.25, rgb: [40, 40, 200] },
  { at: 0.5, rgb: [190, 40, 160] },
  { at: 0.75, rgb: [250, 130, 30] },
  { at: 1, rgb: [255, 240, 80] }
]

/** SSIM (ssim.js, see README "Difference view") at or above which the local render "matches OSS". */
export const MATCHES_OSS_SSIM = 0.99

/** The heat colour of a scaled difference `t` (0–1). */
export function heatColour(t: number): readonly [number, number, number] {
  const x = Math.max(0, Math.min(1, t))
  for (let i = 1; i < HEAT_STOPS.length; i++) {
    const hi = HEAT_STOPS[i]!
    if (x <= hi.at) {
      const lo = HEAT_STOPS[i - 1]!
      const k = (x - lo.at) / (hi.at - lo.at)
      return [0, 1, 2].map((c) => Math.round(lo.rgb[c]! + (hi.rgb[c]! - lo.rgb[c]!) * k)) as unknown as readonly [number, number, number]
    }
  }
  return HEAT_STOPS.at(-1)!.rgb
}
