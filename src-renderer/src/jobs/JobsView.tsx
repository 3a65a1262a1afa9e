/**
 * The Jobs view: bulk derivatives running in main. A list of jobs with their state and progress,
 * and the selected job — progress bar with rate and ETA, counts, pause / resume / cancel, retry
 * failed, dry run, CSV report, remove, the live failure list — or the "New job" form. Jobs keep
 * running when the page reloads or the window closes; opening the view shows them as they are.
 */
import { useEffect, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf } from '../ipc/client'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { formatBytes, formatDate } from '../ui/format'
import { Icon } from '../ui/Icon'
import { ManifestView } from './ManifestView'
import { NewJobForm } from './NewJobForm'
import { useJobs, type Failure, type Job } from './store'

const ACTIVE = new Set(['planning', 'running', 'pausing', 'paused', 'cancelling'])
const STATE_LABEL: Readonly<Record<Job['state'], string>> = {
  created: 'Created',
  planning: 'Listing',
  running: 'Running',
  pausing: 'Pausing',
  paused: 'Paused',
  cancelling: 'Cancelling',
  cancelled: 'Cancelled',
  finished: 'Finished',
  error: 'Error',
  interrupted: 'Interrupted'
}

function stateTone(job: Job): string {
  if (job.state === 'error' || (job.state === 'finished' && job.counts.failed > 0)) return 'danger'
  if (job.state === 'finished') return 'ok'
  if (job.state === 'running' || job.state === 'planning') return 'accent'
  return ''
}

function jobTitle(job: Job): string {
  return job.name ?? (job.spec.source.kind === 'bucket' ? `${job.spec.source.bucket}/${job.spec.source.prefix}` : `Job ${job.id.slice(0, 8)}`)
}

/** Whole seconds as `42 s`, `3 min 05 s`, `1 h 12 min`. */
function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
}

function shares(job: Job) {
  const { total, done, skipped, failed } = job.counts
  const finished = done + skipped + failed
  const of = (n: number) => (total > 0 ? (n / total) * 100 : 0)
  const percent = total > 0 ? Math.floor((finished / total) * 100) : job.state === 'finished' ? 100 : 0
  return { finished, percent, done: of(done), skipped: of(skipped), failed: of(failed) }
}

function Bar({ job, label }: { job: Job; label?: string }) {
  const share = shares(job)
  const a11y = label
    ? { role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': share.percent, 'aria-valuetext': `${share.percent} % — ${share.finished} of ${job.counts.total} items` }
    : { 'aria-hidden': true }
  return (
    <div className={label ? 'job-bar' : 'job-bar mini'} data-state={job.state} {...a11y}>
      <span className="job-bar-done" style={{ width: `${share.done}%` }} />
      <span className="job-bar-skipped" style={{ width: `${share.skipped}%` }} />
      <span className="job-bar-failed" style={{ width: `${share.failed}%` }} />
    </div>
  )
}

function JobRow({ job, selected }: { job: Job; selected: boolean }) {
  const { percent } = shares(job)
  return (
    <li>
      <button type="button" className="job-row" aria-current={selected ? 'true' : undefined} data-job-id={job.id} onClick={() => useJobs.getState().select(job.id)}>
        <span className="job-row-head">
          <span className="job-row-name">{jobTitle(job)}</span>
          <span className={`badge ${stateTone(job)}`} data-testid="job-state">
            {STATE_LABEL[job.state]}
          </span>
        </span>
        <Bar job={job} />
        <span className="job-row-meta">
          <span>
            {job.counts.done + job.counts.skipped + job.counts.failed} / {job.counts.total} · {percent} %
          </span>
          {job.counts.failed > 0 ? <span className="job-row-failed">{job.counts.failed} failed</span> : null}
          <span className="grow" />
          <span>{formatDate(job.createdAt)}</span>
        </span>
      </button>
    </li>
  )
}

function FailureList({ failures, total }: { failures: readonly Failure[] | undefined; total: number }) {
  if (total === 0 && (!failures || failures.length === 0)) return null
  return (
    <section className="job-section" aria-labelledby="job-failures-title">
      <h3 id="job-failures-title" className="job-section-title">
        Failures <span className="badge danger">{total}</span>
      </h3>
      {failures === undefined ? (
        <Spinner label="Loading the failures" />
      ) : (
        <div className="job-table-wrap">
          <table className="job-table" aria-label="Failures">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Style</th>
                <th scope="col">Code</th>
                <th scope="col">EC</th>
                <th scope="col">Message</th>
                <th scope="col" className="num-col">
                  Attempts
                </th>
              </tr>
            </thead>
            <tbody>
              {failures.map((f) => (
                <tr key={`${f.style}:${f.sourceKey}`}>
                  <td className="mono">{f.sourceKey}</td>
                  <td>{f.style}</td>
                  <td className="mono job-code">{f.error?.code ?? '—'}</td>
                  <td className="mono">{f.error?.ec ?? '—'}</td>
                  <td className="job-message">
                    {f.error?.message ?? ''}
                    {f.error?.requestId ? <span className="job-request-id">Request ID {f.error.requestId}</span> : null}
                  </td>
                  <td className="num-col">{f.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {failures !== undefined && total > failures.length ? <p className="job-note">Showing {failures.length} of {total}; the CSV report has them all.</p> : null}
    </section>
  )
}

async function download(job: Job): Promise<void> {
  const csv = await useJobs.getState().reportCsv(job.id)
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = `${jobTitle(job).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'job'}-report.csv`
  document.body.append(a)
  a.click()
  a.remove()
  // The download has taken its copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Items in flight: applied at once to a running job (the runner starts more or lets some finish), kept for later runs. */
function ConcurrencyField({ job, busy }: { job: Job; busy: boolean }) {
  const [text, setText] = useState(job.concurrency !== undefined ? String(job.concurrency) : '')
  useEffect(() => setText(job.concurrency !== undefined ? String(job.concurrency) : ''), [job.concurrency])
  const value = Number(text)
  const valid = /^\d+$/.test(text) && value >= 1 && value <= 256
  const apply = () => {
    if (valid && value !== job.concurrency) void useJobs.getState().setConcurrency(job.id, value)
  }
  return (
    <span className="job-concurrency">
      <input
        id={`concurrency-${job.id}`}
        className="input"
        inputMode="numeric"
        value={text}
        placeholder="default"
        aria-invalid={text !== '' && !valid ? 'true' : undefined}
        title="1–256 items at a time"
        onChange={(e) => setText(e.target.value.trim())}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply()
        }}
      />
      <button type="button" className="btn small" disabled={!valid || value === job.concurrency || busy} onClick={apply}>
        Set
      </button>
    </span>
  )
}

function JobDetail({ job }: { job: Job }) {
  const busy = useJobs((s) => s.busy[job.id])
  const failure = useJobs((s) => s.errors[job.id])
  const failures = useJobs((s) => s.failures[job.id])
  const dryRun = useJobs((s) => s.dryRuns[job.id])
  const [confirming, setConfirming] = useState(false)
  const [exportError, setExportError] = useState<ErrorInfo | undefined>(undefined)
  const [exporting, setExporting] = useState(false)
  const { state, counts, progress, spec } = job
  const active = ACTIVE.has(state)
  const share = shares(job)
  const act = (action: Parameters<ReturnType<typeof useJobs.getState>['act']>[1]) => void useJobs.getState().act(job.id, action)
  const running = state === 'running' || state === 'planning'

  const source = spec.source.kind === 'bucket' ? `${spec.source.bucket}/${spec.source.prefix}` : spec.source.kind === 'keys' ? `${spec.source.bucket} (${spec.source.keys} keys)` : spec.source.kind === 'inventory' ? `${spec.source.bucket} inventory ${spec.source.manifest}${spec.source.prefix ? ` (${spec.source.prefix})` : ''}` : spec.source.dir
  const filters = spec.source.kind === 'keys' ? [] : [...(spec.source.suffixes ?? []), ...(spec.source.pattern ? [`/${spec.source.pattern}/`] : [])]
  const facts: [string, string][] = [
    ['Source', source + (filters.length > 0 ? `  ·  ${filters.join(' ')}` : '')],
    ['Target', spec.target.kind === 'bucket' ? `${spec.target.bucket} (on OSS)` : `${spec.target.dir} (this machine)`],
    ['Template', spec.template],
    ['If it exists', spec.conflict === 'overwrite' ? 'overwrite' : 'skip']
  ]

  return (
    <article className="job-detail" aria-label={`Job ${jobTitle(job)}`} data-job-id={job.id}>
      <header className="job-head">
        <div className="job-head-main">
          <h2>{jobTitle(job)}</h2>
          <div className="job-head-sub">
            <span className={`badge ${stateTone(job)}`} data-testid="job-state">
              {STATE_LABEL[state]}
            </span>
            <span>{spec.mode === 'server' ? 'Server-side (processObjectSave)' : 'Local engine'}</span>
            <span>Created {formatDate(job.createdAt)}</span>
          </div>
        </div>
        <div className="job-actions">
          {state === 'created' ? (
            <button type="button" className="btn primary" disabled={!!busy} onClick={() => act('start')}>
              Start
            </button>
          ) : null}
          {running ? (
            <button type="button" className="btn" disabled={!!busy} onClick={() => act('pause')}>
              Pause
            </button>
          ) : null}
          {state === 'paused' || state === 'pausing' || state === 'cancelled' || state === 'interrupted' ? (
            <button type="button" className="btn primary" disabled={!!busy} onClick={() => act('resume')}>
              Resume
            </button>
          ) : null}
          {active ? (
            <button type="button" className="btn danger" disabled={!!busy || state === 'cancelling'} onClick={() => act('cancel')}>
              Cancel
            </button>
          ) : null}
          {!active && counts.failed > 0 ? (
            <button type="button" className="btn" disabled={!!busy} onClick={() => act('retry')}>
              Retry failed
            </button>
          ) : null}
        </div>
      </header>

      {failure ? <ErrorCallout error={failure} /> : null}
      {state === 'error' && job.error ? <ErrorCallout error={job.error} title="The run stopped" /> : null}

      <section className="job-section" aria-label="Progress">
        <Bar job={job} label="Progress" />
        <div className="job-progress-line">
          <strong data-testid="job-percent">{share.percent} %</strong>
          <span>
            {share.finished} of {counts.total} items
          </span>
          {running && progress ? (
            <>
              <span data-testid="job-rate">{progress.rate >= 10 ? progress.rate.toFixed(0) : progress.rate.toFixed(1)} items/s</span>
              <span data-testid="job-eta">{progress.etaSeconds === null ? 'ETA —' : `ETA ${formatEta(progress.etaSeconds)}`}</span>
              {progress.throttled > 0 ? (
                <span data-testid="job-throttled">
                  OSS asked to slow down {progress.throttled}× · {progress.concurrency} in flight
                </span>
              ) : null}
            </>
          ) : null}
          {state === 'planning' ? <span>Listing the source…</span> : null}
        </div>
        <dl className="stats job-stats" data-testid="job-counts">
          <div data-stat="done">
            <dt>Done</dt>
            <dd>{counts.done}</dd>
          </div>
          <div data-stat="skipped">
            <dt>Skipped</dt>
            <dd>{counts.skipped}</dd>
          </div>
          <div data-stat="failed" data-warn={counts.failed > 0 ? 'true' : undefined}>
            <dt>Failed</dt>
            <dd>{counts.failed}</dd>
          </div>
          <div data-stat="pending">
            <dt>Pending</dt>
            <dd>{Math.max(0, counts.total - share.finished)}</dd>
          </div>
          {progress && active ? (
            <div data-stat="in-flight">
              <dt>In flight</dt>
              <dd>{progress.inFlight}</dd>
            </div>
          ) : null}
          {progress && progress.retries > 0 ? (
            <div data-stat="retries">
              <dt>Retries</dt>
              <dd>{progress.retries}</dd>
            </div>
          ) : null}
          {progress && progress.bytes > 0 ? (
            <div data-stat="bytes">
              <dt>Written</dt>
              <dd>{formatBytes(progress.bytes)}</dd>
            </div>
          ) : null}
        </dl>
      </section>

      <section className="job-section" aria-label="Job settings">
        <dl className="facts job-facts">
          {facts.map(([label, value]) => (
            <div key={label} style={{ display: 'contents' }}>
              <dt>{label}</dt>
              <dd className={label === 'Template' || label === 'Source' || label === 'Target' ? 'mono' : undefined} title={value}>
                {value}
              </dd>
            </div>
          ))}
          <dt>
            <label htmlFor={`concurrency-${job.id}`}>Concurrency</label>
          </dt>
          <dd>
            <ConcurrencyField job={job} busy={busy === 'concurrency'} />
          </dd>
          <dt>Styles</dt>
          <dd>
            <ul className="job-styles">
              {spec.styles.map((s) => (
                <li key={s.label}>
                  <span className="chip job-style-chip">{s.label}</span> <code>{s.process}</code>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      </section>

      <FailureList failures={failures} total={counts.failed} />

      {dryRun?.status === 'done' ? (
        <div className="job-section">
          <h3 className="job-section-title">Dry run</h3>
          <ManifestView manifest={dryRun.manifest} />
        </div>
      ) : null}
      {dryRun?.status === 'error' ? <ErrorCallout error={dryRun.error} title="The dry run failed" /> : null}
      {exportError ? <ErrorCallout error={exportError} title="Could not export the report" /> : null}

      <footer className="job-footer">
        <button type="button" className="btn" disabled={dryRun?.status === 'running'} onClick={() => void useJobs.getState().dryRunJob(job.id)}>
          {dryRun?.status === 'running' ? <Spinner label="Listing the source" /> : null}
          Dry run
        </button>
        <button
          type="button"
          className="btn"
          disabled={exporting || state === 'created'}
          onClick={() => {
            setExporting(true)
            setExportError(undefined)
            download(job)
              .catch((error: unknown) => setExportError(errorInfoOf(error)))
              .finally(() => setExporting(false))
          }}
        >
          Export report
        </button>
        <span className="grow" />
        {confirming ? (
          <span className="confirm job-confirm" role="alertdialog" aria-label="Remove this job?">
            <span>Remove this job and its journal? Written targets stay.</span>
            <button type="button" className="btn small" onClick={() => setConfirming(false)}>
              Keep
            </button>
            <button type="button" className="btn small danger solid" disabled={!!busy} onClick={() => act('remove')}>
              Remove
            </button>
          </span>
        ) : (
          <button type="button" className="btn danger" disabled={active} title={active ? 'Cancel it first' : undefined} onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </footer>
    </article>
  )
}

export function JobsView() {
  const jobs = useJobs((s) => s.jobs)
  const loaded = useJobs((s) => s.loaded)
  const listError = useJobs((s) => s.listError)
  const selected = useJobs((s) => s.selected)
  const job = jobs.find((j) => j.id === selected)

  useEffect(() => {
    void useJobs.getState().open()
  }, [])

  return (
    <div className="jobs-view">
      <section className="panel sidebar" aria-label="Jobs">
        <div className="panel-header">
          <span className="panel-title" style={{ flex: 1 }}>
            Jobs
          </span>
          <button type="button" className="btn small primary" onClick={() => useJobs.getState().select('new')}>
            <Icon name="plus" /> New job
          </button>
        </div>
        <div className="panel-body">
          {listError ? (
            <div style={{ padding: 12 }}>
              <ErrorCallout error={listError} title="Could not list the jobs" />
            </div>
          ) : !loaded ? (
            <Empty icon="refresh" title="Loading jobs…" />
          ) : jobs.length === 0 ? (
            <Empty icon="image" title="No jobs yet">
              <p className="job-empty-text">Create one to turn a whole prefix into thumbnails, WebP copies or watermarked versions.</p>
            </Empty>
          ) : (
            <ul className="job-list" aria-label="Job list">
              {jobs.map((j) => (
                <JobRow key={j.id} job={j} selected={j.id === selected} />
              ))}
            </ul>
          )}
        </div>
      </section>
      <div className="detail">
        {selected === 'new' ? (
          <NewJobForm onCancel={() => useJobs.getState().select(jobs[0]?.id)} />
        ) : job ? (
          <JobDetail key={job.id} job={job} />
        ) : (
          <Empty icon="image" title="Bulk derivatives">
            <p className="job-empty-text">
              Jobs run in the studio’s main process with a journal: they survive a page reload, resume after a crash without redoing finished items, and end with a report.
            </p>
            <button type="button" className="btn primary" onClick={() => useJobs.getState().select('new')}>
              <Icon name="plus" /> New job
            </button>
          </Empty>
        )}
      </div>
    </div>
  )
}
