import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/**
 * Spec §3.5. r is capped at half the shorter side.
 */
export const roundedCorners = {
  name: 'rounded-corners',
  title: 'Rounded corners',
  summary: 'Round the corners with radius r; outside is white (JPG) or transparent.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/rounded-rectangle-4',
  params: {
    r: { type: 'int', min: 1, max: 4096, unit: 'px', ec: ecOf('rounded-corners', 'r', 'invalid'), required: missingOf('rounded-corners', 'r'), doc: 'Corner radius' }
  }
} as const satisfies ActionSchema

export type RoundedCornersParams = ParamsOf<typeof roundedCorners>
