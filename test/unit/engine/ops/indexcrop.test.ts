import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { indexcropGeometry } from '../../../../src-main/engine/ops/indexcrop'
import { expectRejected, expectSameAsStepwise, processToImage, runDecoded, segmentsOf } from '../../../support/engine'
import { coordAt, coordPng, threeFrameGif } from '../../../support/images'
import { loadConformanceExamples } from '../../../support/conformance'

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
    const out = await runDecoded(await source, `image/indexcrop,${params}`)
    expect(out.result.format).toBe('png')
    expect([out.width, out.height]).toEqual([width, height])
    expect(coordAt(out, 0, 0)).toEqual([left, top])
    expect(coordAt(out, width - 1, height - 1)).toEqual([left + width - 1, top + height - 1])
  })

  it.each(['x_150,i_3', 'y_100,i_3', 'x_100,i_100', 'x_500,i_1', 'x_1,i_400'])('indexcrop,%s returns the image unchanged', async (params) => {
    const out = await runDecoded(await source, `image/indexcrop,${params}`)
    expect([out.width, out.height]).toEqual([400, 267])
    expect(coordAt(out, 399, 266)).toEqual([399, 266])
  })

  const invalid: [string, string, string, string, string][] = [
    ['image/indexcrop,x_0', 'InvalidArgument', '0040-00000230', 'for x ', '"0"'],
    ['image/indexcrop,x_abc', 'InvalidArgument', '0040-00000230', 'for x ', '"abc"'],
    ['image/indexcrop,y_-3', 'InvalidArgument', '0040-00000230', 'for y ', '"-3"'],
    ['image/indexcrop,y_abc', 'InvalidArgument', '0040-00000224', 'for y ', '"abc"'],
    ['image/indexcrop,x_10,i_-1', 'InvalidArgument', '0040-00000229', 'for i ', '"-1"'],
    ['image/indexcrop,x_10,i_abc', 'InvalidArgument', '0040-00000229', 'for i ', '"abc"'],
    ['image/indexcrop,i_1', 'MissingArgument', '0040-00000230', 'x, y', 'none']
  ]

  it.each(invalid)('%s → 400 %s %s', async (process, code, ec, names, received) => {
    await expectRejected(await source, process, code, ec, names, received)
  })

  it('makes an animated GIF static, like crop', async () => {
    const gif = await threeFrameGif()
    const result = await processToImage(gif, 'image/indexcrop,x_25,i_2')
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
    const out = await runDecoded(await source, 'image/indexcrop,x_100,i_9/resize,w_200')
    expect([out.width, out.height]).toEqual([200, 134])
  })
})

// ---- documented examples ------------------------------------------------------------------

describe('indexcrop conformance examples', () => {
  const examples = (
    loadConformanceExamples<unknown>() as {
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
    const out = await runDecoded(bytes, process)
    expect([out.width, out.height]).toEqual([example.expected.w, example.expected.h])
    if (example.expected.format) expect(out.result.format).toBe(example.expected.format)
  })
})
