/**
 * Spec §3.1. All output sizes are computed here with OSS's rules (half-up rounding, precedence
 * w/h > l/s > p, limit, GIF never enlarged) and passed to sharp as exact integers, because
 * sharp's own rounding differs.
 */
import { resize as schema } from '../../../src-shared/img/actions/resize'
import { resizeGeometry, type ResizeGeometry } from '../../../src-shared/img/geometry/resize'
import { withDefaults } from '../../../src-shared/img/schema'
import type { EngineOp, OpContext } from '../op'
import { RANK } from '../planner'

export { assertOutputSize, resizeGeometry, type ResizeGeometry } from '../../../src-shared/img/geometry/resize'

const round = (value: number) => Math.max(1, Math.round(value))

function warnAboutScale(ctx: OpContext, geometry: ResizeGeometry, gif: boolean): void {
  const { width, height } = ctx.frame
  if (geometry.blocked) {
    const why = gif ? 'GIFs are never enlarged' : 'limit_1 (the default) keeps images that are smaller than the target'
    ctx.warn({ code: 'NotEnlarged', action: 'resize', message: `resize: the image (${width} × ${height}) is smaller than the requested size and stays as it is: ${why}` })
  } else if (geometry.scale > 1 && (geometry.width > width || geometry.height > height)) {
    ctx.warn({ code: 'Upscaled', action: 'resize', message: `resize: enlarges the image ${geometry.scale.toFixed(2).replace(/\.?0+$/, '')}× (${width} × ${height} → ${geometry.width} × ${geometry.height}); detail will look soft` })
  }
}

export const resize: EngineOp<'resize'> = {
  action: 'resize',
  // m_fill cuts with a post-resize extract and m_pad pads with extend (planner table).
  placement: (params) =>
    params.m === 'fill' ? { kind: 'pixels', rank: RANK.resize, through: RANK.postExtract } : params.m === 'pad' ? { kind: 'pixels', rank: RANK.resize, through: RANK.extend } : { kind: 'pixels', rank: RANK.resize },
  // Spec §2: w/h/l/s keep the animation; p makes it static.
  keepsAnimation: (params) => params.p === undefined,
  apply(ctx, params) {
    const gif = ctx.source.format === 'gif'
    const geometry = resizeGeometry(ctx.frame, params, { gif, mainWidth: ctx.mainWidth })
    warnAboutScale(ctx, geometry, gif)
    if (geometry.fit === 'none') return
    const { width: W, height: H } = ctx.frame
    const pipeline = ctx.pipeline()
    if (geometry.fit === 'fill') {
      if (geometry.width !== W || geometry.height !== H) pipeline.resize(geometry.width, geometry.height, { fit: 'fill' })
      ctx.moved({ kind: 'scale', sx: geometry.width / W, sy: geometry.height / H })
    } else if (geometry.fit === 'cover') {
      // mfit to exact OSS sizes, then the centred cut (floor halves, as crop's gravity).
      const k = Math.max(geometry.width / W, geometry.height / H)
      const inner = { width: Math.max(geometry.width, round(W * k)), height: Math.max(geometry.height, round(H * k)) }
      pipeline.resize(inner.width, inner.height, { fit: 'fill' })
      ctx.moved({ kind: 'scale', sx: inner.width / W, sy: inner.height / H })
      const left = Math.floor((inner.width - geometry.width) / 2)
      const top = Math.floor((inner.height - geometry.height) / 2)
      ctx.extract({ left, top, width: geometry.width, height: geometry.height })
    } else {
      // lfit to exact OSS sizes, then centred on the box in the opaque pad colour, also on
      // transparent sources (Project decision §3.1.3).
      const k = Math.min(geometry.width / W, geometry.height / H)
      const inner = { width: Math.min(geometry.width, round(W * k)), height: Math.min(geometry.height, round(H * k)) }
      pipeline.resize(inner.width, inner.height, { fit: 'fill' })
      const left = Math.floor((geometry.width - inner.width) / 2)
      const top = Math.floor((geometry.height - inner.height) / 2)
      ctx.moved({ kind: 'scale', sx: inner.width / W, sy: inner.height / H })
      // The padding is a window larger than the image, offset up-left.
      ctx.moved({ kind: 'window', left: -left, top: -top, width: geometry.width, height: geometry.height })
      const background = `#${withDefaults(schema, params).color}`
      pipeline.extend({ left, top, right: geometry.width - inner.width - left, bottom: geometry.height - inner.height - top, background })
    }
    ctx.setFrame({ width: geometry.width, height: geometry.height })
  }
}
