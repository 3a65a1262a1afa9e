import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.6. Clockwise; non-right angles grow the canvas. */
export const rotate = {
  name: 'rotate',
  title: 'Rotate',
  summary: 'Rotate clockwise by any angle; the canvas grows to fit.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/rotate',
  bare: { type: 'int', min: 0, max: 360, unit: '°', default: 0, ec: '0040-00000203', required: { ec: '0040-00000203', code: 'MissingArgument' }, doc: 'Clockwise angle' },
  params: {}
} as const satisfies ActionSchema

export type RotateParams = ParamsOf<typeof rotate>
