/**
 * The two JSON answers through the public API: `image/info` (spec §3.16) and `average-hue` (spec §3.17,
 * Project decisions: `{"RGB":"0xrrggbb"}`, application/json, configurable hue threshold, default 30°).
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodeBmp } from '../../../../src-main/engine/codecs/bmp'
import { processImage } from '../../../../src-main/engine/executor'
import type { EngineOptions, JsonResult } from '../../../../src-main/engine/types'
import { failure } from '../../../support/engine'
import { animatedGif, makeImage, quadrantPixels, solidImage } from '../../../support/images'

type Rgb = readonly [number, number, number]

async function json(bytes: Buffer, process: string, options?: EngineOptions): Promise<JsonResult> {
  const result = await processImage(bytes, process, options)
  if (result.kind !== 'json') throw new Error(`expected JSON for ${process}`)
  expect(result.contentType).toBe('application/json')
  return result
}

/** info's body as a flat tag → string map, after checking the `{"Tag":{"value":"…"}}` shape. */
async function info(bytes: Buffer): Promise<Record<string, string>> {
  const body = JSON.parse((await json(bytes, 'image/info')).body) as Record<string, { value: unknown }>
  for (const [key, entry] of Object.entries(body)) {
    expect(Object.keys(entry), key).toEqual(['value'])
    expect(typeof entry.value, key).toBe('string')
  }
  // Keys sorted, as in OSS's examples.
  expect(Object.keys(body)).toEqual(Object.keys(body).sort())
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v.value as string]))
}

async function averageHue(bytes: Buffer, process = 'image/average-hue', options?: EngineOptions): Promise<string> {
  const body = JSON.parse((await json(bytes, process, options)).body) as { RGB: string }
  expect(Object.keys(body)).toEqual(['RGB'])
  expect(body.RGB).toMatch(/^0x[0-9a-f]{6}$/)
  return body.RGB
}

const hex = ([r, g, b]: Rgb) => `0x${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`

function expectNear(actual: string, expected: Rgb, tolerance: number): void {
  const rgb = [1, 3, 5].map((i) => parseInt(actual.slice(i + 1, i + 3), 16))
  rgb.forEach((v, i) => expect(Math.abs(v - expected[i]!), `${actual} vs ${hex(expected)}`).toBeLessThanOrEqual(tolerance))
}

const solidPng = (width: number, height: number, rgb: Rgb) => solidImage(width, height, rgb, 'png')

/** Flat colour blocks, stacked top to bottom: [colour, rows]. */
async function bands(width: number, ...rows: [Rgb, number][]): Promise<Buffer> {
  const height = rows.reduce((n, [, h]) => n + h, 0)
  const data = Buffer.alloc(width * height * 3)
  let y = 0
  for (const [colour, h] of rows) {
    for (let i = 0; i < h * width; i++) data.set(colour, (y * width + i) * 3)
    y += h
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
}

/** 100×100 PNG with four flat quadrants. */
const Q = { nw: [200, 30, 40], ne: [30, 160, 70], sw: [40, 60, 200], se: [230, 200, 30] } as const satisfies Record<string, Rgb>
async function quadrantPng(): Promise<Buffer> {
  const data = Buffer.alloc(100 * 100 * 3)
  for (let y = 0; y < 100; y++) {
    for (let x = 0; x < 100; x++) data.set(Q[`${y < 50 ? 'n' : 's'}${x < 50 ? 'w' : 'e'}` as keyof typeof Q], (y * 100 + x) * 3)
  }
  return sharp(data, { raw: { width: 100, height: 100, channels: 3 } }).png().toBuffer()
}

/** An animated GIF with one flat colour per frame (distinct, so libvips keeps every frame), 80 ms each. */
const flatGif = (width: number, height: number, colours: readonly Rgb[]) => animatedGif(width, height, colours, { delay: 80 })

describe('image/info through processImage', () => {
  it('JPG with EXIF (orientation 7): EXIF tags, and the stored sizes, not the oriented ones', async () => {
    const jpg = await sharp(quadrantPixels(64, 48), { raw: { width: 64, height: 48, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 7, density: 96 })
      .withExif({ IFD0: { Software: 'Microsoft Windows Photo Viewer 6.1.7600.16385', DateTime: '2015:02:11 15:38:27' } })
      .toBuffer()

    const body = await info(jpg)

    expect(body).toMatchObject({
      FileSize: String(jpg.length),
      Format: 'jpg',
      FrameCount: '1',
      // Orientation 7 swaps the sides when displayed; info reports the stored 64×48 (spec §3.16).
      ImageWidth: '64',
      ImageHeight: '48',
      Orientation: '7',
      ResolutionUnit: '2',
      Software: 'Microsoft Windows Photo Viewer 6.1.7600.16385',
      DateTime: '2015:02:11 15:38:27'
    })
    expect(body.XResolution).toMatch(/^96(000\/1000|\/1)$/)
    // Neither the implicit auto-orient flag nor its absence changes that.
    const off = await processImage(jpg, 'image/info', { implicitAutoOrient: false })
    expect(off.kind === 'json' && JSON.parse(off.body)).toEqual(JSON.parse((await json(jpg, 'image/info')).body))
  })

  it('JPG without EXIF: the eight basic fields (DEMO_A shape)', async () => {
    const jpg = await makeImage(40, 30, 'jpg')
    expect(await info(jpg)).toEqual({
      FileSize: String(jpg.length),
      Format: 'jpg',
      FrameCount: '1',
      ImageHeight: '30',
      ImageWidth: '40',
      ResolutionUnit: '1',
      XResolution: '1/1',
      YResolution: '1/1'
    })
  })

  it('PNG: the basic fields only', async () => {
    const png = await makeImage(64, 48, 'png', { alpha: true })
    expect(await info(png)).toEqual({
      FileSize: String(png.length),
      Format: 'png',
      FrameCount: '1',
      ImageHeight: '48',
      ImageWidth: '64',
      ResolutionUnit: '1',
      XResolution: '1/1',
      YResolution: '1/1'
    })
  })

  it('animated GIF: FrameCount is the number of frames, ImageHeight the height of one', async () => {
    const gif = await flatGif(30, 20, [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 0]
    ])
    expect(await info(gif)).toMatchObject({ FileSize: String(gif.length), Format: 'gif', FrameCount: '4', ImageWidth: '30', ImageHeight: '20' })
  })

  it('WebP and BMP', async () => {
    const webp = await makeImage(50, 20, 'webp')
    expect(await info(webp)).toMatchObject({ FileSize: String(webp.length), Format: 'webp', FrameCount: '1', ImageWidth: '50', ImageHeight: '20' })

    const bmp = encodeBmp({ data: quadrantPixels(33, 17), width: 33, height: 17, channels: 3 })
    expect(await info(bmp)).toEqual({
      FileSize: String(bmp.length),
      Format: 'bmp',
      FrameCount: '1',
      ImageHeight: '17',
      ImageWidth: '33',
      ResolutionUnit: '1',
      XResolution: '1/1',
      YResolution: '1/1'
    })
  })

  it('must be the only operation', async () => {
    const jpg = await makeImage(40, 30, 'jpg')
    for (const process of ['image/resize,w_10/info', 'image/info/format,png']) expect((await failure(jpg, process)).status).toBe(400)
  })
})

describe('average-hue through processImage', () => {
  it.each<[string, Rgb]>([
    ['DEMO_A', [92, 120, 59]],
    ['DEMO_C', [187, 205, 127]],
    ['red', [255, 0, 0]],
    ['grey', [128, 128, 128]],
    ['black', [0, 0, 0]]
  ])('is exact on a solid %s PNG', async (_name, colour) => {
    expect(await averageHue(await solidPng(64, 48, colour))).toBe(hex(colour))
  })

  it('answers {"RGB":"0x…"} as application/json', async () => {
    const result = await json(await solidPng(8, 8, [92, 120, 59]), 'image/average-hue')
    expect(result.body).toBe('{"RGB":"0x5c783b"}')
  })

  it('is close on a solid JPG (lossy)', async () => {
    const jpg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 92, g: 120, b: 59 } } })
      .jpeg({ quality: 90 })
      .toBuffer()
    expectNear(await averageHue(jpg), [92, 120, 59], 3)
  })

  it('reflects the chain: crop,w_50,h_50 then average-hue gives the quadrant that was cut', async () => {
    const png = await quadrantPng()
    expect(await averageHue(png, 'image/crop,w_50,h_50/average-hue')).toBe(hex(Q.nw))
    expect(await averageHue(png, 'image/crop,w_50,h_50,g_ne/average-hue')).toBe(hex(Q.ne))
    expect(await averageHue(png, 'image/crop,w_50,h_50,g_sw/average-hue')).toBe(hex(Q.sw))
    expect(await averageHue(png, 'image/crop,w_50,h_50,g_se/average-hue')).toBe(hex(Q.se))
    // Rotating first moves the quadrants: after rotate,90 the top-left one is the old south-west.
    expect(await averageHue(png, 'image/rotate,90/crop,w_50,h_50/average-hue')).toBe(hex(Q.sw))
    // The whole image is something else.
    const whole = await averageHue(png)
    expect(Object.values(Q).map(hex)).not.toContain(whole)
  })

  it('ignores transparent areas', async () => {
    const data = Buffer.alloc(40 * 20 * 4)
    for (let p = 0; p < 40 * 20; p++) data.set(p % 40 < 20 ? [255, 0, 0, 0] : [20, 90, 200, 255], p * 4)
    const png = await sharp(data, { raw: { width: 40, height: 20, channels: 4 } }).png().toBuffer()
    expect(await averageHue(png)).toBe('0x145ac8')
  })

  it('uses the first frame of an animated GIF', async () => {
    const gif = await flatGif(20, 20, [
      [0, 0, 255],
      [255, 0, 0]
    ])
    expectNear(await averageHue(gif), [0, 0, 255], 2)
  })

  it('the threshold option changes the result on a two-colour image', async () => {
    // 80 % red (hue 0°) + 20 % yellow (60°): the mean hue is ≈ 11°.
    const png = await bands(50, [[255, 0, 0], 80], [[255, 255, 0], 20])
    // Default 30°: only the yellow differs by more than the threshold → the yellow is the salient colour.
    expect(await averageHue(png)).toBe('0xffff00')
    expect(await averageHue(png, 'image/average-hue', { averageHueThreshold: 30 })).toBe('0xffff00')
    // 60°: nothing is salient → the plain mean colour (255, 0.2 × 255, 0).
    expect(await averageHue(png, 'image/average-hue', { averageHueThreshold: 60 })).toBe('0xff3300')
    // 5°: both colours are salient (red is 11° off the mean) → the plain mean again.
    expect(await averageHue(png, 'image/average-hue', { averageHueThreshold: 5 })).toBe('0xff3300')
  })
})
