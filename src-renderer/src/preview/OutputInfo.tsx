/** The output info under the preview: the original's and the result's W × H, format, bytes and render time. */
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { formatBytes, formatMs } from '../ui/format'
import { WarningBadges } from '../sources/SampleGrid'
import type { Rendered } from './usePreview'
import type { Size } from './viewport'

type Stat = readonly [label: string, value: React.ReactNode, pending?: boolean]

function Stats({ items }: { items: readonly Stat[] }) {
  return (
    <dl className="stats vstats">
      {items.map(([label, value, pending]) => (
        <div key={label} data-pending={pending ? 'true' : undefined}>
          <dt>{label}</dt>
          <dd data-stat={label.toLowerCase()}>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function Delta({ bytes, sourceBytes }: { bytes: number; sourceBytes: number }) {
  if (!(sourceBytes > 0)) return null
  const smaller = bytes <= sourceBytes
  const percent = Math.abs(Math.round((1 - bytes / sourceBytes) * 100))
  return <span className={smaller ? 'delta-down' : 'delta-up'}>{` (${smaller ? '−' : '+'}${percent}%)`}</span>
}

interface OutputInfoProps {
  readonly hidden: boolean
  /** The source's name. */
  readonly label: string
  readonly before: Rendered | undefined
  /** The frame shown (interactive or final). */
  readonly after: Rendered | undefined
  /** The final answer for that frame: every figure but W × H comes from it. */
  readonly final: Rendered | undefined
  readonly upToDate: boolean
  readonly busy: boolean
  readonly process: string | undefined
  readonly outputSize: Size | undefined
  readonly error: ErrorInfo | undefined
  /** The error is the parser's (the string itself is wrong), not main's. */
  readonly localError: boolean
}

export function OutputInfo({ hidden, label, before: b, after: a, final, upToDate, busy, process, outputSize, error, localError }: OutputInfoProps) {
  const beforeStats: Stat[] = b ? [['Size', `${b.sourceWidth} × ${b.sourceHeight}`], ['Format', (b.sourceFormat ?? b.format ?? '—').toUpperCase()], ['Bytes', formatBytes(b.sourceBytes)]] : []
  const afterStats: Stat[] = a
    ? a.kind === 'json'
      ? [
          ['Format', 'JSON'],
          ['Bytes', formatBytes(a.bytes)],
          ['Render', formatMs(a.renderMs)]
        ]
      : [
          ['Size', outputSize ? `${outputSize.width} × ${outputSize.height}` : '…'],
          ['Format', final ? (final.format ?? '—').toUpperCase() : '…', !final],
          [
            'Bytes',
            final ? (
              <span title={`${final.bytes.toLocaleString()} bytes`} data-bytes={final.bytes}>
                {formatBytes(final.bytes)}
                <Delta bytes={final.bytes} sourceBytes={final.sourceBytes} />
              </span>
            ) : (
              '…'
            ),
            !final
          ],
          ['Render', final ? formatMs(final.renderMs) : '…', !final]
        ]
    : []

  return (
    <footer className="vinfo" hidden={hidden}>
      <section className="vinfo-block" aria-label="Original" data-testid="before">
        <header>
          <span className="vinfo-title">Original</span>
          <span className="pane-sub mono" title={label}>
            {label}
          </span>
        </header>
        <Stats items={beforeStats} />
      </section>
      <section className="vinfo-block" aria-label="Processed" data-testid="after">
        <header>
          <span className="vinfo-title">Processed</span>
          <span className="pane-sub mono" title={process}>
            {error ? '' : (process ?? '')}
          </span>
        </header>
        {error ? (
          <p className="vinfo-note">{localError ? 'Fix the process string above to see the result.' : 'No result for this string: see the error above.'}</p>
        ) : (
          <div role="status" aria-label="Output info" aria-busy={busy} data-quality={final && upToDate ? 'final' : 'pending'} data-testid="output-info">
            <Stats items={afterStats} />
            {final && upToDate ? <WarningBadges rendered={final} label="Warnings" /> : null}
          </div>
        )}
      </section>
    </footer>
  )
}
