import sharp from 'sharp'
import { fallbackFont, resolveFont } from './fonts'

export interface TextOptions {
  text: string
  /** OSS font name (spec §3.15.3 `type`). */
  font: string
  /** Font size in px, (0,1000]. */
  size: number
  /** RRGGBB. */
  color: string
  /** Shadow opacity, 0..100; 0 = no shadow. */
  shadow: number
  /** Clockwise degrees, 0..360. */
  rotate: number
}

export interface RenderedText {
  /** Straight (not premultiplied) RGBA. */
  data: Buffer
  width: number
  height: number
  channels: 4
}

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 }

/**
 * Renders a text watermark (spec §3.15.3) as RGBA pixels sized to the glyph ink box, plus the shadow margin,
 * then rotated clockwise with the canvas grown to the rotated bounding box.
 */
export async function renderText(opts: TextOptions): Promise<RenderedText> {
  const mask = await glyphMask(opts.text, opts.font, opts.size)
  const layer = opts.shadow > 0 ? await withShadow(mask, opts.size, opts.shadow) : { ...mask, shadow: undefined }
  const rgba = colorize(layer, parseColor(opts.color))
  const angle = opts.rotate % 360
  if (angle === 0) return rgba
  const { data, info } = await sharp(rgba.data, { raw: { width: rgba.width, height: rgba.height, channels: 4 } })
    .rotate(angle, { background: TRANSPARENT })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height, channels: 4 }
}

interface Mask {
  data: Buffer
  width: number
  height: number
}

let fallbackLoaded: Promise<unknown> | undefined

/** Coverage (0..255, one byte per pixel) of the text's ink box. */
async function glyphMask(text: string, ossFont: string, size: number): Promise<Mask> {
  const face = resolveFont(ossFont)
  const fallback = fallbackFont()
  // libvips adds every `fontfile` to the process-wide font set, so loading the fallback once lets Pango take
  // glyphs missing from `face` (e.g. Latin in Droid Sans Fallback) from it rather than draw tofu.
  fallbackLoaded ??= sharp({ text: { text: '.', font: `${fallback.family} 8`, fontfile: fallback.file } }).raw().toBuffer()
  await fallbackLoaded
  const { data, info } = await sharp({
    // dpi 72 makes Pango's point size equal to pixels.
    text: { text: escapeMarkup(text), font: `${face.family}, ${fallback.family} ${size}`, fontfile: face.file, dpi: 72 }
  })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** sharp's text input is always parsed as Pango markup. */
function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

interface Layer extends Mask {
  /** Shadow coverage on the same canvas, already scaled by the shadow opacity. */
  shadow: Buffer | undefined
}

/**
 * Grows the canvas by a small size-relative offset and adds a blurred copy of the mask shifted down-right.
 * sigma = offset / 3 keeps the blur tail (3 sigma) inside the grown canvas on every side.
 */
async function withShadow(mask: Mask, size: number, opacity: number): Promise<Layer> {
  const offset = Math.max(2, Math.round(size / 20))
  const { data: shadow, info } = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .extend({ top: offset, left: offset, bottom: offset, right: offset, background: '#000' })
    .blur(offset / 3)
    .linear(opacity / 100, 0)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true })
  const width = info.width
  const height = info.height
  const data = Buffer.alloc(width * height)
  for (let y = 0; y < mask.height; y++) mask.data.copy(data, y * width, y * mask.width, (y + 1) * mask.width)
  return { data, width, height, shadow }
}

/** Text colour over a black shadow ("over" compositing in straight alpha). */
function colorize(layer: Layer, [r, g, b]: readonly [number, number, number]): RenderedText {
  const { width, height, shadow } = layer
  const out = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    const text = layer.data[i]!
    const under = shadow ? shadow[i]! : 0
    const alpha = text + (under * (255 - text)) / 255
    // Colour weight of the text in the blend; the shadow part contributes black.
    const k = alpha > 0 ? text / alpha : 1
    out[i * 4] = Math.round(r * k)
    out[i * 4 + 1] = Math.round(g * k)
    out[i * 4 + 2] = Math.round(b * k)
    out[i * 4 + 3] = Math.round(alpha)
  }
  return { data: out, width, height, channels: 4 }
}

function parseColor(hex: string): [number, number, number] {
  if (!/^[0-9a-fA-F]{6}$/.test(hex)) throw new Error(`Expected RRGGBB hex for color but received ${hex}`)
  const n = Number.parseInt(hex, 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}
