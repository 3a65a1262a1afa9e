import { withoutStep } from '../analysis'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/** Spec §3.14: progressive encoding exists for JPG only. */
export const interlaceNoEffect: LintRule = {
  id: 'interlace-no-effect',
  severity: 'warning',
  summary: 'interlace with a non-JPG output: only JPG is encoded progressively',
  doc: specSection('3.14 `interlace` (渐进显示)'),
  needsSource: true,
  check({ steps, outputFormat }) {
    if (outputFormat === undefined || outputFormat === 'jpg') return []
    return steps.flatMap((step, i) =>
      step.action === 'interlace'
        ? [
            {
              step: i,
              message: `interlace has no effect: the output is ${outputFormat.toUpperCase()}, and only JPG is encoded progressively`,
              howToFix: 'Remove the interlace step, or add format,jpg.',
              fixedSteps: withoutStep(steps, i)
            }
          ]
        : []
    )
  }
}
