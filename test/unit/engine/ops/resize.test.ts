import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { resizeGeometry, type ResizeGeometry } from '../../../../src-main/engine/ops/resize'
import type { WatermarkResizeParams } from '../../../../src-shared/img/actions/watermark'
import { ImgError } from '../../../../src-shared/img/errors'
import { failure, run } from '../../../support/engine'
import { expectColour, makeImage, pixelAt, QUADRANTS } from '../../../support/images'

// ---- helpers --------------------------------------------------------------------------------

type Size = readonly [number, number]

const LANDSCAPE: Size = [400, 267] // the OSS demo example.jpg
const PORTRAIT: Size = [267, 400]
const SQUARE: Size = [300, 300]

function geometry(source: Size, params: WatermarkResizeParams, gif = false): ResizeGeometry {
  return resizeGeometry({ width: source[0], height: source[1] }, params, { gif })
}

function size(source: Size, params: WatermarkResizeParams, gif = false): [number, number] {
  const g = geometry(source, params, gif)
  return [g.width, g.height]
}

function geometryError(source: Size, params: WatermarkResizeParams): ImgError {
  let caught: unknown
  try {
    geometry(source, params)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(ImgError)
  return caught as ImgError
}

/** The quadrant pattern as an animated GIF of `frames` pages (page k: channels rotated k times, so frames differ). */
async function animatedGif(width: number, height: number, frames: number): Promise<Buffer> {
  const gif = await makeImage(width, height, 'gif', { pages: frames })
  expect((await sharp(gif).metadata()).pages).toBe(frames)
  return gif
}

type RGBA = readonly [number, number, number, number]

// ---- resizeGeometry: every mode × every way of giving the size -----------------------------

type Row = readonly [label: string, source: Size, params: WatermarkResizeParams, expected: Size]

/**
 * Hand-computed with spec §3.1.3 (half-up rounding, minimum 1). Sources are shrunk so `limit`
 * does not interfere. Box from l+s: long side = the larger source side, a square counts as
 * landscape (Project decision).
 */
const MODE_TABLE: Record<'lfit' | 'mfit' | 'fill' | 'pad' | 'fixed', readonly Row[]> = {
  lfit: [
    ['w only: 267·100/400 = 66.75 → 67', LANDSCAPE, { w: 100 }, [100, 67]],
    ['w only, portrait: 400·100/267 = 149.8 → 150', PORTRAIT, { w: 100 }, [100, 150]],
    ['h only: 400·100/267 = 149.8 → 150', LANDSCAPE, { h: 100 }, [150, 100]],
    ['w+h: k = min(0.25, 0.375)', LANDSCAPE, { w: 100, h: 100 }, [100, 67]],
    ['w+h, portrait', PORTRAIT, { w: 100, h: 100 }, [67, 100]],
    ['w+h, square in a 100×50 box', SQUARE, { w: 100, h: 50 }, [50, 50]],
    ['l only (m ignored)', LANDSCAPE, { l: 100 }, [100, 67]],
    ['l only, portrait', PORTRAIT, { l: 100 }, [67, 100]],
    ['l only, square', SQUARE, { l: 100 }, [100, 100]],
    ['s only: 400·100/267 = 149.8 → 150', LANDSCAPE, { s: 100 }, [150, 100]],
    ['s only, portrait', PORTRAIT, { s: 100 }, [100, 150]],
    ['s only, square', SQUARE, { s: 150 }, [150, 150]],
    ['l+s landscape: box 200×100, k = 100/267', LANDSCAPE, { l: 200, s: 100 }, [150, 100]],
    ['l+s portrait: box 100×200, k = 100/267', PORTRAIT, { l: 200, s: 100 }, [100, 150]],
    ['l+s square: box 200×100 (square = landscape), k = 1/3', SQUARE, { l: 200, s: 100 }, [100, 100]],
    ['p_50: 133.5 → 134', LANDSCAPE, { p: 50 }, [200, 134]]
  ],
  mfit: [
    ['w only: proportional', LANDSCAPE, { w: 100 }, [100, 67]],
    ['h only: proportional', LANDSCAPE, { h: 100 }, [150, 100]],
    ['w+h: k = max(0.25, 0.375)', LANDSCAPE, { w: 100, h: 100 }, [150, 100]],
    ['w+h, portrait', PORTRAIT, { w: 100, h: 100 }, [100, 150]],
    ['w+h, square in a 100×50 box', SQUARE, { w: 100, h: 50 }, [100, 100]],
    ['l only (m ignored)', LANDSCAPE, { l: 100 }, [100, 67]],
    ['s only (m ignored)', PORTRAIT, { s: 100 }, [100, 150]],
    ['l+s landscape: box 200×100, k = 0.5, 133.5 → 134', LANDSCAPE, { l: 200, s: 100 }, [200, 134]],
    ['l+s portrait: box 100×200, k = 0.5', PORTRAIT, { l: 200, s: 100 }, [134, 200]],
    ['l+s square: box 200×100, k = 2/3', SQUARE, { l: 200, s: 100 }, [200, 200]],
    ['p_50', LANDSCAPE, { p: 50 }, [200, 134]]
  ],
  fill: [
    ['w only: square box', LANDSCAPE, { w: 100 }, [100, 100]],
    ['h only: square box', LANDSCAPE, { h: 100 }, [100, 100]],
    ['h only, portrait: square box', PORTRAIT, { h: 100 }, [100, 100]],
    ['w+h: the box', LANDSCAPE, { w: 100, h: 50 }, [100, 50]],
    ['w+h, portrait: the box', PORTRAIT, { w: 100, h: 50 }, [100, 50]],
    ['l only (m ignored): proportional', LANDSCAPE, { l: 100 }, [100, 67]],
    ['s only (m ignored): proportional', LANDSCAPE, { s: 100 }, [150, 100]],
    ['l+s landscape: box 200×100', LANDSCAPE, { l: 200, s: 100 }, [200, 100]],
    ['l+s portrait: box 100×200', PORTRAIT, { l: 200, s: 100 }, [100, 200]],
    ['l+s square: box 200×100', SQUARE, { l: 200, s: 100 }, [200, 100]],
    ['p_50 (m irrelevant)', LANDSCAPE, { p: 50 }, [200, 134]]
  ],
  pad: [
    ['w only: square box', LANDSCAPE, { w: 100 }, [100, 100]],
    ['h only: square box', LANDSCAPE, { h: 100 }, [100, 100]],
    ['w+h: the box', LANDSCAPE, { w: 100, h: 50 }, [100, 50]],
    ['w+h, portrait: the box', PORTRAIT, { w: 50, h: 100 }, [50, 100]],
    ['l only (m ignored): proportional', PORTRAIT, { l: 100 }, [67, 100]],
    ['s only (m ignored): proportional', LANDSCAPE, { s: 100 }, [150, 100]],
    ['l+s landscape: box 200×100', LANDSCAPE, { l: 200, s: 100 }, [200, 100]],
    ['l+s portrait: box 100×200', PORTRAIT, { l: 200, s: 100 }, [100, 200]],
    ['l+s square: box 200×100', SQUARE, { l: 200, s: 100 }, [200, 100]],
    ['p_50 (m irrelevant)', LANDSCAPE, { p: 50 }, [200, 134]]
  ],
  fixed: [
    ['w only: proportional (2026 rule)', LANDSCAPE, { w: 100 }, [100, 67]],
    ['h only: proportional (2026 rule)', LANDSCAPE, { h: 100 }, [150, 100]],
    ['w+h: stretched to the box', LANDSCAPE, { w: 100, h: 100 }, [100, 100]],
    ['w+h, portrait: stretched', PORTRAIT, { w: 200, h: 30 }, [200, 30]],
    ['l only (m ignored)', LANDSCAPE, { l: 100 }, [100, 67]],
    ['s only (m ignored)', LANDSCAPE, { s: 100 }, [150, 100]],
    ['l+s landscape: box 200×100', LANDSCAPE, { l: 200, s: 100 }, [200, 100]],
    ['l+s portrait: box 100×200', PORTRAIT, { l: 200, s: 100 }, [100, 200]],
    ['l+s square: box 200×100', SQUARE, { l: 200, s: 100 }, [200, 100]],
    ['p_50 (m irrelevant)', LANDSCAPE, { p: 50 }, [200, 134]]
  ]
}

describe('resizeGeometry: modes', () => {
  for (const [mode, rows] of Object.entries(MODE_TABLE)) {
    describe(`m_${mode}`, () => {
      for (const [label, source, params, expected] of rows) {
        it(`${source.join('×')} ${JSON.stringify(params)} → ${expected.join('×')} (${label})`, () => {
          const g = geometry(source, { m: mode as WatermarkResizeParams['m'], ...params })
          expect([g.width, g.height]).toEqual(expected)
          expect(g.blocked).toBe(false)
        })
      }
    })
  }

  it('defaults to lfit when m is absent', () => {
    expect(size(LANDSCAPE, { w: 100, h: 100 })).toEqual([100, 67])
    expect(size(LANDSCAPE, { l: 200, s: 100 })).toEqual([150, 100])
  })

  it('matches the documented examples (200×100 in 150×80; 256×144 h_100; 2500×1875)', () => {
    expect(size([200, 100], { m: 'lfit', w: 150, h: 80 })).toEqual([150, 75])
    expect(size([200, 100], { m: 'mfit', w: 150, h: 80 })).toEqual([160, 80])
    expect(size([200, 100], { m: 'fill', w: 150, h: 80 })).toEqual([150, 80])
    expect(size([200, 100], { m: 'pad', w: 150, h: 80 })).toEqual([150, 80])
    expect(size([200, 100], { m: 'fixed', w: 150, h: 80 })).toEqual([150, 80])
    expect(size([256, 144], { m: 'lfit', h: 100 })).toEqual([178, 100])
    expect(size([256, 144], { m: 'pad', h: 100 })).toEqual([100, 100])
    expect(size([256, 144], { m: 'fill', h: 100 })).toEqual([100, 100])
    expect(size([2500, 1875], { w: 200 })).toEqual([200, 150])
    expect(size([2500, 1875], { l: 200 })).toEqual([200, 150])
    expect(size([2500, 1875], { s: 200 })).toEqual([267, 200])
    expect(size([400, 267], { l: 100 })).toEqual([100, 67])
  })

  it('reports how sharp reaches the result', () => {
    expect(geometry(LANDSCAPE, { m: 'fill', w: 100, h: 50 }).fit).toBe('cover')
    expect(geometry(LANDSCAPE, { m: 'pad', w: 100, h: 50 }).fit).toBe('contain')
    expect(geometry(LANDSCAPE, { m: 'fixed', w: 100, h: 50 }).fit).toBe('fill')
    expect(geometry(LANDSCAPE, { m: 'lfit', w: 100, h: 50 }).fit).toBe('fill')
    expect(geometry(LANDSCAPE, { w: 800 }).fit).toBe('none')
  })
})

describe('resizeGeometry: rounding (half-up, minimum 1)', () => {
  it('rounds .5 up', () => {
    // 1875·0.5 = 937.5 → 938 (documented)
    expect(size([2500, 1875], { p: 50 })).toEqual([1250, 938])
    // 2500·2000/1875 = 2666.7 → 2667 (documented)
    expect(size([2500, 1875], { h: 2000, limit: 0 })).toEqual([2667, 2000])
    // 5·0.5 = 2.5 → 3, 3·0.5 = 1.5 → 2
    expect(size([5, 3], { p: 50 })).toEqual([3, 2])
    // 333·100/424 = 78.54 → 79
    expect(size([424, 333], { w: 100 })).toEqual([100, 79])
    // 267·0.5 = 133.5 → 134 through a box too
    expect(size(LANDSCAPE, { m: 'mfit', w: 200, h: 10 })).toEqual([200, 134])
  })

  it('rounds below .5 down', () => {
    expect(size([2500, 1875], { w: 100 })).toEqual([100, 75])
    // 2500·100/1875 = 133.3 → 133
    expect(size([2500, 1875], { h: 100 })).toEqual([133, 100])
  })

  it('never yields a 0 side', () => {
    expect(size([1000, 1], { w: 10 })).toEqual([10, 1])
    expect(size([1, 1000], { p: 1 })).toEqual([1, 10])
    expect(size([3000, 2], { m: 'lfit', w: 30, h: 30 })).toEqual([30, 1])
  })
})

describe('resizeGeometry: precedence w/h > l/s > p', () => {
  it('w/h beat l/s (any m)', () => {
    expect(size(LANDSCAPE, { w: 100, l: 300 })).toEqual([100, 67])
    expect(size(LANDSCAPE, { h: 100, s: 30 })).toEqual([150, 100])
    expect(size(LANDSCAPE, { m: 'fill', w: 100, l: 50, s: 30 })).toEqual([100, 100])
    expect(size(LANDSCAPE, { m: 'pad', w: 80, h: 60, l: 200, s: 100 })).toEqual([80, 60])
    // Documented: 3924×2550 l_923,h_600 → 923×600 (h wins)
    expect(size([3924, 2550], { l: 923, h: 600 })).toEqual([923, 600])
  })

  it('w/h beat p', () => {
    expect(size(LANDSCAPE, { w: 100, p: 10 })).toEqual([100, 67])
    expect(size(LANDSCAPE, { m: 'fixed', w: 100, h: 100, p: 10 })).toEqual([100, 100])
  })

  it('l/s beat p (Project decision)', () => {
    expect(size(LANDSCAPE, { l: 100, p: 10 })).toEqual([100, 67])
    expect(size(LANDSCAPE, { s: 100, p: 10 })).toEqual([150, 100])
    expect(size(PORTRAIT, { l: 200, s: 100, p: 10 })).toEqual([100, 150])
  })

  it('m is ignored with a single l or s, used with both', () => {
    for (const m of ['lfit', 'mfit', 'fill', 'pad', 'fixed'] as const) {
      expect(size(LANDSCAPE, { m, l: 100 }), m).toEqual([100, 67])
      expect(size(LANDSCAPE, { m, s: 100 }), m).toEqual([150, 100])
    }
    expect(size(LANDSCAPE, { m: 'lfit', l: 200, s: 100 })).toEqual([150, 100])
    expect(size(LANDSCAPE, { m: 'fixed', l: 200, s: 100 })).toEqual([200, 100])
  })
})

describe('resizeGeometry: limit', () => {
  const blocked = (source: Size, params: WatermarkResizeParams, gif = false) => {
    const g = geometry(source, params, gif)
    expect([g.width, g.height, g.blocked, g.fit], JSON.stringify(params)).toEqual([source[0], source[1], true, 'none'])
  }
  const allowed = (source: Size, params: WatermarkResizeParams, expected: Size, gif = false) => {
    const g = geometry(source, params, gif)
    expect([g.width, g.height, g.blocked], JSON.stringify(params)).toEqual([expected[0], expected[1], false])
  }

  it('limit_1 (default) returns the source resolution instead of enlarging; limit_0 enlarges', () => {
    // Documented: w_500 on a 400-wide image → 400×267
    blocked(LANDSCAPE, { w: 500 })
    blocked(LANDSCAPE, { w: 500, limit: 1 })
    allowed(LANDSCAPE, { w: 500, limit: 0 }, [500, 334])
    allowed([2500, 1875], { w: 3000, limit: 0 }, [3000, 2250])
  })

  it('lfit: blocked when k = min(BW/W, BH/H) > 1', () => {
    blocked(LANDSCAPE, { m: 'lfit', w: 800, h: 800 })
    allowed(LANDSCAPE, { m: 'lfit', w: 800, h: 800, limit: 0 }, [800, 534])
    // k = min(2, 0.75) < 1: a wide box that does not enlarge
    allowed(LANDSCAPE, { m: 'lfit', w: 800, h: 200 }, [300, 200])
    allowed(LANDSCAPE, { m: 'lfit', w: 400, h: 267 }, [400, 267])
  })

  it('mfit: blocked when k = max(BW/W, BH/H) > 1, even if one box side is smaller', () => {
    // k = max(0.75, 1.124) > 1
    blocked(LANDSCAPE, { m: 'mfit', w: 300, h: 300 })
    allowed(LANDSCAPE, { m: 'mfit', w: 300, h: 300, limit: 0 }, [449, 300])
    allowed(LANDSCAPE, { m: 'mfit', w: 300, h: 100 }, [300, 200])
  })

  it('fill: blocked when the cover factor k > 1', () => {
    blocked(LANDSCAPE, { m: 'fill', w: 300, h: 300 })
    allowed(LANDSCAPE, { m: 'fill', w: 300, h: 300, limit: 0 }, [300, 300])
    blocked(LANDSCAPE, { m: 'fill', w: 500 })
    allowed(LANDSCAPE, { m: 'fill', w: 100, h: 50 }, [100, 50])
  })

  it('pad: blocked when the fit factor k > 1, not when only the canvas is larger', () => {
    // k = min(1.25, 1.124) > 1
    blocked(LANDSCAPE, { m: 'pad', w: 500, h: 300 })
    allowed(LANDSCAPE, { m: 'pad', w: 500, h: 300, limit: 0 }, [500, 300])
    // k = min(1.25, 0.749) < 1: the 500×200 canvas is wider than the source, the image shrinks
    allowed(LANDSCAPE, { m: 'pad', w: 500, h: 200 }, [500, 200])
  })

  it('fixed: blocked when either target side exceeds the source side', () => {
    blocked(LANDSCAPE, { m: 'fixed', w: 500, h: 100 })
    blocked(LANDSCAPE, { m: 'fixed', w: 100, h: 300 })
    allowed(LANDSCAPE, { m: 'fixed', w: 500, h: 100, limit: 0 }, [500, 100])
    allowed(LANDSCAPE, { m: 'fixed', w: 400, h: 267 }, [400, 267])
    allowed(LANDSCAPE, { m: 'fixed', w: 399, h: 10 }, [399, 10])
  })

  it('l / s alone: blocked when the named side grows', () => {
    blocked(LANDSCAPE, { l: 800 })
    blocked(LANDSCAPE, { s: 300 })
    allowed(LANDSCAPE, { l: 800, limit: 0 }, [800, 534])
    allowed(LANDSCAPE, { s: 534, limit: 0 }, [800, 534])
    // portrait box 300×500: k = min(300/267, 500/400) > 1
    blocked(PORTRAIT, { l: 500, s: 300 })
  })

  it('p ignores limit (documented p_120 without limit_0)', () => {
    allowed([2500, 1875], { p: 120 }, [3000, 2250])
    allowed(LANDSCAPE, { p: 200 }, [800, 534])
    allowed(LANDSCAPE, { p: 200, limit: 1 }, [800, 534])
  })

  it('GIF is never enlarged, whatever limit says; shrinking is fine', () => {
    blocked(LANDSCAPE, { w: 500, limit: 0 }, true)
    blocked(LANDSCAPE, { m: 'fixed', w: 500, h: 100, limit: 0 }, true)
    blocked(LANDSCAPE, { m: 'fill', w: 300, h: 300, limit: 0 }, true)
    blocked(LANDSCAPE, { l: 800, limit: 0 }, true)
    blocked(LANDSCAPE, { p: 200 }, true)
    allowed(LANDSCAPE, { w: 100, limit: 0 }, [100, 67], true)
    allowed(LANDSCAPE, { p: 50 }, [200, 134], true)
  })
})

describe('resizeGeometry: output limits (16384 px per side, 16,777,216 pixels)', () => {
  const expectTooLarge = (source: Size, params: WatermarkResizeParams) => {
    const error = geometryError(source, params)
    expect([error.status, error.code, error.ec], JSON.stringify(params)).toEqual([400, 'ImageTooLarge', '0040-00000007'])
    expect(error.message).toMatch(/16384/)
    expect(error.message).toMatch(/16777216/)
  }

  it('m_fixed,w_5000,h_5000 fails even on a small source (checked before limit)', () => {
    expectTooLarge([100, 100], { m: 'fixed', w: 5000, h: 5000 })
    expectTooLarge([100, 100], { m: 'fixed', w: 5000, h: 5000, limit: 0 })
    expectTooLarge(LANDSCAPE, { m: 'fixed', w: 5000, h: 5000 })
  })

  it('counts pixels: 4096×4096 passes, 4097×4096 fails', () => {
    expect(size([100, 100], { m: 'fixed', w: 4096, h: 4096, limit: 0 })).toEqual([4096, 4096])
    expectTooLarge([100, 100], { m: 'fixed', w: 4097, h: 4096, limit: 0 })
    expectTooLarge([100, 100], { m: 'pad', w: 5000, h: 5000, limit: 0 })
    expectTooLarge([100, 100], { m: 'fill', w: 5000 })
  })

  it('checks each side: 16384×1024 passes, a 20000-wide percentage result fails', () => {
    expect(size([100, 100], { m: 'fixed', w: 16384, h: 1024, limit: 0 })).toEqual([16384, 1024])
    expectTooLarge([2000, 10], { p: 1000 })
    expectTooLarge([5000, 4000], { p: 1000 })
  })

  it('checks the computed proportional side too', () => {
    // 100×10 w_16384 → 16384×1638 = 26.8 M pixels
    expectTooLarge([100, 10], { w: 16384, limit: 0 })
    expectTooLarge([10, 100], { l: 16384 })
  })
})

// ---- processImage: real pixels --------------------------------------------------------------

describe('resize through processImage', () => {
  it('produces the computed size for every mode', async () => {
    const source = await makeImage(400, 267, 'jpg')
    const cases: [string, Size][] = [
      ['image/resize,w_100', [100, 67]],
      ['image/resize,h_100', [150, 100]],
      ['image/resize,m_lfit,w_100,h_100', [100, 67]],
      ['image/resize,m_mfit,w_100,h_100', [150, 100]],
      ['image/resize,m_fill,w_100,h_100', [100, 100]],
      ['image/resize,m_fill,h_50', [50, 50]],
      ['image/resize,m_pad,w_100,h_100', [100, 100]],
      ['image/resize,m_pad,w_80', [80, 80]],
      ['image/resize,m_fixed,w_100,h_100', [100, 100]],
      ['image/resize,m_fixed,w_37,h_211', [37, 211]],
      ['image/resize,l_100', [100, 67]],
      ['image/resize,s_100', [150, 100]],
      ['image/resize,l_200,s_100', [150, 100]],
      ['image/resize,m_mfit,l_200,s_100', [200, 134]],
      ['image/resize,p_50', [200, 134]],
      ['image/resize,p_150', [600, 401]],
      ['image/resize,w_500', [400, 267]],
      ['image/resize,w_500,limit_0', [500, 334]],
      ['image/resize,m_fill,w_300,h_300', [400, 267]],
      ['image/resize,m_fill,w_300,h_300,limit_0', [300, 300]]
    ]
    for (const [process, expected] of cases) {
      const out = await run(source, process)
      expect([out.width, out.height, out.format], process).toEqual([expected[0], expected[1], 'jpg'])
    }
  })

  it('m_pad fills with white by default', async () => {
    // 400×200 → 100×50 centred in 100×100: rows 0–24 and 75–99 are padding.
    const out = await run(await makeImage(400, 200, 'png'), 'image/resize,m_pad,w_100,h_100')
    expect([out.width, out.height]).toEqual([100, 100])
    for (const [x, y] of [[50, 2], [2, 20], [97, 24], [50, 97], [2, 76]] as const) {
      expectColour(await pixelAt(out.data, x, y), [255, 255, 255, 255], 2)
    }
    // The content keeps its quadrants.
    expectColour(await pixelAt(out.data, 10, 30), [...QUADRANTS.nw, 255], 16)
    expectColour(await pixelAt(out.data, 90, 70), [...QUADRANTS.se, 255], 16)
  })

  it('m_pad,color_FF0000 fills with red (JPEG and PNG), portrait sources pad left and right', async () => {
    const jpg = await run(await makeImage(400, 200, 'jpg'), 'image/resize,m_pad,w_100,h_100,color_FF0000')
    expect(jpg.format).toBe('jpg')
    expectColour(await pixelAt(jpg.data, 50, 3), [255, 0, 0, 255], 20)
    expectColour(await pixelAt(jpg.data, 50, 96), [255, 0, 0, 255], 20)
    const png = await run(await makeImage(200, 400, 'png'), 'image/resize,m_pad,w_100,h_100,color_FF0000')
    expect([png.width, png.height]).toEqual([100, 100])
    expectColour(await pixelAt(png.data, 3, 50), [255, 0, 0, 255], 0)
    expectColour(await pixelAt(png.data, 96, 50), [255, 0, 0, 255], 0)
    expectColour(await pixelAt(png.data, 30, 10), [...QUADRANTS.nw, 255], 16)
  })

  it('m_pad on a transparent PNG pads with the opaque colour and keeps the content alpha', async () => {
    const source = await makeImage(400, 200, 'png', { alpha: true })
    expect((await sharp(source).metadata()).hasAlpha).toBe(true)
    const out = await run(source, 'image/resize,m_pad,w_100,h_100,color_FF0000')
    expect(out.format).toBe('png')
    const padding: RGBA = [255, 0, 0, 255]
    expectColour(await pixelAt(out.data, 50, 3), padding, 0)
    expectColour(await pixelAt(out.data, 50, 96), padding, 0)
    const content = await pixelAt(out.data, 30, 40)
    expect(Math.abs(content[3] - 128)).toBeLessThanOrEqual(2)
  })

  it('m_fill crops the centre: quadrant colours stay at the corners', async () => {
    // 800×400 → mfit 200×100 → centre 100×100 (x 50…149): the quadrant boundary stays in the middle.
    for (const [w, h] of [[800, 400], [400, 800]] as const) {
      const out = await run(await makeImage(w, h, 'png'), 'image/resize,m_fill,w_100,h_100')
      expect([out.width, out.height]).toEqual([100, 100])
      expectColour(await pixelAt(out.data, 5, 5), [...QUADRANTS.nw, 255], 16)
      expectColour(await pixelAt(out.data, 94, 5), [...QUADRANTS.ne, 255], 16)
      expectColour(await pixelAt(out.data, 5, 94), [...QUADRANTS.sw, 255], 16)
      expectColour(await pixelAt(out.data, 94, 94), [...QUADRANTS.se, 255], 16)
    }
  })

  it('m_fill keeps the centre strip: sides of a wide source are cut away', async () => {
    // Blue side bands (x < 100 and x ≥ 300) on a 400×100 source with a grey centre: fill 100×100
    // (k = 1) keeps x 150…249, all grey.
    const source = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#0000ff' } })
      .composite([{ input: { create: { width: 200, height: 100, channels: 3, background: '#808080' } }, left: 100, top: 0 }])
      .png()
      .toBuffer()
    const out = await run(source, 'image/resize,m_fill,w_100,h_100')
    for (const x of [0, 50, 99]) expectColour(await pixelAt(out.data, x, 50), [128, 128, 128, 255], 2)
  })

  it('an animated GIF stays animated with w, becomes static with p', async () => {
    const gif = await animatedGif(60, 40, 3)
    const kept = await run(gif, 'image/resize,w_20')
    const keptMeta = await sharp(kept.data, { animated: true }).metadata()
    expect([kept.format, keptMeta.pages, keptMeta.width, keptMeta.pageHeight]).toEqual(['gif', 3, 20, 13])
    expect([kept.width, kept.height]).toEqual([20, 13])
    const lost = await run(gif, 'image/resize,p_50')
    const lostMeta = await sharp(lost.data).metadata()
    expect([lost.format, lostMeta.pages ?? 1, lostMeta.width, lostMeta.height]).toEqual(['gif', 1, 30, 20])
  })

  it('m_fill, m_pad and m_fixed keep a GIF animated, every frame cut/padded alike', async () => {
    const gif = await animatedGif(60, 40, 3)
    for (const [process, w, h] of [
      ['image/resize,m_fill,w_20,h_20', 20, 20],
      ['image/resize,m_pad,w_20,h_20', 20, 20],
      ['image/resize,m_fixed,w_20,h_30', 20, 30]
    ] as const) {
      const out = await run(gif, process)
      const { data, info } = await sharp(out.data, { animated: true }).raw().toBuffer({ resolveWithObject: true })
      expect([out.width, out.height, info.pages, info.width, info.height], process).toEqual([w, h, 3, w, h * 3])
      const at = (page: number, x: number, y: number) => {
        const o = ((page * h + y) * w + x) * info.channels
        return [...data.subarray(o, o + 3)]
      }
      // Frames still differ (frame k = channels rotated k times).
      expect(at(0, 5, h / 2), process).not.toEqual(at(1, 5, h / 2))
      if (process.includes('m_pad')) {
        // 60×40 → 20×13 centred: rows 0–2 and 16–19 are white padding on every frame.
        for (let page = 0; page < 3; page++) {
          expectColour(at(page, 10, 1), [255, 255, 255], 8)
          expectColour(at(page, 10, 18), [255, 255, 255], 8)
        }
      }
    }
  })

  it('an animated GIF keeps its frames when resize follows a segment cut (raw page strip)', async () => {
    const gif = await animatedGif(60, 40, 3)
    for (const [process, w, h] of [
      ['image/bright,10/resize,w_20', 20, 13],
      ['image/contrast,0/resize,l_1', 1, 1],
      ['image/resize,w_40/bright,10/resize,m_fill,w_20,h_20', 20, 20],
      ['image/bright,10/resize,m_pad,w_30,h_30', 30, 30]
    ] as const) {
      const out = await run(gif, process)
      const meta = await sharp(out.data).metadata()
      expect([out.width, out.height, meta.pages], process).toEqual([w, h, 3])
    }
  })

  it('an animated GIF is never enlarged, even with limit_0', async () => {
    const gif = await animatedGif(60, 40, 2)
    const out = await run(gif, 'image/resize,w_120,limit_0')
    const meta = await sharp(out.data).metadata()
    expect([out.width, out.height, meta.pages]).toEqual([60, 40, 2])
  })

  it('format,png of an animated source is static (first frame)', async () => {
    const gif = await animatedGif(60, 40, 3)
    const out = await run(gif, 'image/resize,w_30/format,png')
    const meta = await sharp(out.data).metadata()
    expect([out.format, meta.format, meta.pages ?? 1, meta.width, meta.height]).toEqual(['png', 'png', 1, 30, 20])
    // The first frame: the plain quadrant colours (GIF palette tolerance).
    expectColour(await pixelAt(out.data, 2, 2), [...QUADRANTS.nw, 255], 24)
    expectColour(await pixelAt(out.data, 27, 17), [...QUADRANTS.se, 255], 24)
  })

  it('m_fixed,w_5000,h_5000 on a small source → 400 ImageTooLarge', async () => {
    const error = await failure(await makeImage(100, 100, 'jpg'), 'image/resize,m_fixed,w_5000,h_5000')
    expect([error.status, error.code, error.ec]).toEqual([400, 'ImageTooLarge', '0040-00000007'])
  })
})

describe('resize parameter validation', () => {
  const bad: [process: string, param: string, ec: string, range: RegExp, received: string][] = [
    ['image/resize,w_100,m_abc', 'm', '0040-00000311', /one of lfit, mfit, fill, pad, fixed/, '"abc"'],
    ['image/resize,w_0', 'w', '0040-00000312', /between 1 and 16384/, '"0"'],
    ['image/resize,w_16385', 'w', '0040-00000312', /between 1 and 16384/, '"16385"'],
    ['image/resize,w_1.5', 'w', '0040-00000312', /between 1 and 16384/, '"1.5"'],
    ['image/resize,w_-5', 'w', '0040-00000312', /between 1 and 16384/, '"-5"'],
    ['image/resize,w_abc', 'w', '0040-00000312', /between 1 and 16384/, '"abc"'],
    ['image/resize,h_0', 'h', '0040-00000313', /between 1 and 16384/, '"0"'],
    ['image/resize,h_20000', 'h', '0040-00000313', /between 1 and 16384/, '"20000"'],
    ['image/resize,l_0', 'l', '0040-00000314', /between 1 and 16384/, '"0"'],
    ['image/resize,s_0', 's', '0040-00000315', /between 1 and 16384/, '"0"'],
    ['image/resize,p_0', 'p', '0040-00000317', /between 1 and 1000/, '"0"'],
    ['image/resize,p_1001', 'p', '0040-00000317', /between 1 and 1000/, '"1001"'],
    ['image/resize,w_100,limit_3', 'limit', '0040-00000319', /0 or 1/, '"3"'],
    ['image/resize,w_100,m_pad,color_AABBCCDD', 'color', '0040-00000318', /6 hex digits/, '"AABBCCDD"'],
    ['image/resize,w_100,m_pad,color_GGGGGG', 'color', '0040-00000318', /6 hex digits/, '"GGGGGG"']
  ]

  for (const [process, param, ec, range, received] of bad) {
    it(`${process} → 400 InvalidArgument ${ec}`, async () => {
      const error = await failure(await makeImage(40, 30, 'jpg'), process)
      expect([error.status, error.code, error.ec]).toEqual([400, 'InvalidArgument', ec])
      expect(error.message).toContain('resize')
      expect(error.message).toContain(`for ${param} `)
      expect(error.message).toMatch(range)
      expect(error.message).toContain(`received ${received}`)
    })
  }

  it('no sizing parameter → 400 MissingArgument 0040-00000322', async () => {
    const source = await makeImage(40, 30, 'jpg')
    for (const process of ['image/resize', 'image/resize,m_fill', 'image/resize,limit_0,color_FF0000']) {
      const error = await failure(source, process)
      expect([error.status, error.code, error.ec], process).toEqual([400, 'MissingArgument', '0040-00000322'])
      expect(error.message, process).toMatch(/w, h, l, s, p/)
      expect(error.message, process).toMatch(/none/)
    }
  })
})
