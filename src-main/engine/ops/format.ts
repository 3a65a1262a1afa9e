import type { EngineOp } from '../op'

/** Spec §3.12: sets the encoder wherever it stands in the chain. */
export const format: EngineOp<'format'> = {
  action: 'format',
  placement: () => ({ kind: 'encoder' }),
  keepsAnimation: true,
  configure(settings, params) {
    if (params.value !== undefined) settings.format = params.value
  }
}
