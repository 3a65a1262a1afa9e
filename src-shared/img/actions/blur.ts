import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/**
 * Spec §3.8. Both r and s are required; the bare `blur,5` form is rejected (Project decision 15).
 */
export const blur = {
  name: 'blur',
  title: 'Blur',
  summary: 'Gaussian blur with radius r and standard deviation s.',
  docUrl: 'https://www.alibabacloud.com/help/zh/doc-detail/44701.htm',
  params: {
    r: { type: 'int', min: 1, max: 50, unit: 'px', ec: ecOf('blur', 'r', 'invalid'), required: missingOf('blur', 'r'), doc: 'Blur radius' },
    s: { type: 'int', min: 1, max: 50, ec: ecOf('blur', 's', 'invalid'), required: missingOf('blur', 's'), doc: 'Standard deviation' }
  }
} as const satisfies ActionSchema

export type BlurParams = ParamsOf<typeof blur>
