/**
 * The process box and the live before/after comparison of the selected object: output size,
 * format, bytes and render time; OSS's error (code, EC, request id) with its span highlighted.
 */
import { useMemo } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { isImgError } from '../../../src-shared/img/errors'
import { parseProcess } from '../../../src-shared/img/process'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { formatBytes, formatMs } from '../ui/format'
import { ProcessBox } from './ProcessBox'
import { usePreview, type PreviewState } from './usePreview'

/** The original, upright (OSS applies EXIF orientation by default) and scaled for display. */
const ORIGINAL_PROCESS = 'image/auto-orient,1'

/** The shared parser gives OSS's own answer at once; main re-validates and renders. */
function validate(process: string): ErrorInfo | undefined {
  try {
    parseProcess(process)
    return undefined
  } catch (error) {
    if (!isImgError(error)) return { code: 'InvalidArgument', message: String(error) }
    return { code: error.code, status: error.status, message: error.message, ...(error.ec ? { ec: error.ec } : {}), ...(error.span ? { span: error.span } : {}) }
  }
}

function Stats({ items }: { items: readonly (readonly [string, React.ReactNode])[] }) {
  return (
    <dl className="stats">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd data-stat={label.toLowerCase()}>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

interface PaneProps {
  readonly title: string
  readonly subtitle?: string | undefined
  readonly testId: string
  readonly preview: PreviewState
  readonly error?: ErrorInfo | undefined
  /** Shown instead of any result (e.g. the process string has an error). */
  readonly blocked?: string | undefined
  readonly stats: readonly (readonly [string, React.ReactNode])[]
}

function Pane({ title, subtitle, testId, preview, error, blocked, stats }: PaneProps) {
  const result = preview.result
  let content: React.ReactNode
  if (blocked) {
    content = (
      <Empty icon="alert" title="No result">
        {blocked}
      </Empty>
    )
  } else if (error) {
    content = <ErrorCallout error={error} title={title === 'Original' ? 'Could not load the original' : undefined} />
  } else if (result?.rendered.kind === 'json') {
    content = <pre data-testid={`${testId}-json`}>{formatJson(result.rendered.data)}</pre>
  } else if (result?.url) {
    content = <img src={result.url} alt={`${title} preview`} data-testid={`${testId}-image`} />
  } else if (preview.busy) {
    content = <Spinner large label={`Rendering ${title.toLowerCase()}`} />
  } else {
    content = null
  }
  return (
    <section className="pane" aria-label={title} data-testid={testId}>
      <header className="pane-header">
        <span className="pane-title">{title}</span>
        {subtitle ? <span className="pane-sub mono">{subtitle}</span> : null}
      </header>
      <div className="stage" data-busy={preview.busy && result ? 'true' : undefined}>
        {content}
        {preview.busy && !blocked && (result || error) ? (
          <span className="stage-overlay">
            <Spinner label="Rendering" /> Rendering…
          </span>
        ) : null}
      </div>
      <Stats items={error || blocked ? [] : stats} />
    </section>
  )
}

function formatJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

export function PreviewPanel() {
  const activeId = useStudio((s) => s.activeId)
  const selectedKey = useStudio((s) => s.selectedKey)
  const process = useStudio((s) => s.process)
  const setProcess = useStudio((s) => s.setProcess)
  const listingFailed = useStudio((s) => s.listing.status === 'error' && !('data' in s.listing && s.listing.data))
  const listingLoading = useStudio((s) => s.listing.status === 'loading' || s.listing.status === 'idle')

  const localError = useMemo(() => validate(process), [process])
  const before = usePreview(activeId, selectedKey, ORIGINAL_PROCESS, 0)
  const after = usePreview(activeId, selectedKey, localError ? undefined : process, 250)

  // The error to show for the current text: the parser's at once, else main's for this exact text.
  const afterError = localError ?? (after.error && after.errorProcess === process ? after.error : undefined)
  const b = before.result?.rendered
  const a = after.result?.rendered

  const beforeStats: [string, React.ReactNode][] = b
    ? [
        ['Size', `${b.sourceWidth} × ${b.sourceHeight}`],
        ['Format', (b.format ?? '—').toUpperCase()],
        ['Bytes', formatBytes(b.sourceBytes)]
      ]
    : []
  const afterStats: [string, React.ReactNode][] = a
    ? [
        ...(a.kind === 'image' ? ([['Size', `${a.width ?? '?'} × ${a.height ?? '?'}`]] as [string, React.ReactNode][]) : []),
        ['Format', a.kind === 'json' ? 'JSON' : (a.format ?? '—').toUpperCase()],
        [
          'Bytes',
          <>
            {formatBytes(a.bytes)}
            {a.sourceBytes > 0 && a.kind === 'image' ? (
              <span className={a.bytes <= a.sourceBytes ? 'delta-down' : 'delta-up'}>{` (${a.bytes <= a.sourceBytes ? '−' : '+'}${Math.abs(Math.round((1 - a.bytes / a.sourceBytes) * 100))}%)`}</span>
            ) : null}
          </>
        ],
        ['Render', formatMs(a.renderMs)]
      ]
    : []

  return (
    <section className="editor" aria-label="Preview">
      <div className="process-bar">
        <ProcessBox value={process} onChange={setProcess} error={afterError} />
        {afterError ? (
          <div className="process-error" id="process-error" data-testid="process-error">
            <ErrorCallout error={afterError} />
          </div>
        ) : null}
      </div>
      {!selectedKey ? (
        listingLoading ? (
          <div className="empty">
            <Spinner large label="Loading the bucket" />
          </div>
        ) : listingFailed ? (
          <Empty icon="bucket" title="Nothing to preview">
            The bucket could not be listed; the error is shown on the left.
          </Empty>
        ) : (
          <Empty icon="image" title="No image selected">
            Choose an image in the bucket to preview the process on it.
          </Empty>
        )
      ) : (
        <div className="compare">
          <Pane title="Original" subtitle={selectedKey} testId="before" preview={before} error={before.error} stats={beforeStats} />
          <Pane
            title="Processed"
            subtitle={afterError ? undefined : after.result?.process}
            testId="after"
            preview={after}
            blocked={afterError ? 'Fix the process string above to see the result.' : undefined}
            stats={afterStats}
          />
        </div>
      )}
    </section>
  )
}
