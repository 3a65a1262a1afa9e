import { withoutStep } from '../analysis'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/** Spec §3.12: `format,gif` converts only GIF sources; any other keeps its own format. */
export const gifKeepsSourceFormat: LintRule = {
  id: 'gif-keeps-source-format',
  severity: 'warning',
  summary: 'format,gif on a source that is not a GIF: OSS keeps the source format',
  doc: specSection('3.12 `format`'),
  needsSource: true,
  check({ steps, source }) {
    if (!source || source.format === 'gif') return []
    const last = steps.map((s) => s.action).lastIndexOf('format')
    const step = steps[last]
    if (!step || step.action !== 'format' || step.params.value !== 'gif') return []
    return [
      {
        step: last,
        message: `format,gif has no effect on a ${source.format.toUpperCase()} source: OSS writes GIF only from GIF sources, so the result stays ${source.format.toUpperCase()}`,
        howToFix: 'Remove format,gif, or choose another format (png for transparency, webp for animation).',
        fixedSteps: withoutStep(steps, last)
      }
    ]
  }
}
