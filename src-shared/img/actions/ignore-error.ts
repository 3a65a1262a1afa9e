import type { ActionSchema, ParamsOf } from '../schema'

/**
 * Spec §3.18 (observed, not in the OSS docs): on any error, answer the unprocessed source.
 * OSS documents no EC for it, so its value errors carry none (docs/error-codes.md).
 */
export const ignoreError = {
  name: 'ignore-error',
  title: 'Ignore errors',
  summary: 'On any processing error return the original image instead of an error.',
  docUrl: 'https://support.huaweicloud.com/usermanual-obs/obs_01_0430.html',
  bare: { type: 'int', min: 0, max: 1, required: {}, doc: 'Ignore errors' },
  params: {}
} as const satisfies ActionSchema

export type IgnoreErrorParams = ParamsOf<typeof ignoreError>
