/**
 * Edge cases OSS's help pages leave open (issue 17 §5), each decided in README's decisions list and
 * checked here through the real engine, by size and by pixels (coordinate-coded sources: each pixel
 * says where in the source it came from).
 */
import { describe, expect, it } from 'vitest'
import { runDecoded } from '../../support/engine'
import { coordAt, coordPng, pixel } from '../../support/images'

describe('resize,m_fixed with only one side', () => {
  it('derives the missing side from the aspect ratio (2026 page: 256×144, h_100 → 178×100), not the same value as a 2021 copy says', async () => {
    const out = await runDecoded(await coordPng(256, 144), 'image/resize,m_fixed,h_100')
    expect([out.width, out.height]).toEqual([178, 100])
    const wide = await runDecoded(await coordPng(256, 144), 'image/resize,m_fixed,w_128')
    expect([wide.width, wide.height]).toEqual([128, 72])
  })
})

describe('circle with r larger than half the shorter side', () => {
  it.each([
    // even shorter side: r = (200 − 1)/2 = 99.5, so 2r + 1 = 200 exactly — nothing to round
    [300, 200, 150, 200],
    [300, 200, 100, 200],
    // odd shorter side: r = (201 − 1)/2 = 100
    [301, 201, 150, 201],
    [120, 301, 4096, 120]
  ])('%i×%i, r_%i → %i px square: the disc touches all four edges, the corners are cut', async (width, height, r, side) => {
    const out = await runDecoded(await coordPng(width, height), `image/circle,r_${r}`)
    expect([out.width, out.height]).toEqual([side, side])
    expect(out.channels).toBe(4)
    const mid = Math.floor(side / 2)
    for (const [x, y] of [[mid, 0], [0, mid], [side - 1, mid], [mid, side - 1]] as const) expect(pixel(out, x, y)[3], `edge ${x},${y}`).toBeGreaterThan(100)
    for (const [x, y] of [[0, 0], [side - 1, 0], [0, side - 1], [side - 1, side - 1]] as const) expect(pixel(out, x, y)[3], `corner ${x},${y}`).toBe(0)
    // Centred on the source: the square's centre is the source's centre (±1 px for even sides).
    const [cx, cy] = coordAt(out, mid, mid)
    expect(Math.abs(cx - (width - 1) / 2)).toBeLessThanOrEqual(1)
    expect(Math.abs(cy - (height - 1) / 2)).toBeLessThanOrEqual(1)
  })
})

describe('indexcrop at the end of the slices', () => {
  it('i equal to the slice count returns the source unchanged (x_100 on 400 px: slices 0–3, i_4)', async () => {
    const out = await runDecoded(await coordPng(400, 267), 'image/indexcrop,x_100,i_4')
    expect([out.width, out.height]).toEqual([400, 267])
    expect(coordAt(out, 399, 266)).toEqual([399, 266])
    const last = await runDecoded(await coordPng(400, 267), 'image/indexcrop,x_100,i_3')
    expect([last.width, last.height]).toEqual([100, 267])
    expect(coordAt(last, 0, 0)).toEqual([300, 0])
  })

  it('a partial last slice is the remainder (x_150 on 400 px → 150, 150, 100; y_100 on 267 px → 100, 100, 67)', async () => {
    const x = await runDecoded(await coordPng(400, 267), 'image/indexcrop,x_150,i_2')
    expect([x.width, x.height]).toEqual([100, 267])
    expect(coordAt(x, 0, 0)).toEqual([300, 0])
    expect(coordAt(x, 99, 266)).toEqual([399, 266])
    const y = await runDecoded(await coordPng(400, 267), 'image/indexcrop,y_100,i_2')
    expect([y.width, y.height]).toEqual([400, 67])
    expect(coordAt(y, 399, 66)).toEqual([399, 266])
    // The slice after the partial one is past the end: the source again.
    const past = await runDecoded(await coordPng(400, 267), 'image/indexcrop,y_100,i_3')
    expect([past.width, past.height]).toEqual([400, 267])
  })
})
