import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { brightLinear } from '../../../../src-main/engine/ops/bright'
import { contrastLinear } from '../../../../src-main/engine/ops/contrast'
import { sharpenSigma } from '../../../../src-main/engine/ops/sharpen'
import { expectRejected, processToImage } from '../../../support/engine'
import { animatedGif, decodeRaw, pixel, steepestRise } from '../../../support/images'
import { expectSimilar } from '../../../support/phash'

/** 96×64 colour gradient, values spread over 0–255 (mean ≈ 128 per channel). */
function gradient(): Promise<Buffer> {
  const width = 96
  const height = 64
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([Math.round((x * 255) / 95), Math.round((y * 255) / 63), Math.round(((x + y) * 255) / 158)], (y * width + x) * 3)
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
}

const solid = (r: number, g: number, b: number, alpha = 1) =>
  sharp({ create: { width: 16, height: 16, channels: alpha < 1 ? 4 : 3, background: { r, g, b, alpha } } }).png().toBuffer()

async function stats(bytes: Buffer): Promise<{ mean: number; stdev: number }[]> {
  return (await sharp(bytes).stats()).channels.map(({ mean, stdev }) => ({ mean, stdev }))
}

async function firstPixel(bytes: Buffer): Promise<number[]> {
  return pixel(await decodeRaw(bytes), 0, 0)
}

/** Two 20×10 frames, red then blue. */
const redBlueGif = () => animatedGif(20, 10, [[0x80, 0x40, 0x40, 255], [0x40, 0x40, 0x80, 255]])

describe('the Project-decision formulas (spec §3.9–3.11)', () => {
  it('bright → linear(1, 2.55 v)', () => {
    expect(brightLinear(50)).toEqual({ a: 1, b: 127.5 })
    expect(brightLinear(-100)).toEqual({ a: 1, b: -255 })
    expect(brightLinear(0)).toEqual({ a: 1, b: 0 })
  })

  it('contrast → linear(a, 128(1 − a)), a = max(0, 1 + v/100)', () => {
    expect(contrastLinear(50)).toEqual({ a: 1.5, b: -64 })
    expect(contrastLinear(-50)).toEqual({ a: 0.5, b: 64 })
    expect(contrastLinear(-100)).toEqual({ a: 0, b: 128 })
    expect(contrastLinear(100)).toEqual({ a: 2, b: -128 })
  })

  it('sharpen → sigma v/100', () => {
    expect(sharpenSigma(50)).toBe(0.5)
    expect(sharpenSigma(100)).toBe(1)
    expect(sharpenSigma(399)).toBe(3.99)
  })
})

describe('bright', () => {
  it('+50 raises every channel by 127.5 levels, −50 lowers it', async () => {
    const up = await firstPixel((await processToImage(await solid(100, 60, 20), 'image/bright,50')).data)
    for (const [i, v] of [227.5, 187.5, 147.5].entries()) expect(Math.abs(up[i]! - v)).toBeLessThanOrEqual(1)
    const down = await firstPixel((await processToImage(await solid(200, 160, 120), 'image/bright,-50')).data)
    for (const [i, v] of [72.5, 32.5, 0].entries()) expect(Math.abs(down[i]! - v)).toBeLessThanOrEqual(1)
  })

  it('moves the mean of a gradient up or down and keeps size and format', async () => {
    const source = await gradient()
    const before = await stats(source)
    const brighter = await processToImage(source, 'image/bright,50')
    const darker = await processToImage(source, 'image/bright,-50')
    const meta = await sharp(brighter.data).metadata()
    expect([brighter.format, meta.width, meta.height]).toEqual(['png', 96, 64])
    ;(await stats(brighter.data)).forEach((c, i) => expect(c.mean).toBeGreaterThan(before[i]!.mean + 50))
    ;(await stats(darker.data)).forEach((c, i) => expect(c.mean).toBeLessThan(before[i]!.mean - 50))
  })

  it('0 changes nothing; ±100 saturate to white or black', async () => {
    const source = await solid(100, 60, 20)
    expect(await firstPixel((await processToImage(source, 'image/bright,0')).data)).toEqual([100, 60, 20])
    expect(await firstPixel((await processToImage(source, 'image/bright,100')).data)).toEqual([255, 255, 255])
    expect(await firstPixel((await processToImage(source, 'image/bright,-100')).data)).toEqual([0, 0, 0])
  })

  it('leaves the alpha channel alone', async () => {
    const out = await processToImage(await solid(100, 100, 100, 0.5), 'image/bright,50')
    const [r, g, b, a] = await firstPixel(out.data)
    expect(a).toBe(128)
    for (const v of [r, g, b]) expect(Math.abs(v! - 227.5)).toBeLessThanOrEqual(1)
  })

  it('speaks 8-bit levels on a 16-bit source too', async () => {
    const png16 = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 100, g: 100, b: 100 } } })
      .toColourspace('rgb16')
      .png()
      .toBuffer()
    expect((await sharp(png16).metadata()).depth).toBe('ushort')
    const [r] = await firstPixel((await processToImage(png16, 'image/bright,50')).data)
    expect(Math.abs(r! - 227.5)).toBeLessThanOrEqual(1.5)
    // Still 16-bit after other ops of the same segment.
    const [r2] = await firstPixel((await processToImage(png16, 'image/resize,w_4/rotate,90/bright,50')).data)
    expect(Math.abs(r2! - 227.5)).toBeLessThanOrEqual(1.5)
    // The second bright runs on the 8-bit raw hand-over: 100 + 25.5 + 102.
    const [r3] = await firstPixel((await processToImage(png16, 'image/bright,10/bright,40')).data)
    expect(Math.abs(r3! - 227.5)).toBeLessThanOrEqual(1.5)
    // contrast's offset too: 64 → 1.5 × 64 − 64 = 32.
    const grey64 = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 64, g: 64, b: 64 } } }).toColourspace('rgb16').png().toBuffer()
    const [c] = await firstPixel((await processToImage(grey64, 'image/contrast,50')).data)
    expect(Math.abs(c! - 32)).toBeLessThanOrEqual(1.5)
  })

  it('keeps a GIF animated and brightens every frame', async () => {
    const out = await processToImage(await redBlueGif(), 'image/bright,30')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.pages, meta.width, meta.height]).toEqual(['gif', 2, 20, 10])
    const { data, info } = await sharp(out.data, { animated: true }).raw().toBuffer({ resolveWithObject: true })
    const frame2 = (10 * 20 + 5) * info.channels
    expect(data[0]).toBeGreaterThan(0x80 + 60)
    expect(data[frame2 + 2]).toBeGreaterThan(0x80 + 60)
    expect(data[frame2]).toBeGreaterThan(0x40 + 60)
  })

  it('stays perceptually the same picture for small values', async () => {
    const source = await gradient()
    await expectSimilar(source, (await processToImage(source, 'image/bright,10')).data, 8)
  })
})

describe('contrast', () => {
  it('+50 raises the spread of values, −50 lowers it, around mid-grey', async () => {
    const source = await gradient()
    const before = await stats(source)
    const more = await stats((await processToImage(source, 'image/contrast,50')).data)
    const less = await stats((await processToImage(source, 'image/contrast,-50')).data)
    before.forEach((c, i) => {
      expect(more[i]!.stdev).toBeGreaterThan(c.stdev * 1.2)
      expect(less[i]!.stdev).toBeLessThan(c.stdev * 0.6)
      expect(Math.abs(less[i]!.mean - 128)).toBeLessThan(Math.abs(c.mean - 128) + 1)
    })
  })

  it('pivots on 128: a dark pixel gets darker, a light one lighter', async () => {
    expect(await firstPixel((await processToImage(await solid(64, 128, 192), 'image/contrast,50')).data)).toEqual([32, 128, 224])
    expect(await firstPixel((await processToImage(await solid(64, 128, 192), 'image/contrast,-50')).data)).toEqual([96, 128, 160])
  })

  it('−100 flattens to grey 128, keeping alpha', async () => {
    const [r, g, b, a] = await firstPixel((await processToImage(await solid(10, 200, 90, 0.25), 'image/contrast,-100')).data)
    expect([r, g, b]).toEqual([128, 128, 128])
    expect(a).toBe(64)
    const flat = await stats((await processToImage(await gradient(), 'image/contrast,-100')).data)
    for (const c of flat) expect(c.stdev).toBe(0)
  })

  it('0 changes nothing', async () => {
    expect(await firstPixel((await processToImage(await solid(64, 128, 192), 'image/contrast,0')).data)).toEqual([64, 128, 192])
  })

  it('keeps a GIF animated', async () => {
    const meta = await sharp((await processToImage(await redBlueGif(), 'image/contrast,30')).data).metadata()
    expect(meta.pages).toBe(2)
  })

  it('chains with bright (each in its own segment: sharp has one linear stage)', async () => {
    // bright +20 (100 → 151), then contrast +50 (151 → 1.5 × 151 − 64 = 162.5).
    const [r] = await firstPixel((await processToImage(await solid(100, 100, 100), 'image/bright,20/contrast,50')).data)
    expect(Math.abs(r! - 162.5)).toBeLessThanOrEqual(1)
  })
})

describe('sharpen', () => {
  /** A soft vertical edge: black to white over a few pixels. */
  async function softEdge(): Promise<Buffer> {
    const width = 64
    const height = 32
    const data = Buffer.alloc(width * height * 3)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(Math.max(0, Math.min(255, (x - 26) * 21)), (y * width + x) * 3, (y * width + x + 1) * 3)
    return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
  }

  /** Steepest rise between neighbours across the middle row. */
  const steepest = async (bytes: Buffer): Promise<number> => steepestRise(await decodeRaw(bytes))

  it('raises the edge contrast and keeps size and format', async () => {
    const source = await softEdge()
    const out = await processToImage(source, 'image/sharpen,100')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.width, meta.height]).toEqual(['png', 64, 32])
    expect(await steepest(out.data)).toBeGreaterThan(await steepest(source))
    expect((await stats(out.data))[0]!.stdev).toBeGreaterThan((await stats(source))[0]!.stdev)
  })

  it('stronger values sharpen more', async () => {
    const source = await softEdge()
    const weak = (await stats((await processToImage(source, 'image/sharpen,50')).data))[0]!.stdev
    const strong = (await stats((await processToImage(source, 'image/sharpen,300')).data))[0]!.stdev
    expect(strong).toBeGreaterThan(weak)
  })

  it('keeps alpha untouched', async () => {
    const out = await processToImage(await solid(100, 150, 200, 0.5), 'image/sharpen,200')
    expect((await firstPixel(out.data))[3]).toBe(128)
  })

  it('stays perceptually the same picture', async () => {
    const source = await gradient()
    await expectSimilar(source, (await processToImage(source, 'image/sharpen,100')).data, 6)
  })

  it('makes an animated GIF static (the mask would bleed across frames)', async () => {
    const out = await processToImage(await redBlueGif(), 'image/sharpen,100')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.pages ?? 1, meta.width, meta.height]).toEqual(['gif', 1, 20, 10])
  })
})

describe('invalid values', () => {
  it.each([
    ['image/bright,101', 'InvalidArgument', '0040-00000246', 'bright: expected an integer between -100 and 100 for its value but received "101"'],
    ['image/bright,-101', 'InvalidArgument', '0040-00000246', 'received "-101"'],
    ['image/bright', 'MissingArgument', '0040-00000245', 'received none'],
    ['image/contrast,-101', 'InvalidArgument', '0040-00000248', 'contrast: expected an integer between -100 and 100'],
    ['image/contrast,1.5', 'InvalidArgument', '0040-00000248', 'received "1.5"'],
    ['image/contrast', 'MissingArgument', '0040-00000248', 'received none'],
    ['image/sharpen,49', 'InvalidArgument', '0040-00000280', 'sharpen: expected an integer between 50 and 399 for its value but received "49"'],
    ['image/sharpen,400', 'InvalidArgument', '0040-00000280', 'received "400"'],
    ['image/sharpen', 'MissingArgument', '0040-00000279', 'received none'],
    ['image/sharpen,100,200', 'InvalidArgument', '0040-00000203', 'expected a single value']
  ])('%s → 400 %s, EC %s', async (process, code, ec, message) => {
    await expectRejected(await solid(1, 2, 3), process, code, ec, message)
  })
})
