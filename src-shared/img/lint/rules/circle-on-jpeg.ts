import type { Step } from '../../process'
import { specSection } from '../doc'
import type { LintRule } from '../types'

const PNG: Step = { action: 'format', params: { value: 'png' }, span: { start: 0, end: 0 } }

/** Spec §3.3 / §3.5: outside the circle (or the rounded corners) is white in a JPG, transparent in PNG/WebP. */
export const circleOnJpeg: LintRule = {
  id: 'circle-on-jpeg',
  severity: 'warning',
  summary: 'circle or rounded-corners with a JPG output: the corners come out filled white, not transparent',
  doc: specSection('3.3 `circle` (内切圆)'),
  needsSource: true,
  check({ steps, outputFormat }) {
    if (outputFormat !== 'jpg') return []
    // The fix encodes as PNG: the last format step becomes png, or one is added.
    const lastFormat = steps.map((s) => s.action).lastIndexOf('format')
    const fixedSteps = lastFormat >= 0 ? steps.map((s, i) => (i === lastFormat ? PNG : s)) : [...steps, PNG]
    return steps.flatMap((step, i) =>
      step.action === 'circle' || step.action === 'rounded-corners'
        ? [
            {
              step: i,
              message: `${step.action} on a JPG output: JPG has no transparency, so the area outside the ${step.action === 'circle' ? 'circle' : 'rounded corners'} is filled white`,
              howToFix: 'Encode as PNG (format,png) — or WebP — to keep the corners transparent.',
              fixedSteps
            }
          ]
        : []
    )
  }
}
