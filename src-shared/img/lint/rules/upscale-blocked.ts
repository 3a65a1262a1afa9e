import type { Step } from '../../process'
import { resizeGeometry } from '../../geometry/resize'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/** Spec §3.1.3 `limit`: with `limit_1` (the default) a resize that would enlarge returns the source size. */
export const upscaleBlocked: LintRule = {
  id: 'upscale-blocked',
  severity: 'warning',
  summary: 'resize larger than the image it receives with limit_1 (the default): the size is left as it is',
  doc: specSection('3.1.3 Geometry (what each mode produces)'),
  needsSource: true,
  check({ steps, frames, source }) {
    return steps.flatMap((step, i) => {
      const frame = frames[i]
      if (step.action !== 'resize' || !frame) return []
      let blocked: boolean
      try {
        blocked = resizeGeometry(frame, step.params, { gif: source?.format === 'gif' }).blocked
      } catch {
        return []
      }
      if (!blocked) return []
      const gif = source?.format === 'gif'
      const enlarge: Step = { ...step, params: { ...step.params, limit: 0 } }
      return [
        {
          step: i,
          message: gif
            ? `resize would enlarge the ${frame.width}x${frame.height} GIF, and OSS never enlarges GIFs: the result stays ${frame.width}x${frame.height}`
            : `resize would enlarge the ${frame.width}x${frame.height} image it receives, and limit_1 (the default) blocks enlargements: the result stays ${frame.width}x${frame.height}`,
          howToFix: gif ? 'Resize to at most the GIF’s size.' : 'Add limit_0 to allow the enlargement, or resize to at most the image’s size.',
          fixedSteps: gif ? undefined : steps.map((s, j) => (j === i ? enlarge : s))
        }
      ]
    })
  }
}
