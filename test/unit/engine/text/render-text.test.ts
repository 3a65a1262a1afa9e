import { execFileSync } from 'node:child_process'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { OSS_FONTS } from '../../../../src-main/engine/text/fonts'
import { renderText, type RenderedText, type TextOptions } from '../../../../src-main/engine/text/render-text'
import { DISTINCT, dissimilarity, inkGrid, pairs, TOFU_TEXT, type Pixels } from './ink'

const base: TextOptions = { text: '水印中文', font: 'wqy-zenhei', size: 40, color: '000000', shadow: 0, rotate: 0 }
const render = (o: Partial<TextOptions>): Promise<RenderedText> => renderText({ ...base, ...o })

/** A font without CJK (DejaVu, the only system font here) draws 水印中文 as real tofu. */
async function systemTofu(text: string): Promise<Pixels> {
  const { data, info } = await sharp({ text: { text, font: 'DejaVu Sans 40', dpi: 72, rgba: true } })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height, channels: info.channels }
}

function alphaAt(img: RenderedText, x: number, y: number): number {
  return img.data[(y * img.width + x) * 4 + 3]!
}

/** `fc-list :lang=zh` output, or undefined where fontconfig's tools are not installed. */
function systemCjkFonts(): string | undefined {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

describe('renderText fonts', () => {
  const cjk = systemCjkFonts()

  // Runs before any shipped font is loaded into this process, else Pango would fall back to it.
  it.skipIf(cjk !== '')('tells tofu from glyphs (control: real tofu scores as tofu)', async () => {
    const tofu = await inkGrid(await systemTofu(base.text), 64, 16)
    expect(dissimilarity(tofu, await inkGrid(await systemTofu(TOFU_TEXT), 64, 16))).toBeLessThan(DISTINCT)
    const chars = await Promise.all([...base.text].map(async (c) => inkGrid(await systemTofu(c), 32, 32)))
    for (const [a, b] of pairs(chars)) expect(dissimilarity(a, b)).toBeLessThan(DISTINCT)
  })

  it.each([...OSS_FONTS])('%s draws 水印中文 as glyphs, not tofu', async (font) => {
    const text = await inkGrid(await render({ font }), 64, 16)
    const tofu = await inkGrid(await render({ font, text: TOFU_TEXT }), 64, 16)
    expect(dissimilarity(text, tofu)).toBeGreaterThan(DISTINCT)
  })

  it.each([...OSS_FONTS])('%s draws each of 水印中文 differently', async (font) => {
    const chars = await Promise.all([...base.text].map(async (text) => inkGrid(await render({ font, text }), 32, 32)))
    for (const [a, b] of pairs(chars)) expect(dissimilarity(a, b)).toBeGreaterThan(DISTINCT)
  })

  it('uses a different face for hei, song, kai and droid', async () => {
    const faces = ['fangzhengheiti', 'fangzhengshusong', 'fangzhengkaiti', 'droidsansfallback']
    const renders = await Promise.all(faces.map((font) => render({ font, text: '永', size: 64 })))
    for (const [a, b] of pairs(renders)) expect(a.data.equals(b.data)).toBe(false)
  })

  it('falls back for Latin text in a CJK-only face', async () => {
    const latin = await inkGrid(await render({ font: 'droidsansfallback', text: 'OSS' }), 48, 16)
    const tofu = await inkGrid(await render({ font: 'droidsansfallback', text: '\uE000'.repeat(3) }), 48, 16)
    expect(dissimilarity(latin, tofu)).toBeGreaterThan(DISTINCT)
  })
})

describe('renderText geometry and colour', () => {
  it('returns straight RGBA sized to the glyphs', async () => {
    const img = await render({})
    expect(img.channels).toBe(4)
    expect(img.data.length).toBe(img.width * img.height * 4)
    expect(img.height).toBeGreaterThan(30)
    expect(img.height).toBeLessThanOrEqual(44)
  })

  it('grows with the text', async () => {
    const short = await render({ text: '水印' })
    const long = await render({ text: '水印中文水印' })
    expect(long.width).toBeGreaterThan(short.width * 2.5)
  })

  it('scales about linearly with size', async () => {
    const small = await render({ size: 20 })
    const big = await render({ size: 80 })
    expect(big.height / small.height).toBeGreaterThan(3.6)
    expect(big.height / small.height).toBeLessThan(4.4)
    expect(big.width / small.width).toBeGreaterThan(3.6)
    expect(big.width / small.width).toBeLessThan(4.4)
  })

  it('paints opaque pixels in the requested colour', async () => {
    const img = await render({ color: 'FF8000', size: 60 })
    const counts = new Map<string, number>()
    for (let i = 0; i < img.data.length; i += 4) {
      if (img.data[i + 3] !== 255) continue
      const key = img.data.subarray(i, i + 3).toString('hex')
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    const [dominant] = [...counts].sort((a, b) => b[1] - a[1])[0]!
    expect(dominant).toBe('ff8000')
  })

  it('rotates clockwise, swapping the sides at 90°', async () => {
    // 水 is heavy, 一 light: the heavy left half must end up on top.
    const flat = await render({ text: '水一' })
    const turned = await render({ text: '水一', rotate: 90 })
    expect(Math.abs(turned.width - flat.height)).toBeLessThanOrEqual(2)
    expect(Math.abs(turned.height - flat.width)).toBeLessThanOrEqual(2)
    const [left, right] = await inkGrid(flat, 2, 1)
    const [top, bottom] = await inkGrid(turned, 1, 2)
    expect(left!).toBeGreaterThan(right! * 1.5)
    expect(top!).toBeGreaterThan(bottom! * 1.5)
  })

  it('grows the canvas to the rotated box with transparent corners', async () => {
    const flat = await render({})
    const tilted = await render({ rotate: 30 })
    const rad = Math.PI / 6
    expect(tilted.width).toBeCloseTo(flat.width * Math.cos(rad) + flat.height * Math.sin(rad), -1)
    expect(tilted.height).toBeCloseTo(flat.width * Math.sin(rad) + flat.height * Math.cos(rad), -1)
    for (const [x, y] of [[0, 0], [tilted.width - 1, 0], [0, tilted.height - 1], [tilted.width - 1, tilted.height - 1]] as const) {
      expect(alphaAt(tilted, x, y)).toBe(0)
    }
    const full = await render({ rotate: 360 })
    expect([full.width, full.height]).toEqual([flat.width, flat.height])
  })

  it('adds a semi-transparent shadow down-right', async () => {
    const plain = await render({ color: 'FFFFFF' })
    const shadowed = await render({ color: 'FFFFFF', shadow: 60 })
    expect(shadowed.width).toBeGreaterThan(plain.width)
    expect(shadowed.height).toBeGreaterThan(plain.height)
    // Pure shadow pixels (no text ink on them) are black, at most 60% opaque, and sit down-right of the text.
    const shadow = { n: 0, x: 0, y: 0, maxAlpha: 0 }
    const text = { n: 0, x: 0, y: 0 }
    for (let i = 0; i < shadowed.data.length / 4; i++) {
      const [r, , , a] = shadowed.data.subarray(i * 4, i * 4 + 4)
      const [x, y] = [i % shadowed.width, Math.floor(i / shadowed.width)]
      if (a === 255) Object.assign(text, { n: text.n + 1, x: text.x + x, y: text.y + y })
      if (a! > 0 && r === 0) Object.assign(shadow, { n: shadow.n + 1, x: shadow.x + x, y: shadow.y + y, maxAlpha: Math.max(shadow.maxAlpha, a!) })
    }
    expect(shadow.n).toBeGreaterThan(100)
    expect(shadow.maxAlpha).toBeGreaterThan(0.3 * 255)
    expect(shadow.maxAlpha).toBeLessThanOrEqual(Math.ceil(0.6 * 255))
    expect(shadow.x / shadow.n).toBeGreaterThan(text.x / text.n)
    expect(shadow.y / shadow.n).toBeGreaterThan(text.y / text.n)
    // The text itself keeps its colour on top of the shadow.
    const [plainInk, shadowedInk] = await Promise.all([plain, shadowed].map((img) => opaqueColour(img)))
    expect(plainInk).toBe('ffffff')
    expect(shadowedInk).toBe('ffffff')
  })

  it('renders Pango markup characters literally', async () => {
    const escaped = await render({ text: 'a<b>&c' })
    const plain = await render({ text: 'a' })
    expect(escaped.width).toBeGreaterThan(plain.width * 4)
  })

  it('rejects colours that are not RRGGBB', async () => {
    await expect(render({ color: 'red' })).rejects.toThrow(/RRGGBB/)
  })
})

async function opaqueColour(img: RenderedText): Promise<string> {
  for (let i = 0; i < img.data.length; i += 4) if (img.data[i + 3] === 255) return img.data.subarray(i, i + 3).toString('hex')
  return 'none'
}
