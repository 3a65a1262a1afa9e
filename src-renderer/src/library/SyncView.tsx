/**
 * "Sync with bucket": the library against the active profile's bucket, style by style
 * (`styles:diff`). Differing styles show both process strings with the differing parts marked;
 * each can be pushed or pulled, or the selected ones all at once. OSS's 50 styles per bucket are
 * checked before a push is sent.
 */
import { Fragment, useMemo, useState } from 'react'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { diffProcess, type DiffPart } from './diff'
import { StateBadge } from './StyleItem'
import { BUCKET_STYLE_LIMIT, loadDiff, pullStyles, pushStyles, useLibrary, type DiffState, type StyleDiff } from './store'
import { useAction } from './util'

const ORDER: Record<DiffState, number> = { different: 0, 'local-only': 1, 'bucket-only': 2, same: 3 }
const canPush = (e: StyleDiff) => e.state === 'local-only' || e.state === 'different'
const canPull = (e: StyleDiff) => e.state === 'bucket-only' || e.state === 'different'

function Parts({ parts, kind }: { parts: readonly DiffPart[]; kind: 'local' | 'bucket' }) {
  return (
    <code className="sync-process" data-side={kind}>
      {parts.map((part, i) =>
        part.changed ? (
          <mark key={i} className="sync-changed" data-side={kind}>
            {part.text}
          </mark>
        ) : (
          <Fragment key={i}>
            {part.text}
            {part.separator ? <wbr /> : null}
          </Fragment>
        )
      )}
    </code>
  )
}

function Contents({ entry }: { entry: StyleDiff }) {
  const diff = useMemo(() => (entry.local !== undefined && entry.bucket !== undefined ? diffProcess(entry.local, entry.bucket) : undefined), [entry.local, entry.bucket])
  if (diff) {
    return (
      <dl className="sync-diff" data-testid="sync-diff">
        <dt>Local</dt>
        <dd>
          <Parts parts={diff.left} kind="local" />
        </dd>
        <dt>Bucket</dt>
        <dd>
          <Parts parts={diff.right} kind="bucket" />
        </dd>
      </dl>
    )
  }
  const only = entry.local ?? entry.bucket
  return only === undefined ? null : (
    <code className="sync-process" title={only}>
      {only}
    </code>
  )
}

export function SyncView({ bucket, profileName }: { bucket: string | undefined; profileName: string | undefined }) {
  const sync = useLibrary((s) => s.sync)
  const action = useAction()
  // Unchecked names: everything that differs starts selected, new entries included.
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set())
  const [notice, setNotice] = useState<string | undefined>(undefined)
  const data = 'data' in sync ? sync.data : undefined
  const entries = useMemo(() => [...(data?.entries ?? [])].sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name)), [data])
  const open = entries.filter((e) => e.state !== 'same')
  const same = entries.filter((e) => e.state === 'same')
  const selected = open.filter((e) => !unchecked.has(e.name))
  const toPush = selected.filter(canPush).map((e) => e.name)
  const toPull = selected.filter(canPull).map((e) => e.name)
  const inBucket = entries.filter((e) => e.state !== 'local-only').length
  const newInBucket = selected.filter((e) => e.state === 'local-only').length
  const overLimit = inBucket + newInBucket > BUCKET_STYLE_LIMIT
  const where = bucket ?? 'the bucket'

  const run = async (label: string, work: () => Promise<unknown>, done: string) => {
    setNotice(undefined)
    if (await action.run(label, work)) setNotice(done)
  }
  const check = (name: string, on: boolean) =>
    setUnchecked((s) => {
      const next = new Set(s)
      if (on) next.delete(name)
      else next.add(name)
      return next
    })
  const plural = (n: number) => `${n} style${n === 1 ? '' : 's'}`

  let body: React.ReactNode
  if (sync.status === 'idle') body = <Empty icon="bucket" title="No active profile">Choose a profile to compare its bucket with the library.</Empty>
  else if (!data && sync.status === 'error') {
    body = (
      <div className="sync-pad">
        <ErrorCallout error={sync.error} title={`Could not read the styles of ${where}`}>
          <div style={{ marginTop: 10 }}>
            <button type="button" className="btn small" onClick={() => void loadDiff()}>
              Try again
            </button>
          </div>
        </ErrorCallout>
      </div>
    )
  } else if (!data) {
    body = (
      <div className="empty">
        <Spinner large label="Comparing with the bucket" />
      </div>
    )
  } else {
    body = (
      <>
        {sync.status === 'error' ? (
          <div className="sync-pad">
            <ErrorCallout error={sync.error} title="Could not compare again" />
          </div>
        ) : null}
        {open.length === 0 ? (
          <Empty icon="check" title={entries.length === 0 ? 'No styles on either side' : 'Everything is in sync'}>
            {entries.length === 0 ? 'Save a style, then push it here.' : `The library and ${where} hold the same ${plural(same.length)}.`}
          </Empty>
        ) : (
          <ul className="sync-list" aria-label="Differences">
            {open.map((entry) => (
              <li key={entry.name} className="sync-item" aria-label={entry.name} data-state={entry.state}>
                <div className="sync-row">
                  <input type="checkbox" className="style-check" aria-label={`Select ${entry.name}`} checked={!unchecked.has(entry.name)} onChange={(e) => check(entry.name, e.target.checked)} />
                  <span className="style-name" title={entry.name}>
                    {entry.name}
                  </span>
                  <StateBadge state={entry.state} />
                </div>
                <Contents entry={entry} />
                <div className="sync-actions">
                  {canPush(entry) ? (
                    <button type="button" className="btn small" aria-label={`Push ${entry.name}`} title={`Upload the library’s content to ${where}`} disabled={!!action.busy} onClick={() => void run('push', () => pushStyles([entry.name]), `Pushed ${entry.name} to ${where}.`)}>
                      Push ↑
                    </button>
                  ) : null}
                  {canPull(entry) ? (
                    <button type="button" className="btn small" aria-label={`Pull ${entry.name}`} title={`Take ${where}’s content into the library (a new version)`} disabled={!!action.busy} onClick={() => void run('pull', () => pullStyles([entry.name]), `Pulled ${entry.name} from ${where}.`)}>
                      Pull ↓
                    </button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
        {same.length > 0 ? (
          <p className="sync-same" data-testid="sync-same">
            <strong>In sync:</strong> {same.map((e) => e.name).join(', ')}
          </p>
        ) : null}
      </>
    )
  }

  return (
    <section className="sync" aria-label="Sync with bucket">
      <div className="sync-head">
        <div className="sync-where">
          <span className="sync-bucket mono" title={profileName ? `${profileName}: ${where}` : where}>
            {where}
          </span>
          {data ? (
            <span className="sync-count" data-over={inBucket > BUCKET_STYLE_LIMIT ? 'true' : undefined} title={`OSS allows ${BUCKET_STYLE_LIMIT} styles per bucket`}>
              {inBucket} of {BUCKET_STYLE_LIMIT} styles
            </span>
          ) : null}
        </div>
        <button type="button" className="btn ghost small" onClick={() => void loadDiff()} disabled={sync.status === 'loading'} title={`Compare the library with ${where} again`}>
          {sync.status === 'loading' && data ? <Spinner label="Comparing" /> : null}
          Compare again
        </button>
      </div>
      <div className="sync-body" aria-busy={sync.status === 'loading'}>
        {body}
      </div>
      {open.length > 0 ? (
        <div className="sync-footer">
          {overLimit ? (
            <p className="sync-warn" role="note">
              {where} would hold {inBucket + newInBucket} styles; OSS allows {BUCKET_STYLE_LIMIT} per bucket. Select fewer new styles.
            </p>
          ) : null}
          {action.busy ? (
            <p className="style-note" role="status">
              <Spinner label="Working" /> {action.busy === 'push' ? `Pushing to ${where}…` : `Pulling from ${where}…`}
            </p>
          ) : notice ? (
            <p className="style-note success" role="status">
              {notice}
            </p>
          ) : null}
          {action.failure ? <ErrorCallout error={action.failure.error} title={action.failure.label === 'push' ? `Not pushed to ${where}` : `Not pulled from ${where}`} /> : null}
          <div className="sync-buttons">
            <button type="button" className="btn small primary" disabled={toPush.length === 0 || overLimit || !!action.busy} title={`Push the ${plural(toPush.length)} selected that the bucket lacks or holds differently`} onClick={() => void run('push', () => pushStyles(toPush), `Pushed ${plural(toPush.length)} to ${where}.`)}>
              Push all ({toPush.length})
            </button>
            <button type="button" className="btn small" disabled={toPull.length === 0 || !!action.busy} title={`Pull the ${plural(toPull.length)} selected that the library lacks or holds differently`} onClick={() => void run('pull', () => pullStyles(toPull), `Pulled ${plural(toPull.length)} from ${where}.`)}>
              Pull all ({toPull.length})
            </button>
          </div>
        </div>
      ) : null}
    </section>
  )
}
