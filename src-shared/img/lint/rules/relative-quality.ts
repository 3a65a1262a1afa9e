import type { Step } from '../../process'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/**
 * Spec §3.13: `q` is relative to the source's own JPEG quality (and means nothing else for other
 * sources: they count as 100); when that quality is unknown, the result is a guess. `Q` is absolute.
 */
export const relativeQuality: LintRule = {
  id: 'relative-quality',
  severity: 'warning',
  summary: 'q_ (relative) on a source whose quality is unknown or that is not a JPEG, where Q_ (absolute) is what is meant',
  doc: specSection('3.13 `quality`'),
  check({ steps, source }) {
    const known = source?.format === 'jpg' && source.quality !== undefined
    if (known) return []
    return steps.flatMap((step, i) => {
      if (step.action !== 'quality' || step.params.q === undefined || step.params.Q !== undefined) return []
      const q = step.params.q
      const absolute: Step = { ...step, params: { Q: q } }
      const why = source === undefined || source.format === 'jpg' ? "the source's quality is not known here" : `the source is ${source.format.toUpperCase()}, not a JPEG`
      return [
        {
          step: i,
          message: `quality,q_${q} is relative to the source's own JPEG quality (q_${q} = ${q} % of it), and ${why}: the result's quality depends on each image`,
          howToFix: `Use quality,Q_${q} for an absolute quality (never above the source's).`,
          fixedSteps: steps.map((s, j) => (j === i ? absolute : s))
        }
      ]
    })
  }
}
