import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.13. Q (absolute) wins over q (relative); `quality,<n>` means q_<n> (Project decision). */
export const quality = {
  name: 'quality',
  title: 'Quality',
  summary: 'JPG/WebP quality: relative to the source (q) or absolute, capped by the source (Q).',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/adjust-image-quality',
  params: {
    q: { type: 'int', min: 1, max: 100, unit: '%', ec: ecOf('quality', 'q', 'invalid'), doc: 'Relative quality (% of the source quality)' },
    Q: { type: 'int', min: 1, max: 100, ec: ecOf('quality', 'Q', 'invalid'), doc: 'Absolute quality' }
  },
  bareAlias: { param: 'q', ec: ecOf('quality', 'q', 'bare') },
  whenEmpty: { ...missingOf('quality', '', 'none'), expected: 'one of q, Q' }
} as const satisfies ActionSchema

export type QualityParams = ParamsOf<typeof quality>
