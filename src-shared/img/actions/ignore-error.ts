import type { ActionSchema, ParamsOf } from '../schema'

/** Spec §3.18 (observed, not in the OSS docs): on any error, answer the unprocessed source. */
export const ignoreError = {
  name: 'ignore-error',
  title: 'Ignore errors',
  summary: 'On any processing error return the original image instead of an error.',
  docUrl: 'https://support.huaweicloud.com/usermanual-obs/obs_01_0430.html',
  bare: { type: 'int', min: 0, max: 1, ec: '0040-00000203', required: { ec: '0040-00000203', code: 'MissingArgument' }, doc: 'Ignore errors' },
  params: {}
} as const satisfies ActionSchema

export type IgnoreErrorParams = ParamsOf<typeof ignoreError>
