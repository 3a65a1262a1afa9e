import type { Step } from '../../process'
import { withoutStep } from '../analysis'
import { specSection } from '../doc'
import type { LintRule } from '../types'

/** The encoder settings, where a later step of the same action replaces what an earlier one set. */
const SETTINGS = ['format', 'quality', 'interlace', 'auto-orient'] as const

/** The parameters a step sets (`value` for the single-value actions). */
function paramsSet(step: Step): string[] {
  return Object.entries(step.params as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key)
}

/**
 * Spec §4 step 4: format, quality and interlace set encoder options, the last one wins; auto-orient
 * applies to the source before the chain (§3.7), so only its last value counts. An earlier step is
 * dead when everything it sets is set again later (quality's q and Q are separate settings).
 */
export const overriddenStep: LintRule = {
  id: 'overridden-step',
  severity: 'warning',
  summary: 'a later format / quality / interlace / auto-orient step makes an earlier one of the same action dead',
  doc: specSection('4. Chaining and evaluation model'),
  check({ steps }) {
    return steps.flatMap((step, i) => {
      if (!(SETTINGS as readonly string[]).includes(step.action)) return []
      const later = steps.slice(i + 1).filter((s) => s.action === step.action)
      if (later.length === 0) return []
      const reset = new Set(later.flatMap(paramsSet))
      if (!paramsSet(step).every((key) => reset.has(key))) return []
      const by = i + 1 + steps.slice(i + 1).findIndex((s) => s.action === step.action)
      return [
        {
          step: i,
          message: `${step.action} here has no effect: step ${by + 1} (${step.action}) sets it again, and the last one wins`,
          howToFix: `Remove this ${step.action} step, or the later one if this is the value you meant.`,
          fixedSteps: withoutStep(steps, i)
        }
      ]
    })
  }
}
