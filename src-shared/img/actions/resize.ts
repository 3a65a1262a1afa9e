import { ecOf, missingOf } from '../error-codes'
import { ImgError } from '../errors'
import type { ActionSchema, ParamsOf } from '../schema'

const side = (param: string, doc: string) => ({ type: 'int', min: 1, max: 16_384, unit: 'px', ec: ecOf('resize', param, 'invalid'), doc }) as const

/** Spec §3.1. Precedence (w/h beat l/s beat p) is applied by `resizeBox`, not rejected here. */
export const resize = {
  name: 'resize',
  title: 'Resize',
  summary: 'Scale to a width/height box, a long or short side, or a percentage.',
  docUrl: 'https://help.aliyun.com/zh/oss/user-guide/resize-images-4',
  params: {
    m: {
      type: 'enum',
      values: ['lfit', 'mfit', 'fill', 'pad', 'fixed'],
      labels: ['Fit inside', 'Cover (min fit)', 'Cover and crop', 'Fit and pad', 'Stretch'],
      default: 'lfit',
      ec: ecOf('resize', 'm', 'invalid'),
      doc: 'Scaling mode'
    },
    w: side('w', 'Target width'),
    h: side('h', 'Target height'),
    l: side('l', 'Target long side'),
    s: side('s', 'Target short side'),
    p: { type: 'int', min: 1, max: 1000, unit: '%', ec: ecOf('resize', 'p', 'invalid'), doc: 'Scale by percentage' },
    limit: { type: 'int', min: 0, max: 1, default: 1, ec: ecOf('resize', 'limit', 'invalid'), doc: '1: never enlarge beyond the source' },
    color: { type: 'color', default: 'FFFFFF', ec: ecOf('resize', 'color', 'invalid'), doc: 'Padding colour for m_pad' }
  },
  whenEmpty: { ...missingOf('resize', '', 'none'), expected: 'at least one of w, h, l, s, p' },
  precheck(raw, ctx) {
    // Spec §3.1.1: `w_0,h_0` has its own EC, reported before w's range error.
    if (raw.w === '0' && raw.h === '0') {
      throw new ImgError({ code: 'InvalidArgument', ec: ecOf('resize', '', 'both-zero'), span: ctx.span, action: 'resize', message: 'resize: expected w and h between 1 and 16384 but received w_0,h_0' })
    }
  },
  check(params, ctx) {
    if (['w', 'h', 'l', 's', 'p'].every((k) => params[k] === undefined)) {
      throw new ImgError({
        ...missingOf('resize', '', 'none'),
        span: ctx.span,
        action: 'resize',
        message: 'resize: expected at least one of w, h, l, s, p but received none'
      })
    }
  }
} as const satisfies ActionSchema

export type ResizeParams = ParamsOf<typeof resize>
