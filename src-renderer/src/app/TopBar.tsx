/** App name, the views, and the active profile selector. */
import { useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf } from '../ipc/client'
import { useStudio } from '../state/store'
import type { View } from '../state/types'
import { Icon } from '../ui/Icon'

const VIEWS: readonly { readonly id: View; readonly label: string }[] = [
  { id: 'studio', label: 'Studio' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'links', label: 'Links' },
  { id: 'profiles', label: 'Profiles' }
]

export function TopBar() {
  const view = useStudio((s) => s.view)
  const profiles = useStudio((s) => s.profiles)
  const activeId = useStudio((s) => s.activeId)
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined)
  const list = 'data' in profiles && profiles.data ? profiles.data.list : []

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">
          <Icon name="logo" size={18} />
        </span>
        <h1 style={{ font: 'inherit', margin: 0 }}>OSS IMG Studio</h1>
      </div>
      <div className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" role="tab" className="tab" aria-selected={view === v.id} onClick={() => useStudio.getState().setView(v.id)}>
            {v.label}
          </button>
        ))}
      </div>
      <div className="topbar-spacer" />
      <div className="profile-picker">
        <label htmlFor="active-profile">Profile</label>
        <select
          id="active-profile"
          className="select"
          value={activeId ?? ''}
          disabled={list.length === 0}
          title={failure ? `${failure.code}: ${failure.message}` : undefined}
          aria-invalid={failure ? 'true' : undefined}
          onChange={(e) => {
            setFailure(undefined)
            useStudio
              .getState()
              .setActive(e.target.value)
              .catch((error: unknown) => setFailure(errorInfoOf(error)))
          }}
        >
          {list.length === 0 ? <option value="">Loading…</option> : null}
          {list.map((p) => (
            <option key={p.id} value={p.id} disabled={p.broken !== undefined}>
              {p.name}
              {p.bucket ? ` — ${p.bucket}` : ''}
              {p.broken ? ' (broken)' : ''}
            </option>
          ))}
        </select>
      </div>
    </header>
  )
}
