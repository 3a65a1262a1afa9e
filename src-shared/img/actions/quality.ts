import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.13. Q (absolute) wins over q (relative); `quality,<n>` means q_<n> (Project decision). */
export const quality = {
  name: 'quality',
  title: 'Quality',
  summary: 'JPG/WebP quality: relative to the source (q) or absolute, capped by the source (Q).',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/adjust-image-quality',
  params: {
    q: { type: 'int', min: 1, max: 100, unit: '%', ec: '0040-00000309', doc: 'Relative quality (% of the source quality)' },
    Q: { type: 'int', min: 1, max: 100, ec: '0040-00000308', doc: 'Absolute quality' }
  },
  bareAlias: { param: 'q', ec: '0040-00000310' },
  whenEmpty: { ec: '0040-00000307', code: 'MissingArgument', expected: 'one of q, Q' }
} as const satisfies ActionSchema

export type QualityParams = ParamsOf<typeof quality>
