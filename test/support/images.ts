/**
 * Test images generated in code (nothing downloaded): gradients with a distinct colour per
 * quadrant, so geometry and position can be checked by sampling pixels; coordinate-encoding PNGs,
 * EXIF-oriented JPEGs, animated GIFs and hand-made PNG headers; and reading pixels back.
 */
import { crc32, deflateSync } from 'node:zlib'
import sharp, { type Channels } from 'sharp'
import { expect } from 'vitest'

export type FixtureFormat = 'jpg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif'

export const QUADRANTS = {
  nw: [220, 40, 40],
  ne: [40, 180, 60],
  sw: [40, 70, 220],
  se: [240, 200, 40]
} as const

/** Raw RGB pixels: four coloured quadrants with a soft diagonal gradient for texture. */
export function quadrantPixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = QUADRANTS[`${y < height / 2 ? 'n' : 's'}${x < width / 2 ? 'w' : 'e'}` as keyof typeof QUADRANTS]
      const shade = ((x + y) % 64) / 8
      const o = (y * width + x) * 3
      data[o] = Math.min(255, colour[0] + shade)
      data[o + 1] = Math.min(255, colour[1] + shade)
      data[o + 2] = Math.min(255, colour[2] + shade)
    }
  }
  return data
}

/** Raw RGB pixels with each pixel's channels rotated `k` times (k = 1: [r, g, b] → [g, b, r]). */
function rotateChannels(rgb: Buffer, k: number): Buffer {
  const out = Buffer.alloc(rgb.length)
  for (let i = 0; i < rgb.length; i += 3) {
    for (let c = 0; c < 3; c++) out[i + c] = rgb[i + ((c + k) % 3)]!
  }
  return out
}

/**
 * The quadrant pattern in `format`. With `pages` > 1, page k has its channels rotated k times, so
 * neighbouring pages differ (the GIF encoder would merge identical frames) and page 0 is the plain pattern.
 */
export async function makeImage(width: number, height: number, format: FixtureFormat = 'jpg', opts: { pages?: number; alpha?: boolean } = {}): Promise<Buffer> {
  const pages = opts.pages ?? 1
  const page = quadrantPixels(width, height)
  const raw = Buffer.concat(Array.from({ length: pages }, (_, k) => rotateChannels(page, k)))
  let image = sharp(raw, { raw: { width, height: height * pages, channels: 3, ...(pages > 1 ? { pageHeight: height } : {}) } })
  if (opts.alpha) image = image.ensureAlpha(0.5)
  switch (format) {
    case 'jpg':
      return image.jpeg({ quality: 90 }).toBuffer()
    case 'png':
      return image.png().toBuffer()
    case 'webp':
      return image.webp().toBuffer()
    case 'gif':
      return image.gif(pages > 1 ? { delay: Array(pages).fill(100), loop: 0 } : {}).toBuffer()
    case 'tiff':
      return image.tiff().toBuffer()
    case 'avif':
      return image.avif().toBuffer()
  }
}

export async function solidImage(width: number, height: number, rgb: readonly [number, number, number], format: FixtureFormat = 'jpg'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 95 }).toBuffer()
}

/** The average hue of the OSS docs' DEMO_A picture. */
export const DEMO_RGB = [0x5c, 0x78, 0x3b] as const

/** DEMO_A stand-in: a flat JPEG (400×267 by default) of its documented average hue. */
export const demoJpeg = (width = 400, height = 267): Promise<Buffer> => solidImage(width, height, DEMO_RGB)

/** PNG whose pixel (x, y) names its own position: R = x mod 256, G = y mod 256, B = 16·⌊x/256⌋ + ⌊y/256⌋. */
export async function coordPng(width: number, height: number): Promise<Buffer> {
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

/** Re-encodes an image as a JPEG (quality 95) tagged with EXIF `orientation`; the stored pixels stay as they are. */
export function withOrientation(image: Buffer, orientation: number): Promise<Buffer> {
  // sharp 0.35: withMetadata({ orientation }) is the way to write the Orientation tag.
  return sharp(image).withMetadata({ orientation }).jpeg({ quality: 95 }).toBuffer()
}

/** Encodes raw frames (each width×height×channels) as an animated GIF; the encoder merges identical neighbouring frames. */
export function gifFromFrames(frames: readonly Buffer[], width: number, height: number, opts: { channels?: Channels; delay?: number } = {}): Promise<Buffer> {
  const { channels = 3, delay } = opts
  return sharp(Buffer.concat(frames), { raw: { width, height: height * frames.length, channels, pageHeight: height }, limitInputPixels: false })
    .gif({ loop: 0, ...(delay === undefined ? {} : { delay: frames.map(() => delay) }) })
    .toBuffer()
}

/** An animated GIF with one flat colour per frame, each [grey], [r, g, b] or [r, g, b, a]; neighbouring colours must differ. */
export function animatedGif(width: number, height: number, colours: readonly (readonly number[])[], opts: { delay?: number } = {}): Promise<Buffer> {
  const channels = colours[0]!.length as Channels
  const frames = colours.map((colour) => Buffer.alloc(width * height * channels).fill(Buffer.from(colour)))
  return gifFromFrames(frames, width, height, { channels, ...opts })
}

/** A 60×40 GIF of three flat frames, [0, 50, 200], [100, 50, 200] and [200, 50, 200] (red rising per frame). */
export const threeFrameGif = (): Promise<Buffer> => animatedGif(60, 40, [[0, 50, 200], [100, 50, 200], [200, 50, 200]])

/** One PNG chunk: length, type, body and CRC-32. */
export function pngChunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(body.length)
  const crcInput = Buffer.concat([Buffer.from(type, 'latin1'), body])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(crcInput))
  return Buffer.concat([length, crcInput, crc])
}

/** An 8-bit greyscale PNG whose header says `width`×`height`, with `idat` (deflated rows) as its data, unchecked. */
export function greyPng(width: number, height: number, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

/**
 * A valid PNG whose header claims `width`×`height` but whose data is a few bytes: the shape of
 * a decompression bomb, checked without allocating anything like its pixels.
 */
export function pngHeaderOnly(width: number, height: number): Buffer {
  return greyPng(width, height, deflateSync(Buffer.alloc(1024)))
}

// ---- reading pixels back ------------------------------------------------------------------

/** Pixel at (x, y) as [r, g, b, a]. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number, number]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const o = (y * info.width + x) * info.channels
  return [data[o]!, data[o + 1]!, data[o + 2]!, data[o + 3]!]
}

/** Decoded raw pixels, `channels` bytes each, row by row. */
export interface RawImage {
  readonly data: Buffer
  readonly width: number
  readonly height: number
  readonly channels: number
}

/** Decodes an encoded image (first page) to raw pixels, channels as stored. */
export async function decodeRaw(bytes: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height, channels: info.channels }
}

/** The channel values of pixel (x, y). */
export function pixel(image: RawImage, x: number, y: number): number[] {
  const o = (y * image.width + x) * image.channels
  return [...image.data.subarray(o, o + image.channels)]
}

/** The source position a coordPng pixel came from. */
export function coordAt(image: RawImage, x: number, y: number): [number, number] {
  const [r, g, b] = pixel(image, x, y) as [number, number, number]
  return [((b >> 4) << 8) | r, ((b & 15) << 8) | g]
}

/** Steepest rise of the first channel between horizontal neighbours across the middle row. */
export function steepestRise(image: RawImage): number {
  const { data, width, height, channels } = image
  const y = height >> 1
  let max = 0
  for (let x = 1; x < width; x++) max = Math.max(max, data[(y * width + x) * channels]! - data[(y * width + x - 1) * channels]!)
  return max
}

/** Each channel of `actual` within `tolerance` of `expected` (extra channels of `actual` are ignored). */
export function expectColour(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  expected.forEach((value, i) =>
    expect(Math.abs(actual[i]! - value), `${actual.join(',')} vs ${expected.join(',')}`).toBeLessThanOrEqual(tolerance)
  )
}
