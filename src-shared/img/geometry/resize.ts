/**
 * Spec §3.1 resize geometry, pure: OSS's rules (half-up rounding, precedence w/h > l/s > p, limit,
 * GIF never enlarged). Shared by the engine (which hands the sizes to sharp as exact integers) and
 * the style linter.
 */
import { resize as schema } from '../actions/resize'
import type { WatermarkResizeParams } from '../actions/watermark'
import { ImgError } from '../errors'
import { LIMITS } from '../limits'
import { withDefaults } from '../schema'

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
