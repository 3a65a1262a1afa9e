import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeBmp } from '../../../../src-main/engine/codecs/bmp'
import { cornerRadius } from '../../../../src-main/engine/ops/rounded-corners'
import { type Decoded, expectRejected, expectSameAsStepwise, processToImage, runDecoded, segmentsOf } from '../../../support/engine'
import { coordAt, coordPng, DEMO_RGB, demoJpeg, pixel, threeFrameGif } from '../../../support/images'
import { expectSimilar } from '../../../support/phash'

/**
 * Alpha of a rounded rectangle of radius r: opaque within r − 1 of the rectangle inset by r,
 * transparent beyond r + 1 (1 px of anti-aliasing either way).
 */
function expectRoundedAlpha(image: Decoded, r: number): void {
  expect(image.channels).toBe(4)
  const { width: W, height: H } = image
  const wrong: string[] = []
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const px = x + 0.5
      const py = y + 0.5
      const cx = px < r ? r : px > W - r ? W - r : px
      const cy = py < r ? r : py > H - r ? H - r : py
      // Distance from the nearest point of the inner rectangle inset by r (0 inside it).
      const d = Math.hypot(px - cx, py - cy)
      const expected = d <= r - 1 ? 255 : d >= r + 1 ? 0 : undefined
      if (expected === undefined) continue
      const alpha = image.data[(y * W + x) * 4 + 3]!
      if (alpha !== expected) wrong.push(`(${x}, ${y}): alpha ${alpha}, expected ${expected}`)
    }
  }
  expect(wrong.slice(0, 5)).toEqual([])
}

// ---- geometry -----------------------------------------------------------------------------

describe('cornerRadius', () => {
  it('keeps r up to half the shorter side and caps it there (§3.5)', () => {
    expect(cornerRadius({ width: 400, height: 267 }, { r: 30 })).toBe(30)
    expect(cornerRadius({ width: 400, height: 267 }, { r: 133 })).toBe(133)
    expect(cornerRadius({ width: 400, height: 267 }, { r: 134 })).toBe(133.5)
    expect(cornerRadius({ width: 400, height: 267 }, { r: 4096 })).toBe(133.5)
    expect(cornerRadius({ width: 100, height: 300 }, { r: 4096 })).toBe(50)
  })
})

// ---- through processImage -----------------------------------------------------------------

describe('rounded-corners', () => {
  it('keeps the size and the pixels, and clears the corners (PNG)', async () => {
    const out = await runDecoded(await coordPng(400, 267), 'image/rounded-corners,r_30')
    expect(out.result.format).toBe('png')
    expect([out.width, out.height]).toEqual([400, 267])
    for (const [x, y] of [[0, 0], [399, 0], [0, 266], [399, 266], [5, 5], [394, 261]] as const) expect(pixel(out, x, y)[3]).toBe(0)
    for (const [x, y] of [[200, 133], [200, 0], [0, 133], [399, 133], [200, 266], [30, 0], [0, 30], [12, 12]] as const) {
      expect(pixel(out, x, y)[3]).toBe(255)
      expect(coordAt(out, x, y)).toEqual([x, y])
    }
    expectRoundedAlpha(out, 30)
  })

  it('shows the corners white in JPG output', async () => {
    const out = await runDecoded(await demoJpeg(), 'image/rounded-corners,r_40')
    expect(out.result.format).toBe('jpg')
    expect(out.result.contentType).toBe('image/jpeg')
    expect([out.width, out.height, out.channels]).toEqual([400, 267, 3])
    for (const [x, y] of [[0, 0], [399, 0], [0, 266], [399, 266], [3, 3]] as const) {
      for (const v of pixel(out, x, y)) expect(v).toBeGreaterThanOrEqual(248)
    }
    for (const [x, y] of [[200, 133], [200, 2], [2, 133]] as const) {
      pixel(out, x, y).forEach((v, c) => expect(Math.abs(v - DEMO_RGB[c]!)).toBeLessThanOrEqual(6))
    }
    // Looks like the same rounded rectangle drawn directly on white.
    const reference = await sharp({ create: { width: 400, height: 267, channels: 3, background: '#ffffff' } })
      .composite([
        {
          input: Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="267"><rect width="400" height="267" rx="40" ry="40" fill="#5c783b"/></svg>`
          )
        }
      ])
      .png()
      .toBuffer()
    await expectSimilar(out.result.data, reference, 2)
  })

  it('caps the radius at half the shorter side', async () => {
    const out = await runDecoded(await coordPng(400, 267), 'image/rounded-corners,r_4096')
    expect([out.width, out.height]).toEqual([400, 267])
    expect(pixel(out, 0, 50)[3]).toBe(0)
    expect(pixel(out, 0, 133)[3]).toBeGreaterThan(200)
    expect(pixel(out, 200, 0)[3]).toBe(255)
    expectRoundedAlpha(out, 133.5)
    const square = await runDecoded(await coordPng(101, 101), 'image/rounded-corners,r_4096')
    expectRoundedAlpha(square, 50.5)
  })

  it('keeps the outside transparent in WebP and BMP output and on sources with alpha', async () => {
    const webp = await runDecoded(await demoJpeg(), 'image/rounded-corners,r_40/format,webp')
    expect([webp.result.format, webp.channels]).toEqual(['webp', 4])
    expect(pixel(webp, 0, 0)[3]).toBe(0)
    expect(pixel(webp, 200, 133)[3]).toBe(255)
    const bmpResult = await processToImage(await demoJpeg(), 'image/rounded-corners,r_40/format,bmp')
    const bmp = decodeBmp(bmpResult.data)
    expect([bmpResult.format, bmp.width, bmp.height, bmp.channels]).toEqual(['bmp', 400, 267, 4])
    expect(bmp.data[3]).toBe(0)
    expect(bmp.data[(133 * 400 + 200) * 4 + 3]).toBe(255)
    const rgba = await sharp({ create: { width: 100, height: 80, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toBuffer()
    const out = await runDecoded(rgba, 'image/rounded-corners,r_20')
    expect([out.width, out.height]).toEqual([100, 80])
    expect(pixel(out, 0, 0)[3]).toBe(0)
    expect(Math.abs(pixel(out, 50, 40)[3]! - 128)).toBeLessThanOrEqual(1)
  })

  it('applies to the first frame of an animated GIF and makes it static (decision for "not applicable to GIF")', async () => {
    const w = 60
    const gif = await threeFrameGif()
    const result = await processToImage(gif, 'image/rounded-corners,r_10')
    const meta = await sharp(result.data).metadata()
    expect([result.format, meta.width, meta.height, meta.pages ?? 1]).toEqual(['gif', 60, 40, 1])
    const { data: px } = await sharp(result.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    expect(px[3]).toBe(0)
    const centre = (20 * w + 30) * 4
    // First frame: red 0.
    expect([px[centre + 3], px[centre]! < 30]).toEqual([255, true])
  })

  const invalid: [string, string, string][] = [
    ['image/rounded-corners,r_abc', 'InvalidArgument', '"abc"'],
    ['image/rounded-corners,r_5000', 'InvalidArgument', '"5000"'],
    ['image/rounded-corners,r_0', 'InvalidArgument', '"0"'],
    ['image/rounded-corners,r_-1', 'InvalidArgument', '"-1"'],
    ['image/rounded-corners', 'MissingArgument', 'none']
  ]

  it.each(invalid)('%s → 400 %s 0040-00000237', async (process, code, received) => {
    await expectRejected(await demoJpeg(), process, code, '0040-00000237', 'for r ', received)
  })
})

// ---- chains and planning ------------------------------------------------------------------

describe('rounded-corners in chains', () => {
  const source = coordPng(400, 267)

  it('resize then rounded-corners: one segment', async () => {
    expect(segmentsOf('image/resize,w_200/rounded-corners,r_20')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/resize,w_200/rounded-corners,r_20', 1)
    expect([out.width, out.height]).toEqual([200, 134])
    expectRoundedAlpha(out, 20)
  })

  it('crop, resize, crop then rounded-corners share a segment', async () => {
    const process = 'image/crop,w_300,h_200,g_center/resize,w_150/crop,w_100,h_100,g_center/rounded-corners,r_50'
    expect(segmentsOf(process)).toEqual([[0, 1, 2, 3]])
    const out = await expectSameAsStepwise(await source, process, 1)
    expect([out.width, out.height]).toEqual([100, 100])
    expectRoundedAlpha(out, 50)
  })

  it('ops after rounded-corners run on its result', async () => {
    expect(segmentsOf('image/rounded-corners,r_20/resize,w_100')).toEqual([[0], [1]])
    const out = await expectSameAsStepwise(await source, 'image/rounded-corners,r_20/resize,w_100', 0)
    expect([out.width, out.height]).toEqual([100, 67])
    // The resampling kernel reaches a little opaque area into the corner pixel.
    expect(pixel(out, 0, 0)[3]).toBeLessThanOrEqual(8)
    expect(pixel(out, 50, 33)[3]).toBe(255)

    const cropped = await expectSameAsStepwise(await source, 'image/rounded-corners,r_60/crop,w_100,h_100,g_se', 0)
    expect(pixel(cropped, 99, 99)[3]).toBe(0)
    expect(pixel(cropped, 0, 0)[3]).toBe(255)
  })

  it('after bright/contrast (sharp runs linear after composite) rounded-corners starts a new segment', async () => {
    expect(segmentsOf('image/bright,50/rounded-corners,r_20')).toEqual([[0], [1]])
    expect(segmentsOf('image/resize,w_300/contrast,-50/rounded-corners,r_20')).toEqual([[0, 1], [2]])
    await expectSameAsStepwise(await source, 'image/bright,50/rounded-corners,r_20', 0)
    await expectSameAsStepwise(await source, 'image/resize,w_300/contrast,-50/rounded-corners,r_20', 0)
  })

  it('blur and rotate share its segment', async () => {
    expect(segmentsOf('image/blur,r_3,s_2/rounded-corners,r_20')).toEqual([[0, 1]])
    expect(segmentsOf('image/rotate,90/rounded-corners,r_30')).toEqual([[0, 1]])
    await expectSameAsStepwise(await source, 'image/blur,r_3,s_2/rounded-corners,r_20', 1)
    const rotated = await expectSameAsStepwise(await source, 'image/rotate,90/rounded-corners,r_30', 0)
    expect([rotated.width, rotated.height]).toEqual([267, 400])
    expectRoundedAlpha(rotated, 30)
  })

  it('circle then rounded-corners: two composites, two segments', async () => {
    expect(segmentsOf('image/circle,r_50/rounded-corners,r_10')).toEqual([[0], [1]])
    const out = await expectSameAsStepwise(await source, 'image/circle,r_50/rounded-corners,r_10', 0)
    expect([out.width, out.height]).toEqual([101, 101])
    expect(pixel(out, 50, 50)[3]).toBe(255)
  })
})
