import { withoutStep } from '../analysis'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/** Spec §3.13: only JPG and WebP outputs are affected; other formats ignore `quality`. */
export const qualityNoEffect: LintRule = {
  id: 'quality-no-effect',
  severity: 'warning',
  summary: 'quality with a PNG, BMP, GIF (or other non-JPG/WebP) output: the encoder ignores it',
  doc: specSection('3.13 `quality`'),
  needsSource: true,
  check({ steps, outputFormat }) {
    if (outputFormat === undefined || outputFormat === 'jpg' || outputFormat === 'webp') return []
    return steps.flatMap((step, i) =>
      step.action === 'quality'
        ? [
            {
              step: i,
              message: `quality has no effect: the output is ${outputFormat.toUpperCase()}, and only JPG and WebP outputs take a quality`,
              howToFix: 'Remove the quality step, or encode as JPG or WebP (format,jpg / format,webp).',
              fixedSteps: withoutStep(steps, i)
            }
          ]
        : []
    )
  }
}
