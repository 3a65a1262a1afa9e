/** The contract's one error shape, shown the way OSS reports it: code, message, status, EC, request id. */
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { Icon } from './Icon'

export function ErrorCallout({ error, title, children }: { error: ErrorInfo; title?: string | undefined; children?: React.ReactNode }) {
  const meta: [string, string][] = []
  if (error.status !== undefined && error.status > 0) meta.push(['HTTP', String(error.status)])
  if (error.ec) meta.push(['EC', error.ec])
  if (error.requestId) meta.push(['Request ID', error.requestId])
  return (
    <div className="callout" role="alert" data-code={error.code}>
      <div className="callout-title">
        <Icon name="alert" />
        {title ? <span>{title}</span> : <span className="error-code">{error.code}</span>}
      </div>
      {title ? <div className="callout-code error-code">{error.code}</div> : null}
      <p className="callout-message">{error.message}</p>
      {meta.length > 0 ? (
        <dl className="callout-meta">
          {meta.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd data-field={label}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {children}
    </div>
  )
}
