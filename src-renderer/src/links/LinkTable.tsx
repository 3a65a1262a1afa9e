/**
 * The link matrix: a row per object, a column per style; each cell the URL (a link), and once
 * checked its status, content type, bytes and OSS's error code. Copy a row or a column; "Failed
 * only" keeps the rows with a failed cell and blanks the cells that passed.
 */
import type { LinkCheck } from '../../../src-shared/model/links'
import { isFailedCheck } from '../../../src-shared/model/links'
import { formatBytes } from '../ui/format'
import type { Built } from './store'

function CheckBadge({ check }: { check: LinkCheck | undefined }) {
  if (!check) return null
  const failed = isFailedCheck(check)
  const status = check.status < 0 ? 'no answer' : String(check.status)
  return (
    <span className="link-check" data-failed={failed ? 'true' : 'false'} title={check.message}>
      <strong>{status}</strong>
      {failed ? (
        <>
          {' '}
          <span className="error-code">{check.code ?? 'Error'}</span>
          {check.message ? <span className="link-check-message"> — {check.message}</span> : null}
        </>
      ) : (
        <span>
          {' '}
          · {check.contentType || '—'} · {formatBytes(check.bytes)}
        </span>
      )}
    </span>
  )
}

export function LinkTable({
  matrix,
  checks,
  failedOnly,
  onCopyRow,
  onCopyColumn
}: {
  matrix: Built
  checks: readonly (LinkCheck | undefined)[]
  failedOnly: boolean
  onCopyRow: (row: number) => void
  onCopyColumn: (column: number) => void
}) {
  const width = matrix.columns.length
  const rows = Array.from({ length: matrix.cells.length / width }, (_, row) => row)
  const failedRow = (row: number) => checks.slice(row * width, row * width + width).some(isFailedCheck)
  const shown = failedOnly ? rows.filter(failedRow) : rows
  return (
    <div className="link-table-wrap">
      <table className="link-table" aria-label="Link matrix">
        <thead>
          <tr>
            <th scope="col">Object</th>
            {matrix.columns.map((column, i) => (
              <th scope="col" key={`${i}-${column.label}`}>
                <div className="link-col-head">
                  <span className="mono" title={column.process}>
                    {column.label}
                  </span>
                  {column.width !== undefined ? <span className="link-width">{column.width}w</span> : null}
                  <button type="button" className="btn ghost small" aria-label={`Copy column ${column.label}`} onClick={() => onCopyColumn(i)}>
                    Copy
                  </button>
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => {
            const key = matrix.cells[row * width]!.key
            return (
              <tr key={key}>
                <th scope="row">
                  <div className="link-row-head">
                    <span className="mono">{key}</span>
                    <button type="button" className="btn ghost small" aria-label={`Copy row ${key}`} onClick={() => onCopyRow(row)}>
                      Copy
                    </button>
                  </div>
                </th>
                {matrix.columns.map((column, i) => {
                  const index = row * width + i
                  const cell = matrix.cells[index]!
                  const check = checks[index]
                  const hidden = failedOnly && !isFailedCheck(check)
                  return (
                    <td key={`${i}-${column.label}`} data-failed={isFailedCheck(check) ? 'true' : undefined} data-checked={check ? 'true' : undefined}>
                      {hidden ? null : (
                        <>
                          <a className="link-url mono" href={cell.url} target="_blank" rel="noreferrer" title={cell.url} aria-label={`${key} ${column.label} link`}>
                            {cell.url}
                          </a>
                          <CheckBadge check={check} />
                        </>
                      )}
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
