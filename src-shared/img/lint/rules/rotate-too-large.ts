import { normalizeAngle } from '../../geometry/rotate'
import { LIMITS } from '../../limits'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/**
 * Spec §3.6: the image entering a rotation must be at most 4096 px per side (Project decision: the
 * limit is checked on rotate's input, so a resize before it rescues a large photo, as OSS's FAQ shows).
 */
export const rotateTooLarge: LintRule = {
  id: 'rotate-too-large',
  severity: 'error',
  summary: `rotate on an image over ${LIMITS.maxRotateSide} px per side: OSS refuses the request`,
  doc: specSection('3.6 `rotate`'),
  needsSource: true,
  check({ steps, frames }) {
    return steps.flatMap((step, i) => {
      const frame = frames[i]
      if (step.action !== 'rotate' || !frame || normalizeAngle(step.params.value ?? 0) === 0) return []
      if (frame.width <= LIMITS.maxRotateSide && frame.height <= LIMITS.maxRotateSide) return []
      return [
        {
          step: i,
          message: `rotate receives a ${frame.width}x${frame.height} image, but OSS rotates at most ${LIMITS.maxRotateSide} px per side (Picture exceed the maximum allowable rotation range)`,
          howToFix: `Resize to at most ${LIMITS.maxRotateSide} px per side before the rotate (e.g. resize,m_lfit,w_${LIMITS.maxRotateSide},h_${LIMITS.maxRotateSide}).`
        }
      ]
    })
  }
}
