/**
 * The style linter's findings: the list under the process string (a region "Lint findings") and
 * the note beside each step in the pipeline. Each finding shows its severity icon, the rule id, the
 * message and how to fix it, with a link to the spec section; a fix button (`Fix: <id>` in the list,
 * `Fix: <id> at step N` beside the step) applies the rule's fix as one undoable edit.
 */
import { useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { applyProcess } from '../state/editor'
import { EIcon, type EditorIconName } from './icons'
import { useLintFindings, type EditorFinding } from './lint'

const ICONS: Record<EditorFinding['severity'], EditorIconName> = { error: 'alert', warning: 'alert', info: 'info' }
const SEVERITY: Record<EditorFinding['severity'], MessageKey> = { error: 'editor.lint.severity.error', warning: 'editor.lint.severity.warning', info: 'editor.lint.severity.info' }

function FindingBody({ finding }: { finding: EditorFinding }) {
  const { t } = useTranslation()
  return (
    <span className="lint-body">
      <span className="lint-head">
        <code className="lint-id">{finding.id}</code>
        <span className="sr-only">{t(SEVERITY[finding.severity])}</span>
      </span>
      <span className="lint-message" title={finding.message}>
        {finding.message}
      </span>
      <span className="lint-how">
        {finding.howToFix}{' '}
        <span className="lint-doc" title={t('editor.lint.docTitle')}>
          {finding.doc.replace(/^.*\//, '')}
        </span>
      </span>
    </span>
  )
}

function FixButton({ finding, atStep }: { finding: EditorFinding; atStep: boolean }) {
  const { t } = useTranslation()
  if (!finding.fix) return null
  const fix = finding.fix
  return (
    <button type="button" className="btn small lint-fix" aria-label={atStep ? t('editor.lint.fixAtStep', { id: finding.id, step: finding.step + 1 }) : t('editor.lint.fix', { id: finding.id })} title={fix} onClick={() => applyProcess(fix)}>
      <EIcon name="check" size={13} />
      {t('editor.lint.fixLabel')}
    </button>
  )
}

/** Under the process string box: every finding, by step. */
export function LintFindings() {
  const { t } = useTranslation()
  const findings = useLintFindings()
  if (findings.length === 0) return null
  return (
    <section className="lint-findings" role="region" aria-label={t('editor.lint.region')}>
      <ul className="lint-list" aria-label={t('editor.lint.region')}>
        {findings.map((finding) => (
          <li key={`${finding.id}:${finding.step}`} className="lint-finding" data-severity={finding.severity} data-lint-id={finding.id}>
            <span className="lint-icon" aria-hidden="true">
              <EIcon name={ICONS[finding.severity]} size={14} />
            </span>
            <span className="lint-step">{t('editor.lint.step', { step: finding.step + 1 })}</span>
            <FindingBody finding={finding} />
            <FixButton finding={finding} atStep={false} />
          </li>
        ))}
      </ul>
    </section>
  )
}

/**
 * Beside one pipeline step: its findings, compact. Not a list: the pipeline's list items are its
 * steps (e2e specs and screen readers count them).
 */
export function StepLint({ findings }: { findings: readonly EditorFinding[] }) {
  if (findings.length === 0) return null
  return (
    <div className="step-lint">
      {findings.map((finding) => (
        <div key={finding.id} className="lint-finding compact" data-severity={finding.severity} data-lint-id={finding.id}>
          <span className="lint-icon" aria-hidden="true">
            <EIcon name={ICONS[finding.severity]} size={13} />
          </span>
          <FindingBody finding={finding} />
          <FixButton finding={finding} atStep />
        </div>
      ))}
    </div>
  )
}
