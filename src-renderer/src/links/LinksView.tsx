/**
 * The Links view (issue 13): N objects × M styles or process strings → a table of URLs. Objects
 * come from a listed prefix (filter, checkboxes) or pasted keys; columns from the bucket's styles
 * and typed process strings. URLs: query or delimiter form, public or signed (V1/V4, expiry in
 * seconds or as a date, shown in the user's zone), on the bucket's endpoint or a custom domain —
 * built and signed in main. Export as list / CSV / Markdown / HTML / JSON: copy all, a row or a
 * column, or save to a file. "Check links" fetches each URL in main with a progress bar.
 */
import { useEffect, useId, useState } from 'react'
import { STYLE_DELIMITERS, type StyleDelimiter } from '../../../src-shared/model/image-settings'
import { formatLinks, isFailedCheck, LINK_FILE_EXTENSIONS, LINK_FORMATS, sliceMatrix, type LinkFormat } from '../../../src-shared/model/links'
import { Trans, useTranslation } from '../i18n'
import { formatZoned } from '../i18n/format'
import { useStudio } from '../state/store'
import { copyText } from '../ui/clipboard'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { LinkTable } from './LinkTable'
import { SandboxSettings } from './SandboxSettings'
import { asMatrix, chosenKeys, expirySeconds, saveDelimiter, savedDelimiter, useLinks, visibleKeys, type ExpiryMode, type Signing } from './store'

/** The formats' own names; only the plain list is described in words (translated). */
const FORMAT_NAMES: Record<Exclude<LinkFormat, 'list'>, string> = { csv: 'CSV', md: 'Markdown', html: 'HTML', json: 'JSON' }

function ObjectPicker({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const id = useId()
  const s = useLinks()
  const shown = visibleKeys(s.listed, s.filter)
  const allShown = shown.length > 0 && shown.every((k) => s.selected.has(k))
  return (
    <fieldset className="links-section" aria-labelledby={`${id}-t`}>
      <legend id={`${id}-t`} className="links-section-title">
        {t('links.objects.title')}
      </legend>
      <div className="links-source" role="radiogroup" aria-label={t('links.objects.source')}>
        {(['bucket', 'pasted'] as const).map((source) => (
          <label key={source} className="check-row">
            <input type="radio" name={`${id}-source`} checked={s.source === source} onChange={() => s.set({ source })} /> {source === 'bucket' ? t('links.objects.fromBucket') : t('links.objects.pasted')}
          </label>
        ))}
      </div>
      {s.source === 'bucket' ? (
        <>
          <div className="links-inline">
            <input className="input mono" aria-label={t('links.objects.prefix')} placeholder={t('links.objects.prefixPlaceholder')} value={s.prefix} spellCheck={false} onChange={(e) => s.set({ prefix: e.target.value })} />
            <button type="button" className="btn small" disabled={s.listing} onClick={() => void s.list(profileId)}>
              {t('links.objects.list')}
            </button>
          </div>
          {s.listError ? <ErrorCallout error={s.listError} /> : null}
          {s.listed ? (
            <>
              <input className="input" aria-label={t('links.objects.filter')} placeholder={t('links.objects.filterPlaceholder')} value={s.filter} onChange={(e) => s.set({ filter: e.target.value })} />
              <label className="check-row">
                <input type="checkbox" checked={allShown} onChange={(e) => s.selectAll(shown, e.target.checked)} /> {t('links.objects.selectAll', { count: shown.length })}
              </label>
              <ul className="links-objects" aria-label={t('links.objects.listed')}>
                {shown.map((key) => (
                  <li key={key}>
                    <label className="check-row mono">
                      <input type="checkbox" aria-label={t('links.objects.select', { key })} checked={s.selected.has(key)} onChange={(e) => s.toggle(key, e.target.checked)} /> {key}
                    </label>
                  </li>
                ))}
              </ul>
              <span className="field-hint">{t('links.objects.selected', { count: s.selected.size })}</span>
            </>
          ) : null}
        </>
      ) : (
        <textarea className="input mono" aria-label={t('links.objects.keys')} rows={5} placeholder={t('links.objects.keysPlaceholder')} value={s.pasted} spellCheck={false} onChange={(e) => s.set({ pasted: e.target.value })} />
      )}
    </fieldset>
  )
}

function ColumnPicker() {
  const { t } = useTranslation()
  const id = useId()
  const s = useLinks()
  return (
    <fieldset className="links-section" aria-labelledby={`${id}-t`}>
      <legend id={`${id}-t`} className="links-section-title">
        {t('links.styles.title')}
      </legend>
      {s.bucketStyles === undefined ? <Spinner label={t('links.styles.loading')} /> : null}
      {s.bucketStyles?.length === 0 ? <span className="field-hint">{t('links.styles.none')}</span> : null}
      <ul className="links-styles" aria-label={t('links.styles.bucket')}>
        {(s.bucketStyles ?? []).map((name) => (
          <li key={name}>
            <label className="check-row mono">
              <input
                type="checkbox"
                checked={s.styles.includes(name)}
                onChange={(e) => s.set({ styles: e.target.checked ? [...s.styles, name] : s.styles.filter((n) => n !== name) })}
              />{' '}
              {name}
            </label>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor={`${id}-p`}>
          <Trans i18nKey="links.styles.processes" components={{ optional: <span className="optional" /> }} />
        </label>
        <textarea id={`${id}-p`} className="input mono" rows={2} value={s.processes} spellCheck={false} placeholder="image/resize,w_320" onChange={(e) => s.set({ processes: e.target.value })} />
      </div>
    </fieldset>
  )
}

function UrlOptions({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const id = useId()
  const s = useLinks()
  const expiry = s.signing === 'public' ? undefined : expirySeconds(s)
  return (
    <fieldset className="links-section" aria-labelledby={`${id}-t`}>
      <legend id={`${id}-t`} className="links-section-title">
        {t('links.urls.title')}
      </legend>
      <div className="links-grid">
        <div className="field">
          <label htmlFor={`${id}-form`}>{t('links.urls.form')}</label>
          <select id={`${id}-form`} className="select" value={s.form} onChange={(e) => s.set({ form: e.target.value as 'query' | 'delimiter' })}>
            <option value="query">{t('links.urls.query')}</option>
            <option value="delimiter">{t('links.urls.delimiterForm', { d: s.delimiter })}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-delim`}>{t('links.urls.delimiter')}</label>
          <select
            id={`${id}-delim`}
            className="select"
            value={s.delimiter}
            disabled={s.form !== 'delimiter'}
            onChange={(e) => {
              const delimiter = e.target.value as StyleDelimiter
              saveDelimiter(profileId, delimiter)
              s.set({ delimiter })
            }}
          >
            {STYLE_DELIMITERS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sign`}>{t('links.urls.signing')}</label>
          <select id={`${id}-sign`} className="select" value={s.signing} onChange={(e) => s.set({ signing: e.target.value as Signing })}>
            <option value="public">{t('links.urls.public')}</option>
            <option value="v1">{t('links.urls.v1')}</option>
            <option value="v4">{t('links.urls.v4')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-exp`}>{t('links.urls.expiry')}</label>
          <select id={`${id}-exp`} className="select" value={s.expiryMode} disabled={s.signing === 'public'} onChange={(e) => s.set({ expiryMode: e.target.value as ExpiryMode })}>
            <option value="seconds">{t('links.urls.inSeconds')}</option>
            <option value="date">{t('links.urls.atDate')}</option>
          </select>
        </div>
      </div>
      {s.signing !== 'public' ? (
        s.expiryMode === 'seconds' ? (
          <input className="input" aria-label={t('links.urls.expirySeconds')} inputMode="numeric" value={s.expiresSeconds} aria-invalid={expiry && 'error' in expiry ? 'true' : undefined} onChange={(e) => s.set({ expiresSeconds: e.target.value })} />
        ) : (
          <input className="input" type="datetime-local" aria-label={t('links.urls.expiryDate')} value={s.expiresAt} aria-invalid={expiry && 'error' in expiry ? 'true' : undefined} onChange={(e) => s.set({ expiresAt: e.target.value })} />
        )
      ) : null}
      {expiry && 'error' in expiry ? <span className="field-error">{expiry.error}</span> : null}
      <div className="field">
        <label htmlFor={`${id}-dom`}>
          <Trans i18nKey="links.urls.domain" components={{ optional: <span className="optional" /> }} />
        </label>
        <input id={`${id}-dom`} className="input mono" value={s.domain} placeholder="https://img.example.com" spellCheck={false} onChange={(e) => s.set({ domain: e.target.value })} />
      </div>
    </fieldset>
  )
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

const MIME: Record<LinkFormat, string> = { list: 'text/plain', csv: 'text/csv', md: 'text/markdown', html: 'text/html', json: 'application/json' }

function Results({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const s = useLinks()
  const [notice, setNotice] = useState('')
  const keys = chosenKeys(s)
  const columns = s.styles.length + s.processes.split('\n').filter((l) => l.trim() !== '').length
  const matrix = s.matrix
  const failed = s.checks.filter(isFailedCheck).length
  const exported = (pick?: { row: number } | { column: number }) => {
    const full = asMatrix(matrix!, s.checks)
    return formatLinks(pick ? sliceMatrix(full, pick) : full, s.exportFormat)
  }
  const formatLabel = (format: LinkFormat) => (format === 'list' ? t('links.results.plainList') : FORMAT_NAMES[format])
  const copy = async (copied: string, text: string) => setNotice((await copyText(text)) ? copied : t('links.results.refused'))
  const expires = matrix?.cells[0]?.expires
  return (
    <section className="links-results" aria-label={t('links.results.label')}>
      <div className="links-toolbar">
        <button type="button" className="btn primary" disabled={s.building} onClick={() => void s.build(profileId)}>
          {t('links.results.build')}
        </button>
        <span className="field-hint">
          {t('links.results.size', { objects: t('links.results.objects', { count: keys.length }), columns: t('links.results.columns', { count: columns }) })}
        </span>
        <span className="links-notice" role="status">
          {notice}
        </span>
        <span className="grow" />
        {matrix ? (
          <>
            <label className="field-hint" htmlFor="links-format">
              {t('links.results.exportFormat')}
            </label>
            <select id="links-format" className="select" value={s.exportFormat} onChange={(e) => s.set({ exportFormat: e.target.value as LinkFormat })}>
              {LINK_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {formatLabel(f)}
                </option>
              ))}
            </select>
            <button type="button" className="btn" onClick={() => void copy(t('links.results.copiedAll', { count: matrix.cells.length, format: formatLabel(s.exportFormat) }), exported())}>
              {t('links.results.copyAll')}
            </button>
            <button type="button" className="btn" onClick={() => download(`links.${LINK_FILE_EXTENSIONS[s.exportFormat]}`, exported(), MIME[s.exportFormat])}>
              {t('links.results.save')}
            </button>
            {s.check?.running ? (
              <button type="button" className="btn" onClick={() => s.cancelCheck()}>
                {t('links.results.cancelCheck')}
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => void s.runCheck()}>
                {t('links.results.check')}
              </button>
            )}
          </>
        ) : null}
      </div>
      {s.buildError ? <ErrorCallout error={s.buildError} /> : null}
      {s.checkError ? <ErrorCallout error={s.checkError} title={t('links.results.checkStopped')} /> : null}
      {matrix && s.check ? (
        <div className="links-progress">
          <progress aria-label={t('links.results.progress')} max={s.check.total} value={s.check.done} />
          <span data-testid="links-check-summary">
            {t(s.check.running ? 'links.results.checking' : 'links.results.checked', { done: s.check.done, total: s.check.total, failed })}
          </span>
          <label className="check-row">
            <input type="checkbox" checked={s.failedOnly} onChange={(e) => s.set({ failedOnly: e.target.checked })} /> {t('links.results.failedOnly')}
          </label>
        </div>
      ) : null}
      {expires ? (
        <p className="field-hint links-expiry" data-testid="links-expiry">
          {t('links.results.expire', { date: formatZoned(expires) })}
        </p>
      ) : null}
      {s.building ? <Spinner label={t('links.results.building')} /> : null}
      {matrix ? (
        <LinkTable
          matrix={matrix}
          checks={s.checks}
          failedOnly={s.failedOnly}
          onCopyRow={(row) => void copy(t('links.results.copiedRow', { key: matrix.cells[row * matrix.columns.length]!.key, format: formatLabel(s.exportFormat) }), exported({ row }))}
          onCopyColumn={(column) => void copy(t('links.results.copiedColumn', { label: matrix.columns[column]!.label, format: formatLabel(s.exportFormat) }), exported({ column }))}
        />
      ) : (
        <Empty icon="image" title={t('links.results.emptyTitle')}>
          {t('links.results.empty')}
        </Empty>
      )}
    </section>
  )
}

export function LinksView() {
  const { t } = useTranslation()
  const activeId = useStudio((s) => s.activeId)
  const profiles = useStudio((s) => s.profiles)
  const profile = 'data' in profiles && profiles.data ? profiles.data.list.find((p) => p.id === activeId) : undefined
  useEffect(() => {
    if (!activeId) return
    const links = useLinks.getState()
    links.reset()
    links.set({ domain: profile?.customDomain ?? '', delimiter: savedDelimiter(activeId) ?? '!' })
    void links.loadStyles(activeId)
    void links.list(activeId)
  }, [activeId, profile?.customDomain])
  if (!activeId)
    return (
      <Empty icon="plug" title={t('links.view.noProfileTitle')}>
        {t('links.view.noProfile')}
      </Empty>
    )
  return (
    <div className="links-view">
      <aside className="links-aside" aria-label={t('links.view.options')}>
        <ObjectPicker profileId={activeId} />
        <ColumnPicker />
        <UrlOptions profileId={activeId} />
        {profile?.kind === 'sandbox' ? <SandboxSettings /> : null}
      </aside>
      <Results profileId={activeId} />
    </div>
  )
}
