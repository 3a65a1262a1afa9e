import type { ActionSchema, ParamsOf } from '../schema'

/**
 * Spec §3.5. r is capped at half the shorter side.
 * No documented EC: circle's r (233) is the closest documented one (same range, same meaning).
 */
export const roundedCorners = {
  name: 'rounded-corners',
  title: 'Rounded corners',
  summary: 'Round the corners with radius r; outside is white (JPG) or transparent.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/rounded-rectangle-4',
  params: {
    r: { type: 'int', min: 1, max: 4096, unit: 'px', ec: '0040-00000233', required: { ec: '0040-00000233', code: 'MissingArgument' }, doc: 'Corner radius' }
  }
} as const satisfies ActionSchema

export type RoundedCornersParams = ParamsOf<typeof roundedCorners>
