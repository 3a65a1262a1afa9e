import { ImgError } from '../errors'
import type { ActionSchema, ParamsOf } from '../schema'

const side = (doc: string, ec: string) => ({ type: 'int', min: 1, max: 16_384, unit: 'px', ec, doc }) as const

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
      ec: '0040-00000311',
      doc: 'Scaling mode'
    },
    w: side('Target width', '0040-00000312'),
    h: side('Target height', '0040-00000313'), // Project decision §3.1.1: EC not documented, 313 inferred
    l: side('Target long side', '0040-00000314'),
    s: side('Target short side', '0040-00000315'), // Project decision §3.1.1: EC inferred
    p: { type: 'int', min: 1, max: 1000, unit: '%', ec: '0040-00000316', doc: 'Scale by percentage' }, // EC inferred (§3.1.1)
    limit: { type: 'int', min: 0, max: 1, default: 1, ec: '0040-00000319', doc: '1: never enlarge beyond the source' },
    color: { type: 'color', default: 'FFFFFF', ec: '0040-00000318', doc: 'Padding colour for m_pad' }
  },
  whenEmpty: { ec: '0040-00000322', code: 'MissingArgument', expected: 'at least one of w, h, l, s, p' },
  precheck(raw, ctx) {
    // Spec §3.1.1: `w_0,h_0` has its own EC, reported before w's range error.
    if (raw.w === '0' && raw.h === '0') {
      throw new ImgError({ code: 'InvalidArgument', ec: '0040-00000321', span: ctx.span, action: 'resize', message: 'resize: expected w and h between 1 and 16384 but received w_0,h_0' })
    }
  },
  check(params, ctx) {
    if (['w', 'h', 'l', 's', 'p'].every((k) => params[k] === undefined)) {
      throw new ImgError({
        code: 'MissingArgument',
        ec: '0040-00000322',
        span: ctx.span,
        action: 'resize',
        message: 'resize: expected at least one of w, h, l, s, p but received none'
      })
    }
  }
} as const satisfies ActionSchema

export type ResizeParams = ParamsOf<typeof resize>
