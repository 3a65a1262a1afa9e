import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.11. 100 is the recommended strength. */
export const sharpen = {
  name: 'sharpen',
  title: 'Sharpen',
  summary: 'Sharpen; 100 is recommended, large values distort.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/sharpen',
  bare: { type: 'int', min: 50, max: 399, ec: ecOf('sharpen', 'value', 'invalid'), required: missingOf('sharpen', 'value'), doc: 'Strength' },
  params: {}
} as const satisfies ActionSchema

export type SharpenParams = ParamsOf<typeof sharpen>
