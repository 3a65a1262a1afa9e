import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { decodeHeic, encodeHeic, heicEncoder, resetHeicEncoderProbe } from '../../../../src-main/engine/codecs/heic'
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

/** ISO-BMFF `ftyp`: the major brand, then the compatible ones. */
function ftyp(data: Buffer): { major: string; compatible: string[] } {
  expect(data.toString('latin1', 4, 8)).toBe('ftyp')
  const size = data.readUInt32BE(0)
  const compatible: string[] = []
  for (let at = 16; at + 4 <= size; at += 4) compatible.push(data.toString('latin1', at, at + 4))
  return { major: data.toString('latin1', 8, 12), compatible }
}

const heicTemps = () => readdirSync(tmpdir()).filter((name) => name.startsWith('oss-img-heic-'))

describe('encodeHeic with heif-enc (issue 17 §4)', () => {
  afterEach(() => {
    delete process.env.OSS_IMG_HEIF_ENC
    resetHeicEncoderProbe()
  })

  it.skipIf(!hasHeifEnc)('finds the HEVC encoder here', async () => {
    expect(await heicEncoder()).toMatchObject({ compression: 'hevc', description: expect.stringContaining('x265') })
  })

  it.skipIf(!hasHeifEnc)('writes HEVC HEIC (major brand heic) of odd size that heic-decode decodes to the same pixels, and leaves no temp folder', async () => {
    const before = heicTemps()
    const source = sharp({ create: { width: 65, height: 47, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    const out = await encodeHeic(source, 60)
    expect(ftyp(out).major).toBe('heic')
    expect(sniffFormat(out)).toBe('heic')
    expect(await sharp(out).metadata()).toMatchObject({ format: 'heif', compression: 'hevc', width: 65, height: 47 })
    const decoded = await decodeHeic(out)
    expect([decoded.width, decoded.height]).toEqual([65, 47])
    const [r, g, b] = meanRgba(decoded.data)
    expect(Math.abs(r! - 200) + Math.abs(g! - 40) + Math.abs(b! - 90)).toBeLessThanOrEqual(24)
    expect(heicTemps()).toEqual(before)
  })

  it.skipIf(!hasHeifEnc)('keeps alpha', async () => {
    const source = sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } } })
    const decoded = await decodeHeic(await encodeHeic(source, 60))
    expect(meanRgba(decoded.data)[3]).toBeLessThanOrEqual(8)
  })

  it.skipIf(!hasHeifEnc)('stops heif-enc on cancel and removes its temp folder', async () => {
    const before = heicTemps()
    const controller = new AbortController()
    const big = sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    const pending = encodeHeic(big, 90, controller.signal)
    // Abort while heif-enc runs: once its private folder holds the PNG.
    let sawFolder = false
    const poll = setInterval(() => {
      if (heicTemps().length > before.length) {
        sawFolder = true
        controller.abort()
      }
    }, 5)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    clearInterval(poll)
    expect(sawFolder).toBe(true)
    expect(heicTemps()).toEqual(before)
  })

  it('falls back to AV1-in-HEIF (brand avif) where no HEVC encoder exists, and says so', async () => {
    process.env.OSS_IMG_HEIF_ENC = join(dir, 'no-such-heif-enc')
    resetHeicEncoderProbe()
    expect(await heicEncoder()).toMatchObject({ compression: 'av1', description: expect.stringContaining('AV1') })
    const out = await encodeHeic(sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } } }), 50)
    expect(ftyp(out).major).toBe('avif')
    expect(await sharp(out).metadata()).toMatchObject({ format: 'heif', compression: 'av1', width: 64, height: 48 })
    const { dominant } = await sharp(out).stats()
    expect(Math.abs(dominant.r - 200)).toBeLessThanOrEqual(16)
  })

  it('reports a failing encoder as an Error, leaving no temp folder', async () => {
    const before = heicTemps()
    const fake = join(dir, 'fake-heif-enc')
    writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "--list-encoders" ]; then printf "HEIC encoders:\\n- x265 = fake\\n"; exit 0; fi\necho "boom" >&2; exit 3\n', { mode: 0o755 })
    process.env.OSS_IMG_HEIF_ENC = fake
    resetHeicEncoderProbe()
    await expect(encodeHeic(sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }), 50)).rejects.toThrow('heif-enc failed: boom')
    expect(heicTemps()).toEqual(before)
  })
})
