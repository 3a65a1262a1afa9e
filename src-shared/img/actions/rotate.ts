import { ecOf, missingOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.6. Clockwise; non-right angles grow the canvas. */
export const rotate = {
  name: 'rotate',
  title: 'Rotate',
  summary: 'Rotate clockwise by any angle; the canvas grows to fit.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/rotate',
  bare: { type: 'int', min: 0, max: 360, unit: '°', default: 0, ec: ecOf('rotate', 'value', 'invalid'), required: missingOf('rotate', 'value'), doc: 'Clockwise angle' },
  params: {}
} as const satisfies ActionSchema

export type RotateParams = ParamsOf<typeof rotate>
