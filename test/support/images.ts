/**
 * Test images generated in code (nothing downloaded): gradients with a distinct colour per
 * quadrant, so geometry and position can be checked by sampling pixels.
 */
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'

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

export async function makeImage(width: number, height: number, format: FixtureFormat = 'jpg', opts: { pages?: number; alpha?: boolean } = {}): Promise<Buffer> {
  const pages = opts.pages ?? 1
  const page = quadrantPixels(width, height)
  const raw = Buffer.concat(Array.from({ length: pages }, () => page))
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

/**
 * A valid PNG whose header claims `width`×`height` but whose data is a few bytes: the shape of
 * a decompression bomb, checked without allocating anything like its pixels.
 */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(body.length)
    const crcInput = Buffer.concat([Buffer.from(type, 'latin1'), body])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(crcInput))
    return Buffer.concat([length, crcInput, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** Pixel at (x, y) as [r, g, b, a]. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number, number]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const o = (y * info.width + x) * info.channels
  return [data[o]!, data[o + 1]!, data[o + 2]!, data[o + 3]!]
}
