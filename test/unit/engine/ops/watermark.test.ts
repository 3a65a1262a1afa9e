/**
 * Watermark op (spec §3.15): placement table, opacity, tiling, image pre-processing with P, text,
 * mixed image+text layout, the multi-watermark example and the error cases. Fixtures are solid
 * colours made in code, so positions are checked by sampling pixels and measuring bounding boxes.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodeBase64Url as b64 } from '../../../../src-shared/img/base64url'
import { processImage } from '../../../../src-main/engine/executor'
import { clipRect, mixedLayout, tileGrid, tileOrigins } from '../../../../src-main/engine/ops/watermark'
import { watermarkPosition } from '../../../../src-shared/img/geometry/watermark'
import type { ObjectResolver } from '../../../../src-main/engine/types'
import { failure, processToImage } from '../../../support/engine'
import { animatedGif } from '../../../support/images'

type Rgb = readonly [number, number, number]

const WHITE: Rgb = [255, 255, 255]
const RED: Rgb = [255, 0, 0]
const BLUE: Rgb = [0, 0, 255]
const GREEN: Rgb = [0, 200, 0]
const MAGENTA: Rgb = [255, 0, 255]

async function solid(width: number, height: number, [r, g, b]: Rgb, format: 'png' | 'jpg' | 'gif' = 'png'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
  if (format === 'jpg') return image.jpeg({ quality: 100 }).toBuffer()
  if (format === 'gif') return image.gif().toBuffer()
  return image.png().toBuffer()
}

function bucket(entries: Record<string, Buffer>): ObjectResolver {
  const map = new Map(Object.entries(entries))
  return { get: async (key) => map.get(key) }
}

interface Pixels {
  data: Buffer
  width: number
  height: number
  channels: number
  pages: number
}

async function run(source: Buffer, process: string, objects?: ObjectResolver): Promise<Pixels> {
  const result = await processToImage(source, process, { objects })
  const meta = await sharp(result.data).metadata()
  const pages = meta.pages ?? 1
  const { data, info } = await sharp(result.data, { animated: pages > 1 }).raw().toBuffer({ resolveWithObject: true })
  expect(result.width).toBe(info.width)
  return { data, width: info.width, height: pages > 1 ? info.height / pages : info.height, channels: info.channels, pages }
}

function pixel(img: Pixels, x: number, y: number, page = 0): number[] {
  const o = ((page * img.height + y) * img.width + x) * img.channels
  return [...img.data.subarray(o, o + 3)]
}

function near(actual: number[], expected: readonly number[], tolerance = 3): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance)
}

interface Box {
  left: number
  top: number
  right: number
  bottom: number
  count: number
}

/** Bounding box (inclusive) of the pixels matching `test`, or undefined. */
function bbox(img: Pixels, test: (p: number[]) => boolean, page = 0): Box | undefined {
  let box: Box | undefined
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!test(pixel(img, x, y, page))) continue
      box ??= { left: x, top: y, right: x, bottom: y, count: 0 }
      box.left = Math.min(box.left, x)
      box.top = Math.min(box.top, y)
      box.right = Math.max(box.right, x)
      box.bottom = Math.max(box.bottom, y)
      box.count++
    }
  }
  return box
}

const isRed = (p: number[]) => p[0]! > 200 && p[1]! < 60 && p[2]! < 60
const isBlue = (p: number[]) => p[2]! > 200 && p[0]! < 60 && p[1]! < 60
const notWhite = (p: number[]) => p.some((v) => v < 235)
/** Text ink of a red text on white, antialiased edges included. */
const reddish = (p: number[]) => p[0]! > 200 && p[1]! < 200 && p[0]! - p[1]! > 50 && Math.abs(p[1]! - p[2]!) < 30

const main = await solid(200, 100, WHITE)
const wide = await solid(400, 200, WHITE)
const objects = bucket({
  'red.png': await solid(20, 10, RED),
  'big.png': await solid(300, 150, RED),
  'blue-tall.png': await solid(30, 60, BLUE),
  'blue-flat.png': await solid(30, 8, BLUE),
  'anim.gif': await solid(10, 10, RED, 'gif'),
  'pics/Jellyfish.jpg': await solid(100, 50, GREEN, 'jpg'),
  'pics/Koala.jpg': await solid(100, 50, BLUE, 'jpg'),
  'pics/Tulips.jpg': await solid(100, 50, MAGENTA, 'jpg'),
  'pics/Other.jpg': await solid(100, 50, RED, 'jpg')
})
const RED_WM = `image_${b64('red.png')}`

describe('placement helpers (pure)', () => {
  it('follows the placement table with floored halves and σ = −1', () => {
    const frame = { width: 201, height: 101 }
    const box = { width: 20, height: 10 }
    const at = (g: Parameters<typeof watermarkPosition>[2]['g'], voffset = 0) => watermarkPosition(frame, box, { g, x: 7, y: 3, voffset })
    expect(at('nw')).toEqual({ left: 7, top: 3 })
    expect(at('north')).toEqual({ left: 90, top: 3 })
    expect(at('ne')).toEqual({ left: 174, top: 3 })
    expect(at('west')).toEqual({ left: 7, top: 45 })
    expect(at('center')).toEqual({ left: 90, top: 45 })
    expect(at('east', 5)).toEqual({ left: 174, top: 40 })
    expect(at('sw', 5)).toEqual({ left: 7, top: 88 })
    expect(at('south')).toEqual({ left: 90, top: 88 })
    expect(at('se')).toEqual({ left: 174, top: 88 })
    // Larger than the image: Math.floor keeps rounding towards −∞.
    expect(watermarkPosition({ width: 10, height: 10 }, { width: 15, height: 15 }, { g: 'center', x: 0, y: 0, voffset: 0 })).toEqual({ left: -3, top: -3 })
  })

  it('lays out mixed blocks by order, align and interval', () => {
    const image = { width: 30, height: 60 }
    const text = { width: 50, height: 20 }
    expect(mixedLayout(image, text, { order: 0, align: 2, interval: 5 })).toEqual({ width: 85, height: 60, image: { left: 0, top: 0 }, text: { left: 35, top: 40 } })
    expect(mixedLayout(image, text, { order: 1, align: 0, interval: 0 })).toEqual({ width: 80, height: 60, image: { left: 50, top: 0 }, text: { left: 0, top: 0 } })
    expect(mixedLayout(image, text, { order: 0, align: 1, interval: 0 }).text.top).toBe(20)
    // A text taller than the image: the image is the one that moves.
    expect(mixedLayout({ width: 10, height: 5 }, text, { order: 0, align: 2, interval: 0 }).image.top).toBe(15)
  })

  it('clips to the visible part', () => {
    expect(clipRect({ left: -5, top: 95 }, { width: 20, height: 10 }, { width: 200, height: 100 })).toEqual({ left: 0, top: 95, srcLeft: 5, srcTop: 0, width: 15, height: 5 })
    expect(clipRect({ left: 200, top: 0 }, { width: 20, height: 10 }, { width: 200, height: 100 })).toBeUndefined()
  })

  it('tiles a grid through the anchored position', () => {
    const grid = tileGrid({ left: 170, top: 80 }, { width: 20, height: 10 }, 10, 5)
    expect(grid).toEqual({ cellWidth: 30, cellHeight: 15, phaseX: 20, phaseY: 5 })
    const origins = tileOrigins({ width: 200, height: 100 }, { width: 20, height: 10 }, grid)
    expect(origins).toContainEqual({ left: 170, top: 80 })
    // Columns at −10, 20, …, 170 (the first one half visible); rows at 5, 20, …, 95 (−10 would end at 0).
    expect(origins).toContainEqual({ left: -10, top: 5 })
    expect(origins).toHaveLength(7 * 7)
    expect(origins.every((o) => o.left > -20 && o.top > -10 && o.left < 200 && o.top < 100)).toBe(true)
  })
})

describe('image watermark placement', () => {
  it('keeps the main image size and format', async () => {
    const result = await processImage(main, `image/watermark,${RED_WM}`, { objects })
    expect(result).toMatchObject({ kind: 'image', format: 'png', width: 200, height: 100 })
    const img = await run(main, `image/watermark,${RED_WM}`, objects)
    expect([img.width, img.height, img.channels]).toEqual([200, 100, 3])
  })

  const expected: Record<string, [number, number]> = {
    nw: [10, 10],
    north: [90, 10],
    ne: [170, 10],
    west: [10, 45],
    center: [90, 45],
    east: [170, 45],
    sw: [10, 80],
    south: [90, 80],
    se: [170, 80]
  }
  for (const [g, [left, top]] of Object.entries(expected)) {
    it(`g_${g} puts a 20×10 watermark at (${left}, ${top})`, async () => {
      const img = await run(main, `image/watermark,${RED_WM},g_${g}`, objects)
      expect(bbox(img, isRed)).toEqual({ left, top, right: left + 19, bottom: top + 9, count: 200 })
      expect(pixel(img, left - 1, top)).toEqual([...WHITE])
      expect(pixel(img, left, top + 10)).toEqual([...WHITE])
    })
  }

  it('defaults to se with 10 px margins', async () => {
    const img = await run(main, `image/watermark,${RED_WM}`, objects)
    expect(bbox(img, isRed)).toMatchObject({ left: 170, top: 80, right: 189, bottom: 89 })
  })

  it('honours x/y margins', async () => {
    expect(bbox(await run(main, `image/watermark,${RED_WM},g_nw,x_30,y_5`, objects), isRed)).toMatchObject({ left: 30, top: 5 })
    expect(bbox(await run(main, `image/watermark,${RED_WM},g_se,x_0,y_0`, objects), isRed)).toMatchObject({ right: 199, bottom: 99 })
    // x is meaningless for north/south, y for west/east.
    expect(bbox(await run(main, `image/watermark,${RED_WM},g_south,x_50,y_0`, objects), isRed)).toMatchObject({ left: 90, bottom: 99 })
    expect(bbox(await run(main, `image/watermark,${RED_WM},g_east,x_0,y_40`, objects), isRed)).toMatchObject({ right: 199, top: 45 })
  })

  it('moves up for a positive voffset (σ = −1), down for a negative one, only in the middle row', async () => {
    expect(bbox(await run(main, `image/watermark,${RED_WM},g_center,voffset_20`, objects), isRed)).toMatchObject({ left: 90, top: 25 })
    expect(bbox(await run(main, `image/watermark,${RED_WM},g_west,voffset_-20`, objects), isRed)).toMatchObject({ left: 10, top: 65 })
    expect(bbox(await run(main, `image/watermark,${RED_WM},g_nw,voffset_20`, objects), isRed)).toMatchObject({ left: 10, top: 10 })
  })

  it('blends with t (opacity multiplies alpha)', async () => {
    const img = await run(main, `image/watermark,${RED_WM},g_nw,t_50`, objects)
    expect(near(pixel(img, 15, 15), [255, 128, 128], 2)).toBe(true)
    const none = await run(main, `image/watermark,${RED_WM},g_nw,t_0`, objects)
    expect(pixel(none, 15, 15)).toEqual([...WHITE])
  })

  it('clips a watermark larger than the image or partly outside it', async () => {
    const big = await run(main, `image/watermark,image_${b64('big.png')}`, objects)
    expect([big.width, big.height]).toEqual([200, 100])
    // At se, x=y=10: the 300×150 block spans (−110, −60) to (190, 90).
    expect(bbox(big, isRed)).toMatchObject({ left: 0, top: 0, right: 189, bottom: 89 })
    const edge = await run(main, `image/watermark,${RED_WM},g_nw,x_195,y_95`, objects)
    expect(bbox(edge, isRed)).toEqual({ left: 195, top: 95, right: 199, bottom: 99, count: 25 })
    const outside = await run(main, `image/watermark,${RED_WM},g_nw,x_500`, objects)
    expect(bbox(outside, isRed)).toBeUndefined()
  })

  it('tiles with fill_1 and padx/pady gaps', async () => {
    const img = await run(main, `image/watermark,${RED_WM},fill_1,padx_10,pady_5,g_nw,x_0,y_0`, objects)
    expect([img.width, img.height]).toEqual([200, 100])
    // Tiles at x = 0, 30, …, 180 and y = 0, 15, …, 90.
    for (let tx = 0; tx < 200; tx += 30) {
      for (let ty = 0; ty < 100; ty += 15) {
        expect(isRed(pixel(img, tx, ty))).toBe(true)
        expect(isRed(pixel(img, tx + 19, ty + 9))).toBe(true)
        if (tx + 20 < 200) expect(pixel(img, tx + 20, ty)).toEqual([...WHITE])
        if (ty + 10 < 100) expect(pixel(img, tx, ty + 10)).toEqual([...WHITE])
      }
    }
    const red = bbox(img, isRed)!
    expect(red.count).toBe(7 * 7 * 200)
  })

  it('anchors the fill grid at the g/x/y position', async () => {
    const img = await run(main, `image/watermark,${RED_WM},fill_1,padx_10,pady_5`, objects)
    const grid = tileGrid({ left: 170, top: 80 }, { width: 20, height: 10 }, 10, 5)
    let visible = 0
    for (const o of tileOrigins({ width: 200, height: 100 }, { width: 20, height: 10 }, grid)) {
      const clip = clipRect(o, { width: 20, height: 10 }, { width: 200, height: 100 })!
      expect(isRed(pixel(img, clip.left, clip.top))).toBe(true)
      visible += clip.width * clip.height
    }
    expect(bbox(img, isRed)!.count).toBe(visible)
    expect(isRed(pixel(img, 170, 80))).toBe(true)
    expect(pixel(img, 169, 80)).toEqual([...WHITE])
  })

  it('sizes the watermark to P% of the main image width', async () => {
    const img = await run(main, `image/watermark,image_${b64('red.png?x-oss-process=image/resize,P_30')}`, objects)
    // 30% of 200 = 60 wide, proportional 30 high, at se.
    expect(bbox(img, isRed)).toEqual({ left: 130, top: 60, right: 189, bottom: 89, count: 1800 })
  })

  it('uses the main image as it is after earlier ops for P', async () => {
    const img = await run(main, `image/resize,w_100/watermark,image_${b64('red.png?x-oss-process=image/resize,P_30')},g_nw,x_0,y_0`, objects)
    expect(bbox(img, isRed)).toMatchObject({ left: 0, top: 0, right: 29, bottom: 14 })
  })

  it('runs a nested chain: resize,P_30 then rotate,90', async () => {
    const img = await run(main, `image/watermark,image_${b64('red.png?x-oss-process=image/resize,P_30/rotate,90')}`, objects)
    // 60×30 rotated to 30×60, at se.
    expect(bbox(img, isRed)).toMatchObject({ left: 160, top: 30, right: 189, bottom: 89 })
  })

  it('draws over the result of bright/contrast without adjusting the watermark itself', async () => {
    const grey = await solid(200, 100, [50, 50, 50])
    for (const before of ['bright,50', 'contrast,50']) {
      const img = await run(grey, `image/${before}/watermark,${RED_WM},g_nw`, objects)
      expect(pixel(img, 15, 15)).toEqual([...RED])
      expect(pixel(img, 100, 50)).not.toEqual([50, 50, 50])
    }
  })

  it('keeps the alpha channel of a transparent main image', async () => {
    const clear = await sharp({ create: { width: 200, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer()
    const img = await run(clear, `image/watermark,${RED_WM},g_nw,t_50`, objects)
    expect(img.channels).toBe(4)
    const at = (x: number, y: number) => [...img.data.subarray((y * 200 + x) * 4, (y * 200 + x) * 4 + 4)]
    expect(near(at(15, 15), [255, 0, 0, 128], 1)).toBe(true)
    expect(at(100, 50)[3]).toBe(0)
  })

  it('watermarks every frame of an animation', async () => {
    // Frames differ, so the encoder keeps all 3.
    const gif = await animatedGif(40, 10, [WHITE, [255, 200, 255], WHITE], { delay: 100 })
    const img = await run(gif, `image/watermark,image_${b64('blue-flat.png')},g_nw,x_2,y_1`, objects)
    expect(img.pages).toBe(3)
    for (let page = 0; page < 3; page++) expect(bbox(img, isBlue, page)).toMatchObject({ left: 2, top: 1, right: 31, bottom: 8 })
  })
})

describe('text watermark', () => {
  const text = (t: string) => `text_${b64(t)}`

  it('draws only near the se corner by default, in black', async () => {
    const img = await run(wide, `image/watermark,${text('Hello World')}`)
    const ink = bbox(img, notWhite)!
    expect(ink.right).toBeLessThanOrEqual(389)
    expect(ink.right).toBeGreaterThanOrEqual(386)
    expect(ink.bottom).toBeLessThanOrEqual(189)
    expect(ink.bottom).toBeGreaterThanOrEqual(186)
    expect(ink.left).toBeGreaterThan(150)
    expect(ink.top).toBeGreaterThan(130)
    const darkest = bbox(img, (p) => p.every((v) => v < 40))
    expect(darkest).toBeDefined()
  })

  it('respects color', async () => {
    const img = await run(wide, `image/watermark,${text('Hello')},color_FF0000,g_nw`)
    const ink = bbox(img, notWhite)!
    expect(bbox(img, isRed)).toBeDefined()
    // Every inked pixel is a shade of red over white.
    expect(bbox(img, (p) => notWhite(p) && !(p[0]! > 200 && Math.abs(p[1]! - p[2]!) < 30))).toBeUndefined()
    expect(ink.left).toBeLessThan(14)
    expect(ink.top).toBeLessThan(25)
  })

  it('scales the inked area with size', async () => {
    const small = bbox(await run(wide, `image/watermark,${text('Hello')},size_20`), notWhite)!
    const large = bbox(await run(wide, `image/watermark,${text('Hello')},size_40`), notWhite)!
    expect(large.count / small.count).toBeGreaterThan(2.5)
    expect((large.right - large.left) / (small.right - small.left)).toBeGreaterThan(1.6)
  })

  it('tiles text with fill', async () => {
    const img = await run(wide, `image/watermark,${text('Hi')},size_20,fill_1,padx_20,pady_20`)
    const ink = bbox(img, notWhite)!
    expect(ink.left).toBeLessThan(60)
    expect(ink.top).toBeLessThan(60)
    expect(ink.right).toBeGreaterThan(340)
  })

  it('draws nothing for whitespace-only text', async () => {
    const img = await run(wide, `image/watermark,${text('  ')}`)
    expect(bbox(img, notWhite)).toBeUndefined()
  })
})

describe('mixed image + text', () => {
  const mixed = (image: string, extra: string) => `image/watermark,image_${b64(image)},text_${b64('Hi')},color_FF0000,size_30${extra}`

  it('defaults to image left, bottom-aligned, no interval, block at se', async () => {
    const img = await run(wide, mixed('blue-tall.png', ''), objects)
    const blue = bbox(img, isBlue)!
    const red = bbox(img, reddish)!
    expect(blue.right).toBeLessThan(red.left)
    expect(red.left - blue.right - 1).toBeLessThanOrEqual(2)
    expect(Math.abs(red.bottom - blue.bottom)).toBeLessThanOrEqual(2)
    expect(red.right).toBeGreaterThanOrEqual(387)
    expect(red.right).toBeLessThanOrEqual(389)
    expect(blue.bottom).toBe(189)
  })

  it('puts the text first with order_1 and keeps the interval', async () => {
    const img = await run(wide, mixed('blue-tall.png', ',order_1,interval_25'), objects)
    const blue = bbox(img, isBlue)!
    const red = bbox(img, reddish)!
    expect(red.right).toBeLessThan(blue.left)
    expect(blue.left - red.right - 1).toBeGreaterThanOrEqual(25)
    expect(blue.left - red.right - 1).toBeLessThanOrEqual(27)
    expect(blue.right).toBe(389)
  })

  it('aligns top, middle and bottom', async () => {
    const top = await run(wide, mixed('blue-tall.png', ',align_0,g_nw'), objects)
    expect(Math.abs(bbox(top, reddish)!.top - bbox(top, isBlue)!.top)).toBeLessThanOrEqual(2)
    expect(bbox(top, isBlue)).toMatchObject({ left: 10, top: 10 })
    const middle = await run(wide, mixed('blue-tall.png', ',align_1,g_nw'), objects)
    const b = bbox(middle, isBlue)!
    const r = bbox(middle, reddish)!
    expect(Math.abs((r.top + r.bottom) / 2 - (b.top + b.bottom) / 2)).toBeLessThanOrEqual(3)
    const bottom = await run(wide, mixed('blue-tall.png', ',align_2,g_nw'), objects)
    expect(Math.abs(bbox(bottom, reddish)!.bottom - bbox(bottom, isBlue)!.bottom)).toBeLessThanOrEqual(2)
  })

  it('moves the image when the text is the taller part', async () => {
    const img = await run(wide, mixed('blue-flat.png', ',align_0,g_nw,y_50'), objects)
    const blue = bbox(img, isBlue)!
    expect(blue.top).toBe(50)
    expect(Math.abs(bbox(img, reddish)!.top - 50)).toBeLessThanOrEqual(2)
  })
})

describe('several watermarks in one chain', () => {
  // spec §14 / conformance: 3 image watermarks (P_20) + 2 text watermarks (DOC 2021 example).
  const documented =
    'image/watermark,image_cGljcy9KZWxseWZpc2guanBnP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMjA,g_nw,x_10,y_10/watermark,image_cGljcy9Lb2FsYS5qcGc_eC1vc3MtcHJvY2Vzcz1pbWFnZS9yZXNpemUsUF8yMA,g_se,x_10,y_10/watermark,image_cGljcy9UdWxpcHMuanBnP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMjA,g_west,x_10,y_10/watermark,text_V2F0ZXJtYXJrIDE,size_20,g_ne,x_10,y_200/watermark,text_V2F0ZXJtYXJrIDI,color_0000b7,size_20,g_sw,x_100,y_50'

  it('runs the documented 3 images + 2 texts example', async () => {
    const source = await solid(400, 267, WHITE)
    const img = await run(source, documented, objects)
    expect([img.width, img.height]).toEqual([400, 267])
    // P_20 of 400 = 80×40.
    expect(near(pixel(img, 50, 30), GREEN, 12)).toBe(true) // nw at (10, 10)
    expect(near(pixel(img, 350, 237), BLUE, 12)).toBe(true) // se at (310, 217)
    expect(near(pixel(img, 50, 133), MAGENTA, 12)).toBe(true) // west at (10, floor(227/2) = 113)
    expect(pixel(img, 95, 10)).toEqual([...WHITE])
    // 'Watermark 1' black at ne, top 200; 'Watermark 2' dark blue at sw, x 100, bottom 267 − 50.
    const black = bbox(img, (p) => p.every((v) => v < 80))!
    expect(black.right).toBeLessThanOrEqual(389)
    expect(black.top).toBeGreaterThanOrEqual(199)
    const navy = bbox(img, (p) => p[2]! > 120 && p[0]! < 80 && p[1]! < 80 && p[2]! < 230)!
    expect(navy.left).toBeGreaterThanOrEqual(99)
    expect(navy.left).toBeLessThanOrEqual(102)
    expect(navy.bottom).toBeLessThanOrEqual(216)
  })

  it('rejects a fourth different watermark image', async () => {
    const four = ['Jellyfish', 'Koala', 'Tulips', 'Other'].map((n) => `watermark,image_${b64(`pics/${n}.jpg`)}`).join('/')
    const error = await failure(main, `image/${four}`, { objects })
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0040-00000265', param: 'image' })
    expect(error.message).toContain('at most 3 different images')
  })

  it('allows the same image several times', async () => {
    const same = ['nw', 'ne', 'sw', 'se'].map((g) => `watermark,${RED_WM},g_${g}`).join('/')
    const img = await run(main, `image/${same}`, objects)
    expect(bbox(img, isRed)!.count).toBe(4 * 200)
  })
})

describe('watermark errors', () => {
  it('answers 404 NoSuchKey for a missing object, naming the key', async () => {
    const error = await failure(main, `image/watermark,image_${b64('nope/missing.png')}`, { objects })
    expect(error).toMatchObject({ status: 404, code: 'NoSuchKey', ec: '0040-00000024', param: 'image' })
    expect(error.message).toContain('"nope/missing.png"')
  })

  it('answers 404 NoSuchKey without an object resolver', async () => {
    const error = await failure(main, `image/watermark,${RED_WM}`)
    expect(error).toMatchObject({ status: 404, code: 'NoSuchKey' })
    expect(error.message).toContain('"red.png"')
    expect(error.message).toContain('no object resolver')
  })

  it('rejects a watermark object of a format OSS does not accept (GIF)', async () => {
    const error = await failure(main, `image/watermark,image_${b64('anim.gif')}`, { objects })
    expect(error).toMatchObject({ status: 400, code: 'WatermarkError', param: 'image' })
    expect(error.message).toContain('"anim.gif"')
  })

  it('names the object when its nested chain fails', async () => {
    const error = await failure(main, `image/watermark,image_${b64('red.png?x-oss-process=image/crop,x_500,y_500')}`, { objects })
    expect(error.status).toBe(400)
    expect(error.message).toContain('"red.png"')
  })

  const cases: [string, string, number, string, string, string][] = [
    ['empty text', 'image/watermark,text', 400, 'InvalidArgument', '0040-00000258', 'text'],
    ['text over 64 bytes', `image/watermark,text_${b64('水'.repeat(22))}`, 400, 'InvalidArgument', '0040-00000259', 'text'],
    ['text not Base64', 'image/watermark,text_a', 400, 'InvalidArgument', '0040-00000257', 'text'],
    ['type not Base64', `image/watermark,text_${b64('Hi')},type_notbase64`, 400, 'InvalidArgument', '0040-00000250', 'type'],
    ['unknown font', `image/watermark,text_${b64('Hi')},type_${b64('arial')}`, 400, 'InvalidArgument', '0040-00000251', 'type'],
    ['size_0', `image/watermark,text_${b64('Hi')},size_0`, 400, 'InvalidArgument', '0040-00000256', 'size'],
    ['size_1001', `image/watermark,text_${b64('Hi')},size_1001`, 400, 'InvalidArgument', '0040-00000256', 'size'],
    ['g_fac', `image/watermark,text_${b64('Hi')},g_fac`, 400, 'InvalidArgument', '0040-00000260', 'g'],
    ['image not Base64', 'image/watermark,image_a', 400, 'InvalidArgument', '0040-00000265', 'image']
  ]
  for (const [title, process, status, code, ec, param] of cases) {
    it(`${title} → ${status} ${ec}`, async () => {
      const error = await failure(main, process, { objects })
      expect(error).toMatchObject({ status, code, ec, param })
      expect(error.message).toMatch(new RegExp(`^watermark: .* for ${param} `))
    })
  }

  it('neither text nor image → 400 MissingArgument 0040-00000278', async () => {
    for (const process of ['image/watermark', 'image/watermark,t_50,g_nw']) {
      const error = await failure(main, process, { objects })
      expect(error).toMatchObject({ status: 400, code: 'MissingArgument', ec: '0040-00000278' })
      expect(error.message).toContain('text or image')
    }
  })
})
