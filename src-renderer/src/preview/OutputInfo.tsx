/** The output info under the preview: the original's and the result's W × H, format, bytes and render time. */
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { formatNumber } from '../i18n/format'
import { useTranslation } from '../i18n'
import { formatBytes, formatMs } from '../ui/format'
import { WarningBadges } from '../sources/SampleGrid'
import type { Rendered } from './usePreview'
import type { Size } from './viewport'

/** `id` names the figure for tests and styles (`data-stat`); `label` is what the user reads. */
type Stat = readonly [id: string, label: string, value: React.ReactNode, pending?: boolean]

function Stats({ items }: { items: readonly Stat[] }) {
  return (
    <dl className="stats vstats">
      {items.map(([id, label, value, pending]) => (
        <div key={id} data-pending={pending ? 'true' : undefined}>
          <dt>{label}</dt>
          <dd data-stat={id}>{value}</dd>
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
  const { t } = useTranslation()
  const SIZE = ['size', t('preview.stats.size')] as const
  const FORMAT = ['format', t('preview.stats.format')] as const
  const BYTES = ['bytes', t('preview.stats.bytes')] as const
  const RENDER = ['render', t('preview.stats.render')] as const
  const beforeStats: Stat[] = b ? [[...SIZE, `${b.sourceWidth} × ${b.sourceHeight}`], [...FORMAT, (b.sourceFormat ?? b.format ?? '—').toUpperCase()], [...BYTES, formatBytes(b.sourceBytes)]] : []
  const afterStats: Stat[] = a
    ? a.kind === 'json'
      ? [
          [...FORMAT, 'JSON'],
          [...BYTES, formatBytes(a.bytes)],
          [...RENDER, formatMs(a.renderMs)]
        ]
      : [
          [...SIZE, outputSize ? `${outputSize.width} × ${outputSize.height}` : '…'],
          [...FORMAT, final ? (final.format ?? '—').toUpperCase() : '…', !final],
          [
            ...BYTES,
            final ? (
              <span title={t('preview.stats.exactBytes', { bytes: formatNumber(final.bytes) })} data-bytes={final.bytes}>
                {formatBytes(final.bytes)}
                <Delta bytes={final.bytes} sourceBytes={final.sourceBytes} />
              </span>
            ) : (
              '…'
            ),
            !final
          ],
          [...RENDER, final ? formatMs(final.renderMs) : '…', !final]
        ]
    : []

  return (
    <footer className="vinfo" hidden={hidden}>
      <section className="vinfo-block" aria-label={t('preview.labels.original')} data-testid="before">
        <header>
          <span className="vinfo-title">{t('preview.labels.original')}</span>
          <span className="pane-sub mono" title={label}>
            {label}
          </span>
        </header>
        <Stats items={beforeStats} />
      </section>
      <section className="vinfo-block" aria-label={t('preview.labels.processed')} data-testid="after">
        <header>
          <span className="vinfo-title">{t('preview.labels.processed')}</span>
          <span className="pane-sub mono" title={process}>
            {error ? '' : (process ?? '')}
          </span>
        </header>
        {error ? (
          <p className="vinfo-note">{localError ? t('preview.fixString') : t('preview.noResultForString')}</p>
        ) : (
          <div role="status" aria-label={t('preview.stats.label')} aria-busy={busy} data-quality={final && upToDate ? 'final' : 'pending'} data-testid="output-info">
            <Stats items={afterStats} />
            {final && upToDate ? <WarningBadges rendered={final} label={t('preview.stats.warnings')} /> : null}
          </div>
        )}
      </section>
    </footer>
  )
}
