import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeHeic, encodeHeic } from '../../../../src-main/engine/codecs/heic'
import { sniffFormat } from '../../../../src-main/engine/codecs/sniff'

// Real HEVC fixtures come from Debian's heif-enc (package libheif-examples, which brings the x265 encoder).
const hasHeifEnc = spawnSync('heif-enc', ['--help']).error === undefined
if (!hasHeifEnc) console.warn('heic.test: heif-enc not found (apt-get install -y libheif-examples); skipping HEVC decode tests')

const dir = mkdtempSync(join(tmpdir(), 'heic-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Encodes a solid 64×48 image to HEVC HEIC with heif-enc at high quality. */
async function hevcFixture(name: string, background: { r: number; g: number; b: number; alpha?: number }): Promise<Buffer> {
  const png = join(dir, `${name}.png`)
  const heic = join(dir, `${name}.heic`)
  const channels = background.alpha === undefined ? 3 : 4
  await sharp({ create: { width: 64, height: 48, channels, background } }).png().toFile(png)
  const run = spawnSync('heif-enc', ['-q', '90', png, '-o', heic], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`heif-enc failed: ${run.stderr}`)
  return readFileSync(heic)
}

function meanRgba(data: Buffer): number[] {
  const sums = [0, 0, 0, 0]
  for (let i = 0; i < data.length; i++) sums[i % 4]! += data[i]!
  return sums.map((sum) => sum / (data.length / 4))
}

describe('decodeHeic', () => {
  it.skipIf(!hasHeifEnc)('decodes an HEVC HEIC (which sharp cannot) to RGBA', async () => {
    const heic = await hevcFixture('opaque', { r: 200, g: 40, b: 90 })
    expect(sniffFormat(heic)).toBe('heic')
    expect((await sharp(heic).metadata()).compression).toBe('hevc')
    await expect(sharp(heic).raw().toBuffer()).rejects.toThrow() // the reason this module exists

    const decoded = await decodeHeic(heic)
    expect(decoded).toMatchObject({ width: 64, height: 48, channels: 4 })
    expect(decoded.data.length).toBe(64 * 48 * 4)
    const [r, g, b, a] = meanRgba(decoded.data)
    expect(r).toBeCloseTo(200, -1)
    expect(g).toBeCloseTo(40, -1)
    expect(b).toBeCloseTo(90, -1)
    expect(a).toBe(255)
  })

  it.skipIf(!hasHeifEnc)('keeps the alpha plane', async () => {
    const heic = await hevcFixture('alpha', { r: 20, g: 140, b: 90, alpha: 0.5 })
    const [r, g, b, a] = meanRgba((await decodeHeic(heic)).data)
    expect(r).toBeCloseTo(20, -1)
    expect(g).toBeCloseTo(140, -1)
    expect(b).toBeCloseTo(90, -1)
    expect(a).toBeCloseTo(128, -1)
  })

  it('rejects non-HEIF input with an Error', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer()
    await expect(decodeHeic(png)).rejects.toThrow(Error)
    await expect(decodeHeic(Buffer.from('not an image'))).rejects.toThrow(Error)
  })
})

describe('encodeHeic', () => {
  it('writes AV1-coded HEIF (the documented stand-in for HEVC) that sharp reads back', async () => {
    const source = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    const out = await encodeHeic(source, 50)
    const meta = await sharp(out).metadata()
    // Not what OSS reports for format,heic (compression 'hevc', image/heic): see encodeHeic's comment.
    expect(meta).toMatchObject({ format: 'heif', compression: 'av1', mediaType: 'image/avif', width: 64, height: 48 })
    expect(sniffFormat(out)).toBe('avif')
    const { dominant } = await sharp(out).stats()
    expect(Math.abs(dominant.r - 200)).toBeLessThanOrEqual(16)
  })
})
