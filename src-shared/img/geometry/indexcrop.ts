/** Spec §3.4 (indexed slice) geometry, pure: shared by the engine and the style linter. */
import { indexcrop as schema, type IndexcropParams } from '../actions/indexcrop'
import { withDefaults } from '../schema'
import type { Region } from './crop'

/**
 * The strip to keep, or `undefined` when the image is returned unchanged.
 *
 * - `y` wins over `x` when both are given (§3.4).
 * - `x` → vertical strips `x` px wide along the width; `y` → horizontal strips `y` px high.
 * - The last strip is the remainder (400 wide, `x_150` → 150, 150, 100) (§3.4, [DERIVED]).
 * - `i` ≥ number of strips → the image is returned unchanged, no error (§3.4; DEMO_A
 *   `indexcrop,x_100,i_100` → 400×267).
 * - A strip size larger than the image gives one strip: the whole image.
 */
export function indexcropGeometry(frame: { readonly width: number; readonly height: number }, params: IndexcropParams): Region | undefined {
  const { x, y, i } = withDefaults(schema, params)
  const { width: W, height: H } = frame
  if (y !== undefined) {
    const top = i * y
    if (top >= H) return undefined
    return { left: 0, top, width: W, height: Math.min(y, H - top) }
  }
  if (x !== undefined) {
    const left = i * x
    if (left >= W) return undefined
    return { left, top: 0, width: Math.min(x, W - left), height: H }
  }
  // The schema's check rejects a missing x and y before the engine runs.
  return undefined
}
