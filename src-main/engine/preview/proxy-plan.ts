/**
 * Interactive renders on the proxy: a chain's geometry computed at full resolution with the engine's
 * own helpers, then scaled onto the reduced-resolution copy (see engine.ts for when it is used).
 */
import { watermark as watermarkSchema } from '../../../src-shared/img/actions/watermark'
import { isImgError } from '../../../src-shared/img/errors'
import type { Step } from '../../../src-shared/img/process'
import { withDefaults } from '../../../src-shared/img/schema'
import { assertRotatable } from '../decode'
import { chainSettings } from '../executor'
import type { SourceInfo } from '../op'
import { circleGeometry } from '../ops/circle'
import { cropGeometry, isWholeFrame, type Region } from '../ops/crop'
import { indexcropGeometry } from '../ops/indexcrop'
import { resizeGeometry } from '../ops/resize'
import { normalizeAngle, rotatedSize } from '../ops/rotate'
import type { PlacedMark } from '../types'

export interface Size {
  readonly width: number
  readonly height: number
}

const clampInt = (value: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(value)))

/** A step with new parameters (same action and span). */
function withParams(step: Step, params: Record<string, unknown>): Step {
  return { action: step.action, params, span: step.span } as unknown as Step
}

function regionOnProxy(region: Region, full: Size, proxy: Size): Region {
  const rx = proxy.width / full.width
  const ry = proxy.height / full.height
  const left = Math.min(proxy.width - 1, Math.floor(region.left * rx))
  const top = Math.min(proxy.height - 1, Math.floor(region.top * ry))
  const width = Math.max(1, Math.min(proxy.width - left, Math.round(region.width * rx)))
  const height = Math.max(1, Math.min(proxy.height - top, Math.round(region.height * ry)))
  return { left, top, width, height }
}

export interface ProxySource {
  /** Full-resolution source facts (stored size, orientation, format). */
  readonly full: Pick<SourceInfo, 'width' | 'height' | 'orientation' | 'format' | 'pages'>
  /** Stored size of the proxy. */
  readonly proxy: Size
}

export interface ProxyPlan {
  /** The chain to run on the proxy. */
  readonly steps: Step[]
  /** The full-resolution result's size, from the engine's own geometry (no pixels touched). */
  readonly width: number
  readonly height: number
  /** For each step of `steps`, the index of the step of the original chain it stands for (some steps are dropped). */
  readonly origins: readonly number[]
  /** Per watermark step (original index): full-resolution pixels per proxy pixel of the image it is drawn on. */
  readonly markScales: ReadonlyMap<number, { readonly sx: number; readonly sy: number }>
}

/**
 * The chain rewritten to run on a proxy, or `undefined` when it cannot be (the caller then renders
 * at full resolution, which also produces OSS's exact error for a chain that fails).
 *
 * Two frames are tracked: F, the image at full resolution (exact, with the engine's own geometry
 * helpers: the final size is known without rendering), and Q, the same image on the proxy.
 * Geometry steps are rewritten so Q stays F scaled (crop rectangles and radii scaled; resizes
 * replaced by exact `m_fixed`/`m_fill`/`m_pad` boxes of F's result fitted within `proxySide`). Once
 * Q equals F, the rest of the chain is kept as it is.
 */
export function proxySteps(steps: readonly Step[], source: ProxySource, options: { proxySide: number; implicitAutoOrient?: boolean | undefined }): ProxyPlan | undefined {
  if (steps.some((s) => s.action === 'info' || s.action === 'average-hue')) return undefined
  const settings = chainSettings(steps)
  const orient = settings.orient ?? options.implicitAutoOrient ?? true
  try {
    if (orient && (source.full.orientation ?? 1) > 1) assertRotatable(source.full)
    const swap = orient && (source.full.orientation ?? 1) >= 5
    let F: Size = swap ? { width: source.full.height, height: source.full.width } : { width: source.full.width, height: source.full.height }
    let Q: Size = swap ? { width: source.proxy.height, height: source.proxy.width } : { width: source.proxy.width, height: source.proxy.height }
    const gif = source.full.format === 'gif'
    const out: Step[] = []
    const origins: number[] = []
    const markScales = new Map<number, { sx: number; sy: number }>()
    for (const [index, step] of steps.entries()) {
      const emit = (next: Step) => {
        out.push(next)
        origins.push(index)
      }
      // Same frame: the step runs exactly as at full resolution (only F is tracked).
      const exact = Q.width === F.width && Q.height === F.height
      const r = Math.sqrt((Q.width / F.width) * (Q.height / F.height))
      const p = step.params as Record<string, unknown>
      switch (step.action) {
        case 'resize': {
          const G = resizeGeometry(F, step.params, { gif })
          if (G.fit === 'none') break
          if (exact) {
            emit(step)
            F = Q = { width: G.width, height: G.height }
            break
          }
          const k = Math.min(1, options.proxySide / Math.max(G.width, G.height))
          const T = { width: Math.max(1, Math.round(G.width * k)), height: Math.max(1, Math.round(G.height * k)) }
          const mode = G.fit === 'cover' ? 'fill' : G.fit === 'contain' ? 'pad' : 'fixed'
          emit(withParams(step, { m: mode, w: T.width, h: T.height, limit: 0, ...(mode === 'pad' && p.color !== undefined ? { color: p.color } : {}) }))
          F = { width: G.width, height: G.height }
          Q = T
          break
        }
        case 'crop':
        case 'indexcrop': {
          const region = step.action === 'crop' ? cropGeometry(F, step.params) : indexcropGeometry(F, step.params)
          if (region === undefined || isWholeFrame(region, F)) break
          if (exact) {
            emit(step)
            F = Q = { width: region.width, height: region.height }
            break
          }
          const onProxy = regionOnProxy(region, F, Q)
          emit({ action: 'crop', params: { x: onProxy.left, y: onProxy.top, w: onProxy.width, h: onProxy.height }, span: step.span })
          F = { width: region.width, height: region.height }
          Q = { width: onProxy.width, height: onProxy.height }
          break
        }
        case 'circle': {
          const region = circleGeometry(F, step.params)
          if (exact) {
            emit(step)
            F = Q = { width: region.width, height: region.height }
            break
          }
          const radius = clampInt(step.params.r! * r, 1, 4096)
          const onProxy = circleGeometry(Q, { r: radius })
          emit(withParams(step, { r: radius }))
          F = { width: region.width, height: region.height }
          Q = { width: onProxy.width, height: onProxy.height }
          break
        }
        case 'rotate': {
          const angle = normalizeAngle(step.params.value ?? 0)
          // Project decision §3.6: the limit applies to the full-resolution image entering rotate.
          if (angle !== 0) assertRotatable(F)
          emit(step)
          F = rotatedSize(F.width, F.height, angle)
          Q = exact ? F : rotatedSize(Q.width, Q.height, angle)
          break
        }
        case 'rounded-corners':
          emit(exact ? step : withParams(step, { r: clampInt(step.params.r! * r, 1, 4096) }))
          break
        case 'blur':
          emit(exact ? step : withParams(step, { r: clampInt(step.params.r! * r, 1, 50), s: clampInt(step.params.s! * r, 1, 50) }))
          break
        case 'watermark': {
          markScales.set(index, { sx: F.width / Q.width, sy: F.height / Q.height })
          if (exact) {
            emit(step)
            break
          }
          // An image watermark keeps its own pixel size: only faithful once Q equals F.
          if (step.params.image !== undefined) return undefined
          const d = withDefaults(watermarkSchema, step.params)
          emit(
            withParams(step, {
              ...p,
              size: clampInt((d.size ?? 40) * r, 1, 1000),
              x: clampInt((d.x ?? 10) * r, 0, 4096),
              y: clampInt((d.y ?? 10) * r, 0, 4096),
              voffset: clampInt((d.voffset ?? 0) * r, -1000, 1000),
              padx: clampInt((d.padx ?? 0) * r, 0, 4096),
              pady: clampInt((d.pady ?? 0) * r, 0, 4096)
            })
          )
          break
        }
        default:
          // Settings (format, quality, interlace, auto-orient, ignore-error) and tone (bright,
          // contrast, sharpen): no geometry, nothing to scale.
          emit(step)
      }
    }
    return { steps: out, width: F.width, height: F.height, origins, markScales }
  } catch (error) {
    if (isImgError(error)) return undefined
    throw error
  }
}

/**
 * The marks of a proxy render in full-resolution pixels: their step back in the original chain,
 * `placed` scaled by the proxy ratio at their step, the box by the ratio of the results' sizes
 * (`proxyResult` is the proxy render's size, `plan` gives the full one).
 */
export function fullResolutionMarks(marks: readonly PlacedMark[], plan: ProxyPlan, proxyResult: Size): PlacedMark[] {
  const sx = plan.width / proxyResult.width
  const sy = plan.height / proxyResult.height
  return marks.map((mark) => {
    const step = plan.origins[mark.step] ?? mark.step
    const at = plan.markScales.get(step) ?? { sx: 1, sy: 1 }
    const p = mark.placed
    return {
      step,
      x: Math.round(mark.x * sx),
      y: Math.round(mark.y * sy),
      width: Math.round(mark.width * sx),
      height: Math.round(mark.height * sy),
      placed: {
        frameWidth: Math.round(p.frameWidth * at.sx),
        frameHeight: Math.round(p.frameHeight * at.sy),
        left: Math.round(p.left * at.sx),
        top: Math.round(p.top * at.sy),
        width: Math.round(p.width * at.sx),
        height: Math.round(p.height * at.sy)
      },
      turned: mark.turned
    }
  })
}
