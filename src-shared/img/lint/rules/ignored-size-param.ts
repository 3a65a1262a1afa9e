import type { Step } from '../../process'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/**
 * Spec §3.1.2: w/h beat l/s, and any of w/h/l/s beats p (Project decision: l/s beat p); with only
 * one of l or s, m is ignored. The losing parameters change nothing and mislead the reader.
 */
export const ignoredSizeParam: LintRule = {
  id: 'ignored-size-param',
  severity: 'info',
  summary: 'resize parameters that the precedence rules ignore (l/s beside w/h, p beside w/h/l/s)',
  doc: specSection('3.1.2 Parameter precedence [DOC, 2026 + older notes]'),
  check({ steps }) {
    return steps.flatMap((step, i) => {
      if (step.action !== 'resize') return []
      const { w, h, l, s, p } = step.params
      const ignored: ('l' | 's' | 'p')[] = []
      if (w !== undefined || h !== undefined) {
        if (l !== undefined) ignored.push('l')
        if (s !== undefined) ignored.push('s')
      }
      if (p !== undefined && (w !== undefined || h !== undefined || l !== undefined || s !== undefined)) ignored.push('p')
      if (ignored.length === 0) return []
      const params = { ...step.params }
      for (const key of ignored) delete params[key]
      const kept: Step = { ...step, params }
      return [
        {
          step: i,
          message: `resize ignores ${ignored.map((k) => `${k}_${step.params[k]}`).join(', ')}: ${ignored.includes('p') && ignored.length === 1 ? 'w, h, l and s take precedence over p' : 'w and h take precedence over l and s (and any size over p)'}`,
          howToFix: `Remove ${ignored.join(', ')}.`,
          fixedSteps: steps.map((x, j) => (j === i ? kept : x))
        }
      ]
    })
  }
}
