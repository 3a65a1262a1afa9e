/**
 * Spec §3.15: text, image and mixed (image + text in one block) watermarks, anchored by g/x/y/voffset
 * or tiled with fill/padx/pady, with opacity t. The block is built as straight RGBA in memory, clipped
 * to the visible part (sharp's composite() refuses overlays that do not fit) and added to the current
 * segment with a single composite() call, so the result keeps the main image's size.
 *
 * Geometry lives in pure helpers (placement in src-shared/img/geometry/watermark.ts, shared with the
 * studio's drag box; mixedLayout, clipRect, tileOrigins below) so the editor and tests can use it without pixels.
 */
import sharp from 'sharp'
import type { OverlayOptions } from 'sharp'
import { watermark as schema, type WatermarkParams } from '../../../src-shared/img/actions/watermark'
import { watermarkPosition, type Point, type Size } from '../../../src-shared/img/geometry/watermark'
import { ImgError, isImgError, quote } from '../../../src-shared/img/errors'
import { parseWatermarkImage } from '../../../src-shared/img/process'
import { withDefaults } from '../../../src-shared/img/schema'
import { sniffFormat, type SourceFormat } from '../codecs/sniff'
import type { EngineOp, OpContext, RawImage } from '../op'
import { RANK } from '../planner'
import { renderText } from '../text/render-text'

// ---------------------------------------------------------------------------------------------
// Pure geometry
// ---------------------------------------------------------------------------------------------

export interface MixedParams {
  /** 0: image left of the text, 1: text left of the image. */
  readonly order: number
  /** Vertical alignment of text and image: 0 top, 1 middle, 2 bottom. */
  readonly align: number
  /** Horizontal gap between image and text, px. */
  readonly interval: number
}

export interface MixedLayout extends Size {
  readonly image: Point
  readonly text: Point
}

/**
 * Spec §3.15.4: image and text side by side as one block. `align` aligns the two parts on a common
 * top line, centre line (Math.floor) or bottom line; the block is as tall as the taller part.
 */
export function mixedLayout(image: Size, text: Size, p: MixedParams): MixedLayout {
  const height = Math.max(image.height, text.height)
  const width = image.width + p.interval + text.width
  const vertical = (h: number) => (p.align === 0 ? 0 : p.align === 1 ? Math.floor((height - h) / 2) : height - h)
  const imageLeft = p.order === 0 ? 0 : text.width + p.interval
  const textLeft = p.order === 0 ? image.width + p.interval : 0
  return { width, height, image: { left: imageLeft, top: vertical(image.height) }, text: { left: textLeft, top: vertical(text.height) } }
}

export interface ClippedRect {
  /** Where the visible part goes on the main image. */
  readonly left: number
  readonly top: number
  /** Which part of the watermark is visible. */
  readonly srcLeft: number
  readonly srcTop: number
  readonly width: number
  readonly height: number
}

/** The part of a `box` placed at `at` that falls inside `frame`, or undefined when none does. */
export function clipRect(at: Point, box: Size, frame: Size): ClippedRect | undefined {
  const left = Math.max(0, at.left)
  const top = Math.max(0, at.top)
  const right = Math.min(frame.width, at.left + box.width)
  const bottom = Math.min(frame.height, at.top + box.height)
  if (right <= left || bottom <= top) return undefined
  return { left, top, srcLeft: left - at.left, srcTop: top - at.top, width: right - left, height: bottom - top }
}

export interface TileGrid {
  /** Grid period: watermark plus the gap to the next one. */
  readonly cellWidth: number
  readonly cellHeight: number
  /** Offset of the first tile column/row at or right/below the image's top-left corner, in [0, cell). */
  readonly phaseX: number
  readonly phaseY: number
}

const mod = (a: number, n: number) => ((a % n) + n) % n

/**
 * `fill_1` (spec §3.15.1): tiles `padx`/`pady` apart. OSS does not say where the grid starts;
 * Project choice here: the grid passes through the anchored position (g/x/y/voffset), so one tile
 * sits exactly where the single watermark would, and the others repeat from there in every direction.
 */
export function tileGrid(anchor: Point, box: Size, padx: number, pady: number): TileGrid {
  const cellWidth = box.width + padx
  const cellHeight = box.height + pady
  return { cellWidth, cellHeight, phaseX: mod(anchor.left, cellWidth), phaseY: mod(anchor.top, cellHeight) }
}

/** Every tile position that touches the image (for tests and the editor; the op lets libvips tile). */
export function tileOrigins(frame: Size, box: Size, grid: TileGrid): Point[] {
  const out: Point[] = []
  // The tile one period before the phase may still reach into the image.
  const startX = grid.phaseX - grid.cellWidth + box.width > 0 ? grid.phaseX - grid.cellWidth : grid.phaseX
  const startY = grid.phaseY - grid.cellHeight + box.height > 0 ? grid.phaseY - grid.cellHeight : grid.phaseY
  for (let top = startY; top < frame.height; top += grid.cellHeight) {
    for (let left = startX; left < frame.width; left += grid.cellWidth) out.push({ left, top })
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// RGBA buffers
// ---------------------------------------------------------------------------------------------

/** Straight (not premultiplied) 8-bit RGBA. */
export interface Rgba extends Size {
  readonly data: Buffer
}

function blank(width: number, height: number): Rgba {
  return { data: Buffer.alloc(width * height * 4), width, height }
}

/** Copies `src` into `dst` at `at`, clipped to `dst` (plain copy: the parts never overlap). */
function blit(src: Rgba, dst: Rgba, at: Point): void {
  const clip = clipRect(at, src, dst)
  if (!clip) return
  const rowBytes = clip.width * 4
  for (let row = 0; row < clip.height; row++) {
    const from = ((clip.srcTop + row) * src.width + clip.srcLeft) * 4
    src.data.copy(dst.data, ((clip.top + row) * dst.width + clip.left) * 4, from, from + rowBytes)
  }
}

function extract(src: Rgba, clip: ClippedRect): Rgba {
  if (clip.srcLeft === 0 && clip.srcTop === 0 && clip.width === src.width && clip.height === src.height) return src
  const out = blank(clip.width, clip.height)
  blit(src, out, { left: -clip.srcLeft, top: -clip.srcTop })
  return out
}

/** Any 8-bit raw layout (grey, grey+alpha, RGB, RGBA) as RGBA. */
function toRgba(raw: { data: Buffer; width: number; height: number; channels: number }): Rgba {
  const { width, height, channels } = raw
  if (channels === 4) return { data: raw.data, width, height }
  const out = Buffer.alloc(width * height * 4)
  for (let i = 0, n = width * height; i < n; i++) {
    const s = i * channels
    const o = i * 4
    const grey = channels <= 2
    out[o] = raw.data[s]!
    out[o + 1] = raw.data[grey ? s : s + 1]!
    out[o + 2] = raw.data[grey ? s : s + 2]!
    out[o + 3] = channels === 2 ? raw.data[s + 1]! : 255
  }
  return { data: out, width, height }
}

/** Opacity `t` (spec §3.15.1): multiplies the alpha channel. */
function withOpacity(img: Rgba, t: number): Rgba {
  if (t >= 100) return img
  const data = Buffer.from(img.data)
  for (let o = 3; o < data.length; o += 4) data[o] = Math.round((data[o]! * t) / 100)
  return { data, width: img.width, height: img.height }
}

// ---------------------------------------------------------------------------------------------
// Watermark content
// ---------------------------------------------------------------------------------------------

/** Spec §3.15.2 / Project decision §11.10: the formats OSS accepts as watermark images. */
const WATERMARK_FORMATS: readonly SourceFormat[] = ['jpg', 'png', 'bmp', 'webp', 'tiff']

const NO_SPAN = { start: 0, end: 0 }

/**
 * Fetches the watermark object of the same bucket.
 *
 * Missing object (or no resolver configured): 404 NoSuchKey. OSS does not document this case for
 * watermarks; its IMG error table maps "the specified image does not exist" to NoSuchKey/404 without
 * limiting it to the main object, and 404 tells the user that a key, not a parameter, is wrong.
 * EC 0040-00000024 (source object does not exist) is the closest documented EC.
 */
async function fetchObject(ctx: OpContext, key: string): Promise<Buffer> {
  const resolver = ctx.options.objects
  const bytes = resolver ? await resolver.get(key) : undefined
  if (bytes === undefined) {
    const why = resolver ? '' : ' (no object resolver is configured)'
    throw new ImgError({
      code: 'NoSuchKey',
      ec: '0040-00000024',
      action: 'watermark',
      param: 'image',
      message: `watermark: expected an existing object of the same bucket for image but received ${quote(key)}${why}`
    })
  }
  return bytes
}

/** The watermark image after its own chain (resize with P, crop, rotate, …), as RGBA. */
async function imagePart(ctx: OpContext, value: string): Promise<Rgba> {
  const ref = parseWatermarkImage(value, NO_SPAN)
  let bytes = await fetchObject(ctx, ref.key)
  const format = sniffFormat(bytes)
  if (!format || !WATERMARK_FORMATS.includes(format)) {
    throw new ImgError({
      code: 'WatermarkError',
      action: 'watermark',
      param: 'image',
      message: `watermark: expected a JPG, PNG, BMP, WebP or TIFF object for image but received ${format ?? 'an unknown format'} in ${quote(ref.key)}`
    })
  }
  try {
    if (format === 'webp' && ((await sharp(bytes).metadata()).pages ?? 1) > 1) {
      // An animated WebP watermark: its first frame (renderNested would otherwise hand back all frames stacked).
      bytes = await sharp(bytes).keepMetadata().webp({ lossless: true }).toBuffer()
    }
    const raw: RawImage = await ctx.renderNested(bytes, ref.steps, { mainWidth: ctx.frame.width })
    return toRgba(raw)
  } catch (error) {
    if (!isImgError(error)) throw error
    // Say which object failed: the nested chain's own messages speak of "image"/"resize"/….
    throw new ImgError({ code: error.code, ec: error.ec, action: 'watermark', param: 'image', message: `watermark image ${quote(ref.key)}: ${error.message}` })
  }
}

/**
 * Every parameter with a documented default. (ResolvedParamsOf cannot see them: the schema's
 * `number()` helper types `default` as optional, so the resolved type keeps them optional.)
 */
type Defaulted = 'type' | 'color' | 'size' | 'shadow' | 'rotate' | 't' | 'g' | 'x' | 'y' | 'voffset' | 'fill' | 'padx' | 'pady' | 'order' | 'align' | 'interval'
type Resolved = WatermarkParams & Required<Pick<WatermarkParams, Defaulted>>

async function textPart(p: Resolved & { text: string }): Promise<Rgba | undefined> {
  // Pango has nothing to draw for whitespace-only text: no ink, no watermark.
  if (p.text.trim() === '') return undefined
  const rendered = await renderText({ text: p.text, font: p.type, size: p.size, color: p.color, shadow: p.shadow, rotate: p.rotate })
  return toRgba(rendered)
}

/** The whole watermark block: image, text, or both side by side (spec §3.15.4). */
async function buildBlock(ctx: OpContext, p: Resolved): Promise<Rgba | undefined> {
  const [image, text] = await Promise.all([
    p.image === undefined ? undefined : imagePart(ctx, p.image),
    p.text === undefined ? undefined : textPart(p as Resolved & { text: string })
  ])
  if (!image || !text) return image ?? text
  const layout = mixedLayout(image, text, p)
  const block = blank(layout.width, layout.height)
  blit(image, block, layout.image)
  blit(text, block, layout.text)
  return block
}

// ---------------------------------------------------------------------------------------------
// Compositing
// ---------------------------------------------------------------------------------------------

const rawInput = (img: Rgba) => ({ input: img.data, raw: { width: img.width, height: img.height, channels: 4 as const } })

/** One page's worth of overlays for a single anchored watermark. */
function anchoredOverlay(block: Rgba, at: Point, frame: Size): { img: Rgba; at: Point } | undefined {
  const clip = clipRect(at, block, frame)
  return clip ? { img: extract(block, clip), at: { left: clip.left, top: clip.top } } : undefined
}

/**
 * One grid period with the phase baked in ("rolled"), cropped to the image: libvips' tile mode
 * repeats it from the top-left corner, which reproduces the grid anchored anywhere.
 */
function rolledCell(block: Rgba, grid: TileGrid, frame: Size): Rgba {
  const cell = blank(Math.min(grid.cellWidth, frame.width), Math.min(grid.cellHeight, frame.height))
  for (const dx of [0, -grid.cellWidth]) {
    for (const dy of [0, -grid.cellHeight]) blit(block, cell, { left: grid.phaseX + dx, top: grid.phaseY + dy })
  }
  return cell
}

/** A full page with every tile drawn (animations: libvips' tiling would run across page boundaries). */
function tiledPage(block: Rgba, grid: TileGrid, frame: Size): Rgba {
  const page = blank(frame.width, frame.height)
  for (const at of tileOrigins(frame, block, grid)) blit(block, page, at)
  return page
}

function overlays(block: Rgba, p: Resolved, frame: { width: number; height: number; pages: number }): OverlayOptions[] {
  const anchor = watermarkPosition(frame, block, p)
  const pages = Array.from({ length: frame.pages }, (_, i) => i * frame.height)
  if (p.fill === 1) {
    const grid = tileGrid(anchor, block, p.padx, p.pady)
    if (frame.pages === 1) return [{ ...rawInput(rolledCell(block, grid, frame)), tile: true, gravity: 'northwest' }]
    const page = tiledPage(block, grid, frame)
    return pages.map((offset) => ({ ...rawInput(page), left: 0, top: offset }))
  }
  const one = anchoredOverlay(block, anchor, frame)
  if (!one) return []
  // Animations are one tall strip of pages in sharp: the same overlay goes on every page.
  return pages.map((offset) => ({ ...rawInput(one.img), left: one.at.left, top: one.at.top + offset }))
}

/** A single watermark is followed through the rest of the chain (marks.ts); OSS draws only the part inside the image. */
function recordDrawn(ctx: OpContext, block: Size, at: Point): void {
  const frame = ctx.frame
  const clip = clipRect(at, block, frame)
  const fits = clip !== undefined && clip.width === block.width && clip.height === block.height
  const drawLoss = fits ? undefined : clip ? `it does not fit the ${frame.width} × ${frame.height} image` : `at x ${at.left}, y ${at.top} it lies outside the ${frame.width} × ${frame.height} image`
  ctx.drewWatermark(block, at, clip ? { left: clip.left, top: clip.top, width: clip.width, height: clip.height } : undefined, drawLoss)
}

export const watermark: EngineOp<'watermark'> = {
  action: 'watermark',
  placement: () => ({ kind: 'pixels', rank: RANK.composite }),
  // composite() on an animated pipeline sees all pages stacked; overlays are repeated per page
  // (verified in the tests: every frame of a GIF gets the watermark).
  keepsAnimation: true,
  async apply(ctx, params) {
    const p = withDefaults(schema, params) as Resolved
    const block = await buildBlock(ctx, p)
    if (!block || block.width === 0 || block.height === 0 || p.t === 0) return
    const frame = ctx.frame
    if (p.fill !== 1) recordDrawn(ctx, block, watermarkPosition(frame, block, p))
    const list = overlays(withOpacity(block, p.t), p, frame)
    if (list.length === 0) return
    const pipeline = ctx.pipeline().composite(list)
    // libvips' composite always outputs an alpha band; an opaque image stays opaque.
    if (!frame.hasAlpha) pipeline.removeAlpha()
  }
}
