import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.17. Answers `{"RGB":"0xrrggbb"}` (Project decision 8). */
export const averageHue = {
  name: 'average-hue',
  title: 'Average hue',
  summary: 'Return the dominant average colour as JSON.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/query-the-average-tone',
  params: {}
} as const satisfies ActionSchema

export type AverageHueParams = ParamsOf<typeof averageHue>
