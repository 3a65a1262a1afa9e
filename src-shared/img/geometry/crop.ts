/**
 * Spec §3.2 crop geometry, pure: the rectangle from the current frame (spec §4 step 3: gravity uses
 * the size of the image as it is at this point of the chain). Shared by the engine and the linter.
 */
import type { CropParams } from '../actions/crop'
import type { Gravity } from '../actions/gravity'
import { ImgError } from '../errors'

/** A rectangle inside the current frame, in pixels. */
export interface Region {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

/** The documented OSS message for a start point outside the image (spec §3.2, §5.1). */
export const OUT_OF_IMAGE = "Advance cut's position is out of image."

/**
 * Gravity origin table of spec §3.2 (2024+ docs, Project decision §11.6), with `Math.floor` on
 * each half (Project decision §3.2): `floor(srcW/2) − floor(w/2)`.
 */
function origin(g: Gravity | undefined, W: number, H: number, w: number, h: number): { x0: number; y0: number } {
  const centreX = Math.floor(W / 2) - Math.floor(w / 2)
  const centreY = Math.floor(H / 2) - Math.floor(h / 2)
  switch (g) {
    case undefined:
    case 'nw':
      return { x0: 0, y0: 0 }
    case 'north':
      return { x0: centreX, y0: 0 }
    case 'ne':
      return { x0: W - w, y0: 0 }
    case 'west':
      return { x0: 0, y0: centreY }
    case 'center':
      return { x0: centreX, y0: centreY }
    case 'east':
      return { x0: W - w, y0: centreY }
    case 'sw':
      return { x0: 0, y0: H - h }
    case 'south':
      return { x0: centreX, y0: H - h }
    case 'se':
      return { x0: W - w, y0: H - h }
  }
}

/**
 * The crop rectangle for a `width × height` image. Pure; throws the documented 400 BadRequest
 * when the start point falls outside the image.
 *
 * - w/h absent or 0 → to the edge (Project decision §3.2).
 * - w/h larger than the image count as the image size: their documented range is
 *   [0, image width/height] (§3.2), so the gravity origin never lies left of/above the image.
 * - start = gravity origin + (x, y), for every gravity (§3.2, "x/y are added").
 * - start + w/h beyond the image → clamped to the edge (§3.2).
 */
export function cropGeometry(frame: { readonly width: number; readonly height: number }, params: CropParams): Region {
  const { width: W, height: H } = frame
  const w = Math.min(params.w || W, W)
  const h = Math.min(params.h || H, H)
  const x = params.x ?? 0
  const y = params.y ?? 0
  const { x0, y0 } = origin(params.g, W, H, w, h)
  const left = x0 + x
  const top = y0 + y
  if (left >= W || top >= H) {
    const gravity = params.g === undefined ? '' : `g_${params.g} + `
    throw new ImgError({
      code: 'BadRequest',
      action: 'crop',
      param: left >= W ? 'x' : 'y',
      message: `${OUT_OF_IMAGE} crop: expected a start point inside the ${W}x${H} image but received (${left}, ${top}) from ${gravity}x_${x}, y_${y}`
    })
  }
  return { left, top, width: Math.min(w, W - left), height: Math.min(h, H - top) }
}

/** True when the region is the whole frame (nothing to cut). */
export function isWholeFrame(region: Region, frame: { readonly width: number; readonly height: number }): boolean {
  return region.left === 0 && region.top === 0 && region.width === frame.width && region.height === frame.height
}
