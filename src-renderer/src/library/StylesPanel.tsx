/**
 * The style library in the studio's sidebar ("Styles" tab): search, every saved style with its
 * state against the active profile's bucket, per-style actions (StyleItem), export/import of JSON
 * files, and "Sync with bucket" (SyncView). `SaveStyleButton` lives in the process string's header.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { Icon } from '../ui/Icon'
import { StyleItem } from './StyleItem'
import { SyncView } from './SyncView'
import { deleteStyle, exportStyles, importStyles, refreshLibrary, useLibrary, watchLibrary, type BrokenStyle, type ImportConflict, type ImportReport } from './store'
import { downloadJson, useAction } from './util'

export { SaveStyleButton } from './SaveStyleButton'

type View = 'library' | 'sync'

const CONFLICTS: readonly { readonly value: ImportConflict; readonly label: string }[] = [
  { value: 'rename', label: 'Keep both (import as NAME-2)' },
  { value: 'overwrite', label: 'Overwrite (a new version)' },
  { value: 'skip', label: 'Skip' }
]

function ImportSummary({ report }: { report: ImportReport }) {
  const renamed = new Set(report.renamed.map((r) => r.to))
  const plain = report.imported.filter((n) => !renamed.has(n))
  const lines: React.ReactNode[] = []
  if (plain.length > 0) lines.push(<li key="imported">Imported {plain.join(', ')}</li>)
  for (const r of report.renamed) lines.push(<li key={`r-${r.to}`}>{`${r.from} exists: imported as ${r.to}`}</li>)
  if (report.skipped.length > 0) lines.push(<li key="skipped">Skipped (name taken or already identical): {report.skipped.join(', ')}</li>)
  return (
    <div className="import-summary" role="status" data-testid="import-summary">
      <strong>{report.imported.length === 0 ? 'Nothing imported' : `${report.imported.length} style${report.imported.length === 1 ? '' : 's'} imported`}</strong>
      {lines.length > 0 ? <ul>{lines}</ul> : null}
    </div>
  )
}

function ImportBox({ onClose }: { onClose: () => void }) {
  const id = useId()
  const [conflict, setConflict] = useState<ImportConflict>('rename')
  const [report, setReport] = useState<ImportReport | undefined>(undefined)
  const action = useAction()
  const select = useRef<HTMLSelectElement>(null)
  useEffect(() => select.current?.focus(), [])

  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0]
    // The same file can be chosen again (e.g. with another conflict choice).
    input.value = ''
    if (!file) return
    setReport(undefined)
    await action.run('import', async () => setReport(await importStyles(await file.text(), conflict)))
  }

  return (
    <div
      className="import-box"
      role="group"
      aria-label="Import styles"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose()
      }}
    >
      <label htmlFor={`${id}-conflict`} className="import-label">
        When a name exists
      </label>
      <select ref={select} id={`${id}-conflict`} className="select" value={conflict} onChange={(e) => setConflict(e.target.value as ImportConflict)}>
        {CONFLICTS.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <div className="import-actions">
        <label className="btn small primary import-file">
          {action.busy ? <Spinner label="Importing" /> : null}
          Choose JSON file…
          <input type="file" className="sr-only" accept=".json,application/json" aria-label="Import styles from a JSON file" disabled={!!action.busy} onChange={(e) => void onFile(e.currentTarget)} />
        </label>
        <button type="button" className="btn small ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {report ? <ImportSummary report={report} /> : null}
      {action.failure ? <ErrorCallout error={action.failure.error} title="Import failed" /> : null}
    </div>
  )
}

/** Style files main cannot read: named with the reason, and deletable (to the library's trash). */
function BrokenStyles({ broken }: { broken: readonly BrokenStyle[] }) {
  const action = useAction()
  return (
    <div className="callout styles-broken" role="alert" aria-label="Unreadable styles">
      <div className="callout-title">
        <Icon name="alert" />
        <span>{broken.length === 1 ? 'A style file cannot be read' : `${broken.length} style files cannot be read`}</span>
      </div>
      <ul>
        {broken.map((b) => (
          <li key={b.name}>
            <span className="styles-broken-name mono">{b.name}</span>
            <span className="styles-broken-message">{b.message}</span>
            <button type="button" className="btn small" disabled={!!action.busy} onClick={() => void action.run(b.name, () => deleteStyle(b.name, false))} aria-label={`Delete unreadable style ${b.name}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {action.failure ? <ErrorCallout error={action.failure.error} title={`Could not delete ${action.failure.label}`} /> : null}
    </div>
  )
}

export function StylesPanel() {
  const styles = useLibrary((s) => s.styles)
  const broken = useLibrary((s) => s.broken)
  const sync = useLibrary((s) => s.sync)
  const currentName = useLibrary((s) => s.currentName)
  const activeId = useStudio((s) => s.activeId)
  const profile = useStudio((s) => ('data' in s.profiles ? s.profiles.data?.list.find((p) => p.id === s.activeId) : undefined))
  const [view, setView] = useState<View>('library')
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [importing, setImporting] = useState(false)
  const exporting = useAction()

  useEffect(() => {
    void refreshLibrary()
    return watchLibrary()
  }, [])

  const list = useMemo(() => ('data' in styles && styles.data ? styles.data : []), [styles])
  const names = useMemo(() => new Set(list.map((s) => s.name)), [list])
  const states = useMemo(() => {
    const data = 'data' in sync ? sync.data : undefined
    return new Map((data && data.profileId === activeId ? data.entries : []).map((e) => [e.name, e]))
  }, [sync, activeId])
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase()
    if (!q) return list
    return list.filter((s) => s.name.toLowerCase().includes(q) || s.process.toLowerCase().includes(q) || (s.description ?? '').toLowerCase().includes(q))
  }, [list, query])
  // Selections of styles that are gone (deleted, renamed) do not count.
  const chosen = list.filter((s) => selected.has(s.name)).map((s) => s.name)
  const bucketOnly = [...states.values()].filter((e) => e.state === 'bucket-only').length
  const differing = [...states.values()].filter((e) => e.state !== 'same').length

  const select = (name: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s)
      if (on) next.add(name)
      else next.delete(name)
      return next
    })

  const runExport = () =>
    void exporting.run('export', async () => {
      const json = await exportStyles(chosen.length > 0 ? chosen : undefined)
      downloadJson(json, chosen.length === 1 ? `${chosen[0]}.oss-img-styles.json` : 'oss-img-styles.json')
    })

  let body: React.ReactNode
  if (styles.status === 'error' && list.length === 0) {
    body = (
      <div className="sync-pad">
        <ErrorCallout error={styles.error} title="Could not read the style library">
          <div style={{ marginTop: 10 }}>
            <button type="button" className="btn small" onClick={() => void refreshLibrary()}>
              Try again
            </button>
          </div>
        </ErrorCallout>
      </div>
    )
  } else if (styles.status !== 'ready' && list.length === 0) {
    body = (
      <div className="empty">
        <Spinner large label="Loading styles" />
      </div>
    )
  } else if (list.length === 0) {
    body = (
      <Empty icon="file" title="No styles yet">
        Build a process string, then press <strong>Save style</strong> above the preview.
        {bucketOnly > 0 ? (
          <button type="button" className="btn small style-empty-action" onClick={() => setView('sync')}>
            Pull {bucketOnly} from the bucket…
          </button>
        ) : null}
      </Empty>
    )
  } else {
    body = (
      <>
        {shown.length === 0 ? (
          <Empty icon="file" title="No match">
            No style’s name, process or description contains “{query}”.
          </Empty>
        ) : (
          <ul className="style-list" aria-label="Styles">
            {shown.map((style) => (
              <StyleItem
                key={style.name}
                style={style}
                state={states.get(style.name)?.state}
                bucket={profile?.bucket}
                current={style.name === currentName}
                selected={selected.has(style.name)}
                names={names}
                onSelect={(on) => select(style.name, on)}
              />
            ))}
          </ul>
        )}
        {bucketOnly > 0 ? (
          <button type="button" className="style-bucket-hint" onClick={() => setView('sync')}>
            {bucketOnly} more style{bucketOnly === 1 ? ' is' : 's are'} only in {profile?.bucket ?? 'the bucket'} →
          </button>
        ) : null}
      </>
    )
  }

  return (
    <section className="panel styles-panel" aria-label="Style library">
      <div className="panel-header">
        <span className="panel-title">Styles</span>
        {list.length > 0 ? <span className="badge">{list.length}</span> : null}
        <span className="styles-spacer" />
        <button type="button" className="btn ghost small" aria-expanded={importing} onClick={() => setImporting((v) => !v)} title="Import styles from a JSON file">
          Import
        </button>
        <button type="button" className="btn ghost small" onClick={runExport} disabled={list.length === 0 || !!exporting.busy} title={chosen.length > 0 ? `Download the ${chosen.length} selected as JSON` : 'Download every style as JSON'}>
          {chosen.length > 0 ? `Export (${chosen.length})` : 'Export'}
        </button>
        <button type="button" className="btn ghost icon small" aria-label="Refresh styles" title="Refresh" onClick={() => void refreshLibrary()}>
          {styles.status === 'loading' || sync.status === 'loading' ? <span className="spinner" /> : <Icon name="refresh" />}
        </button>
      </div>
      {importing ? <ImportBox onClose={() => setImporting(false)} /> : null}
      {exporting.failure ? (
        <div className="sync-pad">
          <ErrorCallout error={exporting.failure.error} title="Export failed" />
        </div>
      ) : null}
      <div className="styles-tools">
        <div className="styles-views" role="group" aria-label="Styles view">
          <button type="button" aria-pressed={view === 'library'} onClick={() => setView('library')}>
            Library
          </button>
          <button type="button" aria-pressed={view === 'sync'} onClick={() => setView('sync')}>
            Sync with bucket
            {differing > 0 ? (
              <span className="styles-dot" aria-label={`${differing} to sync`}>
                {differing}
              </span>
            ) : null}
          </button>
        </div>
        {view === 'library' ? <input type="search" className="input styles-search" placeholder="Search styles" aria-label="Search styles" value={query} onChange={(e) => setQuery(e.target.value)} /> : null}
      </div>
      <div className="panel-body">
        {view === 'library' && broken.length > 0 ? (
          <div className="sync-pad">
            <BrokenStyles broken={broken} />
          </div>
        ) : null}
        {view === 'library' ? body : <SyncView bucket={profile?.bucket} profileName={profile?.name} />}
      </div>
    </section>
  )
}
