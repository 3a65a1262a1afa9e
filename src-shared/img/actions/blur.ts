import type { ActionSchema, ParamsOf } from '../schema'

/**
 * Spec §3.8. Both r and s are required; the bare `blur,5` form is rejected (Project decision 15).
 * No documented EC: circle's radius EC (233) is the closest documented one.
 */
export const blur = {
  name: 'blur',
  title: 'Blur',
  summary: 'Gaussian blur with radius r and standard deviation s.',
  docUrl: 'https://www.alibabacloud.com/help/zh/doc-detail/44701.htm',
  params: {
    r: { type: 'int', min: 1, max: 50, unit: 'px', ec: '0040-00000233', required: { ec: '0040-00000233', code: 'MissingArgument' }, doc: 'Blur radius' },
    s: { type: 'int', min: 1, max: 50, ec: '0040-00000233', required: { ec: '0040-00000233', code: 'MissingArgument' }, doc: 'Standard deviation' }
  }
} as const satisfies ActionSchema

export type BlurParams = ParamsOf<typeof blur>
