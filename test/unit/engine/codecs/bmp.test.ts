import type * as Nsbmp from '@cwasm/nsbmp'
import { decode as nsbmpDecode } from '@cwasm/nsbmp'
import sharp from 'sharp'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { decodeBmp, encodeBmp } from '../../../../src-main/engine/codecs/bmp'

// Wraps the real decoder in a spy, to prove that oversized headers are refused before it runs.
vi.mock('@cwasm/nsbmp', async (importOriginal) => {
  const actual = await importOriginal<typeof Nsbmp>()
  return { ...actual, decode: vi.fn(actual.decode) }
})

beforeEach(() => {
  vi.mocked(nsbmpDecode).mockClear()
})

/** A gradient with an odd width, so 24-bit rows need padding. */
async function gradient(channels: 3 | 4, width = 37, height = 23): Promise<Buffer> {
  const data = Buffer.alloc(width * height * channels)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels
      data[i] = (x * 7) & 255
      data[i + 1] = (y * 11) & 255
      data[i + 2] = (x * y) & 255
      if (channels === 4) data[i + 3] = (x * 5 + y * 3) & 255
    }
  }
  // Round-trip through sharp to make sure the buffer is what a pipeline would hand over.
  return sharp(data, { raw: { width, height, channels } }).raw().toBuffer()
}

/** A minimal BITMAPINFOHEADER file built by hand, for layouts the encoder never writes. */
function handMadeBmp(opts: { width: number; height: number; bpp: number; rows: number[][]; palette?: number[][] }): Buffer {
  const palette = opts.palette ?? []
  const stride = Math.floor((opts.bpp * opts.width + 31) / 32) * 4
  const offset = 14 + 40 + palette.length * 4
  const file = Buffer.alloc(offset + stride * opts.rows.length)
  file.write('BM', 0, 'latin1')
  file.writeUInt32LE(file.length, 2)
  file.writeUInt32LE(offset, 10)
  file.writeUInt32LE(40, 14)
  file.writeInt32LE(opts.width, 18)
  file.writeInt32LE(opts.height, 22)
  file.writeUInt16LE(1, 26)
  file.writeUInt16LE(opts.bpp, 28)
  file.writeUInt32LE(palette.length, 46)
  palette.forEach(([r = 0, g = 0, b = 0], i) => file.set([b, g, r, 0], 54 + i * 4))
  opts.rows.forEach((row, i) => file.set(row, offset + i * stride))
  return file
}

describe('encodeBmp → decodeBmp', () => {
  it('round-trips 24-bit RGB exactly', async () => {
    const data = await gradient(3)
    const bmp = encodeBmp({ data, width: 37, height: 23, channels: 3 })
    const decoded = decodeBmp(bmp)
    expect(decoded).toMatchObject({ width: 37, height: 23, channels: 3 })
    expect(decoded.data.equals(data)).toBe(true)
    expect(nsbmpDecode).toHaveBeenCalledOnce() // the spy is wired, so the not-called checks below mean something
  })

  it('round-trips 32-bit RGBA exactly', async () => {
    const data = await gradient(4)
    const decoded = decodeBmp(encodeBmp({ data, width: 37, height: 23, channels: 4 }))
    expect(decoded).toMatchObject({ width: 37, height: 23, channels: 4 })
    expect(decoded.data.equals(data)).toBe(true)
  })

  it('widens grey and grey+alpha to RGB and RGBA', () => {
    const grey = decodeBmp(encodeBmp({ data: Buffer.from([0, 128, 255, 7]), width: 2, height: 2, channels: 1 }))
    expect(grey.channels).toBe(3)
    expect([...grey.data]).toEqual([0, 0, 0, 128, 128, 128, 255, 255, 255, 7, 7, 7])
    const greyAlpha = decodeBmp(encodeBmp({ data: Buffer.from([10, 20, 30, 255]), width: 2, height: 1, channels: 2 }))
    expect(greyAlpha.channels).toBe(4)
    expect([...greyAlpha.data]).toEqual([10, 10, 10, 20, 30, 30, 30, 255])
  })

  it('writes the standard layouts viewers read: V5 header, 24-bit BI_RGB / 32-bit BI_BITFIELDS with alpha mask', async () => {
    const rgb = encodeBmp({ data: await gradient(3), width: 37, height: 23, channels: 3 })
    expect(rgb.toString('latin1', 0, 2)).toBe('BM')
    expect(rgb.readUInt32LE(2)).toBe(rgb.length)
    expect(rgb.readUInt32LE(14)).toBe(124)
    expect(rgb.readInt32LE(22)).toBe(23) // positive: bottom-up, the most widely supported order
    expect(rgb.readUInt16LE(28)).toBe(24)
    expect(rgb.readUInt32LE(30)).toBe(0)
    expect(rgb.length).toBe(rgb.readUInt32LE(10) + 23 * 112) // 37 px × 3 bytes = 111, padded to 112

    const rgba = encodeBmp({ data: await gradient(4), width: 37, height: 23, channels: 4 })
    expect(rgba.readUInt16LE(28)).toBe(32)
    expect(rgba.readUInt32LE(30)).toBe(3)
    expect([54, 58, 62, 66].map((at) => rgba.readUInt32LE(at))).toEqual([0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000])
  })

  it('rejects pixel data of the wrong size', () => {
    expect(() => encodeBmp({ data: Buffer.alloc(5), width: 2, height: 2, channels: 3 })).toThrow(/expected 12 bytes/)
  })
})

describe('decodeBmp', () => {
  it('decodes a top-down 24-bit BMP (negative height)', () => {
    // Rows in file order: top row red, green; bottom row blue, white (BGR byte order, 2 bytes of padding).
    const bmp = handMadeBmp({
      width: 2,
      height: -2,
      bpp: 24,
      rows: [
        [0, 0, 255, 0, 255, 0],
        [255, 0, 0, 255, 255, 255]
      ]
    })
    const decoded = decodeBmp(bmp)
    expect(decoded).toMatchObject({ width: 2, height: 2, channels: 3 })
    expect([...decoded.data]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
  })

  it('decodes a bottom-up 4-bit palette BMP of odd width', () => {
    const palette = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255]
    ]
    // Bottom-up: the first row in the file is the bottom row. Indices per row: 0 1 2 / 2 1 0.
    const bmp = handMadeBmp({ width: 3, height: 2, bpp: 4, palette, rows: [[0x21, 0x00], [0x01, 0x20]] })
    const decoded = decodeBmp(bmp)
    expect(decoded.channels).toBe(3)
    expect([...decoded.data]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0])
  })

  it('treats a 32-bit BI_RGB file with zero reserved bytes as opaque', () => {
    const bmp = handMadeBmp({ width: 1, height: 1, bpp: 32, rows: [[30, 20, 10, 0]] })
    expect(decodeBmp(bmp)).toMatchObject({ channels: 3, data: Buffer.from([10, 20, 30]) })
  })

  it('refuses a header claiming 40000 px before decoding or allocating', () => {
    const bmp = handMadeBmp({ width: 40_000, height: 10, bpp: 24, rows: [] })
    expect(() => decodeBmp(bmp)).toThrow(/40000×10 px; the limit is 30000 px per side/)
    const tall = handMadeBmp({ width: 10, height: -40_000, bpp: 24, rows: [] })
    expect(() => decodeBmp(tall)).toThrow(/30000 px per side/)
    expect(nsbmpDecode).not.toHaveBeenCalled()
  })

  it('refuses more than 250 M pixels within the side limit', () => {
    expect(() => decodeBmp(handMadeBmp({ width: 20_000, height: 20_000, bpp: 1, rows: [] }))).toThrow(/250000000/)
    expect(nsbmpDecode).not.toHaveBeenCalled()
  })

  it('rejects truncated files with an Error', async () => {
    const bmp = encodeBmp({ data: await gradient(3), width: 37, height: 23, channels: 3 })
    for (const length of [0, 1, 10, 20, 60, 200, bmp.length - 1]) {
      expect(() => decodeBmp(bmp.subarray(0, length)), `length ${length}`).toThrow(Error)
    }
    expect(() => decodeBmp(bmp.subarray(0, bmp.length - 1))).toThrow(/Truncated BMP/)
    expect(nsbmpDecode).not.toHaveBeenCalled()
  })

  it('rejects non-BMP and corrupt input with an Error', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer()
    expect(() => decodeBmp(png)).toThrow(/Not a BMP/)
    const badDepth = handMadeBmp({ width: 1, height: 1, bpp: 7, rows: [[0, 0, 0, 0]] })
    expect(() => decodeBmp(badDepth)).toThrow(/7 bits per pixel/)
    const zeroWidth = handMadeBmp({ width: 0, height: 1, bpp: 24, rows: [] })
    expect(() => decodeBmp(zeroWidth)).toThrow(/invalid dimensions/)
  })
})
