import type { EngineOp } from '../op'

/** Spec §3.13: relative q and absolute Q; the encoder resolves them against the source quality. */
export const quality: EngineOp<'quality'> = {
  action: 'quality',
  placement: () => ({ kind: 'encoder' }),
  keepsAnimation: true,
  configure(settings, params) {
    if (params.Q !== undefined) settings.absoluteQuality = params.Q
    if (params.q !== undefined) settings.relativeQuality = params.q
  }
}
