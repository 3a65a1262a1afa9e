import exifReader from 'exif-reader'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { buildInfo, serializeInfo, type InfoInput, type OssInfo } from '../../../../src-main/engine/analysis/info'
import { loadConformanceExamples } from '../../../support/conformance'

const OSS_FORMAT: Record<string, string> = { jpeg: 'jpg', png: 'png', gif: 'gif', webp: 'webp', tiff: 'tiff' }

// The caller's glue, in miniature: sharp metadata → buildInfo input.
async function infoOf(bytes: Buffer): Promise<OssInfo> {
  const meta = await sharp(bytes).metadata()
  return buildInfo({
    bytes: bytes.length,
    format: OSS_FORMAT[meta.format]!,
    width: meta.width,
    height: meta.pageHeight ?? meta.height,
    frames: meta.pages ?? 1,
    density: meta.density,
    resolutionUnit: meta.resolutionUnit,
    exif: meta.exif
  })
}

const solid = (width = 400, height = 267) =>
  sharp({ create: { width, height, channels: 3, background: { r: 92, g: 120, b: 59 } } })

const values = (info: OssInfo) => Object.fromEntries(Object.entries(info).map(([k, v]) => [k, v.value]))

describe('buildInfo', () => {
  it('matches the documented DEMO_A body for a JPEG without EXIF (FileSize aside)', async () => {
    const examples = loadConformanceExamples<unknown>() as { process: string; expected: { json?: OssInfo } }[]
    const demoA = examples.find((e) => e.process === 'image/info' && e.expected.json)!.expected.json!
    const jpeg = await solid().jpeg().toBuffer()

    const info = await infoOf(jpeg)

    expect(info).toEqual({ ...demoA, FileSize: { value: String(jpeg.length) } })
    expect(serializeInfo(info)).toBe(JSON.stringify({ ...demoA, FileSize: { value: String(jpeg.length) } }))
  })

  it('adds EXIF tags named and formatted like DEMO_F, keeping the stored dimensions', async () => {
    const jpeg = await solid()
      .jpeg()
      .withMetadata({ orientation: 7, density: 96 })
      .withExif({
        IFD0: { Software: 'Microsoft Windows Photo Viewer 6.1.7600.16385', DateTime: '2015:02:11 15:38:27' },
        IFD3: {
          GPSVersionID: '2 2 0 0',
          GPSLatitudeRef: 'N',
          GPSLatitude: '0/1 0/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '0/1 0/1 0/1',
          GPSMapDatum: 'WGS-84'
        }
      })
      .toBuffer()
    const exif = (await sharp(jpeg).metadata()).exif!
    const offsets = exifReader(exif).Image!

    const info = await infoOf(jpeg)

    expect(values(info)).toMatchObject({
      DateTime: '2015:02:11 15:38:27',
      ExifTag: String(offsets.ExifTag),
      FileSize: String(jpeg.length),
      Format: 'jpg',
      FrameCount: '1',
      GPSLatitude: '0deg ',
      GPSLatitudeRef: 'North',
      GPSLongitude: '0deg ',
      GPSLongitudeRef: 'East',
      GPSMapDatum: 'WGS-84',
      GPSTag: String(offsets.GPSTag),
      GPSVersionID: '2 2 0 0',
      ImageHeight: '267',
      ImageWidth: '400',
      Orientation: '7',
      ResolutionUnit: '2',
      Software: 'Microsoft Windows Photo Viewer 6.1.7600.16385',
      // libvips stores the density as n/1000; rationals are printed raw, as OSS's "96/1" is.
      XResolution: '96000/1000',
      YResolution: '96000/1000'
    })
    // libvips also writes an Exif IFD: its plain values appear, its UNDEFINED ones (ExifVersion…) do not.
    expect(values(info)).toMatchObject({ ColorSpace: '65535', PixelXDimension: '400' })
    expect(info).not.toHaveProperty('ExifVersion')
    expect(info).not.toHaveProperty('ImageLength')
    expect(Object.keys(info)).toEqual(Object.keys(info).sort())
  })

  it('returns only the basic fields for PNG, even when it carries EXIF', async () => {
    const png = await solid(40, 30).png().withMetadata({ density: 300 }).withExif({ IFD0: { Software: 'x' } }).toBuffer()
    expect((await sharp(png).metadata()).exif).toBeDefined()

    expect(values(await infoOf(png))).toEqual({
      FileSize: String(png.length),
      Format: 'png',
      FrameCount: '1',
      ImageHeight: '30',
      ImageWidth: '40',
      ResolutionUnit: '2',
      XResolution: '300/1',
      YResolution: '300/1'
    })
  })

  it('counts the frames of an animated GIF and reports one frame’s size', async () => {
    const frames = await Promise.all(
      [0, 1, 2].map((i) =>
        sharp({ create: { width: 20, height: 10, channels: 3, background: { r: i * 100, g: 0, b: 0 } } })
          .png()
          .toBuffer()
      )
    )
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer()

    expect(values(await infoOf(gif))).toMatchObject({ Format: 'gif', FrameCount: '3', ImageWidth: '20', ImageHeight: '10' })
  })

  it('reports a centimetre resolution with ResolutionUnit 3 and ignores a density without a unit', () => {
    const base: InfoInput = { bytes: 1, format: 'jpg', width: 1, height: 1, frames: 1 }
    expect(values(buildInfo({ ...base, density: 71.12, resolutionUnit: 'cm' }))).toMatchObject({
      ResolutionUnit: '3',
      XResolution: '28/1'
    })
    expect(values(buildInfo({ ...base, density: 72 }))).toMatchObject({ ResolutionUnit: '1', XResolution: '1/1' })
  })

  describe('EXIF decoding (hand-built big-endian block)', () => {
    const base: InfoInput = { bytes: 23471, format: 'jpg', width: 424, height: 333, frames: 1 }

    it('keeps rationals raw, prints GPS positions like exiv2 and lets IFD0 win over the thumbnail IFD', () => {
      const exif = exifBlock([
        [
          [0x0100, SHORT, [9999]], // ImageWidth: superseded by the stored width
          [0x010f, ASCII, 'Cam'],
          [0x011a, RATIONAL, [[72, 1]]],
          [0x0213, SHORT, [2]],
          [0x8769, LONG, 'exif'],
          [0x8825, LONG, 'gps'],
          [0xea1c, UNDEFINED, [0, 0, 0, 0, 0, 0]] // Windows padding: unnamed, skipped
        ],
        [
          [0x829a, RATIONAL, [[1, 125]]],
          [0x829d, RATIONAL, [[28, 10]]],
          [0x8827, SHORT, [100]],
          [0x9000, UNDEFINED, [0x30, 0x32, 0x33, 0x30]],
          [0x9204, SRATIONAL, [[-1, 3]]]
        ],
        [
          [0x0000, BYTE, [2, 2, 0, 0]],
          [0x0001, ASCII, 'S'],
          [0x0002, RATIONAL, [[30, 1], [15, 1], [2580, 100]]],
          [0x0003, ASCII, 'W'],
          [0x0004, RATIONAL, [[120, 1], [0, 1], [0, 1]]],
          [0x0006, RATIONAL, [[123, 10]]]
        ],
        [
          [0x0103, SHORT, [6]],
          [0x011a, RATIONAL, [[96, 1]]],
          [0x0201, LONG, [4518]],
          [0x0202, LONG, [3232]]
        ]
      ])

      const info = values(buildInfo({ ...base, exif }))

      expect(info).toMatchObject({
        Compression: '6',
        ExposureBiasValue: '-1/3',
        ExposureTime: '1/125',
        FNumber: '28/10',
        GPSAltitude: '123/10',
        GPSLatitude: '30deg 15\' 25.800" ',
        GPSLatitudeRef: 'South',
        GPSLongitude: '120deg ',
        GPSLongitudeRef: 'West',
        GPSVersionID: '2 2 0 0',
        ISOSpeedRatings: '100',
        ImageWidth: '424',
        JPEGInterchangeFormat: '4518',
        JPEGInterchangeFormatLength: '3232',
        Make: 'Cam',
        XResolution: '72/1',
        YCbCrPositioning: '2'
      })
      expect(Number(info['ExifTag'])).toBeGreaterThan(8)
      expect(Number(info['GPSTag'])).toBeGreaterThan(Number(info['ExifTag']))
      expect(info).not.toHaveProperty('ExifVersion')
      expect(Object.keys(info).some((k) => /^\d+$/.test(k))).toBe(false)
    })

    it('survives corrupt blocks with the basic fields', () => {
      const good = exifBlock([[[0x0112, SHORT, [6]]], [], [], []])
      const looping = Buffer.from(good)
      looping.writeUInt32BE(8, 6 + 8 + 2 + 12) // IFD0's next-IFD offset points back at IFD0

      for (const exif of [Buffer.from('Exif\0\0garbage'), good.subarray(0, 20), Buffer.alloc(3), looping]) {
        const info = buildInfo({ ...base, exif })
        expect(info).toMatchObject({ FileSize: { value: '23471' }, ImageWidth: { value: '424' } })
      }
      expect(buildInfo({ ...base, exif: looping })).toHaveProperty('Orientation', { value: '6' })
    })
  })

  it('serializeInfo prints compact JSON with sorted keys', () => {
    expect(serializeInfo({ b: { value: '2' }, A: { value: '1' }, a: { value: '3' } })).toBe(
      '{"A":{"value":"1"},"a":{"value":"3"},"b":{"value":"2"}}'
    )
  })
})

// --- a minimal big-endian TIFF writer for the EXIF fixtures ---

const BYTE = 1
const ASCII = 2
const SHORT = 3
const LONG = 4
const RATIONAL = 5
const UNDEFINED = 7
const SRATIONAL = 10
const UNIT: Record<number, number> = { [BYTE]: 1, [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [RATIONAL]: 8, [UNDEFINED]: 1, [SRATIONAL]: 8 }
/** 'exif' / 'gps' stand for the offset of that IFD (a LONG). */
type Tag = [tag: number, type: number, value: number[] | [number, number][] | string]

/** "Exif\0\0" + TIFF: IFD0 (linking the Exif and GPS IFDs) → IFD1. */
function exifBlock([ifd0, exifIfd, gpsIfd, ifd1]: [Tag[], Tag[], Tag[], Tag[]]): Buffer {
  const size = (tags: Tag[]) => 2 + tags.length * 12 + 4 + tags.reduce((n, t) => n + dataSize(t), 0)
  const offsets = [8, 8 + size(ifd0)]
  offsets.push(offsets[1]! + size(exifIfd))
  offsets.push(offsets[2]! + size(gpsIfd))
  const [at0, atExif, atGps, at1] = offsets as [number, number, number, number]
  const resolve = ([tag, type, v]: Tag): Tag => [tag, type, v === 'exif' ? [atExif] : v === 'gps' ? [atGps] : v]

  const out = Buffer.alloc(at1 + size(ifd1))
  out.write('MM', 0, 'latin1')
  out.writeUInt16BE(42, 2)
  out.writeUInt32BE(at0, 4)
  writeIfd(out, at0, ifd0.map(resolve), at1)
  writeIfd(out, atExif, exifIfd, 0)
  writeIfd(out, atGps, gpsIfd, 0)
  writeIfd(out, at1, ifd1, 0)
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), out])
}

function bytesOf([, type, value]: Tag): Buffer {
  if (typeof value === 'string') return Buffer.from(type === ASCII ? `${value}\0` : '\0\0\0\0', 'latin1')
  const unit = UNIT[type]!
  const buf = Buffer.alloc(value.length * unit)
  value.forEach((v, i) => {
    if (Array.isArray(v)) {
      buf.writeInt32BE(v[0], i * 8)
      buf.writeInt32BE(v[1], i * 8 + 4)
    } else buf.writeUIntBE(v, i * unit, unit)
  })
  return buf
}

function dataSize(tag: Tag): number {
  const n = bytesOf(tag).length
  return n > 4 ? n : 0
}

function writeIfd(out: Buffer, at: number, tags: Tag[], next: number): void {
  out.writeUInt16BE(tags.length, at)
  let data = at + 2 + tags.length * 12 + 4
  tags.forEach((tag, i) => {
    const entry = at + 2 + i * 12
    const bytes = bytesOf(tag)
    out.writeUInt16BE(tag[0], entry)
    out.writeUInt16BE(tag[1], entry + 2)
    out.writeUInt32BE(bytes.length / UNIT[tag[1]]!, entry + 4)
    if (bytes.length <= 4) bytes.copy(out, entry + 8)
    else {
      out.writeUInt32BE(data, entry + 8)
      bytes.copy(out, data)
      data += bytes.length
    }
  })
  out.writeUInt32BE(next, at + 2 + tags.length * 12)
}
