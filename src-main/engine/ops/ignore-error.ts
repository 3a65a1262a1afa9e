import type { EngineOp } from '../op'

/** Spec §3.18: on any processing error the executor answers the unprocessed source. */
export const ignoreError: EngineOp<'ignore-error'> = {
  action: 'ignore-error',
  placement: () => ({ kind: 'encoder' }),
  keepsAnimation: true,
  configure(settings, params) {
    settings.ignoreErrors = params.value === 1
  }
}
