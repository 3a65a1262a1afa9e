import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.3. Output side = min(2r+1, shorter side) (Project decision). */
export const circle = {
  name: 'circle',
  title: 'Circle',
  summary: 'Cut the largest centred circle of radius r; outside is white (JPG) or transparent.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/circle-crop',
  params: {
    r: { type: 'int', min: 1, max: 4096, unit: 'px', ec: ecOf('circle', 'r', 'invalid'), required: missingOf('circle', 'r'), doc: 'Radius' }
  }
} as const satisfies ActionSchema

export type CircleParams = ParamsOf<typeof circle>
