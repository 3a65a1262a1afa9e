/**
 * The Local sandbox's bucket ACL (so public links can be tried) and the settings OSS keeps in its
 * console: the style delimiter (`photo.jpg!thumb`) and source-image protection with its rules
 * (`PREFIX*SUFFIX`, one a line).
 * Shown in the Links view when the active profile is the Local sandbox.
 */
import { useEffect, useId, useState } from 'react'
import type { ErrorInfo, ResponseOf } from '../../../src-shared/ipc/contract'
import { BUCKET_ACLS, STYLE_DELIMITERS, type StyleDelimiter } from '../../../src-shared/model/image-settings'
import { errorInfoOf, invoke } from '../ipc/client'
import { ErrorCallout } from '../ui/ErrorCallout'
import { lines, useLinks } from './store'

type Settings = ResponseOf<'sandbox:settings'>

export function SandboxSettings() {
  const id = useId()
  const [settings, setSettings] = useState<Settings | undefined>(undefined)
  const [acl, setAcl] = useState<Settings['acl']>('private')
  const [delimiter, setDelimiter] = useState<StyleDelimiter | ''>('')
  const [protection, setProtection] = useState(false)
  const [rules, setRules] = useState('')
  const [ignoreCase, setIgnoreCase] = useState(false)
  const [error, setError] = useState<ErrorInfo | undefined>(undefined)
  const [saved, setSaved] = useState(false)

  const show = (s: Settings) => {
    setSettings(s)
    setAcl(s.acl)
    setDelimiter(s.styleDelimiter ?? '')
    setProtection(s.sourceProtection)
    setRules(s.protectionRules.join('\n'))
    setIgnoreCase(s.protectionIgnoreCase)
    // The bucket's delimiter is the one its delimiter-form links use.
    if (s.styleDelimiter) useLinks.getState().set({ delimiter: s.styleDelimiter })
  }

  useEffect(() => {
    invoke('sandbox:settings', {}).then(show, (e: unknown) => setError(errorInfoOf(e)))
  }, [])

  const save = async () => {
    setError(undefined)
    setSaved(false)
    try {
      show(await invoke('sandbox:updateSettings', { acl, styleDelimiter: delimiter === '' ? null : delimiter, sourceProtection: protection, protectionRules: lines(rules), protectionIgnoreCase: ignoreCase }))
      setSaved(true)
    } catch (e) {
      setError(errorInfoOf(e))
    }
  }

  return (
    <fieldset className="links-section" aria-labelledby={`${id}-title`}>
      <legend id={`${id}-title`} className="links-section-title">
        Sandbox settings {settings ? <span className="optional">({settings.bucket})</span> : null}
      </legend>
      <div className="field">
        <label htmlFor={`${id}-acl`}>Bucket ACL</label>
        <select id={`${id}-acl`} className="select" value={acl} onChange={(e) => setAcl(e.target.value as Settings['acl'])}>
          {BUCKET_ACLS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-delim`}>Style delimiter</label>
        <select id={`${id}-delim`} className="select" value={delimiter} onChange={(e) => setDelimiter(e.target.value as StyleDelimiter | '')}>
          <option value="">Off (query form only)</option>
          {STYLE_DELIMITERS.map((d) => (
            <option key={d} value={d}>
              {d} (photo.jpg{d}thumb)
            </option>
          ))}
        </select>
      </div>
      <label className="check-row">
        <input type="checkbox" checked={protection} onChange={(e) => setProtection(e.target.checked)} /> Source-image protection
      </label>
      <div className="field">
        <label htmlFor={`${id}-rules`}>
          Protection rules <span className="optional">(PREFIX*SUFFIX a line; none = every object)</span>
        </label>
        <textarea id={`${id}-rules`} className="input mono" rows={2} value={rules} spellCheck={false} placeholder="*.jpg" onChange={(e) => setRules(e.target.value)} />
      </div>
      <label className="check-row">
        <input type="checkbox" checked={ignoreCase} onChange={(e) => setIgnoreCase(e.target.checked)} /> Rules ignore case
      </label>
      <div className="links-actions">
        <button type="button" className="btn small" onClick={() => void save()}>
          Save sandbox settings
        </button>
        {saved ? (
          <span className="field-hint" role="status">
            Saved
          </span>
        ) : null}
      </div>
      {error ? <ErrorCallout error={error} /> : null}
    </fieldset>
  )
}
