/**
 * One style of the library: name, bucket state, process string, description, when it was saved
 * and how many versions it has. Clicking it opens it in the editor; its "Actions for NAME" menu
 * renames, duplicates, lists versions (open / revert), pushes, pulls, exports and deletes.
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf, isCancelled } from '../ipc/client'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Spinner } from '../ui/Empty'
import { formatDate } from '../ui/format'
import { deleteStyle, duplicateStyle, exportStyles, openInEditor, pullStyles, pushStyles, renameStyle, revertStyle, styleHistory, type DiffState, type StyleSummary, type StyleVersion } from './store'
import { downloadJson, NAME_RULE, nameProblem, relativeTime, useAction } from './util'

export const STATE_LABEL: Record<DiffState, string> = { same: 'in sync', 'local-only': 'local only', 'bucket-only': 'in bucket only', different: 'differs' }
const STATE_HINT: Record<DiffState, string> = {
  same: 'The bucket holds this style with the same content',
  'local-only': 'Not in the bucket yet: push it to use style/NAME there',
  'bucket-only': 'Only in the bucket: pull it into the library',
  different: 'The bucket holds a different content under this name'
}

export function StateBadge({ state }: { state: DiffState | undefined }) {
  if (!state) return null
  return (
    <span className="badge style-state" data-state={state} title={STATE_HINT[state]}>
      {STATE_LABEL[state]}
    </span>
  )
}

// ---- menu -----------------------------------------------------------------------------------

interface MenuItem {
  readonly label: string
  readonly onSelect: () => void
  readonly disabled?: boolean
  readonly hint?: string
  readonly danger?: boolean
}

function ActionsMenu({ label, items }: { label: string; items: readonly MenuItem[] }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const id = useId()

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')?.focus()
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const close = () => {
    setOpen(false)
    button.current?.focus()
  }

  const onKeyDown = (event: React.KeyboardEvent) => {
    const entries = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])]
    const index = entries.indexOf(document.activeElement as HTMLButtonElement)
    const target = { ArrowDown: entries[(index + 1) % entries.length], ArrowUp: entries[(index - 1 + entries.length) % entries.length], Home: entries[0], End: entries.at(-1) }[event.key]
    if (target) {
      event.preventDefault()
      target.focus()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    } else if (event.key === 'Tab') setOpen(false)
  }

  return (
    <div className="style-menu-wrap">
      <button ref={button} type="button" className="btn ghost icon small style-menu-button" aria-label={label} aria-haspopup="menu" aria-expanded={open} aria-controls={open ? id : undefined} onClick={() => setOpen((o) => !o)}>
        <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
          <circle cx="3" cy="8" r="1.4" />
          <circle cx="8" cy="8" r="1.4" />
          <circle cx="13" cy="8" r="1.4" />
        </svg>
      </button>
      {open ? (
        <div ref={menu} id={id} className="style-menu" role="menu" aria-label={label} onKeyDown={onKeyDown}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger ? 'danger' : undefined}
              disabled={item.disabled}
              title={item.hint}
              onClick={() => {
                close()
                item.onSelect()
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  )
}

// ---- inline forms ---------------------------------------------------------------------------

/** A new name for rename/duplicate, checked against OSS's rules and the library before sending. */
function NameForm({ initial, label, submitLabel, taken, onSubmit, onCancel }: { initial: string; label: string; submitLabel: string; taken: ReadonlySet<string>; onSubmit: (name: string) => void; onCancel: () => void }) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [name, setName] = useState(initial)
  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])
  const problem = nameProblem(name)
  const clash = !problem && taken.has(name) && name !== initial ? `A style named ${name} exists already.` : undefined
  const unchangedName = name === initial && submitLabel === 'Rename'
  return (
    <form
      className="style-inline"
      aria-label={`${submitLabel} style`}
      onSubmit={(event) => {
        event.preventDefault()
        if (!problem && !clash && !unchangedName) onSubmit(name)
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation()
          onCancel()
        }
      }}
    >
      <label htmlFor={id} className="style-inline-label">
        {label}
      </label>
      <input ref={input} id={id} className="input mono" value={name} spellCheck={false} autoComplete="off" aria-invalid={problem || clash ? 'true' : undefined} aria-describedby={`${id}-hint`} onChange={(e) => setName(e.target.value)} />
      <span id={`${id}-hint`} className={problem || clash ? 'field-error' : 'field-hint'}>
        {problem ? `${problem.message} EC ${problem.ec} — ${NAME_RULE}` : (clash ?? NAME_RULE)}
      </span>
      <div className="style-inline-actions">
        <button type="button" className="btn small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn small primary" disabled={!!problem || !!clash || unchangedName}>
          {submitLabel}
        </button>
      </div>
    </form>
  )
}

function Versions({ style, onRevert, busy }: { style: StyleSummary; onRevert: (version: number) => void; busy: boolean }) {
  const [versions, setVersions] = useState<readonly StyleVersion[] | undefined>(undefined)
  const [error, setError] = useState<ErrorInfo | undefined>(undefined)
  useEffect(() => {
    const controller = new AbortController()
    styleHistory(style.name, controller.signal).then(setVersions, (e: unknown) => {
      if (!isCancelled(e)) setError(errorInfoOf(e))
    })
    return () => controller.abort()
    // A new version (save, revert, pull) changes updatedAt: list again.
  }, [style.name, style.updatedAt])

  if (error) return <ErrorCallout error={error} title="Could not read the versions" />
  if (!versions) {
    return (
      <div className="style-versions-loading">
        <Spinner label="Loading versions" /> Loading versions…
      </div>
    )
  }
  const latest = versions.at(-1)?.version
  return (
    <ol className="style-versions" aria-label={`Versions of ${style.name}`} reversed>
      {[...versions].reverse().map((v) => (
        <li key={v.version} className="style-version" data-version={v.version}>
          <div className="style-version-head">
            <span className="style-version-number">v{v.version}</span>
            <span className="style-version-date" title={v.savedAt}>
              {formatDate(v.savedAt)}
            </span>
            {v.version === latest ? <span className="badge accent">current</span> : null}
          </div>
          <code className="style-version-process" title={v.process}>
            {v.process}
          </code>
          <div className="style-version-actions">
            <button type="button" className="btn small ghost" aria-label={`Open version ${v.version}`} title="Load this version into the editor (the library is unchanged)" onClick={() => openInEditor(style.name, v.process)}>
              Open
            </button>
            {v.version !== latest ? (
              <button type="button" className="btn small" aria-label={`Revert to version ${v.version}`} title={`Save version ${v.version}’s content as the newest version and open it`} disabled={busy} onClick={() => onRevert(v.version)}>
                Revert
              </button>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  )
}

// ---- the item -------------------------------------------------------------------------------

type Mode = 'none' | 'rename' | 'duplicate' | 'versions' | 'delete'

export interface StyleItemProps {
  readonly style: StyleSummary
  readonly state: DiffState | undefined
  readonly bucket: string | undefined
  readonly current: boolean
  readonly selected: boolean
  readonly names: ReadonlySet<string>
  onSelect(selected: boolean): void
}

export function StyleItem({ style, state, bucket, current, selected, names, onSelect }: StyleItemProps) {
  const [mode, setMode] = useState<Mode>('none')
  const [notice, setNotice] = useState<string | undefined>(undefined)
  const [alsoRemote, setAlsoRemote] = useState(false)
  const action = useAction()
  const id = useId()
  const { name } = style
  const inBucket = state === 'same' || state === 'different'
  const where = bucket ?? 'the bucket'

  const run = async (label: string, work: () => Promise<unknown>, done?: string) => {
    setNotice(undefined)
    const ok = await action.run(label, work)
    if (ok && done) setNotice(done)
    return ok
  }
  /** Runs a form's action; the form stays open (with the error) when it fails. */
  const submit = (label: string, work: () => Promise<unknown>, done?: string) =>
    void run(label, work, done).then((ok) => {
      if (ok) setMode('none')
    })
  const toggle = (next: Mode) => {
    action.clear()
    setNotice(undefined)
    setMode((m) => (m === next ? 'none' : next))
  }

  const items: MenuItem[] = [
    { label: 'Open in editor', onSelect: () => openInEditor(name, style.process) },
    { label: 'Rename…', onSelect: () => toggle('rename') },
    { label: 'Duplicate…', onSelect: () => toggle('duplicate') },
    { label: mode === 'versions' ? 'Hide versions' : 'Versions', onSelect: () => toggle('versions') },
    { label: 'Push to bucket', disabled: !bucket || state === 'same', hint: state === 'same' ? `Already in ${where}` : `Upload to ${where} as style/${name}`, onSelect: () => void run('push', () => pushStyles([name]), `Pushed to ${where}.`) },
    { label: 'Pull from bucket', disabled: !inBucket || state === 'same', hint: inBucket ? `Replace the library’s content with ${where}’s (a new version)` : `Not in ${where}`, onSelect: () => void run('pull', () => pullStyles([name]), `Pulled from ${where}.`) },
    { label: 'Export…', onSelect: () => void run('export', async () => downloadJson(await exportStyles([name]), `${name}.oss-img-styles.json`)) },
    { label: 'Delete…', danger: true, onSelect: () => toggle('delete') }
  ]

  return (
    <li className="style-item" aria-label={name} aria-current={current ? 'true' : undefined} data-style={name} data-state={state}>
      <div className="style-row">
        <input type="checkbox" className="style-check" aria-label={`Select ${name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        <button type="button" className="style-open" aria-label={name} aria-describedby={`${id}-process`} title="Open in the editor" onClick={() => openInEditor(name, style.process)}>
          <span className="style-title">
            <span className="style-name">{name}</span>
            <StateBadge state={state} />
          </span>
          <code className="style-process" id={`${id}-process`} title={style.process}>
            {style.process}
          </code>
          {style.description ? <span className="style-desc">{style.description}</span> : null}
          <span className="style-meta">
            <span title={formatDate(style.updatedAt)}>{relativeTime(style.updatedAt)}</span>
            {' · '}
            <span data-testid="version-count">
              {style.versions} version{style.versions === 1 ? '' : 's'}
            </span>
          </span>
        </button>
        <ActionsMenu label={`Actions for ${name}`} items={items} />
      </div>
      {action.busy ? (
        <div className="style-note" role="status">
          <Spinner label="Working" /> {action.busy === 'push' ? `Pushing to ${where}…` : action.busy === 'pull' ? `Pulling from ${where}…` : 'Working…'}
        </div>
      ) : notice ? (
        <div className="style-note success" role="status">
          {notice}
        </div>
      ) : null}
      {mode === 'rename' ? (
        <NameForm initial={name} label={`New name for ${name}`} submitLabel="Rename" taken={names} onCancel={() => setMode('none')} onSubmit={(to) => submit('rename', () => renameStyle(name, to))} />
      ) : mode === 'duplicate' ? (
        <NameForm initial={`${name.slice(0, 58)}-copy`} label={`Name of the copy of ${name}`} submitLabel="Duplicate" taken={names} onCancel={() => setMode('none')} onSubmit={(as) => submit('duplicate', () => duplicateStyle(name, as), `Duplicated as ${as}.`)} />
      ) : mode === 'versions' ? (
        <Versions style={style} busy={!!action.busy} onRevert={(version) => void run('revert', () => revertStyle(name, version), `Reverted to version ${version}'s content (now version ${style.versions + 1}).`)} />
      ) : mode === 'delete' ? (
        <div className="confirm style-confirm" role="alertdialog" aria-label={`Delete ${name}?`}>
          <p>
            Delete <strong>{name}</strong> and its {style.versions} version{style.versions === 1 ? '' : 's'} from the local library?
            {inBucket && !alsoRemote ? ` The copy in ${where} is kept: URLs using style/${name} keep working.` : ''}
          </p>
          {inBucket ? (
            <label className="style-confirm-remote">
              <input type="checkbox" checked={alsoRemote} onChange={(e) => setAlsoRemote(e.target.checked)} /> Also delete it from {where}
            </label>
          ) : null}
          <div className="style-inline-actions">
            <button type="button" className="btn small" onClick={() => setMode('none')} disabled={!!action.busy}>
              Keep
            </button>
            <button type="button" className="btn small danger solid" disabled={!!action.busy} onClick={() => void run('delete', () => deleteStyle(name, inBucket && alsoRemote))}>
              {inBucket && alsoRemote ? 'Delete everywhere' : 'Delete'}
            </button>
          </div>
        </div>
      ) : null}
      {action.failure ? (
        <div className="style-failure">
          <ErrorCallout error={action.failure.error} title={`Could not ${action.failure.label} ${name}`} />
        </div>
      ) : null}
    </li>
  )
}
