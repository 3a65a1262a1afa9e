/**
 * The style linter (issue 12 §2): rules with reasons over a parsed pipeline and, when known, the
 * source. Pure — the CLI (`oss-img lint`) and the editor run the same rules.
 *
 *   lintPipeline({ steps, source: { width: 6000, height: 4000, format: 'jpg', quality: 92 } })
 */
import { serializeProcess } from '../process'
import { analyse } from './analysis'
import { circleOnJpeg } from './rules/circle-on-jpeg'
import { cropOutside } from './rules/crop-outside'
import { gifKeepsSourceFormat } from './rules/gif-keeps-source-format'
import { ignoredSizeParam } from './rules/ignored-size-param'
import { interlaceNoEffect } from './rules/interlace-no-effect'
import { overriddenStep } from './rules/overridden-step'
import { qualityNoEffect } from './rules/quality-no-effect'
import { relativeQuality } from './rules/relative-quality'
import { upscaleBlocked } from './rules/upscale-blocked'
import type { LintFinding, LintInput, LintRule, LintSeverity } from './types'

export type { LintFinding, LintInput, LintRule, LintSeverity, LintSource } from './types'
export { SPEC_PATH, headingAnchor } from './doc'

/** Every rule; the first seven ids are fixed (scripts rely on them). */
export const LINT_RULES: readonly LintRule[] = [
  qualityNoEffect,
  interlaceNoEffect,
  circleOnJpeg,
  overriddenStep,
  upscaleBlocked,
  cropOutside,
  relativeQuality,
  gifKeepsSourceFormat,
  ignoredSizeParam
]

const SEVERITY_ORDER: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 }

/** The findings, by step, then severity. */
export function lintPipeline(input: LintInput): LintFinding[] {
  const analysis = analyse(input)
  const findings = LINT_RULES.flatMap((rule) =>
    rule.check(analysis).map(
      (found): LintFinding => ({
        id: rule.id,
        severity: found.severity ?? rule.severity,
        message: found.message,
        step: found.step,
        howToFix: found.howToFix,
        // A fix that would leave no step is no pipeline: the finding keeps its advice only.
        ...(found.fixedSteps && found.fixedSteps.length > 0 ? { fix: serializeProcess({ kind: 'image', steps: found.fixedSteps }) } : {}),
        doc: rule.doc
      })
    )
  )
  return findings.sort((a, b) => a.step - b.step || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
}

export function hasErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error')
}
