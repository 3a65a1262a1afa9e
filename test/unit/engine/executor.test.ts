import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { planChain, processImage } from '../../../src-main/engine/executor'
import type { ImageResult, StyleResolver } from '../../../src-main/engine/types'
import { encodeBase64Url as b64 } from '../../../src-shared/img/base64url'
import { ImgError } from '../../../src-shared/img/errors'
import { parseProcess } from '../../../src-shared/img/process'
import { failure, run, segmentsOf, stepwise } from '../../support/engine'
import { animatedGif, makeImage } from '../../support/images'
import { meanColour } from '../../support/phash'

// ---- helpers --------------------------------------------------------------------------------

function styles(map: Record<string, string>): StyleResolver {
  return { get: async (name) => (Object.hasOwn(map, name) ? map[name] : undefined) }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e
  )
}

async function maxDifference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((input) => sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true })))
  expect([x!.info.width, x!.info.height]).toEqual([y!.info.width, y!.info.height])
  let worst = 0
  for (let i = 0; i < x!.data.length; i++) worst = Math.max(worst, Math.abs(x!.data[i]! - y!.data[i]!))
  return worst
}

const TEXT = b64('Hello')

// ---- styles ---------------------------------------------------------------------------------

describe('style/NAME', () => {
  it('applies the style content resolved through options.styles', async () => {
    const source = await makeImage(400, 267, 'jpg')
    const resolver = styles({ thumb: 'image/resize,w_50/format,png', 'small.v2-x_1': 'image/resize,m_fill,w_30,h_30' })
    const thumb = await run(source, 'style/thumb', { styles: resolver })
    expect([thumb.width, thumb.height, thumb.format, thumb.contentType]).toEqual([50, 33, 'png', 'image/png'])
    const fill = await run(source, 'style/small.v2-x_1', { styles: resolver })
    expect([fill.width, fill.height, fill.format]).toEqual([30, 30, 'jpg'])
  })

  it('a missing style → 404 NoSuchStyle naming the style', async () => {
    const error = await failure(await makeImage(40, 30), 'style/nope', { styles: styles({ thumb: 'image/resize,w_10' }) })
    expect([error.status, error.code]).toEqual([404, 'NoSuchStyle'])
    expect(error.message).toContain('"nope"')
  })

  it('no style resolver at all → 404 NoSuchStyle', async () => {
    const error = await failure(await makeImage(40, 30), 'style/thumb')
    expect([error.status, error.code]).toEqual([404, 'NoSuchStyle'])
  })

  it("a style whose content is invalid → that content's 400 error", async () => {
    const source = await makeImage(40, 30)
    const resolver = styles({ zero: 'image/resize,w_0', slim: 'image/slim,1', crop: 'image/crop,x_1000,w_10,h_10' })
    const zero = await failure(source, 'style/zero', { styles: resolver })
    expect([zero.status, zero.code, zero.ec]).toEqual([400, 'InvalidArgument', '0040-00000312'])
    const slim = await failure(source, 'style/slim', { styles: resolver })
    expect([slim.status, slim.ec]).toEqual([400, '0040-00000213'])
    const crop = await failure(source, 'style/crop', { styles: resolver })
    expect([crop.status, crop.code]).toEqual([400, 'BadRequest'])
  })

  it('a style whose content is itself a style → 400 InvalidArgument', async () => {
    const error = await failure(await makeImage(40, 30), 'style/loop', { styles: styles({ loop: 'style/loop' }) })
    expect([error.status, error.code]).toEqual([400, 'InvalidArgument'])
  })

  it('extra operations after a style → 400 InvalidArgument (Project decision §7)', async () => {
    const error = await failure(await makeImage(40, 30), 'style/thumb/resize,w_10', { styles: styles({ thumb: 'image/resize,w_20' }) })
    expect([error.status, error.code]).toEqual([400, 'InvalidArgument'])
  })
})

// ---- ignore-error ---------------------------------------------------------------------------

describe('ignore-error', () => {
  const expectUnprocessed = (result: ImageResult, source: Buffer, size: readonly [number, number], format: string) => {
    expect(result.ignoredError).toBe(true)
    expect(Buffer.compare(result.data, source)).toBe(0)
    expect([result.width, result.height, result.format]).toEqual([size[0], size[1], format])
  }

  it('ignore-error,1 answers the unprocessed source for an out-of-image crop', async () => {
    const source = await makeImage(100, 80, 'jpg')
    for (const process of ['image/crop,x_1000,y_0,w_10,h_10/ignore-error,1', 'image/ignore-error,1/resize,w_50/crop,x_0,y_500,w_10,h_10']) {
      const result = await run(source, process)
      expectUnprocessed(result, source, [100, 80], 'jpg')
      expect(result.contentType).toBe('image/jpeg')
    }
  })

  it('ignore-error,1 answers the unprocessed source for a too-large resize', async () => {
    const source = await makeImage(100, 80, 'png')
    const result = await run(source, 'image/resize,m_fixed,w_5000,h_5000/ignore-error,1')
    expectUnprocessed(result, source, [100, 80], 'png')
  })

  it('ignore-error,1 covers parse errors elsewhere in the string', async () => {
    const source = await makeImage(100, 80, 'jpg')
    for (const process of ['image/resize,w_0/ignore-error,1', 'image/slim,1/ignore-error,1', 'image/ignore-error,1/rotate,90,180', 'image/resize,w_10|image/ignore-error,1/crop,g_fac']) {
      expectUnprocessed(await run(source, process), source, [100, 80], 'jpg')
    }
  })

  it('ignore-error,1 inside a style applies too', async () => {
    const source = await makeImage(100, 80, 'jpg')
    const result = await run(source, 'style/safe', { styles: styles({ safe: 'image/crop,x_1000,w_10,h_10/ignore-error,1' }) })
    expectUnprocessed(result, source, [100, 80], 'jpg')
  })

  it('ignore-error,0 and no flag raise the error', async () => {
    const source = await makeImage(100, 80, 'jpg')
    for (const suffix of ['/ignore-error,0', '']) {
      const crop = await failure(source, `image/crop,x_1000,y_0,w_10,h_10${suffix}`)
      expect([crop.status, crop.code]).toEqual([400, 'BadRequest'])
      const big = await failure(source, `image/resize,m_fixed,w_5000,h_5000${suffix}`)
      expect([big.status, big.ec]).toEqual([400, '0040-00000007'])
      const parse = await failure(source, `image/resize,w_0${suffix}`)
      expect([parse.status, parse.ec]).toEqual([400, '0040-00000312'])
    }
  })

  it('the last ignore-error wins', async () => {
    const source = await makeImage(100, 80, 'jpg')
    const off = await failure(source, 'image/ignore-error,1/crop,x_1000,w_10,h_10/ignore-error,0')
    expect(off.code).toBe('BadRequest')
    expectUnprocessed(await run(source, 'image/ignore-error,0/crop,x_1000,w_10,h_10/ignore-error,1'), source, [100, 80], 'jpg')
  })

  it('a successful chain with ignore-error,1 is processed normally', async () => {
    const result = await run(await makeImage(100, 80, 'jpg'), 'image/resize,w_50/ignore-error,1')
    expect([result.width, result.height, result.ignoredError]).toEqual([50, 40, undefined])
  })
})

// ---- AbortSignal ----------------------------------------------------------------------------

describe('AbortSignal', () => {
  const isAbort = (error: unknown) => {
    expect(error).not.toBeInstanceOf(ImgError)
    expect((error as Error).name).toBe('AbortError')
  }

  it('an already-aborted signal rejects with an AbortError', async () => {
    const source = await makeImage(100, 80, 'jpg')
    isAbort(await rejection(processImage(source, 'image/resize,w_50', { signal: AbortSignal.abort() })))
    // Not turned into the source by ignore-error, nor into a style lookup error.
    isAbort(await rejection(processImage(source, 'image/resize,w_50/ignore-error,1', { signal: AbortSignal.abort() })))
    isAbort(await rejection(processImage(source, 'image/crop,x_1000,w_10/ignore-error,1', { signal: AbortSignal.abort() })))
  })

  it('a signal aborted while a large image is processed rejects with an AbortError', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080' } }).jpeg().toBuffer()
    // Six rotate/blur pairs: twelve segments, well over a second of work.
    const chain = `image/${Array(6).fill('rotate,90/blur,r_50,s_50').join('/')}`
    const controller = new AbortController()
    const started = Date.now()
    const pending = processImage(big, chain, { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    isAbort(await rejection(pending))
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('a signal aborted during the final encode of a one-segment chain rejects too', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080' } }).jpeg().toBuffer()
    for (const chain of ['image/blur,r_50,s_50', 'image/resize,w_3000/blur,r_50,s_50/format,png']) {
      const controller = new AbortController()
      const pending = processImage(big, chain, { signal: controller.signal })
      setTimeout(() => controller.abort(), 30)
      isAbort(await rejection(pending))
    }
  })

  it('an aborted signal wins over any ImgError (parse, style, runtime)', async () => {
    const source = await makeImage(100, 80, 'jpg')
    for (const process of ['image/resize,w_0', 'style/missing', 'image/crop,x_1000,w_10,h_10', 'image/resize,w_0/ignore-error,1']) {
      isAbort(await rejection(processImage(source, process, { signal: AbortSignal.abort() })))
    }
  })

  it('an abort during a nested fetch (watermark image) rejects, with or without ignore-error', async () => {
    const source = await makeImage(200, 100, 'jpg')
    const logo = await makeImage(20, 20, 'png')
    for (const suffix of ['', '/ignore-error,1']) {
      const controller = new AbortController()
      const objects = {
        get: async (key: string) => {
          controller.abort()
          return key === 'logo.png' ? logo : undefined
        }
      }
      const process = `image/resize,w_100/watermark,image_${b64('logo.png')}${suffix}`
      isAbort(await rejection(processImage(source, process, { objects, signal: controller.signal })))
    }
  })
})

// ---- planChain ------------------------------------------------------------------------------

describe('planChain segments', () => {
  const cases: [name: string, process: string, segments: number[][]][] = [
    ['crop/resize/crop = one segment (pre-extract, resize, post-extract)', 'image/crop,w_300,h_200/resize,w_100/crop,w_50,h_40', [[0, 1, 2]]],
    ['rotate,90/resize,w_10 = two (sharp resizes before it rotates)', 'image/rotate,90/resize,w_10', [[0], [1]]],
    ['resize,m_fill,w_100,h_100/rotate,90 = two (the fill cut is a post-rotate extract)', 'image/resize,m_fill,w_100,h_100/rotate,90', [[0], [1]]],
    ['resize,m_lfit,w_100/rotate,90 = one', 'image/resize,w_100/rotate,90', [[0, 1]]],
    ['resize,m_pad/crop = two (extend runs after extract)', 'image/resize,m_pad,w_100,h_100/crop,w_50,h_50', [[0], [1]]],
    ['bright,10/watermark = two (linear runs after composite)', `image/bright,10/watermark,text_${TEXT}`, [[0], [1]]],
    ['watermark/bright,10 = one', `image/watermark,text_${TEXT}/bright,10`, [[0, 1]]],
    ['resize/rotate/crop/blur/sharpen/watermark/contrast = one (sharp order)', `image/resize,w_200/rotate,90/crop,w_50,h_50/blur,r_3,s_2/sharpen,100/watermark,text_${TEXT}/contrast,10`, [[0, 1, 2, 3, 4, 5, 6]]],
    ['resize/resize = two (one resize per pipeline)', 'image/resize,w_200/resize,w_100', [[0], [1]]],
    ['blur/rotate/blur = two', 'image/blur,r_3,s_2/rotate,90/blur,r_3,s_2', [[0], [1, 2]]],
    ['encoder ops belong to no segment: format/resize/quality/interlace/auto-orient/ignore-error = one', 'image/format,png/resize,w_100/quality,q_80/interlace,1/auto-orient,1/ignore-error,1', [[1]]],
    ['only encoder ops = one empty segment', 'image/format,webp/quality,Q_50', [[]]]
  ]

  for (const [name, process, segments] of cases) {
    it(name, () => {
      expect(segmentsOf(process)).toEqual(segments)
    })
  }

  it('a terminal op is set apart: resize,w_10/average-hue → [[0]], terminal 1', () => {
    const parsed = parseProcess('image/resize,w_10/average-hue')
    if (parsed.kind !== 'image') throw new Error('expected an image chain')
    const planned = planChain(parsed.steps)
    expect(planned.segments.map((s) => s.steps)).toEqual([[0]])
    expect(planned.terminal).toBe(1)
  })

  it('every planned chain gives what OSS strict left-to-right order gives', async () => {
    const source = await makeImage(400, 300, 'png')
    for (const [, process] of cases) {
      if (process.includes('format,webp')) continue
      const chained = (await run(source, `${process}/format,png`)).data
      const reference = await stepwise(source, process)
      expect(await maxDifference(chained, reference), process).toBeLessThanOrEqual(2)
    }
  })
})

// ---- reported sizes, colour spaces, bit depths -----------------------------------------------

describe('results', () => {
  it("report the decoded output's width and height", async () => {
    const jpg = await makeImage(120, 80, 'jpg')
    const png = await makeImage(120, 80, 'png', { alpha: true })
    const chains = [
      'image/resize,w_50',
      'image/resize,m_pad,w_50,h_70',
      'image/resize,m_fill,w_50,h_70',
      'image/resize,p_33',
      'image/rotate,45',
      'image/rotate,90/resize,h_31',
      'image/circle,r_30',
      'image/rounded-corners,r_10',
      'image/crop,x_10,y_10,w_500,h_500',
      'image/indexcrop,x_50,i_1',
      `image/watermark,text_${TEXT}`,
      'image/blur,r_3,s_2/sharpen,100/bright,10/contrast,-10',
      'image/resize,w_33/format,png',
      'image/resize,w_33/format,webp',
      'image/resize,w_33/format,tiff',
      'image/resize,w_33/format,avif',
      'image/resize,w_33/format,jpg',
      'image/resize,w_33/format,gif'
    ]
    for (const source of [jpg, png]) {
      for (const process of chains) {
        const result = await run(source, process)
        expect(result.width, process).toBeGreaterThan(0)
      }
    }
    const gif = await animatedGif(60, 40, [[40, 40, 40], [200, 200, 200]])
    for (const process of ['image/resize,w_25', 'image/resize,w_25/format,webp', 'image/resize,p_50', 'image/rotate,90']) await run(gif, process)
  })

  const close = async (source: Buffer, out: Buffer, tolerance = 4) => {
    const [a, b] = await Promise.all([meanColour(source), meanColour(out)])
    a.forEach((value, i) => expect(Math.abs(value - b[i]!), `${a.map(Math.round).join(',')} vs ${b.map(Math.round).join(',')}`).toBeLessThanOrEqual(tolerance))
  }

  /** resize,w_50 and rotate,90/resize,w_25 of a 200×100 source: the right size, `format`, the source's colours. */
  const resizedAndTurned = async (source: Buffer, format: string): Promise<ImageResult[]> => {
    const outs: ImageResult[] = []
    for (const [process, size] of [
      ['image/resize,w_50', [50, 25]],
      ['image/rotate,90/resize,w_25', [25, 50]]
    ] as const) {
      const out = await run(source, process)
      expect([out.width, out.height, out.format], process).toEqual([size[0], size[1], format])
      await close(source, out.data)
      outs.push(out)
    }
    return outs
  }

  it('a 16-bit PNG processes to the right size and colours', async () => {
    const source = await sharp(await makeImage(200, 100, 'png')).toColourspace('rgb16').png().toBuffer()
    expect((await sharp(source).metadata()).depth).toBe('ushort')
    await resizedAndTurned(source, 'png')
  })

  it('a 16-bit PNG with alpha keeps its transparency', async () => {
    const source = await sharp(await makeImage(200, 100, 'png', { alpha: true })).toColourspace('rgb16').png().toBuffer()
    const out = await run(source, 'image/rotate,90/resize,w_25')
    expect([out.width, out.height]).toEqual([25, 50])
    const { channels } = await sharp(out.data).stats()
    expect(channels.length).toBe(4)
    expect(Math.abs(channels[3]!.mean - 128)).toBeLessThanOrEqual(3)
    await close(source, out.data)
  })

  it('a greyscale JPEG processes to the right size and colours', async () => {
    const source = await sharp(await makeImage(200, 100, 'jpg')).toColourspace('b-w').jpeg().toBuffer()
    expect((await sharp(source).metadata()).channels).toBe(1)
    for (const out of await resizedAndTurned(source, 'jpg')) {
      const [r, g, b] = await meanColour(out.data)
      expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(1)
    }
  })

  it('a CMYK JPEG processes to the right size and colours', async () => {
    const source = await sharp(await makeImage(200, 100, 'jpg')).toColourspace('cmyk').jpeg().toBuffer()
    expect((await sharp(source).metadata()).space).toBe('cmyk')
    await resizedAndTurned(source, 'jpg')
  })
})
