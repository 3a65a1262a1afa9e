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
import { useStudio } from '../state/store'
import { copyText } from '../ui/clipboard'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { LinkTable } from './LinkTable'
import { SandboxSettings } from './SandboxSettings'
import { asMatrix, chosenKeys, expirySeconds, saveDelimiter, savedDelimiter, useLinks, visibleKeys, type ExpiryMode, type Signing } from './store'

const FORMAT_LABELS: Record<LinkFormat, string> = { list: 'Plain list', csv: 'CSV', md: 'Markdown', html: 'HTML', json: 'JSON' }

/** `Dec 7, 2026, 3:45:10 PM GMT+8` — the user's locale and time zone. */
function zoned(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' })
}

function ObjectPicker({ profileId }: { profileId: string }) {
  const id = useId()
  const s = useLinks()
  const shown = visibleKeys(s.listed, s.filter)
  const allShown = shown.length > 0 && shown.every((k) => s.selected.has(k))
  return (
    <fieldset className="links-section" aria-labelledby={`${id}-t`}>
      <legend id={`${id}-t`} className="links-section-title">
        Objects
      </legend>
      <div className="links-source" role="radiogroup" aria-label="Object source">
        {(['bucket', 'pasted'] as const).map((source) => (
          <label key={source} className="check-row">
            <input type="radio" name={`${id}-source`} checked={s.source === source} onChange={() => s.set({ source })} /> {source === 'bucket' ? 'From bucket' : 'Pasted keys'}
          </label>
        ))}
      </div>
      {s.source === 'bucket' ? (
        <>
          <div className="links-inline">
            <input className="input mono" aria-label="Prefix" placeholder="Prefix (empty: whole bucket)" value={s.prefix} spellCheck={false} onChange={(e) => s.set({ prefix: e.target.value })} />
            <button type="button" className="btn small" disabled={s.listing} onClick={() => void s.list(profileId)}>
              List objects
            </button>
          </div>
          {s.listError ? <ErrorCallout error={s.listError} /> : null}
          {s.listed ? (
            <>
              <input className="input" aria-label="Filter objects" placeholder="Filter" value={s.filter} onChange={(e) => s.set({ filter: e.target.value })} />
              <label className="check-row">
                <input type="checkbox" checked={allShown} onChange={(e) => s.selectAll(shown, e.target.checked)} /> Select all shown ({shown.length})
              </label>
              <ul className="links-objects" aria-label="Listed objects">
                {shown.map((key) => (
                  <li key={key}>
                    <label className="check-row mono">
                      <input type="checkbox" aria-label={`Select ${key}`} checked={s.selected.has(key)} onChange={(e) => s.toggle(key, e.target.checked)} /> {key}
                    </label>
                  </li>
                ))}
              </ul>
              <span className="field-hint">{s.selected.size} selected</span>
            </>
          ) : null}
        </>
      ) : (
        <textarea className="input mono" aria-label="Object keys" rows={5} placeholder="One key a line" value={s.pasted} spellCheck={false} onChange={(e) => s.set({ pasted: e.target.value })} />
      )}
    </fieldset>
  )
}

function ColumnPicker() {
  const id = useId()
  const s = useLinks()
  return (
    <fieldset className="links-section" aria-labelledby={`${id}-t`}>
      <legend id={`${id}-t`} className="links-section-title">
        Styles
      </legend>
      {s.bucketStyles === undefined ? <Spinner label="Loading the bucket's styles" /> : null}
      {s.bucketStyles?.length === 0 ? <span className="field-hint">The bucket has no styles.</span> : null}
      <ul className="links-styles" aria-label="Bucket styles">
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
          Process strings <span className="optional">(image/… a line)</span>
        </label>
        <textarea id={`${id}-p`} className="input mono" rows={2} value={s.processes} spellCheck={false} placeholder="image/resize,w_320" onChange={(e) => s.set({ processes: e.target.value })} />
      </div>
    </fieldset>
  )
}

function UrlOptions({ profileId }: { profileId: string }) {
  const id = useId()
  const s = useLinks()
  const expiry = s.signing === 'public' ? undefined : expirySeconds(s)
  return (
    <fieldset className="links-section" aria-labelledby={`${id}-t`}>
      <legend id={`${id}-t`} className="links-section-title">
        URLs
      </legend>
      <div className="links-grid">
        <div className="field">
          <label htmlFor={`${id}-form`}>URL form</label>
          <select id={`${id}-form`} className="select" value={s.form} onChange={(e) => s.set({ form: e.target.value as 'query' | 'delimiter' })}>
            <option value="query">Query string</option>
            <option value="delimiter">key{s.delimiter}style</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-delim`}>Delimiter</label>
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
          <label htmlFor={`${id}-sign`}>Signing</label>
          <select id={`${id}-sign`} className="select" value={s.signing} onChange={(e) => s.set({ signing: e.target.value as Signing })}>
            <option value="public">Public (unsigned)</option>
            <option value="v1">Signed V1</option>
            <option value="v4">Signed V4</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-exp`}>Expiry</label>
          <select id={`${id}-exp`} className="select" value={s.expiryMode} disabled={s.signing === 'public'} onChange={(e) => s.set({ expiryMode: e.target.value as ExpiryMode })}>
            <option value="seconds">In seconds</option>
            <option value="date">At a date</option>
          </select>
        </div>
      </div>
      {s.signing !== 'public' ? (
        s.expiryMode === 'seconds' ? (
          <input className="input" aria-label="Expiry in seconds" inputMode="numeric" value={s.expiresSeconds} aria-invalid={expiry && 'error' in expiry ? 'true' : undefined} onChange={(e) => s.set({ expiresSeconds: e.target.value })} />
        ) : (
          <input className="input" type="datetime-local" aria-label="Expiry date" value={s.expiresAt} aria-invalid={expiry && 'error' in expiry ? 'true' : undefined} onChange={(e) => s.set({ expiresAt: e.target.value })} />
        )
      ) : null}
      {expiry && 'error' in expiry ? <span className="field-error">{expiry.error}</span> : null}
      <div className="field">
        <label htmlFor={`${id}-dom`}>
          Custom domain <span className="optional">(CNAME, instead of the bucket endpoint)</span>
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
  const copy = async (what: string, text: string) => setNotice((await copyText(text)) ? `Copied ${what} as ${FORMAT_LABELS[s.exportFormat]}` : 'The clipboard refused the copy')
  const expires = matrix?.cells[0]?.expires
  return (
    <section className="links-results" aria-label="Links">
      <div className="links-toolbar">
        <button type="button" className="btn primary" disabled={s.building} onClick={() => void s.build(profileId)}>
          Build links
        </button>
        <span className="field-hint">
          {keys.length} object{keys.length === 1 ? '' : 's'} × {columns} column{columns === 1 ? '' : 's'}
        </span>
        <span className="links-notice" role="status">
          {notice}
        </span>
        <span className="grow" />
        {matrix ? (
          <>
            <label className="field-hint" htmlFor="links-format">
              Export format
            </label>
            <select id="links-format" className="select" value={s.exportFormat} onChange={(e) => s.set({ exportFormat: e.target.value as LinkFormat })}>
              {LINK_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
            <button type="button" className="btn" onClick={() => void copy(`${matrix.cells.length} links`, exported())}>
              Copy all
            </button>
            <button type="button" className="btn" onClick={() => download(`links.${LINK_FILE_EXTENSIONS[s.exportFormat]}`, exported(), MIME[s.exportFormat])}>
              Save to file
            </button>
            {s.check?.running ? (
              <button type="button" className="btn" onClick={() => s.cancelCheck()}>
                Cancel check
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => void s.runCheck()}>
                Check links
              </button>
            )}
          </>
        ) : null}
      </div>
      {s.buildError ? <ErrorCallout error={s.buildError} /> : null}
      {s.checkError ? <ErrorCallout error={s.checkError} title="The check stopped" /> : null}
      {matrix && s.check ? (
        <div className="links-progress">
          <progress aria-label="Link check progress" max={s.check.total} value={s.check.done} />
          <span data-testid="links-check-summary">
            {s.check.running ? `Checking ${s.check.done} of ${s.check.total}…` : `Checked ${s.check.done} of ${s.check.total}`} · {failed} failed
          </span>
          <label className="check-row">
            <input type="checkbox" checked={s.failedOnly} onChange={(e) => s.set({ failedOnly: e.target.checked })} /> Failed only
          </label>
        </div>
      ) : null}
      {expires ? (
        <p className="field-hint links-expiry" data-testid="links-expiry">
          Signed URLs expire {zoned(expires)}
        </p>
      ) : null}
      {s.building ? <Spinner label="Building links" /> : null}
      {matrix ? (
        <LinkTable
          matrix={matrix}
          checks={s.checks}
          failedOnly={s.failedOnly}
          onCopyRow={(row) => void copy(`row ${matrix.cells[row * matrix.columns.length]!.key}`, exported({ row }))}
          onCopyColumn={(column) => void copy(`column ${matrix.columns[column]!.label}`, exported({ column }))}
        />
      ) : (
        <Empty icon="image" title="No links yet">Choose objects and styles, then Build links.</Empty>
      )}
    </section>
  )
}

export function LinksView() {
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
  if (!activeId) return <Empty icon="plug" title="No profile">Choose a profile first.</Empty>
  return (
    <div className="links-view">
      <aside className="links-aside" aria-label="Link options">
        <ObjectPicker profileId={activeId} />
        <ColumnPicker />
        <UrlOptions profileId={activeId} />
        {profile?.kind === 'sandbox' ? <SandboxSettings /> : null}
      </aside>
      <Results profileId={activeId} />
    </div>
  )
}
