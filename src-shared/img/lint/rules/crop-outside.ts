import { cropGeometry } from '../../geometry/crop'
import { indexcropGeometry } from '../../geometry/indexcrop'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/**
 * Spec §3.2: a crop whose start point falls outside the image that reaches it fails with 400
 * BadRequest ("Advance cut's position is out of image."); §3.4: an indexcrop index past the last
 * strip returns the image unchanged. Needs the image's size: the source's, or one fixed by m_fixed.
 */
export const cropOutside: LintRule = {
  id: 'crop-outside',
  severity: 'error',
  summary: 'crop starting outside the image the preceding steps produce (error: OSS answers 400), or indexcrop past its last strip (warning: the image comes back uncut)',
  doc: specSection('3.2 `crop` (自定义裁剪)'),
  needsSource: true,
  check({ steps, frames }) {
    return steps.flatMap((step, i) => {
      const frame = frames[i]
      if (!frame) return []
      if (step.action === 'crop') {
        try {
          cropGeometry(frame, step.params)
          return []
        } catch (error) {
          return [
            {
              step: i,
              message: `crop starts outside the ${frame.width}x${frame.height} image it receives: OSS answers 400 BadRequest (${error instanceof Error ? error.message : String(error)})`,
              howToFix: `Move the start point inside the image: x below ${frame.width} and y below ${frame.height} from the gravity's corner.`
            }
          ]
        }
      }
      if (step.action === 'indexcrop' && indexcropGeometry(frame, step.params) === undefined) {
        const strip = step.params.y ?? step.params.x ?? 1
        const count = Math.ceil((step.params.y !== undefined ? frame.height : frame.width) / strip)
        return [
          {
            step: i,
            severity: 'warning',
            message: `indexcrop i_${step.params.i ?? 0} is past the last of the ${count} strips of the ${frame.width}x${frame.height} image it receives: OSS returns the image uncut`,
            howToFix: `Use an index from 0 to ${count - 1}.`
          }
        ]
      }
      return []
    })
  }
}
