/**
 * Estimates the IJG quality a JPEG was saved with, from its quantisation tables (spec §3.13: `quality,Q_`
 * never goes above the source quality, `q_` is relative to it). Runs on every request, so it only walks the
 * marker segments up to the first scan and never decodes.
 *
 * Method (the one ImageMagick and libjpeg-based tools use): the IJG encoder scales the Annex K tables by a
 * quality factor, so we rebuild those tables for every quality 1..100 and keep the closest one. It is exact
 * for libjpeg/libjpeg-turbo/mozjpeg (sharp) output and a best fit for encoders with their own tables.
 */

// ITU-T T.81 Annex K base tables, natural (row-major) order.
// prettier-ignore
const LUMA_BASE = [
  16, 11, 10, 16, 24, 40, 51, 61,
  12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77,
  24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99
]
// prettier-ignore
const CHROMA_BASE = [
  17, 18, 24, 47, 99, 99, 99, 99,
  18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99
]
// Natural-order index of each zigzag position: DQT segments store the tables in zigzag order.
// prettier-ignore
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63
]
const LUMA_ZIGZAG = ZIGZAG.map((n) => LUMA_BASE[n] ?? 0)
const CHROMA_ZIGZAG = ZIGZAG.map((n) => CHROMA_BASE[n] ?? 0)

interface QuantTable {
  values: Uint16Array // zigzag order, as stored
  sixteenBit: boolean
}

export function estimateJpegQuality(buf: Uint8Array): number | undefined {
  const tables = readTables(buf)
  if (!tables) return undefined
  let best: number | undefined
  let bestError = Infinity
  // From 100 down with a strict comparison, so ties (clamped tables at the extremes) resolve to the higher quality.
  for (let quality = 100; quality >= 1; quality--) {
    let error = tableError(tables.luma, LUMA_ZIGZAG, quality)
    if (tables.chroma) error += tableError(tables.chroma, CHROMA_ZIGZAG, quality)
    if (error < bestError) {
      bestError = error
      best = quality
    }
  }
  return best
}

/** Sum of absolute differences between a table and the IJG table for `quality` (libjpeg jcparam.c scaling). */
function tableError(table: QuantTable, base: readonly number[], quality: number): number {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2
  // libjpeg caps at 255 when forcing baseline (8-bit tables) and at 32767 otherwise.
  const max = table.sixteenBit ? 32767 : 255
  let error = 0
  for (let i = 0; i < 64; i++) {
    const expected = Math.min(max, Math.max(1, Math.floor(((base[i] ?? 0) * scale + 50) / 100)))
    error += Math.abs((table.values[i] ?? 0) - expected)
  }
  return error
}

/**
 * Walks the marker segments up to the first SOS and returns the luma table and, for colour images with a
 * separate one, the chroma table, as assigned to components by the frame header (defaults: tables 0 and 1).
 */
function readTables(buf: Uint8Array): { luma: QuantTable; chroma: QuantTable | undefined } | undefined {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) return undefined
  const tables: (QuantTable | undefined)[] = []
  let lumaId = 0
  let chromaId: number | undefined = 1
  let p = 2
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) {
      p++ // garbage between segments: skip to the next marker, as libjpeg does
      continue
    }
    const marker = buf[p + 1] ?? 0
    if (marker === 0xff) {
      p++ // fill byte
      continue
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2 // standalone markers carry no length
      continue
    }
    if (marker === 0xda || marker === 0xd9) break // SOS / EOI: every table for the first scan is known
    const length = ((buf[p + 2] ?? 0) << 8) | (buf[p + 3] ?? 0)
    const start = p + 4
    const end = p + 2 + length
    if (length < 2 || end > buf.length) return undefined
    if (marker === 0xdb) {
      if (!readDqt(buf, start, end, tables)) return undefined
    } else if (isSof(marker) && end - start >= 6) {
      const components = buf[start + 5] ?? 0
      // Each component spec is id, sampling factors, quantisation table id.
      if (components >= 1 && start + 6 + components * 3 <= end) {
        lumaId = buf[start + 8] ?? 0
        chromaId = components >= 2 ? buf[start + 11] : undefined
      }
    }
    p = end
  }
  const luma = tables[lumaId]
  if (!luma) return undefined
  const chroma = chromaId === undefined || chromaId === lumaId ? undefined : tables[chromaId]
  return { luma, chroma }
}

/** Parses the tables of one DQT segment into `tables` (indexed by destination id); false if malformed. */
function readDqt(buf: Uint8Array, start: number, end: number, tables: (QuantTable | undefined)[]): boolean {
  let p = start
  while (p < end) {
    const precision = (buf[p] ?? 0) >> 4
    const id = (buf[p] ?? 0) & 0x0f
    const size = precision === 0 ? 64 : 128
    if (precision > 1 || id > 3 || p + 1 + size > end) return false
    const values = new Uint16Array(64)
    for (let i = 0; i < 64; i++) {
      values[i] = precision === 0 ? (buf[p + 1 + i] ?? 0) : ((buf[p + 1 + 2 * i] ?? 0) << 8) | (buf[p + 2 + 2 * i] ?? 0)
    }
    tables[id] = { values, sixteenBit: precision === 1 }
    p += 1 + size
  }
  return true
}

/** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}
