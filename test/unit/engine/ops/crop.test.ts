import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { cropGeometry } from '../../../../src-main/engine/ops/crop'
import type { Gravity } from '../../../../src-shared/img/actions/gravity'
import { ImgError } from '../../../../src-shared/img/errors'
import { expectRejected, expectSameAsStepwise, failure, processToImage, runDecoded, segmentsOf } from '../../../support/engine'
import { coordAt, coordPng, pixel, threeFrameGif } from '../../../support/images'
import { expectSimilar } from '../../../support/phash'
import { loadConformanceExamples } from '../../../support/conformance'

// ---- fixtures (generated, lossless where positions are checked) ------------------------------

const QUADRANTS = { nw: [255, 0, 0], ne: [0, 255, 0], sw: [0, 0, 255], se: [255, 255, 0] } as const

/** A JPEG with one flat colour per quadrant (red, green / blue, yellow). */
async function quadrantJpeg(width: number, height: number): Promise<Buffer> {
  const hw = Math.floor(width / 2)
  const hh = Math.floor(height / 2)
  const tile = (w: number, h: number, [r, g, b]: readonly number[]) =>
    sharp({ create: { width: w, height: h, channels: 3, background: { r: r!, g: g!, b: b! } } }).png().toBuffer()
  const base = sharp({ create: { width, height, channels: 3, background: '#000' } })
  return base
    .composite([
      { input: await tile(hw, hh, QUADRANTS.nw), left: 0, top: 0 },
      { input: await tile(width - hw, hh, QUADRANTS.ne), left: hw, top: 0 },
      { input: await tile(hw, height - hh, QUADRANTS.sw), left: 0, top: hh },
      { input: await tile(width - hw, height - hh, QUADRANTS.se), left: hw, top: hh }
    ])
    .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
    .toBuffer()
}

// ---- geometry -----------------------------------------------------------------------------

describe('cropGeometry', () => {
  // 400×267, w 100, h 50: centre origin = (floor(400/2) − 50, floor(267/2) − 25) = (150, 108).
  const origins: [Gravity | undefined, number, number][] = [
    [undefined, 0, 0],
    ['nw', 0, 0],
    ['north', 150, 0],
    ['ne', 300, 0],
    ['west', 0, 108],
    ['center', 150, 108],
    ['east', 300, 108],
    ['sw', 0, 217],
    ['south', 150, 217],
    ['se', 300, 217]
  ]

  it.each(origins)('places g=%s at the documented origin', (g, left, top) => {
    expect(cropGeometry({ width: 400, height: 267 }, { w: 100, h: 50, ...(g ? { g } : {}) })).toEqual({ left, top, width: 100, height: 50 })
  })

  it.each(origins)('adds x/y to the g=%s origin and clamps at the edge', (g, left, top) => {
    const region = cropGeometry({ width: 400, height: 267 }, { w: 100, h: 50, x: 10, y: 5, ...(g ? { g } : {}) })
    expect(region).toEqual({ left: left + 10, top: top + 5, width: Math.min(100, 400 - left - 10), height: Math.min(50, 267 - top - 5) })
  })

  it('floors each half separately (Project decision §3.2)', () => {
    // floor(400/2) − floor(101/2) = 150, where floor(400/2 − 101/2) would give 149.
    expect(cropGeometry({ width: 400, height: 300 }, { w: 101, h: 51, g: 'center' })).toMatchObject({ left: 150, top: 125 })
    // floor(401/2) − floor(100/2) = 150, where rounding (401 − 100)/2 would give 151.
    expect(cropGeometry({ width: 401, height: 301 }, { w: 100, h: 50, g: 'center' })).toMatchObject({ left: 150, top: 125 })
  })

  it('reads absent or zero w/h as "to the edge"', () => {
    expect(cropGeometry({ width: 400, height: 267 }, { x: 100, y: 50 })).toEqual({ left: 100, top: 50, width: 300, height: 217 })
    expect(cropGeometry({ width: 400, height: 267 }, { w: 0, h: 0, x: 100, y: 50 })).toEqual({ left: 100, top: 50, width: 300, height: 217 })
    expect(cropGeometry({ width: 400, height: 267 }, { w: 0, h: 100, g: 'south' })).toEqual({ left: 0, top: 167, width: 400, height: 100 })
  })

  it('treats w/h beyond the image as the image size', () => {
    expect(cropGeometry({ width: 400, height: 267 }, { w: 1000, h: 1000, g: 'center' })).toEqual({ left: 0, top: 0, width: 400, height: 267 })
    expect(cropGeometry({ width: 400, height: 267 }, { w: 1000, g: 'se', x: 50 })).toEqual({ left: 50, top: 0, width: 350, height: 267 })
  })

  it('accepts the last pixel as a start point and rejects the first one outside', () => {
    expect(cropGeometry({ width: 400, height: 267 }, { x: 399, y: 266 })).toEqual({ left: 399, top: 266, width: 1, height: 1 })
    expect(() => cropGeometry({ width: 400, height: 267 }, { x: 400 })).toThrow("Advance cut's position is out of image.")
    expect(() => cropGeometry({ width: 400, height: 267 }, { y: 267 })).toThrow("Advance cut's position is out of image.")
    expect(() => cropGeometry({ width: 400, height: 267 }, { w: 100, g: 'ne', x: 100 })).toThrow(ImgError)
  })
})

// ---- through processImage -----------------------------------------------------------------

describe('crop', () => {
  const W = 600
  const H = 300
  const source = coordPng(W, H)

  // w 200, h 100: centre origin = (300 − 100, 150 − 50) = (200, 100).
  const cases: [string, number, number, number, number][] = [
    ['', 0, 0, 200, 100],
    [',g_nw', 0, 0, 200, 100],
    [',g_north', 200, 0, 200, 100],
    [',g_ne', 400, 0, 200, 100],
    [',g_west', 0, 100, 200, 100],
    [',g_center', 200, 100, 200, 100],
    [',g_east', 400, 100, 200, 100],
    [',g_sw', 0, 200, 200, 100],
    [',g_south', 200, 200, 200, 100],
    [',g_se', 400, 200, 200, 100],
    // x/y move the rectangle right/down from every origin; se/ne/east/south then clamp.
    [',g_center,x_30,y_20', 230, 120, 200, 100],
    [',g_se,x_10,y_10', 410, 210, 190, 90],
    [',g_south,x_5,y_7', 205, 207, 200, 93],
    [',g_east,x_150', 550, 100, 50, 100],
    [',x_500,y_250', 500, 250, 100, 50]
  ]

  it.each(cases)('crop,w_200,h_100%s cuts %i,%i %ix%i', async (extra, left, top, width, height) => {
    const out = await runDecoded(await source, `image/crop,w_200,h_100${extra}`)
    expect(out.result.format).toBe('png')
    expect([out.width, out.height]).toEqual([width, height])
    expect(coordAt(out, 0, 0)).toEqual([left, top])
    expect(coordAt(out, width - 1, height - 1)).toEqual([left + width - 1, top + height - 1])
  })

  it('cuts to the edge without w/h, with w_0/h_0 and with w/h larger than the image', async () => {
    const bytes = await source
    for (const process of ['image/crop,x_100,y_50', 'image/crop,w_0,h_0,x_100,y_50', 'image/crop,w_9000,h_9000,x_100,y_50']) {
      const out = await runDecoded(bytes, process)
      expect([out.width, out.height]).toEqual([500, 250])
      expect(coordAt(out, 0, 0)).toEqual([100, 50])
      expect(coordAt(out, 499, 249)).toEqual([599, 299])
    }
    const column = await runDecoded(bytes, 'image/crop,w_100')
    expect([column.width, column.height]).toEqual([100, 300])
  })

  it('returns the whole image for a crop that covers it', async () => {
    const out = await runDecoded(await source, 'image/crop,g_center')
    expect([out.width, out.height]).toEqual([W, H])
    expect(coordAt(out, 599, 299)).toEqual([599, 299])
  })

  it('keeps the JPEG format and the right quadrant', async () => {
    const jpeg = await quadrantJpeg(400, 200)
    const out = await runDecoded(jpeg, 'image/crop,w_200,h_100,g_se')
    expect(out.result.format).toBe('jpg')
    expect(out.result.contentType).toBe('image/jpeg')
    expect([out.width, out.height]).toEqual([200, 100])
    // JPEG blocks ring a few pixels around the quadrant boundaries: sample 4 px inside.
    for (const [x, y] of [[4, 4], [100, 50], [195, 95]] as const) {
      pixel(out, x, y).forEach((v, c) => expect(Math.abs(v - QUADRANTS.se[c]!)).toBeLessThanOrEqual(12))
    }
    const west = await runDecoded(jpeg, 'image/crop,w_100,h_100,g_west')
    // The west cell straddles the red/blue boundary at y = 100: red above, blue below.
    pixel(west, 50, 10).forEach((v, c) => expect(Math.abs(v - QUADRANTS.nw[c]!)).toBeLessThanOrEqual(12))
    pixel(west, 50, 90).forEach((v, c) => expect(Math.abs(v - QUADRANTS.sw[c]!)).toBeLessThanOrEqual(12))
    await expectSimilar(out.result.data, await sharp(jpeg).extract({ left: 200, top: 100, width: 200, height: 100 }).toBuffer(), 2)
  })

  it('rejects a start point outside the image with the documented BadRequest', async () => {
    const bytes = await source
    for (const process of ['image/crop,x_600', 'image/crop,y_300', 'image/crop,x_700,y_10', 'image/crop,w_100,g_ne,x_100', 'image/crop,h_50,g_se,y_50']) {
      const error = await failure(bytes, process)
      expect(error.status).toBe(400)
      expect(error.code).toBe('BadRequest')
      expect(error.message).toContain("Advance cut's position is out of image.")
      expect(error.message).toContain('600x300')
    }
  })

  it('crops the current size, not the source size (spec §4)', async () => {
    // After resize the image is 300×150, so x_400 is outside although the source is 600 wide.
    const error = await failure(await source, 'image/resize,w_300/crop,x_400')
    expect(error.code).toBe('BadRequest')
    expect(error.message).toContain('300x150')
  })

  const invalid: [string, string, string, string][] = [
    ['image/crop,w_abc', '0040-00000225', 'w', '"abc"'],
    ['image/crop,w_-1', '0040-00000225', 'w', '"-1"'],
    ['image/crop,w_1.5', '0040-00000225', 'w', '"1.5"'],
    ['image/crop,h_abc', '0040-00000226', 'h', '"abc"'],
    ['image/crop,h_-1', '0040-00000226', 'h', '"-1"'],
    ['image/crop,x_-5', '0040-00000225', 'x', '"-5"'],
    ['image/crop,y_abc', '0040-00000226', 'y', '"abc"'],
    ['image/crop,g_fac', '0040-00000209', 'g', '"fac"'],
    ['image/crop,w_30001', '0040-00000225', 'w', '"30001"']
  ]

  it.each(invalid)('%s → 400 InvalidArgument %s', async (process, ec, param, received) => {
    await expectRejected(await source, process, 'InvalidArgument', ec, `for ${param} `, received)
  })

  it('makes an animated GIF static (Project decision §3.2)', async () => {
    const gif = await threeFrameGif()
    expect((await sharp(gif).metadata()).pages).toBe(3)
    const result = await processToImage(gif, 'image/crop,w_30,h_20,g_center')
    const meta = await sharp(result.data).metadata()
    expect([result.format, meta.width, meta.height, meta.pages ?? 1]).toEqual(['gif', 30, 20, 1])
  })
})

// ---- chains and planning ------------------------------------------------------------------

describe('crop in chains', () => {
  const source = coordPng(600, 300)

  it('resize then crop: one segment, post-resize extract', async () => {
    expect(segmentsOf('image/resize,w_200/crop,w_100,h_100,g_center')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/resize,w_200/crop,w_100,h_100,g_center')
    // 600×300 → 200×100; centre origin (100 − 50, 50 − 50) = (50, 0).
    expect([out.width, out.height]).toEqual([100, 100])
  })

  it('crop then resize: one segment, pre-resize extract', async () => {
    expect(segmentsOf('image/crop,w_100,h_100/resize,w_50')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/crop,w_100,h_100/resize,w_50')
    expect([out.width, out.height]).toEqual([50, 50])
  })

  it('crop then crop: pre and post extract share a segment', async () => {
    expect(segmentsOf('image/crop,x_100,y_50/crop,w_100,h_60,g_se')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/crop,x_100,y_50/crop,w_100,h_60,g_se')
    expect([out.width, out.height]).toEqual([100, 60])
    expect(coordAt(out, 0, 0)).toEqual([500, 240])
  })

  it('crop after a post-resize crop starts a new segment', async () => {
    const process = 'image/resize,w_400/crop,w_300,h_150,g_center/crop,w_100,h_50,x_10,y_10'
    expect(segmentsOf(process)).toEqual([[0, 1], [2]])
    const out = await expectSameAsStepwise(await source, process)
    expect([out.width, out.height]).toEqual([100, 50])
  })

  it('crop, resize, crop, resize', async () => {
    const process = 'image/crop,w_400,h_200,g_center/resize,w_200/crop,w_150,h_80,g_se/resize,w_75'
    const out = await expectSameAsStepwise(await source, process)
    expect([out.width, out.height]).toEqual([75, 40])
  })
})

// ---- documented examples ------------------------------------------------------------------

describe('crop conformance examples', () => {
  const examples = (
    loadConformanceExamples<unknown>() as {
      source: { w: number | null; h: number | null; format: string }
      process: string
      expected: { w: number | null; h: number | null; error?: { http_status: number; ec?: string; code?: string; message?: string } }
    }[]
  ).filter((e) => e.process.startsWith('image/crop'))

  it('covers the documented crop examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3)
  })

  it.each(examples.map((e) => [e.process, e] as const))('%s', async (process, example) => {
    const w = example.source.w ?? 400
    const h = example.source.h ?? 267
    const bytes = await sharp({ create: { width: w, height: h, channels: 3, background: '#5c783b' } }).jpeg().toBuffer()
    const expected = example.expected.error!
    const error = await failure(bytes, process)
    expect(error.status).toBe(expected.http_status)
    if (expected.ec) expect(error.ec).toBe(expected.ec)
    if (expected.code) expect(error.code).toBe(expected.code)
    if (expected.message) expect(error.message).toContain(expected.message)
  })
})
