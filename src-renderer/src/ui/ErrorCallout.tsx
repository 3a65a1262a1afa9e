/**
 * The contract's one error shape, shown the way OSS reports it: code, message, status, EC, request id.
 * OSS's own Code, EC and message stay as OSS wrote them (users search for them); below them a translated
 * explanation says what to change, chosen by the EC's class or else the Code (errorHelp.ts).
 */
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { useTranslation } from '../i18n'
import { explanationOf } from './errorHelp'
import { Icon } from './Icon'

export function ErrorCallout({ error, title, children }: { error: ErrorInfo; title?: string | undefined; children?: React.ReactNode }) {
  const { t } = useTranslation()
  const meta: [string, string, string][] = []
  if (error.status !== undefined && error.status > 0) meta.push(['HTTP', t('errors.meta.http'), String(error.status)])
  if (error.ec) meta.push(['EC', t('errors.meta.ec'), error.ec])
  if (error.requestId) meta.push(['Request ID', t('errors.meta.requestId'), error.requestId])
  const help = explanationOf(error)
  return (
    <div className="callout" role="alert" data-code={error.code}>
      <div className="callout-title">
        <Icon name="alert" />
        {title ? <span>{title}</span> : <span className="error-code">{error.code}</span>}
      </div>
      {title ? <div className="callout-code error-code">{error.code}</div> : null}
      <p className="callout-message">{error.message}</p>
      {help ? (
        <p className="callout-help" data-testid="error-help">
          {t(help)}
        </p>
      ) : null}
      {meta.length > 0 ? (
        <dl className="callout-meta">
          {meta.map(([field, label, value]) => (
            <div key={field}>
              <dt>{label}</dt>
              <dd data-field={field}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {children}
    </div>
  )
}
