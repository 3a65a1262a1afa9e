import { describe, expect, it } from 'vitest'
import { averageHue, averageHueJson, type RawPixels } from '../../../../src-main/engine/analysis/average-hue'

type Pixel = number[]

/** A width×1 strip built from runs of [pixel, how many]. */
function strip(...runs: [Pixel, number][]): RawPixels {
  const channels = runs[0]![0].length
  const pixels = runs.flatMap(([pixel, n]) => Array.from({ length: n }, () => pixel))
  return { data: Buffer.from(pixels.flat()), width: pixels.length, height: 1, channels }
}

function rgbOf(hex: string): number[] {
  expect(hex).toMatch(/^0x[0-9a-f]{6}$/)
  return [1, 3, 5].map((i) => parseInt(hex.slice(i + 1, i + 3), 16))
}

function expectNear(hex: string, rgb: number[], tolerance = 2): void {
  rgbOf(hex).forEach((v, i) => expect(Math.abs(v - rgb[i]!), `${hex} vs rgb(${rgb.join(',')})`).toBeLessThanOrEqual(tolerance))
}

describe('averageHue', () => {
  it('returns the colour of a solid image (DEMO_A’s documented 0x5c783b)', () => {
    const solid = { data: Buffer.alloc(64 * 64 * 3), width: 64, height: 64, channels: 3 }
    for (let p = 0; p < solid.data.length; p += 3) solid.data.set([92, 120, 59], p)

    expect(averageHue(solid)).toBe('0x5c783b')
    expect(averageHueJson(averageHue(solid))).toBe('{"RGB":"0x5c783b"}')
  })

  it('returns the salient colour of a green region on a mostly grey image', () => {
    expectNear(averageHue(strip([[128, 128, 128], 800], [[40, 160, 60], 150], [[50, 170, 70], 50])), [42.5, 162.5, 62.5])
  })

  it('falls back to the plain mean colour when no pixel is salient', () => {
    const image = strip([[128, 128, 128], 800], [[40, 160, 60], 200])
    expectNear(averageHue(image, 179), [110, 134, 114])
  })

  it('averages hues on the circle (350° and 10° meet at 0°, not 180°)', () => {
    // Around red (350°/10°) plus a little cyan: only a circular mean makes the cyan the salient part.
    const image = strip([[255, 0, 43], 45], [[255, 43, 0], 45], [[0, 255, 255], 10])
    expect(averageHue(image)).toBe('0x00ffff')
  })

  it('ignores fully transparent pixels', () => {
    const image = strip([[255, 0, 0, 0], 900], [[0, 0, 255, 255], 50], [[0, 0, 255, 128], 50])
    expect(averageHue(image)).toBe('0x0000ff')
    expect(averageHue(strip([[255, 0, 0, 0], 4]))).toBe('0x000000')
  })

  it('reads grey and grey + alpha pixels', () => {
    expect(averageHue(strip([[100], 3], [[200], 1]))).toBe('0x7d7d7d')
    expect(averageHue(strip([[100, 255], 1], [[250, 0], 5]))).toBe('0x646464')
  })

  it('handles a 4096×4096 RGBA image quickly', () => {
    const side = 4096
    const data = Buffer.alloc(side * side * 4)
    for (let p = 0; p < data.length; p += 4) {
      data[p] = (p >> 4) & 255
      data[p + 1] = (p >> 12) & 255
      data[p + 2] = (p >> 20) & 255
      data[p + 3] = 255
    }

    const started = performance.now()
    expect(averageHue({ data, width: side, height: side, channels: 4 })).toMatch(/^0x[0-9a-f]{6}$/)
    expect(performance.now() - started).toBeLessThan(3000)
  })
})
