/** App name, the views, and the active profile selector. */
import { useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { LANGUAGES, currentLanguage, setLanguage, useTranslation, type Language } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { errorInfoOf } from '../ipc/client'
import { useStudio } from '../state/store'
import type { View } from '../state/types'
import { Icon } from '../ui/Icon'

const VIEWS: readonly { readonly id: View; readonly label: MessageKey }[] = [
  { id: 'studio', label: 'app.views.studio' },
  { id: 'jobs', label: 'app.views.jobs' },
  { id: 'links', label: 'app.views.links' },
  { id: 'profiles', label: 'app.views.profiles' }
]

/** Each language named in itself, so a user who cannot read the current one still finds theirs. */
const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '简体中文' }

function LanguageSelect() {
  const { t } = useTranslation()
  return (
    <div className="profile-picker language-picker">
      <label htmlFor="ui-language">{t('app.language.label')}</label>
      <select id="ui-language" className="select" value={currentLanguage()} onChange={(e) => void setLanguage(e.target.value as Language)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
    </div>
  )
}

export function TopBar() {
  const { t } = useTranslation()
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
      <div className="tabs" role="tablist" aria-label={t('app.views.label')}>
        {VIEWS.map((v) => (
          <button key={v.id} type="button" role="tab" className="tab" aria-selected={view === v.id} onClick={() => useStudio.getState().setView(v.id)}>
            {t(v.label)}
          </button>
        ))}
      </div>
      <div className="topbar-spacer" />
      <LanguageSelect />
      <div className="profile-picker">
        <label htmlFor="active-profile">{t('app.profile.label')}</label>
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
          {list.length === 0 ? <option value="">{t('common.loading')}</option> : null}
          {list.map((p) => (
            <option key={p.id} value={p.id} disabled={p.broken !== undefined}>
              {p.name}
              {p.bucket ? ` — ${p.bucket}` : ''}
              {p.broken ? t('app.profile.broken') : ''}
            </option>
          ))}
        </select>
      </div>
    </header>
  )
}
