import { ImgError } from '../errors'
import type { ActionSchema, IntParam, ParamsOf } from '../schema'
import { GRAVITIES } from './gravity'
import { resize } from './resize'

/** OSS's font names (spec §3.15.3); the engine maps each to a freely licensed face. */
export const WATERMARK_FONTS = [
  'wqy-zenhei',
  'wqy-microhei',
  'fangzhengshusong',
  'fangzhengkaiti',
  'fangzhengheiti',
  'fangzhengfangsong',
  'droidsansfallback'
] as const
export type WatermarkFont = (typeof WATERMARK_FONTS)[number]

/**
 * OSS documents ECs only for size (256), text (257–259), type (250/251), image (265) and the
 * missing-content case (278). Other numeric parameters use size's EC, the closest documented
 * one (a watermark number out of range); `g` uses crop's gravity EC (209), `color` resize's (318).
 */
const number = (min: number, max: number, doc: string, defaultValue?: number, unit?: IntParam['unit']): IntParam => ({
  type: 'int',
  min,
  max,
  ec: '0040-00000256',
  doc,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
  ...(unit ? { unit } : {})
})

/** Spec §3.15; newest docs throughout (Project decision 10: align default 2, fill/padx/pady for both kinds). */
export const watermark = {
  name: 'watermark',
  title: 'Watermark',
  summary: 'Overlay text and/or an image of the same bucket, anchored or tiled.',
  docUrl: 'https://help.aliyun.com/zh/oss/user-guide/add-watermarks',
  params: {
    text: {
      type: 'base64',
      ec: '0040-00000257',
      emptyEc: '0040-00000258',
      maxBytes: { bytes: 64, ec: '0040-00000259', message: 'font content is too large' },
      doc: 'Text (UTF-8, at most 64 bytes)'
    },
    image: { type: 'base64', ec: '0040-00000265', doc: 'Object key in the same bucket, optionally with ?x-oss-process=image/...' },
    type: {
      type: 'base64',
      ec: '0040-00000250',
      oneOf: { values: WATERMARK_FONTS, ec: '0040-00000251' },
      default: 'wqy-zenhei',
      doc: 'Font'
    },
    color: { type: 'color', default: '000000', ec: '0040-00000318', doc: 'Text colour' },
    size: number(1, 1000, 'Font size', 40, 'px'),
    shadow: number(0, 100, 'Text shadow opacity', 0, '%'),
    rotate: number(0, 360, 'Clockwise text rotation', 0, '°'),
    t: number(0, 100, 'Opacity', 100, '%'),
    g: { type: 'enum', values: GRAVITIES, default: 'se', ec: '0040-00000209', doc: 'Anchor' },
    x: number(0, 4096, 'Horizontal margin', 10, 'px'),
    y: number(0, 4096, 'Vertical margin', 10, 'px'),
    voffset: number(-1000, 1000, 'Shift from the centre line (west/center/east; positive moves up)', 0, 'px'),
    fill: number(0, 1, 'Tile over the whole image', 0),
    padx: number(0, 4096, 'Horizontal gap between tiles', 0, 'px'),
    pady: number(0, 4096, 'Vertical gap between tiles', 0, 'px'),
    order: number(0, 1, 'Mixed: 0 image first, 1 text first', 0),
    align: number(0, 2, 'Mixed: align text 0 top, 1 middle, 2 bottom', 2),
    interval: number(0, 1000, 'Mixed: gap between image and text', 0, 'px')
  },
  whenEmpty: { ec: '0040-00000278', code: 'MissingArgument', expected: 'text or image' },
  check(params, ctx) {
    if (params.text === undefined && params.image === undefined) {
      throw new ImgError({
        code: 'MissingArgument',
        ec: '0040-00000278',
        span: ctx.span,
        action: 'watermark',
        message: 'watermark: expected text or image but received neither'
      })
    }
  }
} as const satisfies ActionSchema

export type WatermarkParams = ParamsOf<typeof watermark>

/**
 * Resize as allowed inside a watermark image's own process string: adds `P`, the watermark's
 * width as a percentage of the main image's width (Project decision for non-square images).
 */
export const watermarkResize = {
  ...resize,
  params: { ...resize.params, P: { type: 'int', min: 1, max: 100, unit: '%', ec: '0040-00000316', doc: 'Width as % of the main image' } },
  check(params, ctx) {
    if (params.P === undefined) resize.check(params, ctx)
  }
} as const satisfies ActionSchema

export type WatermarkResizeParams = ParamsOf<typeof watermarkResize>

/** Actions allowed in a watermark image's nested process (Project decision 10). */
export const WATERMARK_NESTED_ACTIONS = ['resize', 'crop', 'indexcrop', 'rounded-corners', 'rotate', 'auto-orient'] as const
