import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeBmp } from '../../../../src-main/engine/codecs/bmp'
import { circleGeometry } from '../../../../src-main/engine/ops/circle'
import { cornerOverlays } from '../../../../src-main/engine/ops/rounded-corners'
import { type Decoded, expectRejected, expectSameAsStepwise, processToImage, runDecoded, segmentsOf } from '../../../support/engine'
import { coordAt, coordPng, DEMO_RGB, demoJpeg, pixel, threeFrameGif } from '../../../support/images'
import { meanColour } from '../../../support/phash'
import { loadConformanceExamples } from '../../../support/conformance'

/** Opaque well inside the inscribed circle, transparent well outside it (1 px of anti-aliasing either way). */
function expectCircleAlpha(image: Decoded): void {
  expect(image.channels).toBe(4)
  const radius = image.width / 2
  let checked = 0
  const wrong: string[] = []
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const d = Math.hypot(x + 0.5 - radius, y + 0.5 - radius)
      const expected = d <= radius - 1 ? 255 : d >= radius + 1 ? 0 : undefined
      if (expected === undefined) continue
      checked++
      const alpha = image.data[(y * image.width + x) * 4 + 3]!
      if (alpha !== expected) wrong.push(`(${x}, ${y}): alpha ${alpha}, expected ${expected}`)
    }
  }
  expect(wrong.slice(0, 5)).toEqual([])
  expect(checked).toBeGreaterThan(image.width * image.height * 0.9)
}

// ---- geometry and sharp's order ---------------------------------------------------------------

describe('circleGeometry', () => {
  it('gives a centred square of side min(2r + 1, shorter side) (Project decision §3.3)', () => {
    const demo = { width: 400, height: 267 }
    expect(circleGeometry(demo, { r: 100 })).toEqual({ left: 99, top: 33, width: 201, height: 201 })
    expect(circleGeometry(demo, { r: 200 })).toEqual({ left: 66, top: 0, width: 267, height: 267 })
    expect(circleGeometry(demo, { r: 133 })).toEqual({ left: 66, top: 0, width: 267, height: 267 })
    expect(circleGeometry(demo, { r: 4096 })).toEqual({ left: 66, top: 0, width: 267, height: 267 })
    expect(circleGeometry(demo, { r: 1 })).toEqual({ left: 198, top: 132, width: 3, height: 3 })
    // Even shorter side: the documented cap (200 − 1)/2 = 99.5 → 2r + 1 = 200.
    expect(circleGeometry({ width: 200, height: 300 }, { r: 150 })).toEqual({ left: 0, top: 50, width: 200, height: 200 })
  })
})

describe('sharp behaviour the circle op relies on', () => {
  const region = { left: 99, top: 33, width: 201, height: 201 }
  const mask = cornerOverlays(201, 201, 100.5)

  it('extracts before compositing, whatever the call order', async () => {
    const source = await demoJpeg()
    for (const pipeline of [
      sharp(source).extract(region).composite(mask),
      sharp(source).composite(mask).extract(region)
    ]) {
      const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
      expect([info.width, info.height, info.channels]).toEqual([201, 201, 4])
      expect(data[3]).toBe(0)
      expect(data[(100 * 201 + 100) * 4 + 3]).toBe(255)
    }
  })

  it('flattens before compositing, so the op materializes its mask before the JPG encoder flattens', async () => {
    const { data } = await sharp(await demoJpeg())
      .extract(region)
      .composite(mask)
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true })
    // Still transparent: flatten ran first. (If sharp ever changes this, clearCorners' materialize can go.)
    expect(data[3]).toBe(0)
  })
})

// ---- through processImage -----------------------------------------------------------------

describe('circle', () => {
  it('cuts the 201×201 square around the image centre and clears outside the circle (PNG)', async () => {
    const out = await runDecoded(await coordPng(400, 267), 'image/circle,r_100')
    expect(out.result.format).toBe('png')
    expect([out.width, out.height]).toEqual([201, 201])
    expect(coordAt(out, 100, 100)).toEqual([199, 133])
    expect(coordAt(out, 100, 0)).toEqual([199, 33])
    expect(coordAt(out, 0, 100)).toEqual([99, 133])
    expect(pixel(out, 100, 100)[3]).toBe(255)
    for (const [x, y] of [[0, 0], [200, 0], [0, 200], [200, 200]] as const) expect(pixel(out, x, y)[3]).toBe(0)
    // The circle touches the middle of each side.
    for (const [x, y] of [[100, 0], [0, 100], [200, 100], [100, 200]] as const) expect(pixel(out, x, y)[3]).toBeGreaterThan(200)
    expectCircleAlpha(out)
  })

  it('caps the side at the shorter side', async () => {
    for (const r of [133, 200, 4096]) {
      const out = await runDecoded(await coordPng(400, 267), `image/circle,r_${r}`)
      expect([out.width, out.height]).toEqual([267, 267])
      expect(coordAt(out, 133, 133)).toEqual([199, 133])
      expectCircleAlpha(out)
    }
    const portrait = await runDecoded(await coordPng(120, 300), 'image/circle,r_100')
    expect([portrait.width, portrait.height]).toEqual([120, 120])
    expect(coordAt(portrait, 0, 60)).toEqual([0, 150])
  })

  it('shows the outside white in JPG output', async () => {
    const out = await runDecoded(await demoJpeg(), 'image/circle,r_100')
    expect(out.result.format).toBe('jpg')
    expect(out.result.contentType).toBe('image/jpeg')
    expect([out.width, out.height, out.channels]).toEqual([201, 201, 3])
    for (const [x, y] of [[0, 0], [200, 0], [0, 200], [200, 200], [15, 15]] as const) {
      for (const v of pixel(out, x, y)) expect(v).toBeGreaterThanOrEqual(248)
    }
    pixel(out, 100, 100).forEach((v, c) => expect(Math.abs(v - DEMO_RGB[c]!)).toBeLessThanOrEqual(6))
    // π/4 of the square keeps the colour, the rest is white.
    const white = 255 * (1 - Math.PI / 4)
    const mean = await meanColour(out.result.data)
    mean.forEach((v, c) => expect(Math.abs(v - (DEMO_RGB[c]! * (Math.PI / 4) + white))).toBeLessThan(3))
  })

  it('keeps the outside transparent in WebP output', async () => {
    const out = await runDecoded(await demoJpeg(), 'image/circle,r_100/format,webp')
    expect(out.result.format).toBe('webp')
    expect(out.channels).toBe(4)
    expect(pixel(out, 0, 0)[3]).toBe(0)
    expect(pixel(out, 100, 100)[3]).toBe(255)
  })

  it('keeps the outside transparent in BMP output (spec §2)', async () => {
    const result = await processToImage(await demoJpeg(), 'image/circle,r_100/format,bmp')
    const bmp = decodeBmp(result.data)
    expect([result.format, bmp.width, bmp.height, bmp.channels]).toEqual(['bmp', 201, 201, 4])
    expect(bmp.data[3]).toBe(0)
    expect(bmp.data[(100 * 201 + 100) * 4 + 3]).toBe(255)
  })

  it('works on a source that already has alpha, and on greyscale', async () => {
    const rgba = await sharp({ create: { width: 100, height: 80, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toBuffer()
    const out = await runDecoded(rgba, 'image/circle,r_30')
    expect([out.width, out.height]).toEqual([61, 61])
    expect(pixel(out, 0, 0)[3]).toBe(0)
    expect(Math.abs(pixel(out, 30, 30)[3]! - 128)).toBeLessThanOrEqual(1)
    const grey = await sharp({ create: { width: 100, height: 80, channels: 3, background: '#808080' } }).greyscale().png().toBuffer()
    const greyOut = await runDecoded(grey, 'image/circle,r_30')
    expect([greyOut.width, greyOut.height]).toEqual([61, 61])
    expect(pixel(greyOut, 0, 0).at(-1)).toBe(0)
  })

  it('makes an animated GIF static', async () => {
    const gif = await threeFrameGif()
    const result = await processToImage(gif, 'image/circle,r_15')
    const meta = await sharp(result.data).metadata()
    expect([result.format, meta.width, meta.height, meta.pages ?? 1]).toEqual(['gif', 31, 31, 1])
    const { data: px } = await sharp(result.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    expect(px[3]).toBe(0)
  })

  const invalid: [string, string, string][] = [
    ['image/circle,r_abc', 'InvalidArgument', '"abc"'],
    ['image/circle,r_5000', 'InvalidArgument', '"5000"'],
    ['image/circle,r_0', 'InvalidArgument', '"0"'],
    ['image/circle,r_-2', 'InvalidArgument', '"-2"'],
    ['image/circle,r_1.5', 'InvalidArgument', '"1.5"'],
    ['image/circle', 'MissingArgument', 'none']
  ]

  it.each(invalid)('%s → 400 %s 0040-00000233', async (process, code, received) => {
    await expectRejected(await demoJpeg(), process, code, '0040-00000233', 'for r ', received)
  })
})

// ---- chains and planning ------------------------------------------------------------------

describe('circle in chains', () => {
  const source = coordPng(400, 267)

  it('resize then circle: one segment (post-resize extract + composite)', async () => {
    expect(segmentsOf('image/resize,w_200/circle,r_50')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/resize,w_200/circle,r_50', 1)
    expect([out.width, out.height]).toEqual([101, 101])
    expectCircleAlpha(out)
  })

  it('crop then circle: one segment (pre extract, post extract + composite)', async () => {
    expect(segmentsOf('image/crop,w_300,h_200/circle,r_50')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/crop,w_300,h_200/circle,r_50', 0)
    expect([out.width, out.height]).toEqual([101, 101])
    // crop keeps (0, 0)–(299, 199); the square starts at (floor(199/2), floor(99/2)) = (99, 49).
    expect(coordAt(out, 50, 50)).toEqual([149, 99])
  })

  it('after a post-resize crop, circle starts a new segment instead of overwriting that extract', async () => {
    const process = 'image/resize,w_300/crop,w_200,h_150,g_center/circle,r_40'
    expect(segmentsOf(process)).toEqual([[0, 1], [2]])
    const out = await expectSameAsStepwise(await source, process, 0)
    expect([out.width, out.height]).toEqual([81, 81])
  })

  it('shares a segment with a right-angle rotate (rotation first), not with blur/sharpen/bright (sharp runs its extract before them)', async () => {
    expect(segmentsOf('image/rotate,90/circle,r_50')).toEqual([[0, 1]])
    // Other angles run alone (planner table).
    expect(segmentsOf('image/resize,w_200/rotate,30/circle,r_50')).toEqual([[0], [1], [2]])
    expect(segmentsOf('image/sharpen,100/circle,r_50')).toEqual([[0], [1]])
    expect(segmentsOf('image/bright,50/circle,r_50')).toEqual([[0], [1]])
    const rotated = await expectSameAsStepwise(await source, 'image/rotate,90/circle,r_50', 0)
    expect([rotated.width, rotated.height]).toEqual([101, 101])
    // 400×267 turned clockwise is 267×400; the square starts at (83, 149), so its (50, 50) is the turned
    // image's (133, 199), which is the source's (199, 266 − 133).
    expect(coordAt(rotated, 50, 50)).toEqual([199, 133])
    await expectSameAsStepwise(await source, 'image/resize,w_200/rotate,30/circle,r_50', 1)
    await expectSameAsStepwise(await source, 'image/sharpen,100/circle,r_50', 0)
    await expectSameAsStepwise(await source, 'image/bright,50/circle,r_50', 0)
  })

  it('ops after circle run on its result', async () => {
    expect(segmentsOf('image/circle,r_100/resize,w_100')).toEqual([[0], [1]])
    const resized = await expectSameAsStepwise(await source, 'image/circle,r_100/resize,w_100', 0)
    expect([resized.width, resized.height]).toEqual([100, 100])
    expect(pixel(resized, 0, 0)[3]).toBe(0)

    const twice = await expectSameAsStepwise(await source, 'image/circle,r_100/circle,r_50', 0)
    expect([twice.width, twice.height]).toEqual([101, 101])
    expectCircleAlpha(twice)

    const cropped = await expectSameAsStepwise(await source, 'image/circle,r_80/crop,w_100,h_100,g_se', 0)
    expect([cropped.width, cropped.height]).toEqual([100, 100])
    expect(pixel(cropped, 99, 99)[3]).toBe(0)
  })

  it('resize, circle, resize with a JPG source and output', async () => {
    const out = await runDecoded(await demoJpeg(), 'image/resize,w_200/circle,r_60/resize,w_60')
    expect([out.result.format, out.width, out.height]).toEqual(['jpg', 60, 60])
    // Small JPEG: allow for block ringing next to the circle.
    for (const v of pixel(out, 0, 0)) expect(v).toBeGreaterThanOrEqual(238)
  })
})

// ---- documented examples ------------------------------------------------------------------

describe('circle conformance examples', () => {
  const examples = (
    loadConformanceExamples<unknown>() as {
      source: { w: number; h: number; format: string }
      process: string
      expected: { w: number | null; h: number | null; format?: string }
    }[]
  ).filter((e) => e.process.startsWith('image/circle'))

  it('covers the documented circle examples', () => {
    expect(examples.map((e) => e.process)).toEqual(expect.arrayContaining(['image/circle,r_100', 'image/circle,r_100/format,png']))
  })

  it.each(examples.map((e) => [e.process, e] as const))('%s → 201×201 (Project decision §3.3)', async (process, example) => {
    const out = await runDecoded(await demoJpeg(example.source.w, example.source.h), process)
    // The doc leaves 200 or 201 open; the project decision is 2r + 1.
    expect([out.width, out.height]).toEqual([example.expected.w ?? 201, example.expected.h ?? 201])
    expect(out.result.format).toBe(example.expected.format)
    const corner = pixel(out, 0, 0)
    if (out.result.format === 'png') expect(corner[3]).toBe(0)
    else for (const v of corner) expect(v).toBeGreaterThanOrEqual(248)
  })
})
