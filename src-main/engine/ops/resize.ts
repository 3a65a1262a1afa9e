/**
 * Spec §3.1. All output sizes are computed here with OSS's rules (half-up rounding, precedence
 * w/h > l/s > p, limit, GIF never enlarged) and passed to sharp as exact integers, because
 * sharp's own rounding differs.
 */
import { resize as schema } from '../../../src-shared/img/actions/resize'
import type { WatermarkResizeParams } from '../../../src-shared/img/actions/watermark'
import { ImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { withDefaults } from '../../../src-shared/img/schema'
import type { EngineOp, OpContext } from '../op'
import { RANK } from '../planner'

type Mode = 'lfit' | 'mfit' | 'fill' | 'pad' | 'fixed'

export interface ResizeGeometry {
  /** Size of the result. */
  readonly width: number
  readonly height: number
  /** How sharp should reach it; `none` when the source resolution is kept. */
  readonly fit: 'none' | 'fill' | 'cover' | 'contain'
  /** True when `limit_1` (or the GIF rule) blocked an enlargement. */
  readonly blocked: boolean
  /** The scale factor asked for (> 1: an enlargement, performed unless `blocked`). */
  readonly scale: number
}

const round = (value: number) => Math.max(1, Math.round(value))

function scaled(width: number, height: number, k: number) {
  return { width: round(width * k), height: round(height * k) }
}

type Target =
  | { readonly box: { width: number; height: number }; readonly mode: Mode }
  | { readonly k: number; readonly ignoresLimit?: boolean }

/** Target box for a mode, or a direct scale factor when the mode does not matter. */
function target(W: number, H: number, p: WatermarkResizeParams & { m: Mode }, mainWidth: number | undefined): Target {
  const { w, h, l, s } = p
  if (w !== undefined || h !== undefined) {
    if (w !== undefined && h !== undefined) return { box: { width: w, height: h }, mode: p.m }
    const side = (w ?? h)!
    // 2026 rule (Project decision §11.1): pad/fill make a square box, the others scale proportionally.
    if (p.m === 'pad' || p.m === 'fill') return { box: { width: side, height: side }, mode: p.m }
    return { k: w !== undefined ? w / W : h! / H }
  }
  if (l !== undefined || s !== undefined) {
    if (l !== undefined && s !== undefined) {
      // Project decision §3.1.3: long side = the larger source side; a square counts as landscape.
      const box = W >= H ? { width: l, height: s } : { width: s, height: l }
      return { box, mode: p.m }
    }
    // Only l or only s: m is ignored (2026 rule).
    return { k: l !== undefined ? l / Math.max(W, H) : s! / Math.min(W, H) }
  }
  if (p.P !== undefined && mainWidth !== undefined) {
    // Project decision §3.15.2: watermark width = P% of the main image width.
    return { k: (p.P / 100) * mainWidth / W, ignoresLimit: true }
  }
  return { k: p.p! / 100, ignoresLimit: true }
}

/**
 * The result size. The output limits are checked on the requested size before `limit` is
 * considered: OSS rejects `m_fixed,w_5000,h_5000` (EC 0040-00000007) on any source.
 */
export function resizeGeometry(
  source: { width: number; height: number },
  params: WatermarkResizeParams,
  opts: { gif: boolean; mainWidth?: number | undefined }
): ResizeGeometry {
  const p = withDefaults(schema, params) as WatermarkResizeParams & { m: Mode; limit: number; color: string }
  const { width: W, height: H } = source
  const t = target(W, H, p, opts.mainWidth)
  let requested: { width: number; height: number; fit: ResizeGeometry['fit']; k: number }
  if ('k' in t) {
    requested = { ...scaled(W, H, t.k), fit: 'fill', k: t.k }
  } else {
    const kFit = Math.min(t.box.width / W, t.box.height / H)
    const kCover = Math.max(t.box.width / W, t.box.height / H)
    const modes: Record<Mode, typeof requested> = {
      lfit: { ...scaled(W, H, kFit), fit: 'fill', k: kFit },
      mfit: { ...scaled(W, H, kCover), fit: 'fill', k: kCover },
      fill: { ...t.box, fit: 'cover', k: kCover },
      pad: { ...t.box, fit: 'contain', k: kFit },
      // Project decision §3.1.3: fixed enlarges when either side grows.
      fixed: { ...t.box, fit: 'fill', k: t.box.width > W || t.box.height > H ? 2 : 1 }
    }
    requested = modes[t.mode]
  }
  assertOutputSize(requested.width, requested.height)
  // GIF is never enlarged, whatever limit says (spec §2); p ignores limit (Project decision 5).
  const guard = opts.gif || (p.limit === 1 && !('k' in t && t.ignoresLimit))
  if (guard && requested.k > 1) return { width: W, height: H, fit: 'none', blocked: true, scale: requested.k }
  return { width: requested.width, height: requested.height, fit: requested.fit, blocked: false, scale: requested.k }
}

export function assertOutputSize(width: number, height: number): void {
  if (width > LIMITS.maxOutputSide || height > LIMITS.maxOutputSide || width * height > LIMITS.maxOutputPixels) {
    throw new ImgError({
      code: 'ImageTooLarge',
      ec: '0040-00000007',
      action: 'resize',
      message: `resize: expected a result of at most ${LIMITS.maxOutputSide} px per side and ${LIMITS.maxOutputPixels} pixels but received ${width}x${height}`
    })
  }
}

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
