/** Connection profiles: list (kind, endpoint, bucket, masked key id, broken state), test, use, edit, delete. */
import { useState } from 'react'
import type { ErrorInfo, ProfileSummary } from '../../../src-shared/ipc/contract'
import { Trans, useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
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
  const { t } = useTranslation()
  const test = useStudio((s) => s.tests[id])
  if (!test) return null
  if (test.status === 'running') {
    return (
      <div className="card-result success" style={{ color: 'var(--text-2)' }}>
        <Spinner label={t('profiles.card.testing')} /> {t('profiles.card.testingText')}
      </div>
    )
  }
  const { result } = test
  return (
    <div className="card-result" data-testid="test-result">
      {result.ok ? (
        <div className="success" role="status">
          <Icon name="check" /> {t('profiles.card.connected')} · <span data-testid="latency">{formatMs(result.latencyMs)}</span>
          {result.bucketCount !== undefined ? t('profiles.card.buckets', { count: result.bucketCount }) : ''}
        </div>
      ) : (
        <ErrorCallout error={result.error} title={t('profiles.card.failed')} />
      )}
    </div>
  )
}

function ProfileCard({ profile, active, selected, onEdit, onDeleted }: { profile: ProfileSummary; active: boolean; selected: boolean; onEdit: () => void; onDeleted: () => void }) {
  const { t } = useTranslation()
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

  // [fact id (data-fact, stays English), label, value]
  const facts: [string, MessageKey, string][] = []
  if (profile.endpoint) facts.push(['Endpoint', 'profiles.card.facts.endpoint', profile.endpoint])
  else if (sandbox) facts.push(['Endpoint', 'profiles.card.facts.endpoint', t('profiles.card.facts.firstUse')])
  if (profile.region) facts.push(['Region', 'profiles.card.facts.region', profile.region])
  if (profile.bucket) facts.push(['Bucket', 'profiles.card.facts.bucket', profile.bucket])
  if (profile.maskedAccessKeyId) facts.push(['AccessKey ID', 'profiles.card.facts.accessKeyId', profile.maskedAccessKeyId])
  if (profile.hasStsToken) facts.push(['STS token', 'profiles.card.facts.sts', t('profiles.card.facts.yes')])
  if (profile.customDomain) facts.push(['Domain', 'profiles.card.facts.domain', profile.customDomain])

  return (
    <li className="card" data-active={active ? 'true' : undefined} data-selected={selected ? 'true' : undefined} data-profile-id={profile.id} aria-label={profile.name}>
      <div className="card-head">
        <span className="card-name">{profile.name}</span>
        {active ? <span className="badge accent">{t('profiles.card.active')}</span> : null}
        <span className="badge">{sandbox ? t('profiles.card.sandbox') : 'OSS'}</span>
      </div>
      <dl className="facts">
        {facts.map(([fact, label, value]) => (
          <div key={fact} style={{ display: 'contents' }}>
            <dt>{t(label)}</dt>
            <dd className={fact === 'AccessKey ID' || fact === 'Endpoint' ? 'mono' : undefined} title={value} data-fact={fact}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {profile.broken ? (
        <div className="broken" role="note">
          <strong>{t('profiles.card.broken')}</strong> {profile.broken}
        </div>
      ) : null}
      <div className="card-actions">
        {!active && !profile.broken ? (
          <button type="button" className="btn small primary" disabled={busy} onClick={() => void act(() => useStudio.getState().setActive(profile.id))}>
            {t('profiles.card.use')}
          </button>
        ) : null}
        {!profile.broken ? (
          <button type="button" className="btn small" disabled={testing} onClick={() => void useStudio.getState().testProfile(profile.id)}>
            <Icon name="plug" /> {t('profiles.card.test')}
          </button>
        ) : null}
        {!sandbox ? (
          <button type="button" className="btn small" onClick={onEdit} disabled={busy}>
            {t('profiles.card.edit')}
          </button>
        ) : null}
        {!sandbox ? (
          <button type="button" className="btn small danger" onClick={() => setConfirming(true)} disabled={busy || confirming}>
            {t('profiles.card.delete')}
          </button>
        ) : null}
      </div>
      {confirming ? (
        <div className="confirm" role="alertdialog" aria-label={t('profiles.card.confirmLabel', { name: profile.name })}>
          <span>
            <Trans i18nKey="profiles.card.confirm" values={{ name: profile.name }} components={{ strong: <strong /> }} />
          </span>
          <button type="button" className="btn small" onClick={() => setConfirming(false)} disabled={busy}>
            {t('profiles.card.keep')}
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
            {t('profiles.card.delete')}
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
  const { t } = useTranslation()
  const profiles = useStudio((s) => s.profiles)
  const activeId = useStudio((s) => s.activeId)
  const [editing, setEditing] = useState<Editing>({ mode: 'none' })
  const list = 'data' in profiles && profiles.data ? profiles.data.list : []
  const editedProfile = editing.mode === 'edit' ? list.find((p) => p.id === editing.id) : undefined

  return (
    <div className="profiles-view">
      <section className="panel sidebar" aria-label={t('profiles.view.label')}>
        <div className="panel-header">
          <span className="panel-title" style={{ flex: 1 }}>
            {t('profiles.view.label')}
          </span>
          <button type="button" className="btn small primary" onClick={() => setEditing({ mode: 'create' })}>
            <Icon name="plus" /> {t('profiles.view.new')}
          </button>
        </div>
        <div className="panel-body">
          <SecretsNotice />
          {profiles.status === 'error' ? (
            <div style={{ padding: 12 }}>
              <ErrorCallout error={profiles.error} title={t('profiles.view.readFailed')}>
                <div style={{ marginTop: 10 }}>
                  <button type="button" className="btn small" onClick={() => void useStudio.getState().loadProfiles()}>
                    {t('profiles.view.tryAgain')}
                  </button>
                </div>
              </ErrorCallout>
            </div>
          ) : list.length === 0 ? (
            <Empty icon="key" title={t('profiles.view.loading')} />
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
          <Empty icon="key" title={t('profiles.view.emptyTitle')}>
            <p style={{ maxWidth: 420, margin: '4px 0 14px' }}>
              <Trans i18nKey="profiles.view.empty" components={{ strong: <strong /> }} />
            </p>
            <button type="button" className="btn primary" onClick={() => setEditing({ mode: 'create' })}>
              <Icon name="plus" /> {t('profiles.view.new')}
            </button>
          </Empty>
        ) : (
          <ProfileForm key={editing.mode === 'edit' ? editing.id : 'create'} profile={editedProfile} onDone={() => setEditing({ mode: 'none' })} />
        )}
      </div>
    </div>
  )
}
