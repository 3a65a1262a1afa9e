import { ecOf } from '../error-codes'
import type { ActionSchema, ParamsOf } from '../schema'
import { GRAVITIES } from './gravity'

/**
 * Spec §3.2. w/h of 0 mean "to the edge" (Project decision).
 */
export const crop = {
  name: 'crop',
  title: 'Crop',
  summary: 'Cut a rectangle, positioned from a gravity origin plus an x/y offset.',
  docUrl: 'https://www.alibabacloud.com/help/en/oss/user-guide/custom-crop',
  params: {
    w: { type: 'int', min: 0, max: 30_000, unit: 'px', ec: ecOf('crop', 'w', 'invalid'), doc: 'Crop width (0 = to the edge)' },
    h: { type: 'int', min: 0, max: 30_000, unit: 'px', ec: ecOf('crop', 'h', 'invalid'), doc: 'Crop height (0 = to the edge)' },
    x: { type: 'int', min: 0, max: 30_000, unit: 'px', default: 0, ec: ecOf('crop', 'x', 'invalid'), doc: 'Offset right from the origin' },
    y: { type: 'int', min: 0, max: 30_000, unit: 'px', default: 0, ec: ecOf('crop', 'y', 'invalid'), doc: 'Offset down from the origin' },
    g: { type: 'enum', values: GRAVITIES, ec: ecOf('crop', 'g', 'invalid'), doc: 'Origin in a 3×3 grid (default: top-left)' }
  }
} as const satisfies ActionSchema

export type CropParams = ParamsOf<typeof crop>
