/**
 * Golden images: representative chains over a photo-like fixture generated in code, output as PNG and compared
 * with the committed `test/golden/<name>.png` by exact dimensions, perceptual hash (distance ≤ 4 of 64 bits) and
 * mean colour (≤ 4 levels per channel, which catches what pHash is blind to: brightness and contrast).
 *
 * Goldens are (re)written only when UPDATE_GOLDEN=1 is set:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/unit/engine/golden.test.ts
 *
 * Look at every rewritten image before committing it. Without the flag a missing golden fails its test.
 * Every pixel action appears at least once: resize (all modes, l, p), crop (gravities, offsets), circle,
 * indexcrop (x and y), rounded-corners, rotate (90 and 45), blur, bright, contrast, sharpen, watermark (text
 * with Latin + CJK, image with nested processing) and multi-segment chains. Each golden is ≤ 256 px per side.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { EngineOptions, ObjectResolver } from '../../../src-main/engine/types'
import { encodeBase64Url as b64 } from '../../../src-shared/img/base64url'
import { processToImage } from '../../support/engine'
import { hammingDistance, meanColour, phash } from '../../support/phash'

const UPDATE = process.env.UPDATE_GOLDEN === '1'
const GOLDEN_DIR = new URL('../../golden/', import.meta.url)
const MAX_PHASH_DISTANCE = 4
const MAX_MEAN_DELTA = 4
const MAX_GOLDEN_SIDE = 256

// ---- fixtures, deterministic -----------------------------------------------------------------------------

const FW = 240
const FH = 160

/**
 * A photo-like 240×160 RGB image: four coloured quadrants (red, green / blue, yellow) lit by a vertical
 * gradient and a horizontal colour ramp, a soft white "sun" disc in the north-west quadrant and a dark
 * triangle pointing right in the south-east one — asymmetric, so flips and rotations are visible.
 */
function fixturePixels(): Buffer {
  const quadrants = [
    [[214, 48, 49], [46, 170, 80]],
    [[40, 80, 210], [236, 196, 44]]
  ] as const
  const data = Buffer.alloc(FW * FH * 3)
  for (let y = 0; y < FH; y++) {
    for (let x = 0; x < FW; x++) {
      const base = quadrants[y < FH / 2 ? 0 : 1][x < FW / 2 ? 0 : 1]
      const light = 0.7 + (0.3 * (FH - 1 - y)) / (FH - 1) // brighter at the top, like a sky
      const ramp = (x / (FW - 1)) * 30 // warmer to the right
      let rgb = [base[0] * light + ramp, base[1] * light, base[2] * light - ramp / 2]
      // Sun: a disc with a 3 px soft edge.
      const d = Math.hypot(x - 62, y - 44) - 24
      const sun = d <= 0 ? 1 : d >= 3 ? 0 : 1 - d / 3
      rgb = rgb.map((v) => v * (1 - sun) + 250 * sun)
      // Triangle: apex at (220, 120), base on x = 150 from y = 92 to y = 148.
      const inside = x >= 150 && x <= 220 && Math.abs(y - 120) <= ((220 - x) * 28) / 70
      if (inside) rgb = [30, 26, 40]
      data.set(rgb.map((v) => Math.max(0, Math.min(255, Math.round(v)))), (y * FW + x) * 3)
    }
  }
  return data
}

const RAW = fixturePixels()
const PHOTO_PNG = await sharp(RAW, { raw: { width: FW, height: FH, channels: 3 } }).png().toBuffer()
const PHOTO_JPG = await sharp(RAW, { raw: { width: FW, height: FH, channels: 3 } }).jpeg({ quality: 92 }).toBuffer()
// Stored sideways with EXIF orientation 6 (display = rotate 90° clockwise): the stored pixels are the
// fixture turned 90° counter-clockwise, so auto-orient restores the upright fixture.
const PHOTO_ORIENTED = await sharp(await sharp(RAW, { raw: { width: FW, height: FH, channels: 3 } }).rotate(270).png().toBuffer())
  .jpeg({ quality: 92 })
  .withMetadata({ orientation: 6 })
  .toBuffer()

/** A 48×48 logo: a magenta ring with a transparent centre and a cyan bar across it. */
async function logoPng(): Promise<Buffer> {
  const S = 48
  const data = Buffer.alloc(S * S * 4)
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const r = Math.hypot(x - 23.5, y - 23.5)
      const ring = r >= 14 && r <= 22
      const bar = y >= 21 && y <= 26 && x >= 4 && x <= 43
      data.set(bar ? [0, 220, 230, 255] : ring ? [230, 0, 200, 255] : [0, 0, 0, 0], (y * S + x) * 4)
    }
  }
  return sharp(data, { raw: { width: S, height: S, channels: 4 } }).png().toBuffer()
}

const OBJECTS: ObjectResolver = (() => {
  const map = new Map<string, Promise<Buffer>>([['logo.png', logoPng()]])
  return { get: async (key) => map.get(key) }
})()

const TEXT = b64('OSS 图片 Studio')
const LOGO = b64('logo.png')
const LOGO_SMALL = b64('logo.png?x-oss-process=image/resize,P_10')

// ---- the chains ------------------------------------------------------------------------------------------

interface GoldenCase {
  readonly name: string
  readonly chain: string
  /** Source; the PNG fixture by default. */
  readonly source?: Buffer
  readonly size: readonly [number, number]
}

const CASES: readonly GoldenCase[] = [
  { name: 'resize-lfit', chain: 'resize,w_120', size: [120, 80] },
  { name: 'resize-mfit', chain: 'resize,m_mfit,w_100,h_100', size: [150, 100] },
  { name: 'resize-fill', chain: 'resize,m_fill,w_100,h_100', size: [100, 100] },
  { name: 'resize-pad', chain: 'resize,m_pad,w_120,h_120,color_336699', size: [120, 120] },
  { name: 'resize-fixed', chain: 'resize,m_fixed,w_100,h_150', size: [100, 150] },
  { name: 'resize-long-side-enlarge', chain: 'resize,l_256,limit_0', size: [256, 171] },
  { name: 'resize-percent', chain: 'resize,p_50', size: [120, 80] },
  { name: 'crop-center', chain: 'crop,w_120,h_90,g_center', size: [120, 90] },
  { name: 'crop-offset-nw', chain: 'crop,x_30,y_20,w_100,h_80', size: [100, 80] },
  { name: 'crop-se-clamped', chain: 'crop,x_20,y_10,w_100,h_90,g_se', size: [80, 80] },
  { name: 'crop-south', chain: 'crop,w_160,h_60,g_south', size: [160, 60] },
  { name: 'circle', chain: 'circle,r_70', size: [141, 141] },
  { name: 'indexcrop-x', chain: 'indexcrop,x_70,i_1', size: [70, 160] },
  { name: 'indexcrop-y-remainder', chain: 'indexcrop,y_50,i_3', size: [240, 10] },
  { name: 'rounded-corners', chain: 'rounded-corners,r_40', size: [240, 160] },
  { name: 'rotate-90', chain: 'rotate,90', size: [160, 240] },
  { name: 'rotate-45', chain: 'resize,w_120/rotate,45', size: [141, 141] },
  { name: 'blur', chain: 'blur,r_8,s_4', size: [240, 160] },
  { name: 'bright', chain: 'bright,45', size: [240, 160] },
  { name: 'contrast', chain: 'contrast,-60', size: [240, 160] },
  { name: 'sharpen', chain: 'resize,w_160/sharpen,300', size: [160, 107] },
  { name: 'watermark-text', chain: `watermark,text_${TEXT},size_26,color_FFFFFF,shadow_60,g_center`, size: [240, 160] },
  { name: 'watermark-image', chain: `watermark,image_${LOGO},g_nw,x_8,y_8,t_80/watermark,image_${LOGO_SMALL},g_se,x_4,y_4`, size: [240, 160] },
  {
    name: 'multi-segment',
    chain: 'resize,w_200/rotate,90/crop,w_120,h_120,g_center/rounded-corners,r_24/sharpen,120/bright,10/rotate,30',
    size: [164, 164]
  },
  {
    name: 'multi-segment-jpeg',
    source: PHOTO_JPG,
    chain: `crop,w_200,h_140,g_center/resize,m_fill,w_120,h_90/watermark,text_${TEXT},size_16,color_202020,g_sw,x_4,y_4/rotate,180/contrast,25/blur,r_2,s_1/circle,r_40`,
    size: [81, 81]
  },
  { name: 'auto-orient-resize', source: PHOTO_ORIENTED, chain: 'resize,w_120', size: [120, 80] }
]

// ---- the comparison --------------------------------------------------------------------------------------

async function render(c: GoldenCase): Promise<{ data: Buffer; width: number; height: number }> {
  const options: EngineOptions = { objects: OBJECTS }
  const result = await processToImage(c.source ?? PHOTO_PNG, `image/${c.chain}/format,png`, options)
  expect(result.format).toBe('png')
  return result
}

describe('golden images', () => {
  it('has unique names and small outputs', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length)
    for (const c of CASES) expect(Math.max(...c.size), c.name).toBeLessThanOrEqual(MAX_GOLDEN_SIDE)
  })

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const out = await render(c)
    expect([out.width, out.height], 'reported size').toEqual(c.size)
    const decoded = await sharp(out.data).metadata()
    expect([decoded.width, decoded.height], 'decoded size').toEqual(c.size)

    const file = new URL(`${name}.png`, GOLDEN_DIR)
    if (UPDATE) {
      mkdirSync(GOLDEN_DIR, { recursive: true })
      writeFileSync(file, await sharp(out.data).png({ compressionLevel: 9 }).toBuffer())
      return
    }
    if (!existsSync(file)) {
      throw new Error(
        `golden test/golden/${name}.png is missing: create it with\n  UPDATE_GOLDEN=1 npx vitest run test/unit/engine/golden.test.ts\nthen look at the new image before committing it`
      )
    }
    const golden = readFileSync(file)
    const meta = await sharp(golden).metadata()
    expect([meta.width, meta.height], 'golden size').toEqual(c.size)

    const [actualHash, goldenHash] = await Promise.all([phash(out.data), phash(golden)])
    const distance = hammingDistance(actualHash, goldenHash)
    expect(distance, `pHash distance ${distance} > ${MAX_PHASH_DISTANCE} (UPDATE_GOLDEN=1 rewrites the golden if the change is intended)`).toBeLessThanOrEqual(
      MAX_PHASH_DISTANCE
    )
    const [actualMean, goldenMean] = await Promise.all([meanColour(out.data), meanColour(golden)])
    actualMean.forEach((v, i) => expect(Math.abs(v - goldenMean[i]!), `mean colour ${actualMean.map(Math.round)} vs golden ${goldenMean.map(Math.round)}`).toBeLessThanOrEqual(MAX_MEAN_DELTA))
  })
})
