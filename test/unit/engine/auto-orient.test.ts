import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { EngineOptions, ImageResult } from '../../../src-main/engine/types'
import { failure, run } from '../../support/engine'
import { expectColour, makeImage, pixelAt, QUADRANTS, withOrientation } from '../../support/images'
import { phash } from '../../support/phash'

// ---- fixtures -------------------------------------------------------------------------------

/** A JPEG whose stored pixels are the quadrant pattern, tagged with EXIF `orientation`. */
async function oriented(width: number, height: number, orientation: number): Promise<Buffer> {
  const tagged = await withOrientation(await makeImage(width, height, 'jpg'), orientation)
  const meta = await sharp(tagged).metadata()
  expect([meta.width, meta.height, meta.orientation]).toEqual([width, height, orientation])
  return tagged
}

/** DEMO_F of the OSS docs: 424×333 stored, EXIF Orientation 7. */
const demoF = () => oriented(424, 333, 7)

/** `run`, and the output keeps no orientation tag (spec §3.7), or viewers would rotate a second time. */
async function runUntagged(bytes: Buffer, process: string, options: EngineOptions = {}): Promise<ImageResult> {
  const result = await run(bytes, process, options)
  const { orientation } = await sharp(result.data).metadata()
  expect(orientation === undefined || orientation === 1, `orientation ${orientation} left by ${process}`).toBe(true)
  return result
}

// ---- DEMO_F ---------------------------------------------------------------------------------

describe('auto-orient: the documented DEMO_F example (424×333, Orientation 7)', () => {
  it('resize,w_100/auto-orient,1 → 100×127: orientation first, whatever the op order', async () => {
    const out = await runUntagged(await demoF(), 'image/resize,w_100/auto-orient,1')
    expect([out.width, out.height]).toEqual([100, 127])
  })

  it('auto-orient,1/resize,w_100 → 100×127 as well', async () => {
    const out = await runUntagged(await demoF(), 'image/auto-orient,1/resize,w_100')
    expect([out.width, out.height]).toEqual([100, 127])
  })

  it('resize,w_100/auto-orient,0 → 100×79 (333·100/424 = 78.5 → 79)', async () => {
    const out = await runUntagged(await demoF(), 'image/resize,w_100/auto-orient,0')
    expect([out.width, out.height]).toEqual([100, 79])
  })

  it('resize,w_100 alone → 100×127 (implicit auto-orient, default on)', async () => {
    const out = await runUntagged(await demoF(), 'image/resize,w_100')
    expect([out.width, out.height]).toEqual([100, 127])
  })

  it('implicitAutoOrient: false → 100×79; an explicit auto-orient,1 still orients', async () => {
    const off = await runUntagged(await demoF(), 'image/resize,w_100', { implicitAutoOrient: false })
    expect([off.width, off.height]).toEqual([100, 79])
    const explicit = await runUntagged(await demoF(), 'image/resize,w_100/auto-orient,1', { implicitAutoOrient: false })
    expect([explicit.width, explicit.height]).toEqual([100, 127])
  })

  it('rotates the pixels: Orientation 7 (transverse) moves the stored bottom-right to the top-left', async () => {
    // Stored (x, y) is shown at (H−1−y, W−1−x): se → top-left, ne → top-right, sw → bottom-left, nw → bottom-right.
    const out = await runUntagged(await demoF(), 'image/auto-orient,1/format,png')
    expect([out.width, out.height]).toEqual([333, 424])
    expectColour(await pixelAt(out.data, 5, 5), QUADRANTS.se, 30)
    expectColour(await pixelAt(out.data, 327, 5), QUADRANTS.ne, 30)
    expectColour(await pixelAt(out.data, 5, 418), QUADRANTS.sw, 30)
    expectColour(await pixelAt(out.data, 327, 418), QUADRANTS.nw, 30)
    // sharp's own autoOrient agrees.
    const reference = await sharp(await demoF()).autoOrient().png().toBuffer()
    expectColour(await pixelAt(reference, 5, 5), QUADRANTS.se, 30)
    expectColour(await pixelAt(reference, 327, 418), QUADRANTS.nw, 30)
  })

  it('auto-orient,0 leaves the stored pixels as they are', async () => {
    const out = await runUntagged(await demoF(), 'image/auto-orient,0/format,png')
    expect([out.width, out.height]).toEqual([424, 333])
    expectColour(await pixelAt(out.data, 5, 5), QUADRANTS.nw, 30)
    expectColour(await pixelAt(out.data, 418, 327), QUADRANTS.se, 30)
  })
})

// ---- all eight orientations -----------------------------------------------------------------

/** Where stored pixel (x, y) of a W×H image is shown for each EXIF orientation (EXIF 2.3 table). */
const DISPLAY: Record<number, (x: number, y: number, W: number, H: number) => [number, number]> = {
  1: (x, y) => [x, y],
  2: (x, y, W) => [W - 1 - x, y],
  3: (x, y, W, H) => [W - 1 - x, H - 1 - y],
  4: (x, y, _W, H) => [x, H - 1 - y],
  5: (x, y) => [y, x],
  6: (x, y, _W, H) => [H - 1 - y, x],
  7: (x, y, W, H) => [H - 1 - y, W - 1 - x],
  8: (x, y, W) => [y, W - 1 - x]
}

describe('auto-orient: every EXIF orientation', () => {
  for (let orientation = 1; orientation <= 8; orientation++) {
    it(`Orientation ${orientation}: ${orientation >= 5 ? '333×424' : '424×333'}, same pHash as sharp.autoOrient(), corners where EXIF puts them`, async () => {
      const source = await oriented(424, 333, orientation)
      const expected = orientation >= 5 ? [333, 424] : [424, 333]
      const reference = sharp(source).autoOrient()
      const referenceHash = await phash(reference)

      const explicit = await runUntagged(source, 'image/auto-orient,1')
      expect([explicit.width, explicit.height]).toEqual(expected)
      expect(await phash(explicit.data)).toBe(referenceHash)

      const implicit = await runUntagged(source, 'image/format,png')
      expect([implicit.width, implicit.height]).toEqual(expected)
      expect(await phash(implicit.data)).toBe(referenceHash)

      const kept = await runUntagged(source, 'image/auto-orient,0')
      expect([kept.width, kept.height]).toEqual([424, 333])

      // pHash cannot tell a 180° turn or a transpose of this pattern apart, so the pixels are checked
      // too: each stored corner must land where the orientation puts it.
      const png = await runUntagged(source, 'image/auto-orient,1/format,png')
      for (const [quadrant, sx, sy] of [
        ['nw', 5, 5],
        ['ne', 418, 5],
        ['sw', 5, 327],
        ['se', 418, 327]
      ] as const) {
        const [dx, dy] = DISPLAY[orientation]!(sx, sy, 424, 333)
        expectColour(await pixelAt(png.data, dx, dy), QUADRANTS[quadrant], 30)
      }
    })
  }
})

// ---- the 4096-px rotation limit -------------------------------------------------------------

describe('auto-orient: sources larger than 4096 px', () => {
  const message = 'Picture exceed the maximum allowable rotation range'

  it('5000×100 with Orientation 6 → 400, implicitly and explicitly', async () => {
    const source = await oriented(5000, 100, 6)
    for (const process of ['image/resize,w_100', 'image/auto-orient,1', 'image/resize,w_100/auto-orient,1', 'image/format,png']) {
      const error = await failure(source, process)
      expect(error.status, process).toBe(400)
      expect(error.message, process).toContain(message)
    }
  })

  it('5000×100 with Orientation 6 processes with auto-orient,0 or the implicit flag off', async () => {
    const source = await oriented(5000, 100, 6)
    const off = await runUntagged(source, 'image/resize,w_100/auto-orient,0')
    expect([off.width, off.height]).toEqual([100, 2])
    const flagOff = await runUntagged(source, 'image/resize,w_100', { implicitAutoOrient: false })
    expect([flagOff.width, flagOff.height]).toEqual([100, 2])
  })

  it('5000×100 with Orientation 1 needs no rotation and processes', async () => {
    const source = await oriented(5000, 100, 1)
    const out = await runUntagged(source, 'image/resize,w_100')
    expect([out.width, out.height]).toEqual([100, 2])
  })

  it('4096×100 with Orientation 6 is still allowed', async () => {
    const source = await oriented(4096, 100, 6)
    const out = await runUntagged(source, 'image/resize,h_1024')
    expect([out.width, out.height]).toEqual([25, 1024])
  })
})
