import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.14. Progressive JPEG; other outputs ignore it. */
export const interlace = {
  name: 'interlace',
  title: 'Progressive',
  summary: 'Encode JPG progressively (1) or baseline (0).',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/gradual-display',
  bare: { type: 'int', min: 0, max: 1, ec: ecOf('interlace', 'value', 'invalid'), required: missingOf('interlace', 'value'), doc: 'Progressive' },
  params: {}
} as const satisfies ActionSchema

export type InterlaceParams = ParamsOf<typeof interlace>
