import sharp from 'sharp'

export interface Pixels {
  data: Buffer
  width: number
  height: number
  channels: number
}

/** The alpha (or only) channel scaled to a fixed grid, so renders of different sizes can be compared. */
export async function inkGrid(img: Pixels, width: number, height: number): Promise<Buffer> {
  const channels = img.channels as 1 | 2 | 3 | 4
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels } })
    .extractChannel((channels - 1) as 0 | 1 | 2 | 3)
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer()
}

/**
 * 1 − IoU of the inked cells (alpha > 50%): ~0 for the same shape. Tofu boxes share their frame and differ only
 * in the hex digits (≈0.2–0.35 here); real glyphs differ from tofu and from each other by ≥0.7.
 */
export function dissimilarity(a: Buffer, b: Buffer): number {
  let both = 0
  let either = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! > 127
    const y = b[i]! > 127
    if (x && y) both++
    if (x || y) either++
  }
  return either === 0 ? 0 : 1 - both / either
}

export const DISTINCT = 0.5

/** Four code points no font maps: Pango draws them as hex-box tofu. */
export const TOFU_TEXT = '\uE000'.repeat(4)

export function pairs<T>(items: readonly T[]): [T, T][] {
  return items.flatMap((a, i) => items.slice(i + 1).map((b): [T, T] => [a, b]))
}
