/**
 * Create or edit a connection profile. Secrets live only in this form's local state while it is
 * open: they are sent to main once and never come back (summaries carry a masked key id only).
 */
import { useId, useState } from 'react'
import type { ErrorInfo, ProfileSummary, RequestOf } from '../../../src-shared/ipc/contract'
import { useTranslation } from '../i18n'
import { errorInfoOf } from '../ipc/client'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { EMPTY_DRAFT, validateDraft, type DraftErrors, type ProfileDraft } from './validation'

interface FieldProps {
  readonly name: keyof ProfileDraft
  readonly label: string
  readonly draft: ProfileDraft
  readonly errors: DraftErrors
  readonly showErrors: boolean
  readonly onChange: (name: keyof ProfileDraft, value: string) => void
  readonly optional?: boolean
  readonly hint?: string
  readonly type?: 'text' | 'password'
  readonly placeholder?: string
  readonly wide?: boolean
}

function Field({ name, label, draft, errors, showErrors, onChange, optional, hint, type = 'text', placeholder, wide }: FieldProps) {
  const { t } = useTranslation()
  const id = `${useId()}-${name}`
  const error = showErrors ? errors[name] : undefined
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <label htmlFor={id}>
        {label} {optional ? <span className="optional">{t('profiles.form.optional')}</span> : null}
      </label>
      <input
        id={id}
        name={name}
        className="input"
        type={type}
        value={draft[name]}
        placeholder={placeholder}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(name, e.target.value)}
      />
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  )
}

function draftFrom(profile: ProfileSummary | undefined): ProfileDraft {
  if (!profile) return { ...EMPTY_DRAFT }
  return { ...EMPTY_DRAFT, name: profile.name, endpoint: profile.endpoint ?? '', region: profile.region ?? '', bucket: profile.bucket ?? '', customDomain: profile.customDomain ?? '' }
}

const opt = (value: string) => (value.trim() ? value.trim() : undefined)

export function ProfileForm({ profile, onDone }: { profile?: ProfileSummary | undefined; onDone: (saved: ProfileSummary | undefined) => void }) {
  const { t } = useTranslation()
  const editing = profile !== undefined
  const [draft, setDraft] = useState<ProfileDraft>(() => draftFrom(profile))
  const [showErrors, setShowErrors] = useState(false)
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined)
  const errors = validateDraft(draft, editing)
  const valid = Object.keys(errors).length === 0

  const change = (name: keyof ProfileDraft, value: string) => setDraft((d) => ({ ...d, [name]: value }))

  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    setShowErrors(true)
    if (!valid || saving) return
    setSaving(true)
    setFailure(undefined)
    try {
      let saved: ProfileSummary
      if (profile) {
        const original = draftFrom(profile)
        const patch: RequestOf<'profiles:update'>['patch'] = {}
        if (draft.name.trim() !== original.name) patch.name = draft.name.trim()
        if (opt(draft.endpoint) !== opt(original.endpoint) && opt(draft.endpoint)) patch.endpoint = opt(draft.endpoint)
        if (opt(draft.region) !== opt(original.region) && opt(draft.region)) patch.region = opt(draft.region)
        if (draft.bucket.trim() !== original.bucket) patch.bucket = draft.bucket.trim()
        if (opt(draft.customDomain) !== opt(original.customDomain) && opt(draft.customDomain)) patch.customDomain = opt(draft.customDomain)
        if (draft.accessKeyId.trim()) patch.accessKeyId = draft.accessKeyId.trim()
        if (draft.accessKeySecret) patch.accessKeySecret = draft.accessKeySecret
        if (draft.stsToken) patch.stsToken = draft.stsToken
        saved = await useStudio.getState().updateProfile({ id: profile.id, patch })
      } else {
        saved = await useStudio.getState().createProfile({
          name: draft.name.trim(),
          endpoint: opt(draft.endpoint),
          region: opt(draft.region),
          bucket: draft.bucket.trim(),
          accessKeyId: draft.accessKeyId.trim(),
          accessKeySecret: draft.accessKeySecret,
          stsToken: draft.stsToken ? draft.stsToken : undefined,
          customDomain: opt(draft.customDomain)
        })
      }
      // Forget the secrets before anything else renders.
      setDraft(EMPTY_DRAFT)
      onDone(saved)
    } catch (error) {
      setFailure(errorInfoOf(error))
      setSaving(false)
    }
  }

  const common = { draft, errors, showErrors, onChange: change }
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={editing ? t('profiles.form.editLabel') : t('profiles.form.newLabel')}>
      <h2>{editing ? t('profiles.form.editTitle', { name: profile.name }) : t('profiles.form.newTitle')}</h2>
      <p className="lead">{editing ? t('profiles.form.editLead') : t('profiles.form.newLead')}</p>
      {failure ? <ErrorCallout error={failure} title={editing ? t('profiles.form.saveFailed') : t('profiles.form.createFailed')} /> : null}
      <fieldset>
        <legend>{t('profiles.form.connection')}</legend>
        <Field {...common} name="name" label={t('profiles.form.name')} placeholder={t('profiles.form.namePlaceholder')} wide />
        <Field {...common} name="endpoint" label={t('profiles.form.endpoint')} placeholder="https://oss-cn-hangzhou.aliyuncs.com" hint={t('profiles.form.endpointHint')} />
        <Field {...common} name="region" label={t('profiles.form.region')} placeholder="oss-cn-hangzhou" hint={t('profiles.form.regionHint')} />
        <Field {...common} name="bucket" label={t('profiles.form.bucket')} placeholder="my-images" />
        <Field {...common} name="customDomain" label={t('profiles.form.customDomain')} optional placeholder="img.example.com" hint={t('profiles.form.customDomainHint')} />
      </fieldset>
      <fieldset>
        <legend>{t('profiles.form.credentials')}</legend>
        <Field {...common} name="accessKeyId" label={t('profiles.form.accessKeyId')} placeholder={editing ? (profile.maskedAccessKeyId ?? t('profiles.form.unchanged')) : 'LTAI…'} {...(editing ? { hint: t('profiles.form.keepKey') } : {})} />
        <Field {...common} name="accessKeySecret" label={t('profiles.form.accessKeySecret')} type="password" placeholder={editing ? t('profiles.form.secretUnchanged') : ''} />
        <Field {...common} name="stsToken" label={t('profiles.form.stsToken')} type="password" optional wide hint={t('profiles.form.stsHint')} />
      </fieldset>
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => onDone(undefined)} disabled={saving}>
          {t('profiles.form.cancel')}
        </button>
        <button type="submit" className="btn primary" disabled={saving}>
          {saving ? t('profiles.form.saving') : editing ? t('profiles.form.save') : t('profiles.form.create')}
        </button>
      </div>
    </form>
  )
}
