import { ecOf, missingOf } from '../error-codes'
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

/** A numeric watermark parameter; its EC comes from the error-code table. */
const number = (param: string, min: number, max: number, doc: string, defaultValue?: number, unit?: IntParam['unit']): IntParam => ({
  type: 'int',
  min,
  max,
  ec: ecOf('watermark', param, 'invalid'),
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
      ec: ecOf('watermark', 'text', 'invalid'),
      emptyEc: ecOf('watermark', 'text', 'empty'),
      maxBytes: { bytes: 64, ec: ecOf('watermark', 'text', 'too-long'), message: 'font content is too large' },
      doc: 'Text (UTF-8, at most 64 bytes)'
    },
    image: { type: 'base64', ec: ecOf('watermark', 'image', 'invalid'), doc: 'Object key in the same bucket, optionally with ?x-oss-process=image/...' },
    type: {
      type: 'base64',
      ec: ecOf('watermark', 'type', 'invalid'),
      oneOf: { values: WATERMARK_FONTS, ec: ecOf('watermark', 'type', 'unsupported') },
      default: 'wqy-zenhei',
      doc: 'Font'
    },
    color: { type: 'color', default: '000000', ec: ecOf('watermark', 'color', 'invalid'), doc: 'Text colour' },
    size: number('size', 1, 1000, 'Font size', 40, 'px'),
    shadow: number('shadow', 0, 100, 'Text shadow opacity', 0, '%'),
    rotate: number('rotate', 0, 360, 'Clockwise text rotation', 0, '°'),
    t: number('t', 0, 100, 'Opacity', 100, '%'),
    g: { type: 'enum', values: GRAVITIES, default: 'se', ec: ecOf('watermark', 'g', 'invalid'), doc: 'Anchor' },
    x: number('x', 0, 4096, 'Horizontal margin', 10, 'px'),
    y: number('y', 0, 4096, 'Vertical margin', 10, 'px'),
    voffset: number('voffset', -1000, 1000, 'Shift from the centre line (west/center/east; positive moves up)', 0, 'px'),
    fill: number('fill', 0, 1, 'Tile over the whole image', 0),
    padx: number('padx', 0, 4096, 'Horizontal gap between tiles', 0, 'px'),
    pady: number('pady', 0, 4096, 'Vertical gap between tiles', 0, 'px'),
    order: number('order', 0, 1, 'Mixed: 0 image first, 1 text first', 0),
    align: number('align', 0, 2, 'Mixed: align text 0 top, 1 middle, 2 bottom', 2),
    interval: number('interval', 0, 1000, 'Mixed: gap between image and text', 0, 'px')
  },
  whenEmpty: { ...missingOf('watermark', '', 'none'), expected: 'text or image' },
  check(params, ctx) {
    if (params.text === undefined && params.image === undefined) {
      throw new ImgError({
        ...missingOf('watermark', '', 'none'),
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
  params: { ...resize.params, P: { type: 'int', min: 1, max: 100, unit: '%', ec: ecOf('resize', 'P', 'invalid'), doc: 'Width as % of the main image' } },
  check(params, ctx) {
    if (params.P === undefined) resize.check(params, ctx)
  }
} as const satisfies ActionSchema

export type WatermarkResizeParams = ParamsOf<typeof watermarkResize>

/** Actions allowed in a watermark image's nested process (Project decision 10). */
export const WATERMARK_NESTED_ACTIONS = ['resize', 'crop', 'indexcrop', 'rounded-corners', 'rotate', 'auto-orient'] as const
