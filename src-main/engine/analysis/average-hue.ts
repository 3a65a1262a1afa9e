/**
 * `image/average-hue` (spec §3.17), the official FAQ's three steps:
 *   1. the average hue of the image — a circular mean, so 350° and 10° average to 0°, not 180°;
 *   2. "salient" pixels: those whose hue differs from that average by more than a threshold (OSS does not
 *      publish it; 30° is the project's default);
 *   3. the mean colour of the salient pixels — or of all pixels when none is salient (e.g. a solid image).
 * Fully transparent pixels take no part. Achromatic pixels (r = g = b) have hue 0° by the usual HSV
 * convention, so they pull the average towards red: that is what makes a coloured region on a grey
 * background salient.
 *
 * Callers pass pixels downscaled to ≤ 512 px per side: means of colours and of hue vectors barely move under
 * area-averaging downscales, while a 4096² source would cost 64× the work for the same answer.
 */

// Hue is binned to 0.1°, far below any useful threshold, so a single pass over the pixels fills per-bin
// colour sums and steps 1–3 then run over 3600 bins instead of millions of pixels.
const BINS = 3600
const BINS_PER_DEGREE = BINS / 360

export interface RawPixels {
  data: Buffer
  width: number
  height: number
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: number
}

/** `0xrrggbb`, lower-case. An image with no visible pixel yields 0x000000. */
export function averageHue(raw: RawPixels, thresholdDegrees = 30): string {
  const { data, width, height, channels } = raw
  const grey = channels < 3
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1
  const count = new Float64Array(BINS)
  const sums = new Float64Array(BINS * 3)

  for (let p = 0, end = width * height * channels; p < end; p += channels) {
    if (alpha >= 0 && data[p + alpha] === 0) continue
    const r = data[p]!
    const g = grey ? r : data[p + 1]!
    const b = grey ? r : data[p + 2]!
    const bin = Math.min(BINS - 1, Math.floor(hue(r, g, b) * BINS_PER_DEGREE))
    count[bin]!++
    sums[bin * 3]! += r
    sums[bin * 3 + 1]! += g
    sums[bin * 3 + 2]! += b
  }

  let x = 0
  let y = 0
  for (let bin = 0; bin < BINS; bin++) {
    if (count[bin] === 0) continue
    const angle = binAngle(bin)
    x += count[bin]! * Math.cos(angle)
    y += count[bin]! * Math.sin(angle)
  }
  const mean = Math.atan2(y, x)
  const threshold = (thresholdDegrees * Math.PI) / 180

  const salient = meanColour(count, sums, (bin) => angularDistance(binAngle(bin), mean) > threshold)
  return toHex(salient ?? meanColour(count, sums, () => true) ?? [0, 0, 0])
}

/** The average-hue response body (Project decision 8: JSON rather than the 2024+ plain text). */
export function averageHueJson(hex: string): string {
  return JSON.stringify({ RGB: hex })
}

/** HSV hue in degrees [0, 360); 0 for achromatic pixels. */
function hue(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b)
  const delta = max - Math.min(r, g, b)
  if (delta === 0) return 0
  const h = max === r ? (g - b) / delta : max === g ? 2 + (b - r) / delta : 4 + (r - g) / delta
  return h < 0 ? (h + 6) * 60 : h * 60
}

/** Centre of a bin, in radians. */
function binAngle(bin: number): number {
  return ((bin + 0.5) / BINS_PER_DEGREE) * (Math.PI / 180)
}

function angularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI)
  return d > Math.PI ? 2 * Math.PI - d : d
}

function meanColour(count: Float64Array, sums: Float64Array, take: (bin: number) => boolean): number[] | undefined {
  let n = 0
  const total = [0, 0, 0]
  for (let bin = 0; bin < BINS; bin++) {
    if (count[bin] === 0 || !take(bin)) continue
    n += count[bin]!
    for (let c = 0; c < 3; c++) total[c]! += sums[bin * 3 + c]!
  }
  return n === 0 ? undefined : total.map((t) => t / n)
}

function toHex(rgb: number[]): string {
  return `0x${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`
}
