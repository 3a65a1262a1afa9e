import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.10. */
export const contrast = {
  name: 'contrast',
  title: 'Contrast',
  summary: 'Lower (<0) or raise (>0) contrast.',
  docUrl: 'https://help.aliyun.com/document_detail/44699.html',
  bare: { type: 'int', min: -100, max: 100, ec: ecOf('contrast', 'value', 'invalid'), required: missingOf('contrast', 'value'), doc: 'Contrast change' },
  params: {}
} as const satisfies ActionSchema

export type ContrastParams = ParamsOf<typeof contrast>
