/** Spec §3.6 rotate geometry, pure: shared by the engine and the style linter. */

/** libvips' degrees → radians, operation for operation (`VIPS_RAD`), so the doubles agree. */
const radians = (degrees: number) => (degrees / 360.0) * 2.0 * Math.PI

/** libvips' `VIPS_ROUND_INT`: nearest, halves away from zero. */
const roundInt = (value: number) => Math.trunc(value > 0 ? value + 0.5 : value - 0.5)

/** The angle as sharp receives it: 0 ≤ angle < 360, where 0 (and 360) leave the image alone. */
export function normalizeAngle(angle: number): number {
  return ((angle % 360) + 360) % 360
}

/**
 * Size of the image rotated clockwise by `angle` whole degrees, exactly as sharp 0.35 / libvips 8.18
 * produces it. Right angles use `vips_rot` (90/270 swap, 0/180 keep). Any other angle goes through
 * `vips_rotate` → `vips_affine` with the matrix `[cos −sin; sin cos]`: the output area is the
 * bounding box of the four forward-mapped corners (0,0), (W,0), (0,H), (W,H), and its width and
 * height are each rounded with `VIPS_ROUND_INT` — so `W|cos θ| + H|sin θ|` rounded half away from
 * zero, computed with libvips' own sequence of double operations (checked against sharp on
 * thousands of sizes × angles).
 */
export function rotatedSize(width: number, height: number, angle: number): { width: number; height: number } {
  const degrees = normalizeAngle(angle)
  if (degrees === 0 || degrees === 180) return { width, height }
  if (degrees === 90 || degrees === 270) return { width: height, height: width }
  const a = Math.cos(radians(degrees))
  const b = -Math.sin(radians(degrees))
  const c = -b
  const d = a
  const corners = [
    [0, 0],
    [0, height],
    [width, 0],
    [width, height]
  ] as const
  const xs = corners.map(([x, y]) => a * x + b * y)
  const ys = corners.map(([x, y]) => c * x + d * y)
  return {
    width: roundInt(Math.max(...xs) - Math.min(...xs)),
    height: roundInt(Math.max(...ys) - Math.min(...ys))
  }
}
