/**
 * Every documented OSS example with a process string (shared/conformance/oss-img-examples.json)
 * runs through the real engine. Entries that need OSS's own demo data assert a weaker property,
 * stated next to them.
 */
import { existsSync, readFileSync } from 'node:fs'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ImgError } from '../../src-shared/img/errors'
import { parseProcess } from '../../src-shared/img/process'
import { processImage } from '../../src-main/engine/executor'
import { makeImage, pngHeaderOnly, solidImage, type FixtureFormat } from '../support/images'
import { loadConformanceExamples, SHARED_EXAMPLES, VENDORED_EXAMPLES } from '../support/conformance'

interface Example {
  source: { w: number | null; h: number | null; format: string; name?: string }
  process: string
  expected: {
    w: number | null
    h: number | null
    format?: string
    error?: { http_status: number; ec?: string | null; code?: string; message?: string }
    json?: Record<string, unknown>
    notes?: string
  }
}

const examples = loadConformanceExamples<Example>()

/** Watermark objects the documented examples refer to, made locally. */
async function demoBucket(): Promise<Map<string, Buffer>> {
  const panda = await sharp({ create: { width: 120, height: 90, channels: 4, background: { r: 20, g: 20, b: 20, alpha: 0.8 } } }).png().toBuffer()
  const photo = await makeImage(300, 200, 'jpg')
  return new Map([
    ['panda.png', panda],
    ['Tulips.jpg', photo],
    ['pics/Jellyfish.jpg', photo],
    ['pics/Koala.jpg', photo],
    ['pics/Tulips.jpg', photo]
  ])
}

async function sourceFor(example: Example): Promise<Buffer> {
  const { w, h, format } = example.source
  if (example.expected.error?.ec === '0040-00000012') return pngHeaderOnly(20_000, 20_000) // > 250 M px
  if (example.expected.error?.ec === '0040-00000009') return pngHeaderOnly(30_001, 10) // side > 30000
  if (example.process === 'image/average-hue') return solidImage(64, 48, [0xbb, 0xcd, 0x7f], 'png') // lossless: the exact colour
  if (w !== null && h === null) return makeImage(w, 10, 'jpg') // "source 5100 px wide"
  return makeImage(w ?? 400, h ?? 267, (format === 'gif' ? 'gif' : format) as FixtureFormat, format === 'gif' ? { pages: 3 } : {})
}

// A missing source object is the caller's case (CLI, sandbox): test/integration/cli.test.ts covers it.
const isMissingObject = (e: Example) => e.expected.error?.ec === '0040-00000024'
const runnable = examples.filter((e) => /^(image|style)\//.test(e.process) && !isMissingObject(e))
const objects = await demoBucket()

describe('documented OSS examples', () => {
  it('covers every entry that has a process string', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(55)
    expect(examples.filter(isMissingObject)).toHaveLength(1)
  })

  for (const example of runnable) {
    const title = `${example.process} on ${example.source.w ?? '?'}×${example.source.h ?? '?'} ${example.source.format}`
    it(title, async () => {
      const bytes = await sourceFor(example)
      const run = processImage(bytes, example.process, { objects: { get: async (key) => objects.get(key) } })
      const { expected } = example
      if (expected.error) {
        const error = await run.then(
          () => undefined,
          (e: unknown) => e
        )
        expect(error).toBeInstanceOf(ImgError)
        const imgError = error as ImgError
        expect(imgError.status).toBe(expected.error.http_status)
        if (expected.error.ec) expect(imgError.ec).toBe(expected.error.ec)
        if (expected.error.message) expect(imgError.message).toContain(expected.error.message)
        if (expected.error.code === 'BadRequest') expect(imgError.code).toBe('BadRequest')
        return
      }
      const result = await run
      if (expected.json) {
        expect(result.kind).toBe('json')
        const body = JSON.parse(result.kind === 'json' ? result.body : '{}') as Record<string, unknown>
        // Needs OSS's demo object: FileSize is our fixture's; average-hue uses a solid fixture of the documented colour.
        if ('FileSize' in expected.json) expect(body).toEqual({ ...expected.json, FileSize: { value: String(bytes.length) } })
        else expect(body).toEqual(expected.json)
        return
      }
      expect(result.kind).toBe('image')
      if (result.kind !== 'image') return
      if (expected.format) expect(result.format).toBe(expected.format)
      const meta = await sharp(result.data).metadata()
      if (expected.w !== null) {
        expect(result.width).toBe(expected.w)
        expect(meta.width).toBe(expected.w)
      }
      if (expected.h !== null) {
        expect(result.height).toBe(expected.h)
        expect(meta.pageHeight ?? meta.height).toBe(expected.h)
      }
    })
  }

  it('reads the saveas entries (the sandbox stores them; the engine refuses them in a GET)', async () => {
    const post = parseProcess('image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA')
    expect(post.saveAs).toEqual({ object: 'test.jpg', bucket: 'test' })
    expect(parseProcess('style/examplestyle|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA')).toMatchObject({ kind: 'style', name: 'examplestyle' })
    await expect(processImage(await makeImage(50, 50), 'image/resize,w_100|sys/saveas,o_dGVzdC5qcGc')).rejects.toMatchObject({ status: 400 })
  })

  it('rejects the 64-character style name of the PutStyle example', () => {
    const name = 'ImagestyleImagestyleImagestyleImagestyleImagestyleImagestyleabcd'
    expect(() => parseProcess(`style/${name}`)).toThrow(expect.objectContaining({ status: 400, code: 'InvalidArgument', ec: '0017-00000250' }))
  })
})

describe('the examples file', () => {
  it.runIf(existsSync(SHARED_EXAMPLES))('kept in test/conformance is the team’s (shared/conformance) as it is', () => {
    expect(readFileSync(VENDORED_EXAMPLES, 'utf8')).toBe(readFileSync(SHARED_EXAMPLES, 'utf8'))
  })
})
