/**
 * `image/info` (spec §3.16): OSS's flat `{"Tag":{"value":"…"}}` JSON — the basic fields plus the EXIF tags.
 *
 * OSS evidently prints EXIF through exiv2: its tag names (`ExifTag`, `GPSTag`, `JPEGInterchangeFormat`) are
 * exiv2's, and its values are exiv2's raw renderings ("96/1", "2 2 0 0") except for GPS positions, which use
 * exiv2's interpreted form ("North", "0deg "). We therefore walk the IFDs ourselves to keep rationals as
 * `num/den` and to know each value's type — `exif-reader` turns rationals into floats (96/1 → 96, so
 * "96000/1000", what libvips writes, could not be rebuilt) — and borrow only its exiv2 tag-name tables.
 */
import { createRequire } from 'node:module'

export type OssInfo = Record<string, { value: string }>

export interface InfoInput {
  /** Size of the stored object in bytes. */
  bytes: number
  /** OSS format name: jpg, png, gif, webp, bmp, tiff, heic, avif. */
  format: string
  /** Stored (not auto-oriented) dimensions; they win over EXIF's ImageWidth/ImageLength. */
  width: number
  height: number
  frames: number
  /** sharp's `metadata().density` (DPI). */
  density?: number
  /**
   * sharp's `metadata().resolutionUnit`. sharp reports `density: 72` (libvips's default) even for JPEGs without
   * JFIF/EXIF resolution, so only a reported unit makes the density real.
   */
  resolutionUnit?: 'inch' | 'cm'
  /** sharp's `metadata().exif`: "Exif\0\0" + a TIFF structure (a bare TIFF structure is accepted too). */
  exif?: Buffer
}

type TagNames = Record<number, string>
type TagTables = Record<'Image' | 'Photo' | 'GPSInfo' | 'Iop', TagNames>
let tagTables: TagTables | undefined
// exif-reader ships its exiv2-derived name tables as a plain CommonJS file without typings; read on
// the first EXIF block, not when the engine loads.
const names = (): TagTables => (tagTables ??= createRequire(import.meta.url)('exif-reader/tags.js') as TagTables)

export function buildInfo(input: InfoInput): OssInfo {
  const fields: Record<string, string> = { ...resolutionFields(input) }
  // §3.16: "PNG returns the basic fields only".
  if (input.exif && input.format !== 'png') Object.assign(fields, readExif(input.exif))
  Object.assign(fields, {
    FileSize: String(input.bytes),
    Format: input.format,
    FrameCount: String(input.frames),
    ImageHeight: String(input.height),
    ImageWidth: String(input.width)
  })
  return sortKeys(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, { value }])))
}

/** Compact JSON with keys sorted, as OSS prints them. */
export function serializeInfo(info: OssInfo): string {
  return JSON.stringify(sortKeys(info))
}

// Code-unit order, as in OSS's examples ("GPSTag" < "GPSVersionID" < "ImageHeight").
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]!]))
}

/**
 * EXIF's ResolutionUnit codes: 1 = none (DEMO_A: JPEG without resolution → "1", "1/1"), 2 = inch, 3 = cm.
 * sharp reports one density (in DPI even for cm files) for both axes, rounded here to whole units; EXIF's own
 * exact rationals override these when present. JFIF aspect-ratio-only headers (unit 0) are not visible through
 * sharp and render as "1/1".
 */
function resolutionFields({ density, resolutionUnit }: InfoInput): Record<string, string> {
  if (density === undefined || resolutionUnit === undefined) {
    return { ResolutionUnit: '1', XResolution: '1/1', YResolution: '1/1' }
  }
  const perUnit = `${Math.round(resolutionUnit === 'cm' ? density / 2.54 : density)}/1`
  return { ResolutionUnit: resolutionUnit === 'cm' ? '3' : '2', XResolution: perUnit, YResolution: perUnit }
}

// Which tags are emitted and how:
// * UNDEFINED-typed tags (MakerNote, UserComment, ExifVersion, padding, …) are skipped: their OSS rendering is
//   undocumented and they can be kilobytes of bytes; so are non-text values of more than MAX_COMPONENTS items
//   (XMLPacket, TransferFunction) and tags exiv2 has no name for.
// * EXIF ImageWidth/ImageLength are superseded by the stored dimensions (ImageWidth/ImageHeight).
// * IFD1 (thumbnail) only adds names the main image lacks (Compression, JPEGInterchangeFormat…), so IFD0's
//   XResolution etc. win; exiv2's per-group keys make the real precedence unknowable from OSS's flat output.
// * Pointer tags (ExifTag, GPSTag, InteroperabilityTag, JPEGInterchangeFormat) are offsets into the stored EXIF
//   block, so they match OSS only for the untouched original object.
const MAX_COMPONENTS = 64
const SUPERSEDED = new Set(['ImageWidth', 'ImageLength'])
const EXIF_POINTER = 0x8769
const GPS_POINTER = 0x8825
const INTEROP_POINTER = 0xa005
const UNDEFINED = 7
// Bytes per component for TIFF types 1…13 (index 0 unused).
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4]

interface Entry {
  tag: number
  type: number
  count: number
  /** Absolute offset of the value bytes in the buffer. */
  at: number
}

class Tiff {
  private readonly visited = new Set<number>()

  constructor(
    private readonly buf: Buffer,
    /** Where the TIFF header starts; IFD offsets are relative to it. */
    readonly base: number,
    private readonly le: boolean
  ) {}

  u16(at: number): number {
    return this.le ? this.buf.readUInt16LE(at) : this.buf.readUInt16BE(at)
  }

  u32(at: number): number {
    return this.le ? this.buf.readUInt32LE(at) : this.buf.readUInt32BE(at)
  }

  /** Entries of the IFD at `offset` (relative), and the relative offset of the next IFD (0 = none). */
  ifd(offset: number): { entries: Entry[]; next: number } {
    const start = this.base + offset
    // An offset seen before is a loop in a corrupt file; a truncated IFD is ignored whole.
    if (offset === 0 || this.visited.has(offset) || start + 2 > this.buf.length) return { entries: [], next: 0 }
    this.visited.add(offset)
    const n = this.u16(start)
    if (start + 2 + n * 12 + 4 > this.buf.length) return { entries: [], next: 0 }
    const entries: Entry[] = []
    for (let i = 0; i < n; i++) {
      const e = start + 2 + i * 12
      const type = this.u16(e + 2)
      const count = this.u32(e + 4)
      const size = (TYPE_SIZE[type] ?? 0) * count
      if (size === 0) continue
      const at = size <= 4 ? e + 8 : this.base + this.u32(e + 8)
      if (at + size <= this.buf.length) entries.push({ tag: this.u16(e), type, count, at })
    }
    return { entries, next: this.u32(start + 2 + n * 12) }
  }

  /** Numeric components; rationals as [num, den]. */
  components({ type, count, at }: Entry): (number | [number, number])[] {
    const b = this.buf
    const out: (number | [number, number])[] = []
    for (let i = 0; i < count; i++) {
      const p = at + i * TYPE_SIZE[type]!
      switch (type) {
        case 1: out.push(b[p]!); break
        case 3: out.push(this.u16(p)); break
        case 4: case 13: out.push(this.u32(p)); break
        case 5: out.push([this.u32(p), this.u32(p + 4)]); break
        case 6: out.push(b.readInt8(p)); break
        case 8: out.push(this.le ? b.readInt16LE(p) : b.readInt16BE(p)); break
        case 9: out.push(this.le ? b.readInt32LE(p) : b.readInt32BE(p)); break
        case 10: {
          const s32 = (q: number) => (this.le ? b.readInt32LE(q) : b.readInt32BE(q))
          out.push([s32(p), s32(p + 4)])
          break
        }
        case 11: out.push(this.le ? b.readFloatLE(p) : b.readFloatBE(p)); break
        case 12: out.push(this.le ? b.readDoubleLE(p) : b.readDoubleBE(p)); break
      }
    }
    return out
  }

  /** The text of an ASCII entry, up to its first NUL. */
  text({ count, at }: Entry): string {
    const end = this.buf.indexOf(0, at)
    return this.buf.toString('utf8', at, end === -1 || end > at + count ? at + count : end)
  }
}

/** Flat tag → value map of every IFD; never throws (a corrupt block yields what could be read). */
function readExif(exif: Buffer): Record<string, string> {
  const base = exif.toString('latin1', 0, 6) === 'Exif\0\0' ? 6 : 0
  if (exif.length < base + 8) return {}
  const order = exif.toString('latin1', base, base + 2)
  if (order !== 'II' && order !== 'MM') return {}
  const tiff = new Tiff(exif, base, order === 'II')
  if (tiff.u16(base + 2) !== 42) return {}

  const out: Record<string, string> = {}
  const add = (entries: Entry[], names: TagNames, gps = false): void => {
    for (const entry of entries) {
      const name = names[entry.tag]
      if (name === undefined || SUPERSEDED.has(name) || name in out) continue
      const value = gps ? formatGps(tiff, name, entry) : formatValue(tiff, entry)
      if (value !== undefined) out[name] = value
    }
  }
  const pointer = (entries: Entry[], tag: number): number => {
    const entry = entries.find((e) => e.tag === tag && (e.type === 4 || e.type === 13) && e.count === 1)
    return entry ? tiff.u32(entry.at) : 0
  }

  const ifd0 = tiff.ifd(tiff.u32(base + 4))
  const exifIfd = tiff.ifd(pointer(ifd0.entries, EXIF_POINTER))
  add(ifd0.entries, names().Image)
  add(exifIfd.entries, names().Photo)
  add(tiff.ifd(pointer(ifd0.entries, GPS_POINTER)).entries, names().GPSInfo, true)
  add(tiff.ifd(pointer(exifIfd.entries, INTEROP_POINTER)).entries, names().Iop)
  add(tiff.ifd(ifd0.next).entries, names().Image)
  return out
}

/** exiv2's raw rendering: components separated by spaces, rationals as num/den. */
function formatValue(tiff: Tiff, entry: Entry): string | undefined {
  if (entry.type === 2) return tiff.text(entry)
  if (entry.type === UNDEFINED || entry.count > MAX_COMPONENTS) return undefined
  return tiff
    .components(entry)
    .map((c) => (typeof c === 'number' ? String(c) : `${c[0]}/${c[1]}`))
    .join(' ')
}

const GPS_REFS: Record<string, string> = { N: 'North', S: 'South', E: 'East', W: 'West' }
const GPS_REF_TAGS = new Set(['GPSLatitudeRef', 'GPSLongitudeRef', 'GPSDestLatitudeRef', 'GPSDestLongitudeRef'])
const GPS_DEGREE_TAGS = new Set(['GPSLatitude', 'GPSLongitude', 'GPSDestLatitude', 'GPSDestLongitude'])

/** GPS positions as exiv2 prints them (DEMO_F: "North", "0deg "); other GPS tags raw ("2 2 0 0"). */
function formatGps(tiff: Tiff, name: string, entry: Entry): string | undefined {
  if (GPS_REF_TAGS.has(name) && entry.type === 2) {
    const ref = tiff.text(entry)
    return GPS_REFS[ref] ?? ref
  }
  if (GPS_DEGREE_TAGS.has(name) && entry.type === 5 && entry.count === 3) {
    return printDegrees(tiff.components(entry) as [number, number][])
  }
  return formatValue(tiff, entry)
}

/**
 * exiv2's printDegrees: `30deg 15' 25.800" `, trailing zero parts dropped ("0deg "), whole numbers without
 * decimals, fractional ones with 7/5/3 decimals, a zero denominator → the raw value in parentheses.
 */
function printDegrees(parts: [number, number][]): string {
  const units = ['deg', "'", '"']
  const precision = [7, 5, 3]
  let last = 2
  while (last > 0 && parts[last]![0] === 0) last--
  let out = ''
  for (let i = 0; i <= last; i++) {
    const [num, den] = parts[i]!
    if (den === 0) return `${out}(${parts.map(([n, d]) => `${n}/${d}`).join(' ')})`
    out += `${(num / den).toFixed(num % den === 0 ? 0 : precision[i]!)}${units[i]!} `
  }
  return out
}
