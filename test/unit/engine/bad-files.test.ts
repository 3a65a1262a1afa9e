/**
 * Hostile and broken sources: each gets OSS's error shape before heavy work, never a crash
 * or a different exception type.
 */
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { processImage } from '../../../src-main/engine/executor'
import { failure } from '../../support/engine'
import { animatedGif, greyPng, makeImage, pngHeaderOnly } from '../../support/images'

/** The chain most cases run: any work on the pixels. */
const RESIZE = 'image/resize,w_100'

/** A real bomb: 16500×16500 grey pixels (272 M > 250 M) of zeros, a few hundred KB compressed. */
function pngBomb(side: number): Buffer {
  return greyPng(side, side, deflateSync(Buffer.alloc((side + 1) * side), { level: 9 }))
}

describe('bad source files', () => {
  it('an empty object', async () => {
    const error = await failure(Buffer.alloc(0), RESIZE)
    expect(error).toMatchObject({ status: 400, code: 'BadRequest', ec: '0040-00000012' })
    expect(error.message).toContain('empty')
  })

  it('bytes that are not an image (a mislabeled text file)', async () => {
    const error = await failure(Buffer.from('<html>not really a jpeg</html>'), RESIZE)
    expect(error).toMatchObject({ status: 400, code: 'BadRequest', ec: '0040-00000012' })
  })

  it('a truncated JPEG', async () => {
    const jpeg = await makeImage(400, 300)
    const error = await failure(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), RESIZE)
    expect(error).toMatchObject({ status: 400, code: 'BadRequest', ec: '0040-00000012' })
  })

  it('a JPEG cut inside its header', async () => {
    const jpeg = await makeImage(400, 300)
    const error = await failure(jpeg.subarray(0, 40), RESIZE)
    expect(error.status).toBe(400)
  })

  it('a header claiming 30001 px: rejected from the header, EC 0040-00000009 when resizing', async () => {
    const error = await failure(pngHeaderOnly(30_001, 10), RESIZE)
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
    expect((await failure(big, RESIZE)).code).toBe('ImageTooLarge')
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
    const gif = await animatedGif(10_000, 6_000, [0, 50, 100, 150, 200].map((grey) => [grey]))
    const error = await failure(gif, RESIZE)
    expect(error).toMatchObject({ code: 'ImageTooLarge', ec: '0040-00000009' })
  }, 60_000)
})
