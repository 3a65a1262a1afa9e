import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.3. Output side = min(2r+1, shorter side) (Project decision). */
export const circle = {
  name: 'circle',
  title: 'Circle',
  summary: 'Cut the largest centred circle of radius r; outside is white (JPG) or transparent.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/circle-crop',
  params: {
    r: { type: 'int', min: 1, max: 4096, unit: 'px', ec: '0040-00000233', required: { ec: '0040-00000233', code: 'MissingArgument' }, doc: 'Radius' }
  }
} as const satisfies ActionSchema

export type CircleParams = ParamsOf<typeof circle>
