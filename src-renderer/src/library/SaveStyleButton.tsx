/**
 * "Save style" in the process string's header, with the current style's name beside it
 * ("Style thumb • modified" once the string no longer equals the saved content). The button opens
 * a small dialog: name (prefilled with the current style's; OSS's name rules checked before
 * anything is sent), description; saving an existing name adds a version. Enter saves, Escape
 * closes, focus goes into the dialog and back to the button.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { sameStyleProcess } from '../../../src-shared/model/style-rules'
import { useProcessString } from '../state/process'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Spinner } from '../ui/Empty'
import { saveStyle, useCurrentStyle, useLibrary, type CurrentStyle } from './store'
import { NAME_RULE, nameProblem, styleProcessProblem, useAction } from './util'

const FOCUSABLE = 'input:not([disabled]), button:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** Keeps Tab inside `container` (the dialog holds focus until it closes). */
function trapTab(event: React.KeyboardEvent, container: HTMLElement | null) {
  if (event.key !== 'Tab' || !container) return
  const items = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)]
  const first = items[0]
  const last = items.at(-1)
  if (!first || !last) return
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault()
    last.focus()
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault()
    first.focus()
  }
}

function SaveStyleDialog({ process, current, onClose, anchor }: { process: string; current: CurrentStyle | undefined; onClose: (refocus: boolean) => void; anchor: React.RefObject<HTMLElement | null> }) {
  const id = useId()
  const dialog = useRef<HTMLFormElement>(null)
  const nameInput = useRef<HTMLInputElement>(null)
  const styles = useLibrary((s) => ('data' in s.styles ? s.styles.data : undefined))
  const [name, setName] = useState(current?.name ?? '')
  // Untouched, the description is the named style's own (so saving a version keeps it).
  const [description, setDescription] = useState<string | undefined>(undefined)
  const [showNameError, setShowNameError] = useState(false)
  const action = useAction()

  const existing = styles?.find((s) => s.name === name)
  const shownDescription = description ?? existing?.description ?? ''
  const nameError = nameProblem(name)
  const processError = styleProcessProblem(process)
  const unchanged = !!existing && sameStyleProcess(existing.process, process) && (existing.description ?? '') === shownDescription

  useEffect(() => {
    nameInput.current?.focus()
    nameInput.current?.select()
  }, [])

  // A press outside closes it (focus stays where the user put it).
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node
      if (!dialog.current?.contains(target) && !anchor.current?.contains(target)) onClose(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [onClose, anchor])

  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    if (nameError) {
      setShowNameError(true)
      nameInput.current?.focus()
      return
    }
    if (processError || action.busy) return
    if (await action.run('save', () => saveStyle(name, process, shownDescription))) onClose(true)
  }

  let note: React.ReactNode
  if (existing) {
    note = unchanged ? (
      <>
        No changes since version {existing.versions} of <strong>{existing.name}</strong>.
      </>
    ) : (
      <>
        Saves version {existing.versions + 1} of <strong>{existing.name}</strong>.
      </>
    )
  } else if (name !== '' && !nameError) {
    note = (
      <>
        Creates the style <strong>{name}</strong>.
      </>
    )
  } else note = NAME_RULE

  const nameInvalid = showNameError || (name !== '' && !!nameError)
  return (
    <form
      ref={dialog}
      className="popover style-dialog"
      role="dialog"
      aria-label="Save style"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault()
          event.stopPropagation()
          onClose(true)
        } else trapTab(event, dialog.current)
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          ref={nameInput}
          id={`${id}-name`}
          className="input mono"
          value={name}
          maxLength={100}
          spellCheck={false}
          autoComplete="off"
          list={`${id}-names`}
          aria-invalid={nameInvalid ? 'true' : undefined}
          aria-describedby={`${id}-note`}
          onChange={(e) => setName(e.target.value)}
        />
        <datalist id={`${id}-names`}>{styles?.map((s) => <option key={s.name} value={s.name} />)}</datalist>
        {nameInvalid && nameError ? (
          <span className="field-error" id={`${id}-note`} data-testid="style-name-error">
            {nameError.message} <span className="mono">EC {nameError.ec}</span> — {NAME_RULE}
          </span>
        ) : (
          <span className="field-hint" id={`${id}-note`} data-testid="save-note">
            {note}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>
          Description <span className="optional">(optional)</span>
        </label>
        <input id={`${id}-description`} className="input" value={shownDescription} maxLength={1024} autoComplete="off" onChange={(e) => setDescription(e.target.value)} />
      </div>
      <code className="style-dialog-process" title={process}>
        {process}
      </code>
      {processError ? <ErrorCallout error={processError} title="This process string cannot be a style" /> : null}
      {action.failure ? <ErrorCallout error={action.failure.error} title="Not saved" /> : null}
      <div className="style-dialog-actions">
        <button type="button" className="btn small" onClick={() => onClose(true)}>
          Cancel
        </button>
        <button type="submit" className="btn small primary" disabled={!!processError || !!action.busy || (nameInvalid && !!nameError)}>
          {action.busy ? <Spinner label="Saving" /> : null}
          Save
        </button>
      </div>
    </form>
  )
}

export function SaveStyleButton() {
  const process = useProcessString()
  const current = useCurrentStyle()
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const wrap = useRef<HTMLSpanElement>(null)
  const problem = useMemo(() => (process.trim() === '' ? 'the process string is empty' : styleProcessProblem(process)?.message), [process])

  const close = useCallback((refocus: boolean) => {
    setOpen(false)
    if (refocus) button.current?.focus()
  }, [])

  return (
    <span className="style-save" ref={wrap}>
      {current ? (
        <span className="style-current" data-testid="current-style" data-modified={current.modified ? 'true' : undefined} title={current.modified ? `The string differs from the saved style ${current.name} (version ${current.versions})` : `Saved as ${current.name}, version ${current.versions}`}>
          <span className="sr-only">Style </span>
          <strong>{current.name}</strong>
          {current.modified ? <span className="style-current-modified"> • modified</span> : null}
        </span>
      ) : null}
      <button
        ref={button}
        type="button"
        className="btn small"
        disabled={problem !== undefined}
        title={problem ? `Cannot save as a style: ${problem}` : 'Save the process string as a named style (a new version if the name exists)'}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        Save style
      </button>
      {open ? <SaveStyleDialog process={process} current={current} onClose={close} anchor={wrap} /> : null}
    </span>
  )
}
