import type { EngineOp } from '../op'

/**
 * Spec §3.7: orientation is applied to the decoded source before the chain, wherever the op
 * stands (DEMO_F `resize,w_100/auto-orient,1` → 100×127), so it is a chain setting.
 */
export const autoOrient: EngineOp<'auto-orient'> = {
  action: 'auto-orient',
  placement: () => ({ kind: 'encoder' }),
  keepsAnimation: true,
  configure(settings, params) {
    settings.orient = params.value !== 0
  }
}
