import { ecOf, missingOf } from '../error-codes'
import { ImgError } from '../errors'
import type { ActionSchema, ParamsOf } from '../schema'

/**
 * Spec §3.4. Exactly one of x/y is meant; if both are given, y wins.
 */
export const indexcrop = {
  name: 'indexcrop',
  title: 'Index slice',
  summary: 'Slice into strips of x px (vertical) or y px (horizontal) and keep strip i.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/indexed-slice',
  params: {
    x: { type: 'int', min: 1, max: 30_000, unit: 'px', ec: ecOf('indexcrop', 'x', 'invalid'), doc: 'Width of each vertical strip' },
    y: { type: 'int', min: 1, max: 30_000, unit: 'px', ec: ecOf('indexcrop', 'y', 'invalid'), notNumberEc: ecOf('indexcrop', 'y', 'not-a-number'), doc: 'Height of each horizontal strip' },
    i: { type: 'int', min: 0, max: 30_000, default: 0, ec: ecOf('indexcrop', 'i', 'invalid'), doc: 'Zero-based strip index' }
  },
  check(params, ctx) {
    if (params.x === undefined && params.y === undefined) {
      throw new ImgError({
        ...missingOf('indexcrop', '', 'none'),
        span: ctx.span,
        action: 'indexcrop',
        message: 'indexcrop: expected one of x, y but received none'
      })
    }
  }
} as const satisfies ActionSchema

export type IndexcropParams = ParamsOf<typeof indexcrop>
