/**
 * Hostile and broken sources: each gets OSS's error shape before heavy work, never a crash
 * or a different exception type.
 */
import { deflateSync, crc32 } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ImgError } from '../../../src-shared/img/errors'
import { processImage } from '../../../src-main/engine/executor'
import { makeImage, pngHeaderOnly } from '../../support/images'

async function failure(bytes: Buffer, process = 'image/resize,w_100'): Promise<ImgError> {
  const error = await processImage(bytes, process).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ImgError)
  return error as ImgError
}

/** A real bomb: 16500×16500 grey pixels (272 M > 250 M) of zeros, a few hundred KB compressed. */
function pngBomb(side: number): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(4)
    head.writeUInt32BE(body.length)
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(typed))
    return Buffer.concat([head, typed, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr[8] = 8
  const rows = deflateSync(Buffer.alloc((side + 1) * side), { level: 9 })
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))])
}

describe('bad source files', () => {
  it('an empty object', async () => {
    const error = await failure(Buffer.alloc(0))
    expect(error).toMatchObject({ status: 400, code: 'BadRequest', ec: '0040-00000012' })
    expect(error.message).toContain('empty')
  })

  it('bytes that are not an image (a mislabeled text file)', async () => {
    const error = await failure(Buffer.from('<html>not really a jpeg</html>'))
    expect(error).toMatchObject({ status: 400, code: 'BadRequest', ec: '0040-00000012' })
  })

  it('a truncated JPEG', async () => {
    const jpeg = await makeImage(400, 300)
    const error = await failure(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)))
    expect(error).toMatchObject({ status: 400, code: 'BadRequest', ec: '0040-00000012' })
  })

  it('a JPEG cut inside its header', async () => {
    const jpeg = await makeImage(400, 300)
    const error = await failure(jpeg.subarray(0, 40))
    expect(error.status).toBe(400)
  })

  it('a header claiming 30001 px: rejected from the header, EC 0040-00000009 when resizing', async () => {
    const error = await failure(pngHeaderOnly(30_001, 10))
    expect(error).toMatchObject({ status: 400, code: 'ImageTooLarge', ec: '0040-00000009' })
    expect(error.message).toContain('30001x10')
    expect((await failure(pngHeaderOnly(10, 30_001), 'image/format,png')).ec).toBe('0040-00000012')
  })

  it('a PNG decompression bomb over 250 M pixels is refused before decoding', async () => {
    const bomb = pngBomb(16_500)
    expect(bomb.length).toBeLessThan(2_000_000)
    const before = process.memoryUsage().rss
    const error = await failure(bomb, 'image/format,jpg')
    expect(error).toMatchObject({ status: 400, code: 'ImageTooLarge', ec: '0040-00000012' })
    // Decoding would need 272 MB; the header check needs next to nothing.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024)
  })

  it('a source over 20 MB', async () => {
    const big = Buffer.concat([await makeImage(64, 64), Buffer.alloc(21 * 1024 * 1024)])
    expect((await failure(big)).code).toBe('ImageTooLarge')
  })

  it('a 1×1 image processes normally', async () => {
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#123456' } }).png().toBuffer()
    const result = await processImage(tiny, 'image/resize,w_100,limit_0/rotate,45/format,jpg')
    expect(result).toMatchObject({ kind: 'image', format: 'jpg' })
    expect((await processImage(tiny, 'image/crop,w_10,h_10/circle,r_5')).kind).toBe('image')
  })

  it('a PNG with a .jpg name is read by content and answered in its real format', async () => {
    const png = await makeImage(50, 40, 'png')
    const result = await processImage(png, 'image/resize,w_25')
    expect(result).toMatchObject({ format: 'png', width: 25, height: 20 })
  })

  it('a GIF whose frames exceed 250 M pixels in total is refused (frames counted)', async () => {
    // 5 frames of 10000×6000 = 300 M pixels; GIF stores them compactly.
    // Frames must differ, or the GIF encoder merges them into one.
    const frames = Array.from({ length: 5 }, (_, i) => Buffer.alloc(10_000 * 6_000, i * 50))
    const gif = await sharp(Buffer.concat(frames), { raw: { width: 10_000, height: 30_000, channels: 1, pageHeight: 6_000 }, limitInputPixels: false })
      .gif()
      .toBuffer()
    const error = await failure(gif, 'image/resize,w_100')
    expect(error).toMatchObject({ code: 'ImageTooLarge', ec: '0040-00000009' })
  }, 60_000)
})
