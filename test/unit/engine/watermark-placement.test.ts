/**
 * The shared placement math (src-shared/img/geometry/watermark.ts) against the engine's real
 * placement: for every gravity, the rectangle the engine reports (`marks`) is where the watermark's
 * pixels really are, equals watermarkPosition's, and placementFor maps it back to the same
 * g/x/y/voffset — so a box dragged in the studio lands where OSS would draw it.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { GRAVITIES, type Gravity } from '../../../src-shared/img/actions/gravity'
import { encodeBase64Url as b64 } from '../../../src-shared/img/base64url'
import { nearestGravity, placementFor, usesVoffset, watermarkPosition } from '../../../src-shared/img/geometry/watermark'
import { fullResolutionMarks, proxySteps } from '../../../src-main/engine/preview/proxy-plan'
import type { ObjectResolver } from '../../../src-main/engine/types'
import { parseProcess, type Step } from '../../../src-shared/img/process'
import { processToImage } from '../../support/engine'

const W = 300
const H = 240
const MARK = { width: 40, height: 30 }

async function png(width: number, height: number, background: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer()
}

const objects: ObjectResolver = {
  get: async (key) => (key === 'mark.png' ? png(MARK.width, MARK.height, { r: 255, g: 0, b: 0 }) : undefined)
}

/** Bounding box of the red pixels: where the watermark really is. */
async function redBox(data: Buffer): Promise<{ left: number; top: number; width: number; height: number }> {
  const { data: px, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true })
  let left = Infinity
  let top = Infinity
  let right = -1
  let bottom = -1
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const o = (y * info.width + x) * info.channels
      if (px[o]! > 200 && px[o + 1]! < 60 && px[o + 2]! < 60) {
        left = Math.min(left, x)
        top = Math.min(top, y)
        right = Math.max(right, x)
        bottom = Math.max(bottom, y)
      }
    }
  }
  return { left, top, width: right - left + 1, height: bottom - top + 1 }
}

const MARK_PARAM = `image_${b64('mark.png')}`

describe('watermark placement: shared math = engine', () => {
  it.each(GRAVITIES)('g_%s: the reported rectangle is the drawn one, and maps back to the same parameters', async (g: Gravity) => {
    const main = await png(W, H, { r: 255, g: 255, b: 255 })
    const params = { g, x: 17, y: 11, voffset: usesVoffset(g) ? 23 : 0 }
    const result = await processToImage(main, `image/watermark,${MARK_PARAM},g_${g},x_17,y_11${usesVoffset(g) ? ',voffset_23' : ''}`, { objects })
    const expected = watermarkPosition({ width: W, height: H }, MARK, params)
    expect(result.marks).toEqual([
      { step: 0, x: expected.left, y: expected.top, ...MARK, placed: { frameWidth: W, frameHeight: H, left: expected.left, top: expected.top, ...MARK }, turned: false }
    ])
    expect(await redBox(result.data)).toEqual({ ...expected, ...MARK })
    // The drag's inverse: the same corner, anchored to the same gravity, gives the same numbers.
    expect(placementFor({ width: W, height: H }, MARK, expected, params, g)).toEqual(params)
    // Near its anchor, the box's nearest cell is its gravity.
    expect(nearestGravity({ width: W, height: H }, MARK, expected)).toBe(g)
  })

  it('a box dragged into another cell re-anchors there and lands exactly where it was dropped', () => {
    const frame = { width: W, height: H }
    const previous = { g: 'se' as Gravity, x: 10, y: 10, voffset: 0 }
    for (const at of [{ left: 5, top: 6 }, { left: 130, top: 100 }, { left: 250, top: 20 }, { left: 12, top: 110 }, { left: 130, top: 200 }]) {
      const next = placementFor(frame, MARK, at, previous)
      expect(watermarkPosition(frame, MARK, next), `${JSON.stringify(at)} → ${JSON.stringify(next)}`).toEqual(at)
    }
    expect(placementFor(frame, MARK, { left: 5, top: 6 }, previous).g).toBe('nw')
    expect(placementFor(frame, MARK, { left: 130, top: 100 }, previous)).toEqual({ g: 'center', x: 10, y: 10, voffset: 5 })
    // The middle column is centred by OSS (north/south/center ignore x): a drop there snaps to the centre line.
    expect(watermarkPosition(frame, MARK, placementFor(frame, MARK, { left: 140, top: 200 }, previous))).toEqual({ left: 130, top: 200 })
  })

  it('offsets stay in OSS ranges: past the anchored edge the box stops at it', () => {
    const frame = { width: W, height: H }
    const previous = { g: 'se' as Gravity, x: 10, y: 10, voffset: 0 }
    expect(placementFor(frame, MARK, { left: W - 20, top: H - 5 }, previous, 'se')).toEqual({ g: 'se', x: 0, y: 0, voffset: 0 })
    expect(placementFor(frame, MARK, { left: -15, top: 100 }, previous, 'west')).toMatchObject({ g: 'west', x: 0 })
    expect(placementFor({ width: 400, height: 5000 }, MARK, { left: 0, top: 0 }, previous, 'west').voffset).toBe(1000)
  })

  it('a later resize moves the reported box; placed stays in the watermark step\u2019s pixels', async () => {
    const main = await png(W, H, { r: 255, g: 255, b: 255 })
    const result = await processToImage(main, `image/watermark,${MARK_PARAM},g_nw,x_20,y_40/resize,w_150`, { objects })
    expect(result.marks).toEqual([{ step: 0, x: 10, y: 20, width: 20, height: 15, placed: { frameWidth: W, frameHeight: H, left: 20, top: 40, ...MARK }, turned: false }])
    expect(await redBox(result.data)).toMatchObject({ left: 10, top: 20 })
  })

  it('a tiled watermark reports no box (there is no single mark to drag)', async () => {
    const main = await png(W, H, { r: 255, g: 255, b: 255 })
    const result = await processToImage(main, `image/watermark,${MARK_PARAM},fill_1`, { objects })
    expect(result.marks).toBeUndefined()
  })

  it('proxy renders: marks come back in full-resolution pixels, at the original chain\u2019s step', () => {
    const parsed = parseProcess('image/crop,w_4000,h_3000/watermark,text_QUJD,g_se,x_40,y_40')
    const steps: readonly Step[] = parsed.kind === 'image' ? parsed.steps : []
    const plan = proxySteps(steps, { full: { width: 4000, height: 3000, orientation: undefined, format: 'jpg', pages: 1 }, proxy: { width: 1000, height: 750 } }, { proxySide: 1024 })!
    // A crop of the whole frame does nothing: dropped from the proxy chain.
    expect(plan.steps.map((s) => s.action)).toEqual(['watermark'])
    const marks = fullResolutionMarks([{ step: 0, x: 890, y: 690, width: 100, height: 50, placed: { frameWidth: 1000, frameHeight: 750, left: 890, top: 690, width: 100, height: 50 }, turned: false }], plan, { width: 1000, height: 750 })
    expect(marks).toEqual([{ step: 1, x: 3560, y: 2760, width: 400, height: 200, placed: { frameWidth: 4000, frameHeight: 3000, left: 3560, top: 2760, width: 400, height: 200 }, turned: false }])
  })
})
