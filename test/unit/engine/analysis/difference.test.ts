/** The Difference view's heatmap and score (engine/preview/compare.ts differenceMap) on real sharp images. */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { differenceMap } from '../../../../src-main/engine/preview/compare'
import { HEAT_STOPS, heatColour } from '../../../../src-shared/model/difference'

const grey = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 120, g: 120, b: 120 } } })

async function heatAt(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  const i = (y * info.width + x) * info.channels
  return [data[i]!, data[i + 1]!, data[i + 2]!]
}

describe('differenceMap', () => {
  it('identical images: SSIM 1, no heat anywhere', async () => {
    const a = await grey(120, 80).png().toBuffer()
    const map = await differenceMap(a, a)
    expect(map).toMatchObject({ ssim: 1, maxDelta: 0, mean: 0, width: 120, height: 80, resized: false })
    const { data } = await sharp(map.png).raw().toBuffer({ resolveWithObject: true })
    expect(data.every((v) => v === 0)).toBe(true)
  })

  it('a known change: heat where the square was painted, none elsewhere, SSIM below 1', async () => {
    const a = await grey(120, 80).png().toBuffer()
    const square = await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer()
    const b = await grey(120, 80).composite([{ input: square, left: 10, top: 10 }]).png().toBuffer()
    const map = await differenceMap(a, b)
    expect(map.maxDelta).toBe(135)
    expect(map.ssim).toBeLessThan(0.99)
    // 135 × 4 is beyond the scale: the top colour inside the square; black outside it.
    expect(await heatAt(map.png, 20, 20)).toEqual([...HEAT_STOPS.at(-1)!.rgb])
    expect(await heatAt(map.png, 80, 60)).toEqual([0, 0, 0])
    expect(await heatAt(map.png, 5, 5)).toEqual([0, 0, 0])
  })

  it('compares a differently sized image stretched to the first one\'s size', async () => {
    const a = await grey(100, 50).png().toBuffer()
    const b = await grey(400, 200).png().toBuffer()
    const map = await differenceMap(a, b)
    expect(map).toMatchObject({ width: 100, height: 50, resized: true, maxDelta: 0, ssim: 1 })
  })
})

describe('heatColour', () => {
  it('runs from black at 0 to the last stop at 1, through the stops in between', () => {
    expect(heatColour(0)).toEqual([0, 0, 0])
    expect(heatColour(1)).toEqual(HEAT_STOPS.at(-1)!.rgb)
    expect(heatColour(0.5)).toEqual(HEAT_STOPS[2]!.rgb)
    expect(heatColour(2)).toEqual(HEAT_STOPS.at(-1)!.rgb)
  })
})
