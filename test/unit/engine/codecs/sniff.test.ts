import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodeBmp } from '../../../../src-main/engine/codecs/bmp'
import { sniffFormat, type SourceFormat } from '../../../../src-main/engine/codecs/sniff'

const image = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#3a7' } })

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(size)
  new DataView(out.buffer).setUint32(0, size)
  out.set(Buffer.from(type, 'latin1'), 4)
  let p = 8
  for (const part of payload) {
    out.set(part, p)
    p += part.length
  }
  return out
}

const bytes = (...values: number[]) => Uint8Array.from(values)
const text = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'))
const u16 = (v: number) => bytes(v >> 8, v & 255)

function ftyp(major: string, ...compatible: string[]): Uint8Array {
  return box('ftyp', text(major), bytes(0, 0, 0, 0), ...compatible.map(text))
}

/** meta box with pitm and iinf (infe v2 entries), as libheif writes them. */
function meta(primary: number, items: [id: number, type: string][]): Uint8Array {
  const fullBox = bytes(0, 0, 0, 0)
  const infes = items.map(([id, type]) => box('infe', bytes(2, 0, 0, 0), u16(id), u16(0), text(type)))
  return box('meta', fullBox, box('hdlr', fullBox, bytes(0, 0, 0, 0), text('pict')), box('pitm', fullBox, u16(primary)), box('iinf', fullBox, u16(items.length), ...infes))
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts))

describe('sniffFormat', () => {
  it.each<[SourceFormat, () => Promise<Uint8Array>]>([
    ['jpg', () => image().jpeg().toBuffer()],
    ['png', () => image().png().toBuffer()],
    ['gif', () => image().gif().toBuffer()],
    ['webp', () => image().webp().toBuffer()],
    ['tiff', () => image().tiff().toBuffer()],
    ['avif', () => image().avif().toBuffer()],
    ['bmp', async () => encodeBmp({ data: await image().raw().toBuffer(), width: 8, height: 8, channels: 3 })]
  ])('recognises %s', async (format, make) => {
    expect(sniffFormat(await make())).toBe(format)
  })

  it('recognises GIF87a and big-endian TIFF', () => {
    expect(sniffFormat(text('GIF87a\x01\x00'))).toBe('gif')
    expect(sniffFormat(bytes(0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8))).toBe('tiff')
  })

  it('recognises HEIC and AVIF by major brand', () => {
    for (const brand of ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']) expect(sniffFormat(ftyp(brand, 'mif1'))).toBe('heic')
    expect(sniffFormat(ftyp('avif', 'mif1', 'miaf'))).toBe('avif')
    expect(sniffFormat(ftyp('avis', 'msf1'))).toBe('avif')
  })

  it('resolves mif1/msf1 by compatible brands', () => {
    expect(sniffFormat(ftyp('mif1', 'mif1', 'heic', 'miaf'))).toBe('heic')
    expect(sniffFormat(ftyp('msf1', 'msf1', 'hevc'))).toBe('heic')
    expect(sniffFormat(ftyp('mif1', 'mif1', 'avif', 'miaf'))).toBe('avif')
  })

  it('resolves brand-neutral mif1 files by the coded item type', () => {
    expect(sniffFormat(concat(ftyp('mif1', 'mif1', 'miaf'), meta(1, [[1, 'hvc1']])))).toBe('heic')
    expect(sniffFormat(concat(ftyp('mif1', 'mif1', 'miaf'), meta(1, [[1, 'av01']])))).toBe('avif')
    // A grid primary item made of HEVC tiles.
    const grid = meta(1, [[1, 'grid'], [2, 'hvc1'], [3, 'hvc1']])
    expect(sniffFormat(concat(ftyp('mif1', 'mif1'), grid))).toBe('heic')
    // The primary item decides when both codecs are present.
    expect(sniffFormat(concat(ftyp('mif1'), meta(2, [[1, 'hvc1'], [2, 'av01']])))).toBe('avif')
    // Neither codec (e.g. JPEG-coded HEIF), or no meta box at all.
    expect(sniffFormat(concat(ftyp('mif1'), meta(1, [[1, 'jpeg']])))).toBeUndefined()
    expect(sniffFormat(ftyp('mif1', 'miaf'))).toBeUndefined()
  })

  it('rejects other ISO-BMFF files (video)', () => {
    expect(sniffFormat(ftyp('isom', 'isom', 'mp41'))).toBeUndefined()
  })

  it('returns undefined for empty, short and garbage input', () => {
    expect(sniffFormat(new Uint8Array())).toBeUndefined()
    expect(sniffFormat(bytes(0xff, 0xd8))).toBeUndefined()
    expect(sniffFormat(text('BM'))).toBeUndefined()
    expect(sniffFormat(text('BMW is a car maker, not an image'))).toBeUndefined()
    expect(sniffFormat(text('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined()
    expect(sniffFormat(text('hello world, this is text'))).toBeUndefined()
  })

  it('never throws on arbitrary bytes, alone or after a real signature', () => {
    const prefixes = [
      bytes(),
      text('BM'),
      text('RIFF'),
      bytes(0x49, 0x49, 0x2a, 0),
      ftyp('mif1', 'miaf'),
      concat(ftyp('mif1'), meta(1, [[1, 'hvc1']])).subarray(0, 40),
      concat(ftyp('mif1'), bytes(0, 0, 0, 1), text('meta'))
    ]
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), (prefix, tail) => {
        sniffFormat(concat(prefix, tail))
        return true
      }),
      { numRuns: 3000 }
    )
  })

  it('never throws on any prefix of a structured HEIF header', () => {
    const file = concat(ftyp('mif1', 'mif1'), meta(1, [[1, 'grid'], [2, 'hvc1']]))
    for (let n = 0; n <= file.length; n++) expect(() => sniffFormat(file.subarray(0, n))).not.toThrow()
    expect(sniffFormat(file)).toBe('heic')
  })
})
