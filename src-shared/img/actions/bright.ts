import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.9. */
export const bright = {
  name: 'bright',
  title: 'Brightness',
  summary: 'Darken (<0) or brighten (>0).',
  docUrl: 'https://help.aliyun.com/document_detail/44698.html',
  bare: { type: 'int', min: -100, max: 100, ec: ecOf('bright', 'value', 'invalid'), required: missingOf('bright', 'value'), doc: 'Brightness change' },
  params: {}
} as const satisfies ActionSchema

export type BrightParams = ParamsOf<typeof bright>
