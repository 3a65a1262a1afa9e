import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { blurKernel } from '../../../../src-main/engine/ops/blur'
import { expectRejected, processToImage } from '../../../support/engine'
import { animatedGif, decodeRaw, steepestRise } from '../../../support/images'
import { expectSimilar } from '../../../support/phash'

/** 64×32, black left half, white right half: one hard vertical edge. */
const edge = (): Promise<Buffer> => {
  const width = 64
  const height = 32
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = width / 2; x < width; x++) data.fill(255, (y * width + x) * 3, (y * width + x + 1) * 3)
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
}

/** Pixels of the middle row strictly between black and white: the width of the soft edge. */
async function edgeWidth(bytes: Buffer): Promise<number> {
  const { data, width, height, channels } = await decodeRaw(bytes)
  const y = height >> 1
  let count = 0
  for (let x = 0; x < width; x++) {
    const v = data[(y * width + x) * channels]!
    if (v > 2 && v < 253) count++
  }
  return count
}

/** A 41×41 black image with one white pixel in the middle: the blur's impulse response. */
const impulse = (): Promise<Buffer> => {
  const data = Buffer.alloc(41 * 41 * 3)
  data.fill(255, (20 * 41 + 20) * 3, (20 * 41 + 21) * 3)
  return sharp(data, { raw: { width: 41, height: 41, channels: 3 } }).png().toBuffer()
}

describe('blurKernel', () => {
  it('uses s as sigma and bounds the kernel to 2r + 1 taps', () => {
    for (const r of [1, 2, 3, 5, 10, 25, 50]) {
      for (const s of [1, 2, 5, 10, 25, 50]) {
        const kernel = blurKernel(r, s)
        expect(kernel.sigma).toBe(s)
        expect(kernel.size % 2).toBe(1)
        expect(kernel.size).toBeLessThanOrEqual(2 * r + 1)
        expect(kernel.minAmplitude).toBeGreaterThanOrEqual(0.001)
        expect(kernel.minAmplitude).toBeLessThanOrEqual(1)
      }
    }
  })

  it('reaches exactly r taps each side while the Gaussian is still above 0.001 there', () => {
    expect(blurKernel(3, 2).size).toBe(7)
    expect(blurKernel(3, 10).size).toBe(7)
    expect(blurKernel(50, 50).size).toBe(101)
    expect(blurKernel(1, 1).size).toBe(3)
  })

  it('ends at the 0.001 amplitude when r reaches further (sharp refuses lower thresholds)', () => {
    // exp(−x²/2) ≥ 0.001 ⇔ x ≤ 3.72: three taps each side.
    expect(blurKernel(50, 1)).toEqual({ sigma: 1, minAmplitude: 0.001, size: 7 })
    expect(blurKernel(10, 2).size).toBe(15)
  })
})

describe('blur', () => {
  it('softens a hard edge and keeps the size and format', async () => {
    const source = await edge()
    expect(await edgeWidth(source)).toBe(0)
    const out = await processToImage(source, 'image/blur,r_3,s_2')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.format, meta.width, meta.height]).toEqual(['png', 'png', 64, 32])
    const width = await edgeWidth(out.data)
    expect(width).toBeGreaterThan(0)
    // The edge spreads at most r pixels to each side.
    expect(width).toBeLessThanOrEqual(6)
  })

  it('blurs more as s grows (r large enough not to bind)', async () => {
    const source = await edge()
    const widths = []
    for (const s of [1, 2, 4, 8]) widths.push(await edgeWidth((await processToImage(source, `image/blur,r_20,s_${s}`)).data))
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1]!)
    // And the steepest step across the edge gets smaller; the image's spread of values shrinks.
    const steepest = async (process: string) => steepestRise(await decodeRaw((await processToImage(source, process)).data))
    expect(await steepest('image/blur,r_20,s_1')).toBeGreaterThan(await steepest('image/blur,r_20,s_4'))
    const stdev = async (process: string) => (await sharp((await processToImage(source, process)).data).stats()).channels[0]!.stdev
    expect(await stdev('image/blur,r_20,s_8')).toBeLessThan(await stdev('image/blur,r_20,s_2'))
    expect(await stdev('image/blur,r_20,s_2')).toBeLessThan((await sharp(source).stats()).channels[0]!.stdev)
  })

  it('lets r bound the kernel: the impulse response reaches exactly r pixels', async () => {
    const source = await impulse()
    for (const [r, s] of [
      [3, 10],
      [2, 50],
      [1, 1]
    ] as const) {
      const { data } = await decodeRaw((await processToImage(source, `image/blur,r_${r},s_${s}`)).data)
      const row = Array.from({ length: 41 }, (_, x) => data[(20 * 41 + x) * 3]!)
      const lit = row.map((v, x) => (v > 0 ? x - 20 : undefined)).filter((x) => x !== undefined)
      expect(lit, `r_${r},s_${s}: ${row.join(',')}`).toEqual(Array.from({ length: 2 * r + 1 }, (_, i) => i - r))
    }
  })

  it('with a small r and a large s, is close to a box blur of 2r + 1', async () => {
    const { data } = await decodeRaw((await processToImage(await impulse(), 'image/blur,r_2,s_50')).data)
    const row = Array.from({ length: 5 }, (_, i) => data[(20 * 41 + 18 + i) * 3]!)
    // 255 / 25 ≈ 10 everywhere in the 5×5 square.
    for (const v of row) expect(v).toBeGreaterThanOrEqual(9)
    for (const v of row) expect(v).toBeLessThanOrEqual(11)
  })

  it('a larger r blurs more when s is large', async () => {
    const source = await edge()
    const narrow = await edgeWidth((await processToImage(source, 'image/blur,r_1,s_10')).data)
    const wide = await edgeWidth((await processToImage(source, 'image/blur,r_10,s_10')).data)
    expect(wide).toBeGreaterThan(narrow)
  })

  it('keeps the picture recognisable (perceptual hash)', async () => {
    const gradient = Buffer.alloc(96 * 64 * 3)
    for (let y = 0; y < 64; y++) for (let x = 0; x < 96; x++) gradient.set([x * 2, y * 4, ((x + y) * 3) & 255], (y * 96 + x) * 3)
    const source = await sharp(gradient, { raw: { width: 96, height: 64, channels: 3 } }).png().toBuffer()
    await expectSimilar(source, (await processToImage(source, 'image/blur,r_3,s_2')).data, 10)
  })

  it('preserves alpha: transparent stays transparent, opaque stays opaque, no dark halo', async () => {
    // Left half opaque red, right half fully transparent.
    const width = 64
    const height = 16
    const data = Buffer.alloc(width * height * 4)
    for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) data.set([255, 0, 0, 255], (y * width + x) * 4)
    const source = await sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer()
    const out = await processToImage(source, 'image/blur,r_5,s_3')
    const px = await decodeRaw(out.data)
    expect(px.channels).toBe(4)
    const at = (x: number) => [...px.data.subarray((8 * width + x) * 4, (8 * width + x + 1) * 4)]
    expect(at(2)).toEqual([255, 0, 0, 255])
    expect(at(60)[3]).toBe(0)
    // The edge fades in alpha, not in colour (sharp premultiplies around the blur).
    const edgeAlphas = []
    for (let x = 26; x < 38; x++) {
      const [r, , , a] = at(x)
      edgeAlphas.push(a!)
      if (a! > 16) expect(r, `x=${x}`).toBeGreaterThan(235)
    }
    expect(edgeAlphas.some((a) => a > 0 && a < 255)).toBe(true)
  })

  it('blurs the first frame of an animated GIF and returns a static image', async () => {
    const gif = await animatedGif(20, 10, [[255, 0, 0, 255], [0, 0, 255, 255]])
    const out = await processToImage(gif, 'image/blur,r_3,s_2')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.pages ?? 1, meta.width, meta.height]).toEqual(['gif', 1, 20, 10])
    const { data } = await decodeRaw(out.data)
    // First frame: red.
    expect(data[0]).toBeGreaterThan(200)
    expect(data[2]).toBeLessThan(50)
  })

  it.each([
    ['image/blur,r_3', 'MissingArgument', '0040-00000242', 'for s but received none'],
    ['image/blur,s_3', 'MissingArgument', '0040-00000241', 'for r but received none'],
    ['image/blur,r_0,s_2', 'InvalidArgument', '0040-00000241', 'expected an integer between 1 and 50 for r but received "0"'],
    ['image/blur,r_3,s_51', 'InvalidArgument', '0040-00000242', 'expected an integer between 1 and 50 for s but received "51"'],
    ['image/blur,5', 'InvalidArgument', '0040-00000213', 'received "5"']
  ])('rejects %s with 400 %s %s', async (process, code, ec, message) => {
    await expectRejected(await edge(), process, code, ec, message)
  })
})
