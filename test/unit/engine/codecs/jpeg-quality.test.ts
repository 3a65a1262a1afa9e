import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { estimateJpegQuality } from '../../../../src-main/engine/codecs/jpeg-quality'

const noise = () => sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })

describe('estimateJpegQuality', () => {
  it.each([50, 75, 90, 95])('recovers quality %i from a sharp-encoded JPEG (±2)', async (quality) => {
    const jpeg = await noise().jpeg({ quality }).toBuffer()
    const estimate = estimateJpegQuality(jpeg)
    expect(estimate).toBeDefined()
    expect(Math.abs((estimate ?? 0) - quality)).toBeLessThanOrEqual(2)
  })

  it('reads greyscale (one table) and progressive 4:4:4 JPEGs', async () => {
    expect(estimateJpegQuality(await noise().greyscale().jpeg({ quality: 60 }).toBuffer())).toBe(60)
    const progressive = await noise().jpeg({ quality: 85, progressive: true, chromaSubsampling: '4:4:4' }).toBuffer()
    expect(estimateJpegQuality(progressive)).toBe(85)
  })

  it('handles the extremes', async () => {
    expect(estimateJpegQuality(await noise().jpeg({ quality: 100 }).toBuffer())).toBe(100)
    expect(estimateJpegQuality(await noise().jpeg({ quality: 1 }).toBuffer())).toBe(1)
  })

  it('gives a best-fit estimate for non-IJG tables', async () => {
    const estimate = estimateJpegQuality(await noise().jpeg({ quality: 80, mozjpeg: true }).toBuffer())
    expect(estimate).toBeGreaterThanOrEqual(70)
    expect(estimate).toBeLessThanOrEqual(90)
  })

  it('needs only the headers: a file cut after its tables still works', async () => {
    const jpeg = await noise().jpeg({ quality: 75 }).withMetadata().toBuffer()
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]))
    expect(estimateJpegQuality(jpeg.subarray(0, sos))).toBe(75)
  })

  it('returns undefined for non-JPEG and malformed input', async () => {
    expect(estimateJpegQuality(new Uint8Array())).toBeUndefined()
    expect(estimateJpegQuality(Uint8Array.from([0xff, 0xd8]))).toBeUndefined()
    expect(estimateJpegQuality(await noise().png().toBuffer())).toBeUndefined()
    // A DQT segment whose length runs past the end of the file.
    expect(estimateJpegQuality(Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 1, 2, 3]))).toBeUndefined()
    // A DQT segment declaring an invalid precision.
    const badPrecision = [0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x20, ...new Array<number>(64).fill(1), 0xff, 0xd9]
    expect(estimateJpegQuality(Uint8Array.from(badPrecision))).toBeUndefined()
  })

  it('never throws on arbitrary bytes after a JPEG signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
        const result = estimateJpegQuality(Uint8Array.from([0xff, 0xd8, 0xff, ...tail]))
        return result === undefined || (Number.isInteger(result) && result >= 1 && result <= 100)
      }),
      { numRuns: 2000 }
    )
  })

  it('never throws on prefixes or corrupted copies of a real JPEG', async () => {
    const jpeg = await noise().jpeg({ quality: 70 }).toBuffer()
    for (let n = 0; n < 700; n++) estimateJpegQuality(jpeg.subarray(0, n))
    fc.assert(
      fc.property(fc.nat({ max: 699 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const copy = Uint8Array.from(jpeg.subarray(0, 700))
        copy[at] = value
        estimateJpegQuality(copy)
        return true
      }),
      { numRuns: 2000 }
    )
  })

  it('is fast enough to run on every request', async () => {
    const jpeg = await noise().jpeg({ quality: 80 }).toBuffer()
    const start = performance.now()
    for (let i = 0; i < 1000; i++) estimateJpegQuality(jpeg)
    expect((performance.now() - start) / 1000).toBeLessThan(1) // ms per call; ~0.04 ms measured
  })
})
