import type { EngineOp } from '../op'

/** Spec §3.14: progressive JPEG (other encoders ignore it). */
export const interlace: EngineOp<'interlace'> = {
  action: 'interlace',
  placement: () => ({ kind: 'encoder' }),
  keepsAnimation: true,
  configure(settings, params) {
    settings.progressive = params.value === 1
  }
}
