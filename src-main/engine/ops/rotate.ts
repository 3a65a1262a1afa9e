/**
 * Spec §3.6: rotate clockwise by `value` degrees. Right angles swap or keep the dimensions; any
 * other angle grows the canvas to the rotated bounding box, whose exposed corners are transparent
 * (Project decision §3.6 / §11.14: white in JPG, transparent in formats with alpha). The image
 * entering the rotation must be at most 4096 px per side (Project decision §3.6: the limit is
 * checked on rotate's input, so resizing first rescues a large photo, as OSS's FAQ shows), and an
 * animated GIF becomes static (spec §2).
 */
import { rotate as schema } from '../../../src-shared/img/actions/rotate'
import { normalizeAngle, rotatedSize } from '../../../src-shared/img/geometry/rotate'
import { assertRotatable } from '../decode'
import type { EngineOp } from '../op'
import { RANK } from '../planner'

export { normalizeAngle, rotatedSize } from '../../../src-shared/img/geometry/rotate'

/** What the corners exposed by a non-right angle are filled with: nothing. */
const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 } as const

export const rotate: EngineOp<'rotate'> = {
  action: 'rotate',
  // A non-right angle runs alone: sharp premultiplies a segment with alpha around resize, blur and
  // sharpen and libvips' rotate premultiplies again (blown-out edges); on an opaque input the alpha
  // band the rotation adds would miss a later blur's premultiplication (dark fringes).
  placement: (params) => ({ kind: 'pixels', rank: RANK.rotate, alone: normalizeAngle(params.value ?? 0) % 90 !== 0 }),
  // Spec §2: "rotate on an animated GIF → static GIF (by design)". sharp cannot rotate a page strip anyway.
  keepsAnimation: false,
  apply(ctx, params) {
    // The documented default 0 (`withDefaults` fills `value` too, but its type leaves it optional).
    const angle = normalizeAngle(params.value ?? schema.bare.default)
    // 0 and 360 rotate nothing, so there is nothing for the rotation limit to refuse.
    if (angle === 0) return
    // Project decision §3.6: the image as it reaches the rotation is what must fit (an earlier resize
    // may have shrunk or grown it); this also keeps a rotated result within the output limits.
    assertRotatable(ctx.frame)
    const size = rotatedSize(ctx.frame.width, ctx.frame.height, angle)
    if (angle % 90 === 0) {
      // sharp's angle is clockwise too (`vips_rot`); no new pixels, no fill.
      ctx.pipeline().rotate(angle)
      ctx.moved({ kind: 'rotate', degrees: angle, from: ctx.frame, to: size })
      ctx.setFrame(size)
      return
    }
    // sharp adds the alpha band itself when the background is transparent (ApplyAlpha), and libvips
    // interpolates the edge with premultiplied alpha (an opaque edge keeps its colour, only its
    // alpha fades), so flattening on white later gives clean anti-aliased edges.
    ctx.pipeline().rotate(angle, { background: TRANSPARENT })
    ctx.moved({ kind: 'rotate', degrees: angle, from: ctx.frame, to: size })
    ctx.setFrame({ ...size, hasAlpha: true })
  }
}
