/**
 * `format` (spec §3.12, §2, §6) through the public API: every output format from JPG, PNG (alpha), animated GIF
 * and WebP sources, checked on the output bytes themselves (magic bytes, sharp's metadata or the project's BMP
 * decoder), plus the special cases: `format,gif` on non-GIF sources, the `jpeg` alias, white behind
 * transparency in JPG, the WebP side limit, BMP and HEVC-HEIC sources.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeBmp, encodeBmp } from '../../../../src-main/engine/codecs/bmp'
import { decodeHeic, heicEncoder } from '../../../../src-main/engine/codecs/heic'
import { sniffFormat, type SourceFormat } from '../../../../src-main/engine/codecs/sniff'
import { CONTENT_TYPES } from '../../../../src-main/engine/types'
import { OUTPUT_FORMATS, type OutputFormat } from '../../../../src-shared/img/actions/format'
import { failure, processToImage } from '../../../support/engine'
import { gifFromFrames, makeImage, quadrantPixels } from '../../../support/images'
import { expectSimilar, meanColour } from '../../../support/phash'

// ---- fixtures -------------------------------------------------------------------------------------------

const W = 64
const H = 48

/** An animated GIF whose frame k is colours[k] beside a dark left quarter (frames must differ, or libvips merges them). */
function colourFramesGif(width: number, height: number, colours: readonly (readonly [number, number, number])[]): Promise<Buffer> {
  const frames = colours.map(([r, g, b]) => {
    const data = Buffer.alloc(width * height * 3)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // A dark left quarter gives every frame some structure.
        data.set(x < width / 4 ? [20, 20, 20] : [r, g, b], (y * width + x) * 3)
      }
    }
    return data
  })
  return gifFromFrames(frames, width, height, { delay: 100 })
}

/** Left half fully transparent, right half opaque red. */
async function halfTransparentPng(): Promise<Buffer> {
  const data = Buffer.alloc(W * H * 4)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) data.set(x < W / 2 ? [0, 0, 0, 0] : [230, 20, 30, 255], (y * W + x) * 4)
  }
  return sharp(data, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer()
}

const FRAMES = [
  [230, 30, 30],
  [30, 200, 60],
  [40, 60, 220]
] as const

const SOURCES: Record<'jpg' | 'png' | 'gif' | 'webp', Buffer> = {
  jpg: await makeImage(W, H, 'jpg'),
  png: await makeImage(W, H, 'png', { alpha: true }),
  gif: await colourFramesGif(W, H, FRAMES),
  webp: await makeImage(W, H, 'webp')
}

/** heif-enc with an HEVC encoder on this machine (`.ci/run` installs it); otherwise the AV1 fallback. */
const HEVC_HERE = (await heicEncoder()).compression === 'hevc'
if (!HEVC_HERE) console.warn('format.test: no HEVC encoder (apt-get install -y libheif-examples); format,heic uses the AV1 fallback')

// ---- helpers --------------------------------------------------------------------------------------------

/** sharp's `metadata().format` for each of our output formats (BMP: sharp cannot read it). */
const SHARP_FORMAT: Record<OutputFormat, string | undefined> = {
  jpg: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tiff',
  heic: 'heif',
  avif: 'heif',
  bmp: undefined
}

/** What the magic bytes say. `format,heic` writes HEVC HEIC (major brand `heic`) where heif-enc is installed. */
const SNIFFED: Record<OutputFormat, SourceFormat> = {
  jpg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tiff',
  heic: HEVC_HERE ? 'heic' : 'avif',
  avif: 'avif',
  bmp: 'bmp'
}

interface Decoded {
  readonly sniffed: SourceFormat | undefined
  readonly sharpFormat: string | undefined
  readonly width: number
  /** Height of one page. */
  readonly height: number
  readonly pages: number
  readonly hasAlpha: boolean
}

/** Reads the output bytes back, independently of what processImage reported. */
async function decode(data: Buffer): Promise<Decoded> {
  const sniffed = sniffFormat(data)
  if (sniffed === 'bmp') {
    const bmp = decodeBmp(data)
    return { sniffed, sharpFormat: undefined, width: bmp.width, height: bmp.height, pages: 1, hasAlpha: bmp.channels === 4 }
  }
  const meta = await sharp(data, { animated: true }).metadata()
  return {
    sniffed,
    sharpFormat: meta.format,
    width: meta.width,
    height: meta.pageHeight ?? meta.height,
    pages: meta.pages ?? 1,
    hasAlpha: meta.hasAlpha
  }
}

/** `format,gif` keeps the source format for non-GIF sources (spec §2, §3.12). */
function expectedFormat(source: keyof typeof SOURCES, requested: OutputFormat): OutputFormat {
  return requested === 'gif' && source !== 'gif' ? source : requested
}

// ---- the matrix ---------------------------------------------------------------------------------------

describe('format: every output format from every common source', () => {
  for (const source of Object.keys(SOURCES) as (keyof typeof SOURCES)[]) {
    describe(`${source} source`, () => {
      it.each(OUTPUT_FORMATS.map((f) => [f]))(`format,%s`, async (requested) => {
        const expected = expectedFormat(source, requested)
        const result = await processToImage(SOURCES[source], `image/format,${requested}`)

        expect(result.format).toBe(expected)
        expect(result.contentType).toBe(CONTENT_TYPES[expected])
        expect([result.width, result.height]).toEqual([W, H])

        const out = await decode(result.data)
        expect(out.sniffed).toBe(SNIFFED[expected])
        expect(out.sharpFormat).toBe(SHARP_FORMAT[expected])
        expect([out.width, out.height]).toEqual([W, H])
        // The animation survives only into GIF and WebP, and only from the animated GIF (spec §2).
        expect(out.pages).toBe(source === 'gif' && (expected === 'gif' || expected === 'webp') ? FRAMES.length : 1)
        // JPG has no alpha; every other format keeps the PNG source's alpha.
        if (source === 'png') expect(out.hasAlpha).toBe(expected !== 'jpg')
      })
    })
  }

  it('answers the content types of spec §6', () => {
    expect(CONTENT_TYPES).toEqual({
      jpg: 'image/jpeg',
      png: 'image/png',
      webp: 'image/webp',
      bmp: 'image/bmp',
      gif: 'image/gif',
      tiff: 'image/tiff',
      heic: 'image/heic',
      avif: 'image/avif'
    })
  })

  it('encodes in the source format when there is no format op (spec §4 step 4)', async () => {
    for (const source of Object.keys(SOURCES) as (keyof typeof SOURCES)[]) {
      const result = await processToImage(SOURCES[source], 'image/resize,w_32')
      expect(result.format).toBe(source)
      expect((await decode(result.data)).sniffed).toBe(source)
    }
  })
})

describe('format special cases', () => {
  it('format,gif on a non-GIF source keeps the source format (spec §3.12)', async () => {
    for (const source of ['jpg', 'png', 'webp'] as const) {
      const result = await processToImage(SOURCES[source], 'image/resize,w_32/format,gif')
      expect(result.format).toBe(source)
      expect(result.contentType).toBe(CONTENT_TYPES[source])
      expect(sniffFormat(result.data)).toBe(source)
      expect([result.width, result.height]).toEqual([32, 24])
    }
  })

  it.each([
    ['image/resize,w_32/format,gif', 32, 24],
    // Two resizes are two segments: the frames cross the cut as a raw page strip (sharp needs `animated`
    // on that raw input, or it resizes the whole strip as one image: InternalError 1x2 for 1x1 before).
    ['image/resize,w_48/resize,w_32', 32, 24],
    ['image/resize,w_48/bright,0/resize,m_pad,w_30,h_30,color_000000/format,gif', 30, 30]
  ] as const)('%s keeps the animation and every frame', async (process, width, height) => {
    const result = await processToImage(SOURCES.gif, process)
    expect(result).toMatchObject({ format: 'gif', width, height })
    const out = await decode(result.data)
    expect(out).toMatchObject({ sniffed: 'gif', width, height, pages: 3 })
    // Each frame keeps its own colour: sample the middle of the right half of every page.
    const { data, info } = await sharp(result.data, { animated: true }).raw().toBuffer({ resolveWithObject: true })
    FRAMES.forEach((colour, page) => {
      const o = ((page * height + Math.floor(height / 2)) * info.width + Math.floor((width * 3) / 4)) * info.channels
      for (let c = 0; c < 3; c++) expect(Math.abs(data[o + c]! - colour[c]!), `page ${page}`).toBeLessThanOrEqual(24)
    })
  })

  it('accepts format,jpeg as an alias of jpg', async () => {
    const result = await processToImage(SOURCES.png, 'image/format,jpeg')
    expect(result.format).toBe('jpg')
    expect(result.contentType).toBe('image/jpeg')
    expect(sniffFormat(result.data)).toBe('jpg')
    expect((await sharp(result.data).metadata()).format).toBe('jpeg')
  })

  it('makes transparent areas white in JPG output (spec §3.12)', async () => {
    const png = await halfTransparentPng()
    const result = await processToImage(png, 'image/format,jpg')
    const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true })
    expect(info.channels).toBe(3)
    const at = (x: number, y: number) => [...data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)]
    // Away from the edge (JPEG rings a little there): white where transparent, red where opaque.
    for (const [x, y] of [
      [4, 4],
      [20, 40],
      [24, 24]
    ] as const) {
      at(x, y).forEach((v) => expect(v).toBeGreaterThanOrEqual(250))
    }
    const [r, g, b] = at(52, 24) as [number, number, number]
    expect(r).toBeGreaterThan(200)
    expect(g).toBeLessThan(60)
    expect(b).toBeLessThan(60)
  })

  it('blends semi-transparent pixels on white in JPG output', async () => {
    const [r, g, b] = await meanColour(SOURCES.png) // flattened on white, like the encoder
    const jpg = await processToImage(SOURCES.png, 'image/format,jpg')
    const [jr, jg, jb] = await meanColour(jpg.data)
    expect(Math.abs(jr - r)).toBeLessThan(3)
    expect(Math.abs(jg - g)).toBeLessThan(3)
    expect(Math.abs(jb - b)).toBeLessThan(3)
  })

  it('refuses WebP output with a side over 16,383 px, and accepts 16,383 (spec §2)', async () => {
    const tall = (height: number) => sharp({ create: { width: 2, height, channels: 3, background: '#808080' } }).png().toBuffer()

    const error = await failure(await tall(16_384), 'image/format,webp')
    expect(error.status).toBe(400)
    expect(error.code).toBe('ImageTooLarge')
    expect(error.message).toContain('16383')

    // The limit is on the result: the same PNG shrunk first is fine, and so is 16,383 itself.
    expect((await processToImage(await tall(16_384), 'image/resize,h_1000/format,webp')).format).toBe('webp')
    const edge = await processToImage(await tall(16_383), 'image/format,webp')
    expect(await decode(edge.data)).toMatchObject({ sniffed: 'webp', width: 2, height: 16_383 })
  })

  it('writes BMP that the project decoder reads back pixel for pixel, alpha included', async () => {
    const png = await makeImage(W, H, 'png', { alpha: true })
    const expected = await sharp(png).ensureAlpha().raw().toBuffer()
    const result = await processToImage(png, 'image/format,bmp')
    expect(result.contentType).toBe('image/bmp')
    const bmp = decodeBmp(result.data)
    expect(bmp).toMatchObject({ width: W, height: H, channels: 4 })
    expect(bmp.data.equals(expected)).toBe(true)
    expect(bmp.data[3]).toBe(127) // makeImage's alpha 0.5, as sharp stores it

    const opaque = await processToImage(SOURCES.jpg, 'image/format,bmp')
    const rgb = decodeBmp(opaque.data)
    expect(rgb).toMatchObject({ width: W, height: H, channels: 3 })
    expect(rgb.data.equals(await sharp(SOURCES.jpg).raw().toBuffer())).toBe(true)
  })

  it.skipIf(!HEVC_HERE)('writes format,heic as HEVC HEIC, brand heic, as OSS does (issue 17 §4)', async () => {
    const result = await processToImage(SOURCES.jpg, 'image/resize,w_40/format,heic')
    expect(result.format).toBe('heic')
    expect(result.contentType).toBe('image/heic')
    expect(result.data.toString('latin1', 4, 12)).toBe('ftypheic')
    expect(await sharp(result.data).metadata()).toMatchObject({ format: 'heif', compression: 'hevc', width: 40, height: 30 })
    const decoded = await decodeHeic(result.data)
    expect([decoded.width, decoded.height]).toEqual([40, 30])
    const png = await sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: 4 } }).png().toBuffer()
    await expectSimilar(png, await sharp(SOURCES.jpg).resize(40, 30).png().toBuffer(), 8)
  })

  it('writes AVIF and TIFF that look like the source', async () => {
    for (const format of ['avif', 'tiff'] as const) {
      const result = await processToImage(SOURCES.jpg, `image/format,${format}`)
      const meta = await sharp(result.data).metadata()
      expect(meta).toMatchObject({ format: format === 'avif' ? 'heif' : 'tiff', width: W, height: H })
      if (format === 'avif') expect(meta.compression).toBe('av1')
      await expectSimilar(result.data, SOURCES.jpg, 6)
    }
  })

  it('the last format op wins (spec §4 step 4)', async () => {
    const result = await processToImage(SOURCES.jpg, 'image/format,webp/resize,w_32/format,png')
    expect(result.format).toBe('png')
    expect(sniffFormat(result.data)).toBe('png')
  })
})

describe('sources sharp cannot read', () => {
  it('reads a BMP source: default output BMP, any format on request, same pixels', async () => {
    const raw = quadrantPixels(W, H)
    const bmp = encodeBmp({ data: raw, width: W, height: H, channels: 3 })
    expect(sniffFormat(bmp)).toBe('bmp')

    const same = await processToImage(bmp, 'image/resize,w_64')
    expect(same).toMatchObject({ format: 'bmp', contentType: 'image/bmp', width: W, height: H })
    expect(decodeBmp(same.data).data.equals(raw)).toBe(true)

    const png = await processToImage(bmp, 'image/format,png')
    expect(png.format).toBe('png')
    expect((await sharp(png.data).raw().toBuffer()).equals(raw)).toBe(true)

    const jpg = await processToImage(bmp, 'image/resize,w_32/format,jpg')
    expect(await decode(jpg.data)).toMatchObject({ sniffed: 'jpg', width: 32, height: 24 })

    // format,gif on a BMP keeps BMP.
    expect((await processToImage(bmp, 'image/format,gif')).format).toBe('bmp')
  })

  const hasHeifEnc = spawnSync('heif-enc', ['--help']).error === undefined
  if (!hasHeifEnc) console.warn('format.test: heif-enc not found (apt-get install -y libheif-examples); skipping the HEVC HEIC source test')
  const dir = mkdtempSync(join(tmpdir(), 'format-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.skipIf(!hasHeifEnc)('reads an HEVC HEIC source (made by heif-enc): default output heic, PNG on request', async () => {
    const pngPath = join(dir, 'in.png')
    const heicPath = join(dir, 'in.heic')
    await sharp(quadrantPixels(W, H), { raw: { width: W, height: H, channels: 3 } }).png().toFile(pngPath)
    const enc = spawnSync('heif-enc', ['-q', '90', pngPath, '-o', heicPath], { encoding: 'utf8' })
    if (enc.status !== 0) throw new Error(`heif-enc failed: ${enc.stderr}`)
    const heic = readFileSync(heicPath)
    expect(sniffFormat(heic)).toBe('heic')
    expect((await sharp(heic).metadata()).compression).toBe('hevc')

    const png = await processToImage(heic, 'image/format,png')
    expect(await decode(png.data)).toMatchObject({ sniffed: 'png', width: W, height: H })
    await expectSimilar(png.data, readFileSync(pngPath), 4)

    const same = await processToImage(heic, 'image/resize,w_32')
    expect(same).toMatchObject({ format: 'heic', contentType: 'image/heic', width: 32, height: 24 })
    expect(await sharp(same.data).metadata()).toMatchObject({ format: 'heif', width: 32, height: 24 })

    const jpg = await processToImage(heic, 'image/format,jpg')
    expect(await decode(jpg.data)).toMatchObject({ sniffed: 'jpg', width: W, height: H })
  })
})
