import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { processImage } from '../../../../src-main/engine/executor'
import { normalizeAngle, rotatedSize } from '../../../../src-main/engine/ops/rotate'
import { expectRejected, failure, processToImage } from '../../../support/engine'
import { animatedGif, decodeRaw, expectColour, pixel, withOrientation } from '../../../support/images'

type RGB = readonly [number, number, number]
const RED: RGB = [255, 0, 0]
const GREEN: RGB = [0, 255, 0]
const BLUE: RGB = [0, 0, 255]
const WHITE: RGB = [255, 255, 255]

/** W×H with a distinct colour per quadrant: red top-left, green top-right, blue bottom-left, white bottom-right. */
async function quadrants(width: number, height: number, format: 'png' | 'jpg' = 'png'): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < height / 2 ? (x < width / 2 ? RED : GREEN) : x < width / 2 ? BLUE : WHITE
      data.set(colour, (y * width + x) * 3)
    }
  }
  const image = sharp(data, { raw: { width, height, channels: 3 } })
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 95 }).toBuffer()
}

interface Pixels {
  readonly data: Buffer
  readonly width: number
  readonly height: number
  readonly channels: number
  at(x: number, y: number): number[]
}

async function pixels(bytes: Buffer): Promise<Pixels> {
  const image = await decodeRaw(bytes)
  return { ...image, at: (x, y) => pixel(image, x, y) }
}

describe('rotatedSize', () => {
  it('keeps or swaps the dimensions for right angles and 0/360', () => {
    expect(rotatedSize(400, 267, 0)).toEqual({ width: 400, height: 267 })
    expect(rotatedSize(400, 267, 360)).toEqual({ width: 400, height: 267 })
    expect(rotatedSize(400, 267, 90)).toEqual({ width: 267, height: 400 })
    expect(rotatedSize(400, 267, 180)).toEqual({ width: 400, height: 267 })
    expect(rotatedSize(400, 267, 270)).toEqual({ width: 267, height: 400 })
    expect(normalizeAngle(360)).toBe(0)
    expect(normalizeAngle(-90)).toBe(270)
  })

  it('grows to the rounded bounding box W|cos|+H|sin| × W|sin|+H|cos| for other angles', () => {
    // 100·cos45 + 100·sin45 = 141.42 → 141
    expect(rotatedSize(100, 100, 45)).toEqual({ width: 141, height: 141 })
    // 400·cos30 + 267·sin30 = 479.91 → 480; 400·sin30 + 267·cos30 = 431.23 → 431
    expect(rotatedSize(400, 267, 30)).toEqual({ width: 480, height: 431 })
    expect(rotatedSize(400, 267, 330)).toEqual({ width: 480, height: 431 })
    expect(rotatedSize(1, 1, 45)).toEqual({ width: 1, height: 1 })
  })

  it('equals what sharp produces for many sizes and angles', async () => {
    const sizes = [
      [1, 1],
      [2, 3],
      [7, 5],
      [50, 1],
      [101, 37],
      [333, 424],
      [640, 480]
    ] as const
    for (const [width, height] of sizes) {
      const input = sharp({ create: { width, height, channels: 3, background: '#808080' } })
      for (let angle = 1; angle < 360; angle += 13) {
        const { info } = await input
          .clone()
          .rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
          .raw()
          .toBuffer({ resolveWithObject: true })
        expect(rotatedSize(width, height, angle), `${width}x${height} @ ${angle}°`).toEqual({ width: info.width, height: info.height })
      }
    }
  })
})

describe('rotate', () => {
  it('turns clockwise by 90: the bottom-left quadrant becomes the top-left one', async () => {
    const out = await processToImage(await quadrants(40, 20), 'image/rotate,90')
    const px = await pixels(out.data)
    expect([out.width, out.height, px.width, px.height]).toEqual([20, 40, 20, 40])
    expectColour(px.at(2, 2), BLUE, 8)
    expectColour(px.at(17, 2), RED, 8)
    expectColour(px.at(17, 37), GREEN, 8)
    expectColour(px.at(2, 37), WHITE, 8)
  })

  it('turns by 180: corners swap diagonally, size kept', async () => {
    const out = await processToImage(await quadrants(40, 20), 'image/rotate,180')
    const px = await pixels(out.data)
    expect([px.width, px.height]).toEqual([40, 20])
    expectColour(px.at(2, 2), WHITE, 8)
    expectColour(px.at(37, 2), BLUE, 8)
    expectColour(px.at(2, 17), GREEN, 8)
    expectColour(px.at(37, 17), RED, 8)
  })

  it('turns clockwise by 270: the top-right quadrant becomes the top-left one', async () => {
    const out = await processToImage(await quadrants(40, 20), 'image/rotate,270')
    const px = await pixels(out.data)
    expect([px.width, px.height]).toEqual([20, 40])
    expectColour(px.at(2, 2), GREEN, 8)
    expectColour(px.at(17, 2), WHITE, 8)
    expectColour(px.at(17, 37), BLUE, 8)
    expectColour(px.at(2, 37), RED, 8)
  })

  it('keeps right-angle results opaque (no alpha added)', async () => {
    const out = await processToImage(await quadrants(40, 20), 'image/rotate,90')
    expect((await sharp(out.data).metadata()).hasAlpha).toBe(false)
  })

  it('leaves the image alone for 0 and 360', async () => {
    for (const angle of [0, 360]) {
      const out = await processToImage(await quadrants(40, 20), `image/rotate,${angle}`)
      const px = await pixels(out.data)
      expect([px.width, px.height]).toEqual([40, 20])
      expectColour(px.at(2, 2), RED, 8)
      expectColour(px.at(37, 17), WHITE, 8)
    }
  })

  it('turns clockwise for arbitrary angles too: the right end of a bar goes down', async () => {
    // Left half red, right half blue.
    const bar = await sharp({ create: { width: 80, height: 10, channels: 3, background: { r: 255, g: 0, b: 0 } } })
      .composite([{ input: { create: { width: 40, height: 10, channels: 3, background: { r: 0, g: 0, b: 255 } } }, left: 40, top: 0 }])
      .png()
      .toBuffer()
    const px = await pixels((await processToImage(bar, 'image/rotate,30')).data)
    const centroid = (pick: (p: number[]) => boolean) => {
      let sx = 0
      let sy = 0
      let n = 0
      for (let y = 0; y < px.height; y++) {
        for (let x = 0; x < px.width; x++) {
          const p = px.at(x, y)
          if (p[3] === 255 && pick(p)) {
            sx += x
            sy += y
            n++
          }
        }
      }
      return { x: sx / n, y: sy / n }
    }
    const red = centroid((p) => p[0]! > 200 && p[2]! < 50)
    const blue = centroid((p) => p[2]! > 200 && p[0]! < 50)
    expect(blue.x).toBeGreaterThan(red.x)
    expect(blue.y).toBeGreaterThan(red.y)
  })

  it('grows a PNG to the 45° bounding box with transparent corners', async () => {
    const out = await processToImage(await quadrants(100, 60), 'image/rotate,45')
    const meta = await sharp(out.data).metadata()
    const expected = rotatedSize(100, 60, 45)
    expect(expected).toEqual({ width: 113, height: 113 })
    expect([out.format, meta.format, meta.width, meta.height, out.width, out.height]).toEqual(['png', 'png', 113, 113, 113, 113])
    expect(meta.hasAlpha).toBe(true)
    const px = await pixels(out.data)
    for (const [x, y] of [
      [0, 0],
      [112, 0],
      [0, 112],
      [112, 112]
    ] as const) {
      expect(px.at(x, y)[3], `alpha at ${x},${y}`).toBe(0)
    }
    // The centre is the image itself, fully opaque.
    expect(px.at(56, 56)[3]).toBe(255)
  })

  it('fills the exposed corners with white in JPG', async () => {
    const out = await processToImage(await quadrants(100, 60, 'jpg'), 'image/rotate,45')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.format, meta.width, meta.height]).toEqual(['jpg', 'jpeg', 113, 113])
    const px = await pixels(out.data)
    for (const [x, y] of [
      [1, 1],
      [111, 1],
      [1, 111],
      [111, 111]
    ] as const) {
      expectColour(px.at(x, y), WHITE, 6)
    }
  })

  it('anti-aliases the JPG edge against white, without a dark outline', async () => {
    // libvips interpolates the edge with premultiplied alpha: a white image on white corners stays white.
    const white = await sharp({ create: { width: 100, height: 60, channels: 3, background: '#ffffff' } }).jpeg().toBuffer()
    const { channels } = await sharp((await processToImage(white, 'image/rotate,30')).data).stats()
    for (const channel of channels) expect(channel.min).toBeGreaterThanOrEqual(245)
  })

  it('keeps transparent corners transparent when the output is WebP', async () => {
    const out = await processToImage(await quadrants(100, 60), 'image/rotate,30/format,webp')
    const meta = await sharp(out.data).metadata()
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['webp', ...Object.values(rotatedSize(100, 60, 30)), true])
    expect((await pixels(out.data)).at(0, 0)[3]).toBe(0)
  })

  it('works on greyscale sources (grey + alpha after a free angle)', async () => {
    const grey = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#777' } }).toColourspace('b-w').png().toBuffer()
    const out = await processToImage(grey, 'image/rotate,10')
    const meta = await sharp(out.data).metadata()
    expect([meta.width, meta.height]).toEqual(Object.values(rotatedSize(30, 20, 10)))
    expect(meta.hasAlpha).toBe(true)
  })

  it('makes an animated GIF static', async () => {
    const gif = await animatedGif(20, 10, [[255, 0, 0, 255], [0, 0, 255, 255]])
    expect((await sharp(gif).metadata()).pages).toBe(2)
    const out = await processToImage(gif, 'image/rotate,90')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.pages ?? 1, meta.width, meta.height]).toEqual(['gif', 1, 10, 20])
  })

  it('rotates the EXIF-oriented image (implicit auto-orient first, spec §3.7)', async () => {
    // Stored 40×20, Orientation 6 (shown turned 90° clockwise: 20×40); rotate,90 adds another 90°.
    const stored = await withOrientation(await quadrants(40, 20, 'jpg'), 6)
    const px = await pixels((await processToImage(stored, 'image/rotate,90')).data)
    expect([px.width, px.height]).toEqual([40, 20])
    expectColour(px.at(2, 2), WHITE, 12)
    expectColour(px.at(37, 17), RED, 12)
    const free = await sharp((await processToImage(stored, 'image/rotate,30')).data).metadata()
    expect([free.width, free.height]).toEqual(Object.values(rotatedSize(20, 40, 30)))
  })

  it('refuses sources over 4096 px per side (spec §2)', async () => {
    const wide = await sharp({ create: { width: 5100, height: 10, channels: 3, background: '#888' } }).png().toBuffer()
    const error = await failure(wide, 'image/rotate,90')
    expect(error.status).toBe(400)
    expect(error.code).toBe('BadRequest')
    expect(error.message).toContain('Picture exceed the maximum allowable rotation range')
    expect(error.message).toContain('5100x10')
  })

  it('rotates a large source that a resize shrank first: the limit is on rotate\'s input (Project decision §3.6)', async () => {
    const wide = await sharp({ create: { width: 5100, height: 10, channels: 3, background: '#888' } }).png().toBuffer()
    const meta = await sharp((await processToImage(wide, 'image/resize,w_1000/rotate,90')).data).metadata()
    expect([meta.width, meta.height]).toEqual([2, 1000])
    // A resize that leaves it over the limit still fails, naming the size that reached rotate.
    const error = await failure(wide, 'image/resize,w_4200/rotate,45')
    expect(error.message).toContain('Picture exceed the maximum allowable rotation range')
    expect(error.message).toContain('4200x8')
  })

  it('lets 0 and 360 through on large sources: they rotate nothing', async () => {
    const wide = await sharp({ create: { width: 5100, height: 10, channels: 3, background: '#888' } }).png().toBuffer()
    for (const angle of [0, 360]) {
      const meta = await sharp((await processToImage(wide, `image/rotate,${angle}`)).data).metadata()
      expect([meta.width, meta.height]).toEqual([5100, 10])
    }
  })

  it('accepts a source of exactly 4096 px', async () => {
    const edge = await sharp({ create: { width: 4096, height: 4, channels: 3, background: '#888' } }).png().toBuffer()
    const meta = await sharp((await processToImage(edge, 'image/rotate,90')).data).metadata()
    expect([meta.width, meta.height]).toEqual([4, 4096])
  })

  it.each([
    ['image/rotate,361', 'InvalidArgument', '0040-00000217', 'expected an integer between 0 and 360 for its value but received "361"'],
    ['image/rotate,-1', 'InvalidArgument', '0040-00000217', 'received "-1"'],
    ['image/rotate,abc', 'InvalidArgument', '0040-00000217', 'received "abc"'],
    ['image/rotate,90,200,300', 'InvalidArgument', '0040-00000203', 'expected a single value'],
    ['image/rotate', 'MissingArgument', '0040-00000216', 'received none']
  ])('rejects %s with 400 %s and EC %s', async (process, code, ec, message) => {
    await expectRejected(await quadrants(40, 20), process, code, ec, message)
  })
})

describe('rotate in chains (planner)', () => {
  it('image/resize,w_100/rotate,90/bright,20/blur,r_3,s_2 → 67×100', async () => {
    const source = await quadrants(400, 268)
    const out = await processToImage(source, 'image/resize,w_100/rotate,90/bright,20/blur,r_3,s_2')
    const meta = await sharp(out.data).metadata()
    expect([out.width, out.height, meta.width, meta.height]).toEqual([67, 100, 67, 100])
  })

  it('image/rotate,30/resize,w_50 → resize applies to the rotated bounding box', async () => {
    const source = await quadrants(400, 268)
    const rotated = rotatedSize(400, 268, 30) // 480×432
    const out = await processToImage(source, 'image/rotate,30/resize,w_50')
    const meta = await sharp(out.data).metadata()
    const height = Math.round((rotated.height * 50) / rotated.width)
    expect([out.width, out.height, meta.width, meta.height]).toEqual([50, height, 50, height])
  })

  it('resize then a free angle in one segment: the box of the resized image', async () => {
    const out = await processToImage(await quadrants(400, 268), 'image/resize,w_100/rotate,45')
    const meta = await sharp(out.data).metadata()
    const expected = rotatedSize(100, 67, 45)
    expect([meta.width, meta.height]).toEqual([expected.width, expected.height])
  })

  it('two rotations add up (a new segment each)', async () => {
    const out = await processToImage(await quadrants(40, 20), 'image/rotate,90/rotate,90')
    const px = await pixels(out.data)
    expect([px.width, px.height]).toEqual([40, 20])
    expectColour(px.at(2, 2), WHITE, 8)
  })

  it('a free angle then blur/bright still gives the bounding box and transparent corners', async () => {
    const out = await processToImage(await quadrants(100, 60), 'image/rotate,30/blur,r_2,s_1/bright,10')
    const expected = rotatedSize(100, 60, 30)
    const px = await pixels(out.data)
    expect([px.width, px.height]).toEqual([expected.width, expected.height])
    expect(px.at(0, 0)[3]).toBe(0)
  })
})

describe('rotate limit on the image it receives', () => {
  it('refuses an image grown past 4096 px by earlier ops, so a rotation never exceeds the output limits', async () => {
    const small = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).jpeg().toBuffer()
    const error = await failure(small, 'image/resize,m_fixed,w_16384,h_1,limit_0/rotate,45')
    expect(error).toMatchObject({ status: 400, code: 'BadRequest' })
    expect(error.message).toContain('Picture exceed the maximum allowable rotation range')
    expect(error.message).toContain('16384x1')
    const fits = await processImage(small, 'image/resize,w_4096,limit_0/rotate,90')
    expect(fits).toMatchObject({ width: 3072, height: 4096 })
  })
})
