import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeBmp } from '../../../../src-main/engine/codecs/bmp'
import { planChain, processImage } from '../../../../src-main/engine/executor'
import { cornerRadius } from '../../../../src-main/engine/ops/rounded-corners'
import type { ImageResult } from '../../../../src-main/engine/types'
import { ImgError } from '../../../../src-shared/img/errors'
import { parseProcess } from '../../../../src-shared/img/process'
import { expectSimilar } from '../../../support/phash'

// ---- fixtures (same helpers as crop.test.ts) ----------------------------------------------

/** PNG whose pixel (x, y) names its own position: R = x mod 256, G = y mod 256, B = 16·⌊x/256⌋ + ⌊y/256⌋. */
async function coordPng(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3
      data[o] = x & 255
      data[o + 1] = y & 255
      data[o + 2] = ((x >> 8) << 4) | (y >> 8)
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
}

const DEMO_RGB = [0x5c, 0x78, 0x3b] as const
const demoJpeg = (width = 400, height = 267) =>
  sharp({ create: { width, height, channels: 3, background: { r: DEMO_RGB[0], g: DEMO_RGB[1], b: DEMO_RGB[2] } } }).jpeg({ quality: 95 }).toBuffer()

interface Decoded {
  readonly result: ImageResult
  readonly data: Buffer
  readonly width: number
  readonly height: number
  readonly channels: number
}

/** Runs the public API and decodes the output; the reported size must be the real one. */
async function run(bytes: Buffer, process: string): Promise<Decoded> {
  const result = await processImage(bytes, process)
  if (result.kind !== 'image') throw new Error(`expected an image for ${process}`)
  const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true })
  expect([info.width, info.height]).toEqual([result.width, result.height])
  return { result, data, width: info.width, height: info.height, channels: info.channels }
}

function pixel(image: Decoded, x: number, y: number): number[] {
  const o = (y * image.width + x) * image.channels
  return [...image.data.subarray(o, o + image.channels)]
}

/** The source position a coordPng pixel came from. */
function coordAt(image: Decoded, x: number, y: number): [number, number] {
  const [r, g, b] = pixel(image, x, y) as [number, number, number]
  return [((b >> 4) << 8) | r, ((b & 15) << 8) | g]
}

async function failure(bytes: Buffer, process: string): Promise<ImgError> {
  const error = await processImage(bytes, process).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ImgError)
  return error as ImgError
}

/** The chain run op by op through lossless PNG files: what OSS's strict left-to-right order gives. */
async function expectSameAsStepwise(bytes: Buffer, process: string, tolerance: number): Promise<Decoded> {
  const chained = await run(bytes, `${process}/format,png`)
  let current = bytes
  for (const op of process.slice('image/'.length).split('/')) current = (await run(current, `image/${op}/format,png`)).result.data
  const reference = await run(current, 'image/format,png')
  expect([chained.width, chained.height, chained.channels]).toEqual([reference.width, reference.height, reference.channels])
  let worst = 0
  for (let i = 0; i < chained.data.length; i++) worst = Math.max(worst, Math.abs(chained.data[i]! - reference.data[i]!))
  expect(worst).toBeLessThanOrEqual(tolerance)
  return chained
}

const segmentsOf = (process: string) => {
  const parsed = parseProcess(process)
  if (parsed.kind !== 'image') throw new Error('expected an image chain')
  return planChain(parsed.steps).segments.map((s) => s.steps)
}

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
    const out = await run(await coordPng(400, 267), 'image/rounded-corners,r_30')
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
    const out = await run(await demoJpeg(), 'image/rounded-corners,r_40')
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
    const out = await run(await coordPng(400, 267), 'image/rounded-corners,r_4096')
    expect([out.width, out.height]).toEqual([400, 267])
    expect(pixel(out, 0, 50)[3]).toBe(0)
    expect(pixel(out, 0, 133)[3]).toBeGreaterThan(200)
    expect(pixel(out, 200, 0)[3]).toBe(255)
    expectRoundedAlpha(out, 133.5)
    const square = await run(await coordPng(101, 101), 'image/rounded-corners,r_4096')
    expectRoundedAlpha(square, 50.5)
  })

  it('keeps the outside transparent in WebP and BMP output and on sources with alpha', async () => {
    const webp = await run(await demoJpeg(), 'image/rounded-corners,r_40/format,webp')
    expect([webp.result.format, webp.channels]).toEqual(['webp', 4])
    expect(pixel(webp, 0, 0)[3]).toBe(0)
    expect(pixel(webp, 200, 133)[3]).toBe(255)
    const bmpResult = await processImage(await demoJpeg(), 'image/rounded-corners,r_40/format,bmp')
    if (bmpResult.kind !== 'image') throw new Error('expected an image')
    const bmp = decodeBmp(bmpResult.data)
    expect([bmpResult.format, bmp.width, bmp.height, bmp.channels]).toEqual(['bmp', 400, 267, 4])
    expect(bmp.data[3]).toBe(0)
    expect(bmp.data[(133 * 400 + 200) * 4 + 3]).toBe(255)
    const rgba = await sharp({ create: { width: 100, height: 80, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toBuffer()
    const out = await run(rgba, 'image/rounded-corners,r_20')
    expect([out.width, out.height]).toEqual([100, 80])
    expect(pixel(out, 0, 0)[3]).toBe(0)
    expect(Math.abs(pixel(out, 50, 40)[3]! - 128)).toBeLessThanOrEqual(1)
  })

  it('applies to the first frame of an animated GIF and makes it static (decision for "not applicable to GIF")', async () => {
    const w = 60
    const h = 40
    const frames = 3
    const data = Buffer.alloc(w * h * frames * 3)
    for (let i = 0; i < w * h * frames; i++) data.set([Math.floor(i / (w * h)) * 100, 50, 200], i * 3)
    const gif = await sharp(data, { raw: { width: w, height: h * frames, channels: 3, pageHeight: h } }).gif({ loop: 0 }).toBuffer()
    const result = await processImage(gif, 'image/rounded-corners,r_10')
    if (result.kind !== 'image') throw new Error('expected an image')
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

  it.each(invalid)('%s → 400 %s 0040-00000233', async (process, code, received) => {
    const error = await failure(await demoJpeg(), process)
    expect(error.status).toBe(400)
    expect(error.code).toBe(code)
    expect(error.ec).toBe('0040-00000233')
    expect(error.message).toContain('for r ')
    expect(error.message).toContain(received)
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
