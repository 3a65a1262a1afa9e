import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.7. Applied to the decoded source before the chain, wherever it appears. */
export const autoOrient = {
  name: 'auto-orient',
  title: 'Auto-orient',
  summary: 'Rotate by the EXIF Orientation before anything else (1), or keep it as stored (0).',
  docUrl: 'https://www.alibabacloud.com/help/doc-detail/44691.htm',
  bare: { type: 'int', min: 0, max: 1, default: 1, ec: ecOf('auto-orient', 'value', 'invalid'), required: missingOf('auto-orient', 'value'), doc: 'Apply EXIF orientation' },
  params: {}
} as const satisfies ActionSchema

export type AutoOrientParams = ParamsOf<typeof autoOrient>
