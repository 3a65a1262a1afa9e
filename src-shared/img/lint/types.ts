/**
 * The style linter's vocabulary. A rule looks at a parsed pipeline (plus, when known, the source's
 * size and format) and reports findings, each tied to a step and to the section of the IMG spec
 * that says why; a safe automatic fix comes as the whole corrected pipeline.
 */
import type { OutputFormat } from '../actions/format'
import type { Step } from '../process'
import type { Analysis } from './analysis'

export type LintSeverity = 'error' | 'warning' | 'info'

/** What is known of the source (`oss-img lint --source`, the studio's selected image). */
export interface LintSource {
  readonly width: number
  readonly height: number
  readonly format: OutputFormat
  /** EXIF Orientation (5–8 swap the sides when the image is oriented before the chain). */
  readonly orientation?: number | undefined
  /** Estimated JPEG quality; undefined when unknown or not a JPEG. */
  readonly quality?: number | undefined
}

export interface LintInput {
  readonly steps: readonly Step[]
  readonly source?: LintSource | undefined
}

/** One thing a rule says about one step. */
export interface LintFinding {
  readonly id: string
  readonly severity: LintSeverity
  readonly message: string
  /** Index of the step in the pipeline, 0-based. */
  readonly step: number
  /** How to fix it, in words (shown beside the finding). */
  readonly howToFix: string
  /** The corrected pipeline (`image/…`) when the fix is safe to apply automatically. */
  readonly fix?: string | undefined
  /** The spec section that says why: `../shared/spec/oss-img.md#…`. */
  readonly doc: string
}

export interface LintRule {
  readonly id: string
  readonly severity: LintSeverity
  /** What the rule looks for, for the rule table (README) and the CLI's help. */
  readonly summary: string
  readonly doc: string
  /** Needs the source's size or format to say anything. */
  readonly needsSource?: boolean
  check(analysis: Analysis): readonly RuleFinding[]
}

/** What a rule's check returns; the linter adds the rule's id, severity and doc. */
export interface RuleFinding {
  readonly step: number
  /** When this finding is milder than the rule's usual severity. */
  readonly severity?: LintSeverity | undefined
  readonly message: string
  readonly howToFix: string
  readonly fixedSteps?: readonly Step[] | undefined
}
