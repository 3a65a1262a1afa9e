/**
 * Watermarks followed through the rest of the chain, for the studio's "watermark cropped" badge:
 * a single watermark is recorded where it is drawn (with the share of it that fits the image),
 * then every later geometry change (crop windows, scaling, rotation) moves it; whatever a crop
 * cuts off lowers the share and names the step. The whole block is followed too (uncut), so the
 * studio can draw the mark's box on the result and map a drag back to the step's g/x/y (`placed`).
 * Tiled watermarks are not followed (a crop of a tiling is still a tiling).
 */
import type { EngineWarning, PlacedMark } from './types'

export type GeometryChange =
  /** The new frame is this window of the old one (a crop; negative offsets pad). */
  | { readonly kind: 'window'; readonly left: number; readonly top: number; readonly width: number; readonly height: number }
  | { readonly kind: 'scale'; readonly sx: number; readonly sy: number }
  /** Clockwise, about the centre; the frame grows to the rotated bounding box. */
  | { readonly kind: 'rotate'; readonly degrees: number; readonly from: Size; readonly to: Size }

interface Size {
  readonly width: number
  readonly height: number
}

interface Box {
  left: number
  top: number
  right: number
  bottom: number
}

interface Mark {
  /** The whole block (visible or not), followed like the visible part but never cut: where the studio draws its box. */
  readonly whole: Box
  /** Where the step put it: chain index, the image at that step and the block's rectangle on it. */
  readonly placed: PlacedMark['placed'] & { readonly step: number }
  /** A later rotate turned it (the box is then the turned block's bounding box). */
  turned: boolean
  left: number
  top: number
  right: number
  bottom: number
  /** Share of the watermark still visible, 0–1. */
  share: number
  /** The watermark's own size, for messages. */
  readonly width: number
  readonly height: number
  /** Why part of it was never drawn (it did not fit the image). */
  readonly drawLoss: string | undefined
  /** Later steps that cut part of it away. */
  readonly cutBy: string[]
}

export interface MarkTracker {
  /** A single `size` watermark drawn with its visible part at `visible` (undefined: none of it fits); `drawLoss` says why the rest is missing. */
  drawn(size: Size, visible: { left: number; top: number; width: number; height: number } | undefined, drawLoss: string | undefined, placed: PlacedMark['placed'] & { readonly step: number }): void
  moved(change: GeometryChange, action: string): void
  warnings(): EngineWarning[]
  /** Every single watermark's whole block in the result's pixels, for the studio's drag box. */
  placed(): PlacedMark[]
}

function rotatePoint(x: number, y: number, degrees: number, from: Size, to: Size): [number, number] {
  const rad = (degrees * Math.PI) / 180
  const dx = x - from.width / 2
  const dy = y - from.height / 2
  return [to.width / 2 + dx * Math.cos(rad) - dy * Math.sin(rad), to.height / 2 + dx * Math.sin(rad) + dy * Math.cos(rad)]
}

function moveBox(b: Box, change: GeometryChange): void {
  if (change.kind === 'scale') {
    Object.assign(b, { left: b.left * change.sx, right: b.right * change.sx, top: b.top * change.sy, bottom: b.bottom * change.sy })
  } else if (change.kind === 'window') {
    Object.assign(b, { left: b.left - change.left, right: b.right - change.left, top: b.top - change.top, bottom: b.bottom - change.top })
  } else {
    const corners = [
      rotatePoint(b.left, b.top, change.degrees, change.from, change.to),
      rotatePoint(b.right, b.top, change.degrees, change.from, change.to),
      rotatePoint(b.left, b.bottom, change.degrees, change.from, change.to),
      rotatePoint(b.right, b.bottom, change.degrees, change.from, change.to)
    ]
    Object.assign(b, {
      left: Math.min(...corners.map((c) => c[0])),
      right: Math.max(...corners.map((c) => c[0])),
      top: Math.min(...corners.map((c) => c[1])),
      bottom: Math.max(...corners.map((c) => c[1]))
    })
  }
}

const area = (m: Mark) => Math.max(0, m.right - m.left) * Math.max(0, m.bottom - m.top)

export function createMarkTracker(): MarkTracker {
  const marks: Mark[] = []
  return {
    drawn(size, visible, drawLoss, placed) {
      const share = visible ? (visible.width * visible.height) / (size.width * size.height) : 0
      const rect = visible ?? { left: 0, top: 0, width: 0, height: 0 }
      const whole = { left: placed.left, top: placed.top, right: placed.left + placed.width, bottom: placed.top + placed.height }
      marks.push({ whole, placed, turned: false, left: rect.left, top: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height, share, width: size.width, height: size.height, drawLoss, cutBy: [] })
    },
    moved(change, action) {
      for (const m of marks) {
        moveBox(m.whole, change)
        if (change.kind === 'rotate' && change.degrees % 360 !== 0) m.turned = true
        if (m.share <= 0) continue
        if (change.kind !== 'window') {
          moveBox(m, change)
        } else {
          const before = area(m)
          const left = Math.max(m.left, change.left)
          const top = Math.max(m.top, change.top)
          const right = Math.min(m.right, change.left + change.width)
          const bottom = Math.min(m.bottom, change.top + change.height)
          const kept = right > left && bottom > top ? (right - left) * (bottom - top) : 0
          // Less than one pixel lost is rounding, not a crop.
          if (before - kept >= 1) {
            m.share *= before > 0 ? kept / before : 0
            if (!m.cutBy.includes(action)) m.cutBy.push(action)
          }
          Object.assign(m, { left: left - change.left, top: top - change.top, right: right - change.left, bottom: bottom - change.top })
        }
      }
    },
    warnings() {
      return marks
        .filter((m) => m.share < 0.995)
        .map((m): EngineWarning => {
          const gone = m.share <= 0
          const cut = m.cutBy.length > 0 ? `the ${m.cutBy.join(' and ')} step${m.cutBy.length > 1 ? 's' : ''} ${gone && !m.drawLoss ? 'cut it away' : 'cut the rest away'}` : undefined
          const why = [m.drawLoss, cut].filter((part): part is string => part !== undefined).join('; ')
          const what = `the ${m.width} × ${m.height} watermark`
          return gone
            ? { code: 'WatermarkOutside', action: 'watermark', message: `watermark: ${what} is not visible: ${why}` }
            : { code: 'WatermarkClipped', action: 'watermark', message: `watermark: only ${Math.round(m.share * 100)}% of ${what} is visible: ${why}` }
        })
    },
    placed() {
      return marks.map(({ whole, placed: { step, ...placed }, turned }) => ({
        step,
        x: Math.round(whole.left),
        y: Math.round(whole.top),
        width: Math.round(whole.right - whole.left),
        height: Math.round(whole.bottom - whole.top),
        placed,
        turned
      }))
    }
  }
}
