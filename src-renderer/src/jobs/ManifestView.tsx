/** A dry run's manifest: counts, estimated bytes, job-level issues, and the rows (flagged ones first and highlighted). */
import { formatBytes } from '../ui/format'
import type { Manifest } from './store'

function Issues({ manifest }: { manifest: Manifest }) {
  if (manifest.issues.length === 0) return null
  return (
    <ul className="job-issues">
      {manifest.issues.map((issue) => (
        <li key={issue.code} className={issue.blocking ? 'job-issue blocking' : 'job-issue'} data-code={issue.code}>
          <strong>{issue.code}</strong> {issue.message}
          {issue.blocking ? <span className="badge danger">blocks the run</span> : null}
        </li>
      ))}
    </ul>
  )
}

export function ManifestView({ manifest }: { manifest: Manifest }) {
  const { summary } = manifest
  const flagged = summary.collisions + summary.invalidTargets + summary.targetIsSource + summary.tooLarge + summary.missingSources
  const facts: [string, string, string][] = [
    ['sources', 'Sources', String(summary.sources)],
    ['items', 'Items', String(summary.items)],
    ['runnable', 'Runnable', String(summary.runnable)],
    ['bytes', 'Reads', formatBytes(summary.estimatedBytes)]
  ]
  if (summary.collisions) facts.push(['collisions', 'Collisions', String(summary.collisions)])
  if (summary.invalidTargets) facts.push(['invalid', 'Invalid targets', String(summary.invalidTargets)])
  if (summary.targetIsSource) facts.push(['target-is-source', 'Overwrite a source', String(summary.targetIsSource)])
  if (summary.tooLarge) facts.push(['too-large', 'Over 20 MB', String(summary.tooLarge)])
  if (summary.missingSources) facts.push(['missing', 'Missing', String(summary.missingSources)])
  if (summary.excludedOwnTargets) facts.push(['own', 'Own outputs left out', String(summary.excludedOwnTargets)])
  if (summary.crossRegion) facts.push(['cross-region', 'Cross-region', 'yes'])

  return (
    <section className="job-manifest" aria-label="Dry run">
      <dl className="stats job-stats" data-testid="manifest-summary">
        {facts.map(([key, label, value]) => (
          <div key={key} data-stat={key} data-warn={['collisions', 'invalid', 'target-is-source', 'too-large', 'missing', 'cross-region'].includes(key) ? 'true' : undefined}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <Issues manifest={manifest} />
      {manifest.items.length === 0 ? (
        <p className="job-note">Nothing matches this source.</p>
      ) : (
        <div className="job-table-wrap">
          <table className="job-table" aria-label="Manifest">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Style</th>
                <th scope="col">Target</th>
                <th scope="col">Format</th>
                <th scope="col" className="num-col">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {manifest.items.map((row) => (
                <tr key={`${row.style}:${row.sourceKey}`} data-flagged={row.issues.length > 0 ? 'true' : undefined} title={row.issues.map((i) => `${i.code}: ${i.message}`).join('\n') || undefined}>
                  <td className="mono">{row.sourceKey}</td>
                  <td>{row.style}</td>
                  <td className="mono">
                    {row.targetKey}
                    {row.issues.map((i) => (
                      <span key={i.code} className="badge danger job-flag">
                        {i.code}
                      </span>
                    ))}
                  </td>
                  <td>{row.format || '—'}</td>
                  <td className="num-col">{row.sourceBytes > 0 ? formatBytes(row.sourceBytes) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manifest.omitted > 0 ? (
        <p className="job-note">
          Showing {manifest.items.length} of {summary.items} rows{flagged > 0 ? ', flagged rows first' : ''}.
        </p>
      ) : null}
    </section>
  )
}
