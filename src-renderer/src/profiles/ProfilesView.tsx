/** Connection profiles: list (kind, endpoint, bucket, masked key id, broken state), test, use, edit, delete. */
import { useState } from 'react'
import type { ErrorInfo, ProfileSummary } from '../../../src-shared/ipc/contract'
import { errorInfoOf } from '../ipc/client'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { formatMs } from '../ui/format'
import { Icon } from '../ui/Icon'
import { ProfileForm } from './ProfileForm'
import { SecretsNotice } from './SecretsNotice'

type Editing = { readonly mode: 'none' } | { readonly mode: 'create' } | { readonly mode: 'edit'; readonly id: string }

function TestResult({ id }: { id: string }) {
  const test = useStudio((s) => s.tests[id])
  if (!test) return null
  if (test.status === 'running') {
    return (
      <div className="card-result success" style={{ color: 'var(--text-2)' }}>
        <Spinner label="Testing the connection" /> Testing connection…
      </div>
    )
  }
  const { result } = test
  return (
    <div className="card-result" data-testid="test-result">
      {result.ok ? (
        <div className="success" role="status">
          <Icon name="check" /> Connected · <span data-testid="latency">{formatMs(result.latencyMs)}</span>
          {result.bucketCount !== undefined ? ` · ${result.bucketCount} buckets` : ''}
        </div>
      ) : (
        <ErrorCallout error={result.error} title="Connection failed" />
      )}
    </div>
  )
}

function ProfileCard({ profile, active, selected, onEdit, onDeleted }: { profile: ProfileSummary; active: boolean; selected: boolean; onEdit: () => void; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined)
  const testing = useStudio((s) => s.tests[profile.id]?.status === 'running')
  const sandbox = profile.kind === 'sandbox'

  const act = async (work: () => Promise<void>) => {
    setBusy(true)
    setFailure(undefined)
    try {
      await work()
    } catch (error) {
      setFailure(errorInfoOf(error))
    } finally {
      setBusy(false)
    }
  }

  const facts: [string, string][] = []
  if (profile.endpoint) facts.push(['Endpoint', profile.endpoint])
  else if (sandbox) facts.push(['Endpoint', 'starts on first use'])
  if (profile.region) facts.push(['Region', profile.region])
  if (profile.bucket) facts.push(['Bucket', profile.bucket])
  if (profile.maskedAccessKeyId) facts.push(['AccessKey ID', profile.maskedAccessKeyId])
  if (profile.hasStsToken) facts.push(['STS token', 'yes'])
  if (profile.customDomain) facts.push(['Domain', profile.customDomain])

  return (
    <li className="card" data-active={active ? 'true' : undefined} data-selected={selected ? 'true' : undefined} data-profile-id={profile.id} aria-label={profile.name}>
      <div className="card-head">
        <span className="card-name">{profile.name}</span>
        {active ? <span className="badge accent">Active</span> : null}
        <span className="badge">{sandbox ? 'Sandbox' : 'OSS'}</span>
      </div>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd className={label === 'AccessKey ID' || label === 'Endpoint' ? 'mono' : undefined} title={value} data-fact={label}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {profile.broken ? (
        <div className="broken" role="note">
          <strong>Cannot be used:</strong> {profile.broken}
        </div>
      ) : null}
      <div className="card-actions">
        {!active && !profile.broken ? (
          <button type="button" className="btn small primary" disabled={busy} onClick={() => void act(() => useStudio.getState().setActive(profile.id))}>
            Use
          </button>
        ) : null}
        {!profile.broken ? (
          <button type="button" className="btn small" disabled={testing} onClick={() => void useStudio.getState().testProfile(profile.id)}>
            <Icon name="plug" /> Test connection
          </button>
        ) : null}
        {!sandbox ? (
          <button type="button" className="btn small" onClick={onEdit} disabled={busy}>
            Edit
          </button>
        ) : null}
        {!sandbox ? (
          <button type="button" className="btn small danger" onClick={() => setConfirming(true)} disabled={busy || confirming}>
            Delete
          </button>
        ) : null}
      </div>
      {confirming ? (
        <div className="confirm" role="alertdialog" aria-label={`Delete ${profile.name}?`}>
          <span>
            Delete <strong>{profile.name}</strong> and its stored credentials?
          </span>
          <button type="button" className="btn small" onClick={() => setConfirming(false)} disabled={busy}>
            Keep
          </button>
          <button
            type="button"
            className="btn small danger solid"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                await useStudio.getState().deleteProfile(profile.id)
                onDeleted()
              })
            }
          >
            Delete
          </button>
        </div>
      ) : null}
      {failure ? (
        <div className="card-result">
          <ErrorCallout error={failure} />
        </div>
      ) : null}
      <TestResult id={profile.id} />
    </li>
  )
}

export function ProfilesView() {
  const profiles = useStudio((s) => s.profiles)
  const activeId = useStudio((s) => s.activeId)
  const [editing, setEditing] = useState<Editing>({ mode: 'none' })
  const list = 'data' in profiles && profiles.data ? profiles.data.list : []
  const editedProfile = editing.mode === 'edit' ? list.find((p) => p.id === editing.id) : undefined

  return (
    <div className="profiles-view">
      <section className="panel sidebar" aria-label="Profiles">
        <div className="panel-header">
          <span className="panel-title" style={{ flex: 1 }}>
            Profiles
          </span>
          <button type="button" className="btn small primary" onClick={() => setEditing({ mode: 'create' })}>
            <Icon name="plus" /> New profile
          </button>
        </div>
        <div className="panel-body">
          <SecretsNotice />
          {profiles.status === 'error' ? (
            <div style={{ padding: 12 }}>
              <ErrorCallout error={profiles.error} title="Could not read the profiles">
                <div style={{ marginTop: 10 }}>
                  <button type="button" className="btn small" onClick={() => void useStudio.getState().loadProfiles()}>
                    Try again
                  </button>
                </div>
              </ErrorCallout>
            </div>
          ) : list.length === 0 ? (
            <Empty icon="key" title="Loading profiles…" />
          ) : (
            <ul className="profile-list">
              {list.map((profile) => (
                <ProfileCard
                  key={profile.id}
                  profile={profile}
                  active={profile.id === activeId}
                  selected={editing.mode === 'edit' && editing.id === profile.id}
                  onEdit={() => setEditing({ mode: 'edit', id: profile.id })}
                  onDeleted={() => setEditing((e) => (e.mode === 'edit' && e.id === profile.id ? { mode: 'none' } : e))}
                />
              ))}
            </ul>
          )}
        </div>
      </section>
      <div className="detail">
        {editing.mode === 'none' || (editing.mode === 'edit' && !editedProfile) ? (
          <Empty icon="key" title="Connection profiles">
            <p style={{ maxWidth: 420, margin: '4px 0 14px' }}>
              The <strong>Local sandbox</strong> works offline with sample images. Add a profile to preview images from your own OSS bucket; its secret is encrypted on this machine and stays in the main process.
            </p>
            <button type="button" className="btn primary" onClick={() => setEditing({ mode: 'create' })}>
              <Icon name="plus" /> New profile
            </button>
          </Empty>
        ) : (
          <ProfileForm key={editing.mode === 'edit' ? editing.id : 'create'} profile={editedProfile} onDone={() => setEditing({ mode: 'none' })} />
        )}
      </div>
    </div>
  )
}
