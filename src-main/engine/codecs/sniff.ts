// Identifies a source image from its magic bytes. The engine routes on this rather than on file names or
// Content-Type, and because sharp cannot read BMP or HEVC-coded HEIC it must know about them before decoding.

export type SourceFormat = 'jpg' | 'png' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'heic' | 'avif'

// HEVC-coded HEIF brands (ISO/IEC 23008-12): still images, sequences, multi-layer variants.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'])
const AVIF_BRANDS = new Set(['avif', 'avis'])
// Codec-neutral HEIF brands: the codec has to come from the compatible brands or from the coded items.
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2'])
// DIB header sizes that exist in the wild (core, info, OS/2 v2, v2, v3, v4, v5); anything else is not a BMP.
const BMP_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124])

export function sniffFormat(buf: Uint8Array): SourceFormat | undefined {
  if (startsWith(buf, 0, [0xff, 0xd8, 0xff])) return 'jpg'
  if (startsWith(buf, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a') return 'gif'
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 4) === 'WEBP') return 'webp'
  // 'BM' alone is too weak a signature (any text can start with it), so also require a known DIB header size.
  if (ascii(buf, 0, 2) === 'BM' && buf.length >= 18 && BMP_HEADER_SIZES.has(u32le(buf, 14))) return 'bmp'
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (startsWith(buf, 0, [0x49, 0x49]) && (buf[2] === 0x2a || buf[2] === 0x2b) && buf[3] === 0) return 'tiff'
  if (startsWith(buf, 0, [0x4d, 0x4d, 0]) && (buf[3] === 0x2a || buf[3] === 0x2b)) return 'tiff'
  if (ascii(buf, 4, 4) === 'ftyp') return sniffHeif(buf)
  return undefined
}

function sniffHeif(buf: Uint8Array): SourceFormat | undefined {
  const major = ascii(buf, 8, 4)
  if (HEIC_BRANDS.has(major)) return 'heic'
  if (AVIF_BRANDS.has(major)) return 'avif'
  if (!GENERIC_HEIF_BRANDS.has(major)) return undefined

  const ftypEnd = Math.min(u32be(buf, 0), buf.length)
  let heicBrand = false
  let avifBrand = false
  for (let p = 16; p + 4 <= ftypEnd; p += 4) {
    const brand = ascii(buf, p, 4)
    heicBrand ||= HEIC_BRANDS.has(brand)
    avifBrand ||= AVIF_BRANDS.has(brand)
  }
  if (heicBrand !== avifBrand) return heicBrand ? 'heic' : 'avif'
  return codecFromItems(buf)
}

// Decides between HEVC and AV1 from the item types declared in meta/iinf: the primary item first, then any
// coded item (a primary 'grid' item is made of hvc1/av01 tiles).
function codecFromItems(buf: Uint8Array): SourceFormat | undefined {
  const meta = findBox(buf, 0, buf.length, 'meta')
  if (!meta) return undefined
  const children = meta.start + 4 // meta is a FullBox: skip version + flags
  let primaryId: number | undefined
  const pitm = findBox(buf, children, meta.end, 'pitm')
  const pitmIdBytes = pitm && buf[pitm.start] === 0 ? 2 : 4 // version 0: 16-bit item_ID
  if (pitm && pitm.start + 4 + pitmIdBytes <= pitm.end) {
    primaryId = pitmIdBytes === 2 ? u16be(buf, pitm.start + 4) : u32be(buf, pitm.start + 4)
  }

  const itemTypes = new Map<number, string>()
  const iinf = findBox(buf, children, meta.end, 'iinf')
  if (iinf) {
    let p = iinf.start + (buf[iinf.start] === 0 ? 6 : 8) // version, flags, entry_count (16 or 32 bits)
    for (let infe = findBox(buf, p, iinf.end, 'infe'); infe; infe = findBox(buf, p, iinf.end, 'infe')) {
      const version = buf[infe.start] ?? 0
      const idBytes = version === 2 ? 2 : 4
      // Only infe v2/v3 carry item_type: version(1) flags(3) item_ID item_protection_index(2) item_type(4).
      if (version >= 2 && infe.start + 4 + idBytes + 6 <= infe.end) {
        const id = idBytes === 2 ? u16be(buf, infe.start + 4) : u32be(buf, infe.start + 4)
        itemTypes.set(id, ascii(buf, infe.start + 4 + idBytes + 2, 4))
      }
      p = infe.end
    }
  }

  const codec = (type: string | undefined): SourceFormat | undefined =>
    type === 'hvc1' || type === 'hev1' ? 'heic' : type === 'av01' ? 'avif' : undefined
  const primary = primaryId === undefined ? undefined : codec(itemTypes.get(primaryId))
  if (primary) return primary
  const types = [...itemTypes.values()]
  return codec(types.find((t) => codec(t) !== undefined))
}

interface Box {
  start: number // first byte after the box header
  end: number
}

// Finds the first box of the given type among the sibling boxes in [from, to); bounds-checked throughout.
function findBox(buf: Uint8Array, from: number, to: number, type: string): Box | undefined {
  let p = from
  while (p + 8 <= to) {
    let size = u32be(buf, p)
    let header = 8
    if (size === 1) {
      // 64-bit largesize; anything beyond 2^32 is past any buffer we could hold.
      if (p + 16 > to || u32be(buf, p + 8) !== 0) return undefined
      size = u32be(buf, p + 12)
      header = 16
    } else if (size === 0) {
      size = to - p // box extends to the end of its parent
    }
    if (size < header) return undefined
    const end = Math.min(p + size, to)
    if (ascii(buf, p + 4, 4) === type) return { start: p + header, end }
    p += size
  }
  return undefined
}

function startsWith(buf: Uint8Array, at: number, bytes: readonly number[]): boolean {
  if (at + bytes.length > buf.length) return false
  return bytes.every((b, i) => buf[at + i] === b)
}

function ascii(buf: Uint8Array, at: number, length: number): string {
  if (at < 0 || at + length > buf.length) return ''
  return String.fromCharCode(...buf.subarray(at, at + length))
}

// Out-of-range reads yield 0 (via ?? 0), which callers treat as "no such box/brand".
function u16be(buf: Uint8Array, at: number): number {
  return ((buf[at] ?? 0) << 8) | (buf[at + 1] ?? 0)
}

function u32be(buf: Uint8Array, at: number): number {
  return (((buf[at] ?? 0) << 24) | ((buf[at + 1] ?? 0) << 16) | ((buf[at + 2] ?? 0) << 8) | (buf[at + 3] ?? 0)) >>> 0
}

function u32le(buf: Uint8Array, at: number): number {
  return (((buf[at + 3] ?? 0) << 24) | ((buf[at + 2] ?? 0) << 16) | ((buf[at + 1] ?? 0) << 8) | (buf[at] ?? 0)) >>> 0
}
