/** Spec §3.3 circle geometry, pure: shared by the engine and the style linter. */
import type { CircleParams } from '../actions/circle'
import type { Region } from './crop'

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
