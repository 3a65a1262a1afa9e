import sharp, { type Colour, type Sharp } from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectSimilar, hammingDistance, meanColour, phash } from '../../support/phash'

const SIDE = 256

function gradient(): Sharp {
  const data = Buffer.alloc(SIDE * SIDE * 3)
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) data.set([x, y, (x + y) >> 1], (y * SIDE + x) * 3)
  }
  return sharp(data, { raw: { width: SIDE, height: SIDE, channels: 3 } })
}

function checkerboard(): Sharp {
  const data = Buffer.alloc(SIDE * SIDE)
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) data[y * SIDE + x] = ((x >> 5) + (y >> 5)) % 2 ? 255 : 0
  }
  return sharp(data, { raw: { width: SIDE, height: SIDE, channels: 1 } })
}

const solid = (background: Colour) =>
  sharp({ create: { width: SIDE, height: SIDE, channels: 4, background } })

describe('phash', () => {
  let png: Buffer
  beforeAll(async () => {
    png = await gradient().png().toBuffer()
  })

  it('gives identical pictures distance 0, whether passed as bytes or as a sharp pipeline', async () => {
    const hash = await phash(png)
    expect(hash).toMatch(/^[01]{64}$/)
    expect(hammingDistance(hash, await phash(png))).toBe(0)
    expect(hammingDistance(hash, await phash(gradient()))).toBe(0)
  })

  it('keeps a quality-60 JPEG re-encode within 6 bits', async () => {
    await expectSimilar(png, await sharp(png).jpeg({ quality: 60 }).toBuffer())
  })

  it('puts different pictures far apart', async () => {
    const rotated = await gradient().rotate(90).png().toBuffer()
    expect(hammingDistance(await phash(png), await phash(rotated))).toBeGreaterThan(15)
    expect(hammingDistance(await phash(checkerboard()), await phash(solid('#808080')))).toBeGreaterThan(15)
  })

  it('hashes every flat picture to zeros instead of DCT noise', async () => {
    const grey = await solid('#808080').png().toBuffer()
    expect(await phash(grey)).toBe('0'.repeat(64))
    await expectSimilar(grey, await sharp(grey).jpeg({ quality: 60 }).toBuffer(), 0)
  })

  it('hashes the stored pixels, not the EXIF-oriented view', async () => {
    const tagged = await gradient().jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()
    const turned = await gradient().rotate(90).jpeg({ quality: 95 }).toBuffer()
    await expectSimilar(tagged, png)
    expect(hammingDistance(await phash(tagged), await phash(turned))).toBeGreaterThan(15)
  })

  it('expectSimilar reports both hashes when pictures differ', async () => {
    const [a, b] = await Promise.all([phash(png), phash(checkerboard())])
    await expect(expectSimilar(png, checkerboard())).rejects.toThrow(`${a}\n  ${b}`)
  })
})

describe('hammingDistance', () => {
  it('counts differing bits and refuses hashes of different lengths', () => {
    expect(hammingDistance('0110', '0011')).toBe(2)
    expect(() => hammingDistance('01', '011')).toThrow(/equal length/)
  })
})

describe('meanColour', () => {
  it('returns the mean sRGB colour', async () => {
    expect(await meanColour(solid({ r: 92, g: 120, b: 59, alpha: 1 }))).toEqual([92, 120, 59])
    const [r, g, b] = await meanColour(checkerboard())
    expect([r, g, b].map(Math.round)).toEqual([128, 128, 128])
  })

  it('sees transparent areas as white', async () => {
    expect(await meanColour(await solid({ r: 0, g: 0, b: 0, alpha: 0 }).png().toBuffer())).toEqual([255, 255, 255])
  })
})
