/**
 * `quality` (spec §3.13 and its Project decisions) and `interlace` (§3.14).
 *
 * - q is relative to the source's estimated JPEG quality (JPG output; for WebP it acts like Q);
 * - Q is absolute but capped by the source's quality; Q wins when both are given;
 * - without a quality op: the source estimate capped at 90; a non-JPEG source counts as 100;
 * - only JPG and WebP outputs are affected; interlace only affects JPG.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { estimateJpegQuality } from '../../../../src-main/engine/codecs/jpeg-quality'
import { outputQuality } from '../../../../src-main/engine/encode'
import type { ChainSettings } from '../../../../src-main/engine/op'
import { failure, processToImage } from '../../../support/engine'
import { makeImage, quadrantPixels } from '../../../support/images'

const W = 64
const H = 48

/** The quadrant fixture as a JPEG at an exact IJG quality (sharp = libjpeg-turbo, standard tables). */
function jpegAt(quality: number): Promise<Buffer> {
  return sharp(quadrantPixels(W, H), { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality }).toBuffer()
}

async function qualityOf(bytes: Buffer, process: string): Promise<number | undefined> {
  const result = await processToImage(bytes, process)
  expect(result.format).toBe('jpg')
  return estimateJpegQuality(result.data)
}

const settings = (s: ChainSettings) => s

describe('outputQuality (pure)', () => {
  // [description, settings, source estimate (undefined = non-JPEG source), JPG result, WebP result]
  const table: [string, ChainSettings, number | undefined, number, number][] = [
    // Source q 80: the documented example.
    ['Q_90 is capped by the source', settings({ absoluteQuality: 90 }), 80, 80, 80],
    ['Q_70 below the source', settings({ absoluteQuality: 70 }), 80, 70, 70],
    ['q_50 is relative for JPG, absolute for WebP', settings({ relativeQuality: 50 }), 80, 40, 50],
    ['q_100 keeps the source quality', settings({ relativeQuality: 100 }), 80, 80, 80],
    ['q_90 for WebP is capped by the source like Q', settings({ relativeQuality: 90 }), 80, 72, 80],
    ['both: Q wins', settings({ relativeQuality: 50, absoluteQuality: 70 }), 80, 70, 70],
    ['both: Q wins, still capped', settings({ relativeQuality: 10, absoluteQuality: 95 }), 80, 80, 80],
    ['none: the source estimate', settings({}), 80, 80, 80],
    ['none: capped at 90', settings({}), 95, 90, 90],
    ['none: low source kept', settings({}), 60, 60, 60],
    // Relative results round half up and never reach 0.
    ['q_50 of 95 rounds 47.5 up', settings({ relativeQuality: 50 }), 95, 48, 50],
    ['q_1 of 30 is at least 1', settings({ relativeQuality: 1 }), 30, 1, 1],
    // Non-JPEG sources count as 100 for q/Q; the default is 90.
    ['non-JPEG: Q_95', settings({ absoluteQuality: 95 }), undefined, 95, 95],
    ['non-JPEG: q_50', settings({ relativeQuality: 50 }), undefined, 50, 50],
    ['non-JPEG: none → 90', settings({}), undefined, 90, 90]
  ]

  it.each(table)('%s', (_name, s, source, jpg, webp) => {
    expect(outputQuality('jpg', s, source)).toBe(jpg)
    expect(outputQuality('webp', s, source)).toBe(webp)
  })
})

const sources = await Promise.all([95, 80, 60].map(async (q) => [q, await jpegAt(q)] as const))

describe('quality through processImage (JPG output)', () => {
  it('the fixtures really are at 95, 80 and 60', () => {
    for (const [q, bytes] of sources) expect(estimateJpegQuality(bytes)).toBe(q)
  })

  describe.each(sources)('source at quality %i', (source, bytes) => {
    const cases: [string, number][] = [
      ['image/resize,w_64', Math.min(source, 90)], // default: min(source, 90)
      ['image/quality,Q_90', Math.min(90, source)],
      ['image/quality,Q_50', 50],
      ['image/quality,q_50', Math.round(source / 2)],
      ['image/quality,q_100', source],
      ['image/quality,q_50,Q_70', Math.min(70, source)], // Q wins
      ['image/quality,Q_70/quality,q_50', Math.min(70, source)], // in separate ops too
      ['image/quality,80', Math.round((source * 80) / 100)] // bare form = q
    ]
    it.each(cases)('%s → quality %i', async (process, expected) => {
      expect(await qualityOf(bytes, process)).toBe(expected)
    })
  })

  it('a non-JPEG source counts as 100 (default 90)', async () => {
    const png = await makeImage(W, H, 'png')
    expect(await qualityOf(png, 'image/format,jpg')).toBe(90)
    expect(await qualityOf(png, 'image/format,jpg/quality,Q_95')).toBe(95)
    expect(await qualityOf(png, 'image/quality,q_40/format,jpg')).toBe(40)
  })

  it('quality affects the size of the JPEG', async () => {
    const [, bytes] = sources[0]!
    const high = await processToImage(bytes, 'image/quality,Q_95')
    const low = await processToImage(bytes, 'image/quality,Q_10')
    expect(low.data.length).toBeLessThan(high.data.length)
  })

  it('rejects out-of-range and empty quality ops with the documented ECs', async () => {
    const [, bytes] = sources[1]!
    expect((await failure(bytes, 'image/quality,q_0')).ec).toBe('0040-00000309')
    expect((await failure(bytes, 'image/quality,Q_101')).ec).toBe('0040-00000308')
    expect((await failure(bytes, 'image/quality')).ec).toBe('0040-00000307')
    expect((await failure(bytes, 'image/quality,200')).ec).toBe('0040-00000310')
  })
})

describe('quality for other outputs', () => {
  it('is ignored for PNG output: the bytes are identical with and without', async () => {
    const jpg = await jpegAt(80)
    const plain = await processToImage(jpg, 'image/format,png')
    for (const process of ['image/quality,q_10/format,png', 'image/format,png/quality,Q_5', 'image/quality,q_50,Q_20/format,png']) {
      expect((await processToImage(jpg, process)).data.equals(plain.data), process).toBe(true)
    }
  })

  it('is ignored for BMP, GIF and TIFF output', async () => {
    const png = await makeImage(W, H, 'png')
    for (const format of ['bmp', 'tiff'] as const) {
      const plain = await processToImage(png, `image/format,${format}`)
      expect((await processToImage(png, `image/format,${format}/quality,Q_10`)).data.equals(plain.data), format).toBe(true)
    }
    const gif = await makeImage(W, H, 'gif')
    expect((await processToImage(gif, 'image/quality,Q_10')).data.equals((await processToImage(gif, 'image/resize,w_64')).data)).toBe(true)
  })

  it('WebP: q acts like Q, capped by the source quality', async () => {
    const jpg80 = await jpegAt(80)
    const webp = (process: string) => processToImage(jpg80, `image/format,webp/${process}`).then((r) => r.data)
    // q_50 and Q_50 both encode at 50.
    expect((await webp('quality,q_50')).equals(await webp('quality,Q_50'))).toBe(true)
    // Q_90 and q_90 are capped at the source's 80, which is also the default.
    const at80 = await webp('resize,w_64')
    expect((await webp('quality,Q_90')).equals(at80)).toBe(true)
    expect((await webp('quality,q_90')).equals(at80)).toBe(true)
    expect((await webp('quality,Q_80')).equals(at80)).toBe(true)
    expect((await webp('quality,Q_79')).equals(at80)).toBe(false)
    // And it is the real WebP quality setting.
    expect((await webp('quality,Q_50')).equals(await sharp(jpg80).webp({ quality: 50 }).toBuffer())).toBe(true)
  })
})

describe('interlace', () => {
  const progressive = async (bytes: Buffer, process: string) => {
    const result = await processToImage(bytes, process)
    const meta = await sharp(result.data).metadata()
    return { format: result.format, isProgressive: meta.isProgressive }
  }

  it('interlace,1 gives a progressive JPEG; interlace,0 and no op give baseline', async () => {
    const jpg = await jpegAt(80)
    expect(await progressive(jpg, 'image/interlace,1')).toEqual({ format: 'jpg', isProgressive: true })
    expect(await progressive(jpg, 'image/interlace,0')).toEqual({ format: 'jpg', isProgressive: false })
    expect(await progressive(jpg, 'image/resize,w_32')).toEqual({ format: 'jpg', isProgressive: false })
    // The last one wins (spec §4 step 4).
    expect(await progressive(jpg, 'image/interlace,1/interlace,0')).toEqual({ format: 'jpg', isProgressive: false })
  })

  it('progressive output keeps the quality rules', async () => {
    const result = await processToImage(await jpegAt(80), 'image/interlace,1/quality,q_50')
    expect(estimateJpegQuality(result.data)).toBe(40)
  })

  it('interlace,1/format,jpg and format,jpg/interlace,1 on a PNG source (documented examples)', async () => {
    const png = await makeImage(W, H, 'png')
    expect(await progressive(png, 'image/interlace,1/format,jpg')).toEqual({ format: 'jpg', isProgressive: true })
    expect(await progressive(png, 'image/format,jpg/interlace,1')).toEqual({ format: 'jpg', isProgressive: true })
  })

  it('is ignored for PNG and WebP output (no error, same bytes)', async () => {
    const png = await makeImage(W, H, 'png', { alpha: true })
    const plain = await processToImage(png, 'image/resize,w_64')
    const interlaced = await processToImage(png, 'image/interlace,1')
    expect(interlaced.format).toBe('png')
    expect(interlaced.data.equals(plain.data)).toBe(true)
    expect((await sharp(interlaced.data).metadata()).isProgressive).toBe(false)

    const webpPlain = await processToImage(png, 'image/format,webp')
    expect((await processToImage(png, 'image/interlace,1/format,webp')).data.equals(webpPlain.data)).toBe(true)
  })
})
