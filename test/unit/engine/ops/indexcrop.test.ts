import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { planChain, processImage } from '../../../../src-main/engine/executor'
import { indexcropGeometry } from '../../../../src-main/engine/ops/indexcrop'
import type { ImageResult } from '../../../../src-main/engine/types'
import { ImgError } from '../../../../src-shared/img/errors'
import { parseProcess } from '../../../../src-shared/img/process'

// ---- fixtures (same helpers as crop.test.ts) ----------------------------------------------

/** PNG whose pixel (x, y) names its own position: R = x mod 256, G = y mod 256, B = 16·⌊x/256⌋ + ⌊y/256⌋. */
async function coordPng(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3
      data[o] = x & 255
      data[o + 1] = y & 255
      data[o + 2] = ((x >> 8) << 4) | (y >> 8)
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
}

interface Decoded {
  readonly result: ImageResult
  readonly data: Buffer
  readonly width: number
  readonly height: number
  readonly channels: number
}

/** Runs the public API and decodes the output; the reported size must be the real one. */
async function run(bytes: Buffer, process: string): Promise<Decoded> {
  const result = await processImage(bytes, process)
  if (result.kind !== 'image') throw new Error(`expected an image for ${process}`)
  const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true })
  expect([info.width, info.height]).toEqual([result.width, result.height])
  return { result, data, width: info.width, height: info.height, channels: info.channels }
}

/** The source position a coordPng pixel came from. */
function coordAt(image: Decoded, x: number, y: number): [number, number] {
  const o = (y * image.width + x) * image.channels
  const [r, g, b] = [image.data[o]!, image.data[o + 1]!, image.data[o + 2]!]
  return [((b >> 4) << 8) | r, ((b & 15) << 8) | g]
}

async function failure(bytes: Buffer, process: string): Promise<ImgError> {
  const error = await processImage(bytes, process).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ImgError)
  return error as ImgError
}

/** The chain run op by op through lossless PNG files: what OSS's strict left-to-right order gives. */
async function expectSameAsStepwise(bytes: Buffer, process: string): Promise<Decoded> {
  const chained = await run(bytes, `${process}/format,png`)
  let current = bytes
  for (const op of process.slice('image/'.length).split('/')) current = (await run(current, `image/${op}/format,png`)).result.data
  const reference = await run(current, 'image/format,png')
  expect([chained.width, chained.height, chained.channels]).toEqual([reference.width, reference.height, reference.channels])
  expect(chained.data.equals(reference.data)).toBe(true)
  return chained
}

const segmentsOf = (process: string) => {
  const parsed = parseProcess(process)
  if (parsed.kind !== 'image') throw new Error('expected an image chain')
  return planChain(parsed.steps).segments.map((s) => s.steps)
}

// ---- geometry -----------------------------------------------------------------------------

describe('indexcropGeometry', () => {
  const frame = { width: 400, height: 267 }

  it('cuts vertical strips of x px, the last one being the remainder', () => {
    expect(indexcropGeometry(frame, { x: 150 })).toEqual({ left: 0, top: 0, width: 150, height: 267 })
    expect(indexcropGeometry(frame, { x: 150, i: 1 })).toEqual({ left: 150, top: 0, width: 150, height: 267 })
    expect(indexcropGeometry(frame, { x: 150, i: 2 })).toEqual({ left: 300, top: 0, width: 100, height: 267 })
    expect(indexcropGeometry(frame, { x: 150, i: 3 })).toBeUndefined()
  })

  it('cuts horizontal strips of y px', () => {
    expect(indexcropGeometry(frame, { y: 100, i: 1 })).toEqual({ left: 0, top: 100, width: 400, height: 100 })
    expect(indexcropGeometry(frame, { y: 100, i: 2 })).toEqual({ left: 0, top: 200, width: 400, height: 67 })
    expect(indexcropGeometry(frame, { y: 100, i: 3 })).toBeUndefined()
  })

  it('lets y win over x', () => {
    expect(indexcropGeometry(frame, { x: 50, y: 100, i: 1 })).toEqual({ left: 0, top: 100, width: 400, height: 100 })
  })

  it('returns nothing to cut for an index beyond the strips', () => {
    expect(indexcropGeometry(frame, { x: 100, i: 100 })).toBeUndefined()
    expect(indexcropGeometry(frame, { x: 100, i: 4 })).toBeUndefined()
    expect(indexcropGeometry(frame, { x: 100, i: 3 })).toEqual({ left: 300, top: 0, width: 100, height: 267 })
  })

  it('treats a strip wider than the image as one strip', () => {
    expect(indexcropGeometry(frame, { x: 1000 })).toEqual({ left: 0, top: 0, width: 400, height: 267 })
    expect(indexcropGeometry(frame, { x: 1000, i: 1 })).toBeUndefined()
  })
})

// ---- through processImage -----------------------------------------------------------------

describe('indexcrop', () => {
  const source = coordPng(400, 267)

  const cases: [string, number, number, number, number][] = [
    ['x_150', 0, 0, 150, 267],
    ['x_150,i_0', 0, 0, 150, 267],
    ['x_150,i_1', 150, 0, 150, 267],
    ['x_150,i_2', 300, 0, 100, 267],
    ['y_100,i_0', 0, 0, 400, 100],
    ['y_100,i_1', 0, 100, 400, 100],
    ['y_100,i_2', 0, 200, 400, 67],
    ['x_100,y_100,i_1', 0, 100, 400, 100],
    ['y_100,x_100,i_2', 0, 200, 400, 67],
    ['x_1,i_399', 399, 0, 1, 267],
    ['y_1,i_266', 0, 266, 400, 1]
  ]

  it.each(cases)('indexcrop,%s cuts %i,%i %ix%i', async (params, left, top, width, height) => {
    const out = await run(await source, `image/indexcrop,${params}`)
    expect(out.result.format).toBe('png')
    expect([out.width, out.height]).toEqual([width, height])
    expect(coordAt(out, 0, 0)).toEqual([left, top])
    expect(coordAt(out, width - 1, height - 1)).toEqual([left + width - 1, top + height - 1])
  })

  it.each(['x_150,i_3', 'y_100,i_3', 'x_100,i_100', 'x_500,i_1', 'x_1,i_400'])('indexcrop,%s returns the image unchanged', async (params) => {
    const out = await run(await source, `image/indexcrop,${params}`)
    expect([out.width, out.height]).toEqual([400, 267])
    expect(coordAt(out, 399, 266)).toEqual([399, 266])
  })

  const invalid: [string, string, string, string, string][] = [
    ['image/indexcrop,x_0', 'InvalidArgument', '0040-00000225', 'for x ', '"0"'],
    ['image/indexcrop,x_abc', 'InvalidArgument', '0040-00000225', 'for x ', '"abc"'],
    ['image/indexcrop,y_-3', 'InvalidArgument', '0040-00000226', 'for y ', '"-3"'],
    ['image/indexcrop,y_abc', 'InvalidArgument', '0040-00000226', 'for y ', '"abc"'],
    ['image/indexcrop,x_10,i_-1', 'InvalidArgument', '0040-00000225', 'for i ', '"-1"'],
    ['image/indexcrop,x_10,i_abc', 'InvalidArgument', '0040-00000225', 'for i ', '"abc"'],
    ['image/indexcrop,i_1', 'MissingArgument', '0040-00000225', 'x, y', 'none']
  ]

  it.each(invalid)('%s → 400 %s %s', async (process, code, ec, names, received) => {
    const error = await failure(await source, process)
    expect(error.status).toBe(400)
    expect(error.code).toBe(code)
    expect(error.ec).toBe(ec)
    expect(error.message).toContain(names)
    expect(error.message).toContain(received)
  })

  it('makes an animated GIF static, like crop', async () => {
    const w = 60
    const h = 40
    const data = Buffer.alloc(w * h * 3 * 3, 128)
    const gif = await sharp(data, { raw: { width: w, height: h * 3, channels: 3, pageHeight: h } }).gif({ loop: 0 }).toBuffer()
    const result = await processImage(gif, 'image/indexcrop,x_25,i_2')
    if (result.kind !== 'image') throw new Error('expected an image')
    const meta = await sharp(result.data).metadata()
    expect([result.format, meta.width, meta.height, meta.pages ?? 1]).toEqual(['gif', 10, 40, 1])
  })
})

// ---- chains and planning ------------------------------------------------------------------

describe('indexcrop in chains', () => {
  const source = coordPng(400, 267)

  it('resize then indexcrop: one segment', async () => {
    expect(segmentsOf('image/resize,w_200/indexcrop,x_50,i_3')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/resize,w_200/indexcrop,x_50,i_3')
    // 400×267 → 200×134 (133.5 rounds half-up).
    expect([out.width, out.height]).toEqual([50, 134])
  })

  it('indexcrop then resize: one segment', async () => {
    expect(segmentsOf('image/indexcrop,y_100,i_1/resize,w_100')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/indexcrop,y_100,i_1/resize,w_100')
    expect([out.width, out.height]).toEqual([100, 25])
  })

  it('indexcrop then indexcrop: pre and post extract', async () => {
    expect(segmentsOf('image/indexcrop,x_200,i_1/indexcrop,y_100,i_1')).toEqual([[0, 1]])
    const out = await expectSameAsStepwise(await source, 'image/indexcrop,x_200,i_1/indexcrop,y_100,i_1')
    expect([out.width, out.height]).toEqual([200, 100])
    expect(coordAt(out, 0, 0)).toEqual([200, 100])
  })

  it('crop, indexcrop, indexcrop: the third extract starts a new segment', async () => {
    const process = 'image/crop,w_300,h_200,g_center/indexcrop,x_100,i_2/indexcrop,y_50,i_3'
    expect(segmentsOf(process)).toEqual([[0, 1], [2]])
    const out = await expectSameAsStepwise(await source, process)
    expect([out.width, out.height]).toEqual([100, 50])
    // crop origin (200 − 150, 133 − 100) = (50, 33); strip 2 starts at x + 200; strip 3 at y + 150.
    expect(coordAt(out, 0, 0)).toEqual([250, 183])
  })

  it('an index beyond the strips keeps the chain going on the unchanged image', async () => {
    const out = await run(await source, 'image/indexcrop,x_100,i_9/resize,w_200')
    expect([out.width, out.height]).toEqual([200, 134])
  })
})

// ---- documented examples ------------------------------------------------------------------

describe('indexcrop conformance examples', () => {
  const examples = (
    JSON.parse(readFileSync(new URL('../../../../../shared/conformance/oss-img-examples.json', import.meta.url), 'utf8')) as {
      source: { w: number; h: number; format: string }
      process: string
      expected: { w: number; h: number; format?: string }
    }[]
  ).filter((e) => e.process.startsWith('image/indexcrop'))

  it('covers the documented indexcrop examples', () => {
    expect(examples.map((e) => e.process)).toContain('image/indexcrop,x_100,i_100')
  })

  it.each(examples.map((e) => [e.process, e] as const))('%s', async (process, example) => {
    const bytes = await sharp({ create: { width: example.source.w, height: example.source.h, channels: 3, background: '#5c783b' } })
      .jpeg()
      .toBuffer()
    const out = await run(bytes, process)
    expect([out.width, out.height]).toEqual([example.expected.w, example.expected.h])
    if (example.expected.format) expect(out.result.format).toBe(example.expected.format)
  })
})
