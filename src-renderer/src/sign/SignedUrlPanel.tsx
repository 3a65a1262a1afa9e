/**
 * The signed-URL options popover (a dialog: Escape or a click outside closes it, focus returns to
 * the caret): which objects, what to apply (the string, `style/NAME` when a bucket style matches,
 * any bucket style, nothing), expiry, V1/V4, the custom domain, a download file name; the URLs
 * signed live as options change, with their expiry; Copy as list / CSV for several objects; the
 * source-image protection warning with a one-click switch to the matching style.
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { EIcon } from '../editor/icons'
import { errorInfoOf, isCancelled } from '../ipc/client'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { formatDate } from '../ui/format'
import { copyText } from '../ui/clipboard'
import { EXPIRY_PRESETS, EXPIRY_UNITS, toList, type Apply, type ExpiryUnit, type SignedRow } from './model'
import { signAndCopy, type CopyFormat, type Feedback } from './copy'
import { LinkIcon } from './LinkIcon'
import { checkProtection, loadBucketStyles, setSignOptions, signAll, useSignOptions } from './state'
import type { SignTarget } from './useSignTarget'

const applyValue = (apply: Apply): string => (apply.kind === 'style' ? `style:${apply.name}` : apply.kind)
const applyOf = (value: string): Apply => (value.startsWith('style:') ? { kind: 'style', name: value.slice('style:'.length) } : value === 'none' ? { kind: 'none' } : { kind: 'current' })

/** A radio group drawn as segments; arrows move the choice (as in the parameter forms). */
function Segmented<T extends string>({ label, options, value, onChange }: { label: string; options: readonly { value: T; label: string }[]; value: T; onChange: (value: T) => void }) {
  return (
    <div className="segmented sign-segmented" role="radiogroup" aria-label={label}>
      {options.map((option, i) => (
        <button
          key={option.value}
          type="button"
          role="radio"
          aria-checked={value === option.value}
          data-explicit="true"
          tabIndex={value === option.value ? 0 : -1}
          onClick={() => onChange(option.value)}
          onKeyDown={(event) => {
            const delta = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0
            if (!delta) return
            event.preventDefault()
            const next = (i + delta + options.length) % options.length
            onChange(options[next]!.value)
            event.currentTarget.parentElement?.querySelectorAll<HTMLButtonElement>('button')[next]?.focus()
          }}
        >
          {option.label}
        </button>
      ))}
    </div>
  )
}

function relativeTime(iso: string): string {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000)
  if (!Number.isFinite(seconds)) return ''
  const [value, unit] = seconds < 3_600 ? [Math.round(seconds / 60), 'minute'] : seconds < 86_400 ? [Math.round(seconds / 3_600), 'hour'] : [Math.round(seconds / 86_400), 'day']
  return `in ${value} ${unit}${value === 1 ? '' : 's'}`
}

/** The URLs for the current options, signed again (debounced) whenever they change. */
function useLiveUrls(target: SignTarget, onError: (error: ErrorInfo | undefined) => void) {
  const [rows, setRows] = useState<SignedRow[] | undefined>()
  const [busy, setBusy] = useState(false)
  const { keys, settings } = target
  // The target is rebuilt whenever any store changes; sign again only when what is signed changed.
  const what = JSON.stringify([keys, settings])
  useEffect(() => {
    if (!settings || keys.length === 0) {
      setRows(undefined)
      onError(undefined)
      return
    }
    const controller = new AbortController()
    const timer = setTimeout(() => {
      setBusy(true)
      signAll(keys, settings, controller.signal).then(
        (signed) => {
          setRows(signed)
          onError(undefined)
          setBusy(false)
        },
        (error: unknown) => {
          if (isCancelled(error)) return
          setRows(undefined)
          onError(errorInfoOf(error))
          setBusy(false)
        }
      )
    }, 150)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [what, onError]) // `what` stands for keys and settings
  return { rows, busy }
}

export function SignedUrlPanel({
  target,
  error,
  onError,
  onCopied,
  onClose,
  container
}: {
  target: SignTarget
  error: ErrorInfo | undefined
  onError: (error: ErrorInfo | undefined) => void
  onCopied: (feedback: Feedback) => void
  onClose: () => void
  container: React.RefObject<HTMLElement | null>
}) {
  const options = useSignOptions()
  const activeId = useStudio((s) => s.activeId)
  const titleId = useId()
  const dialog = useRef<HTMLDivElement>(null)
  const [copying, setCopying] = useState<CopyFormat | undefined>()
  const [customDraft, setCustomDraft] = useState<{ custom: string; unit: ExpiryUnit }>(() => ('custom' in options.expiry ? options.expiry : { custom: '2', unit: 'hours' }))
  const { rows, busy } = useLiveUrls(target, onError)
  const { keys, profile, styles, match, apply, process } = target
  const first = keys[0]

  // Fresh facts each time the panel opens: a style may have been pushed since.
  useEffect(() => {
    if (!activeId) return
    void loadBucketStyles(activeId, true)
  }, [activeId])
  useEffect(() => {
    if (activeId && first) void checkProtection(activeId, first)
  }, [activeId, first])

  // Focus into the dialog once; Escape (below) and a click outside close it.
  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('select, button, input')?.focus()
  }, [])
  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) onClose()
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [container, onClose])

  const copy = async (format: CopyFormat) => {
    setCopying(format)
    try {
      const result = await signAndCopy(format)
      if ('error' in result) onError(result.error)
      else onCopied(result.feedback)
    } finally {
      setCopying(undefined)
    }
  }

  const copySingle = async () => {
    if (rows?.length !== 1) return
    if (await copyText(toList(rows))) onCopied({ text: 'Copied signed URL', tone: target.protectionWarning ? 'warn' : 'ok' })
  }

  const bucketStyles = styles?.status === 'ready' ? styles.styles : []
  const expiryChoice = 'preset' in options.expiry ? String(options.expiry.preset) : 'custom'
  const several = keys.length > 1
  const output = rows ? (several ? toList(rows) : rows[0]!.url) : ''
  const expiresAt = rows?.[0]?.expiresAt

  return (
    <div
      ref={dialog}
      id="signed-url-panel"
      className="popover sign-popover"
      role="dialog"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation()
          onClose()
        }
      }}
    >
      <header className="sign-head">
        <LinkIcon size={15} />
        <strong id={titleId}>Signed URL</strong>
        <span className="sign-for">
          {keys.length === 0 ? 'no object chosen' : several ? `${keys.length} checked objects` : target.fromChecked ? '1 checked object' : 'current object'}
        </span>
        <button type="button" className="btn ghost icon small" onClick={onClose} aria-label="Close">
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
          </svg>
        </button>
      </header>

      {keys.length > 0 ? (
        <ul className="sign-keys" aria-label="Objects to sign">
          {keys.slice(0, 3).map((key) => (
            <li key={key} className="mono" title={key}>
              {key}
            </li>
          ))}
          {keys.length > 3 ? <li className="more">and {keys.length - 3} more</li> : null}
        </ul>
      ) : (
        <p className="sign-hint">Choose an object in the bucket browser, or check several.</p>
      )}

      <div className="sign-field">
        <label htmlFor={`${titleId}-apply`}>Processing</label>
        <select id={`${titleId}-apply`} className="select" value={applyValue(apply)} onChange={(event) => setSignOptions({ apply: applyOf(event.target.value) })}>
          <option value="current">Current process string</option>
          {match ? <option value={`style:${match}`}>{`style/${match} (same as the string)`}</option> : null}
          {bucketStyles
            .filter((s) => s.name !== match)
            .map((s) => (
              <option key={s.name} value={`style:${s.name}`}>{`style/${s.name}`}</option>
            ))}
          {apply.kind === 'style' && !bucketStyles.some((s) => s.name === apply.name) ? <option value={applyValue(apply)}>{`style/${apply.name}`}</option> : null}
          <option value="none">No processing (the original)</option>
        </select>
        <code className="sign-process" title={process}>
          {process === '' ? 'no x-oss-process' : `x-oss-process=${process}`}
        </code>
        {styles?.status === 'error' ? <p className="sign-hint">The bucket’s styles could not be listed ({styles.error.code}); only the string can be used.</p> : null}
        {match && apply.kind === 'current' ? (
          <p className="sign-hint">
            The bucket’s <code>style/{match}</code> does the same.{' '}
            <button type="button" className="link-button" onClick={() => setSignOptions({ apply: { kind: 'style', name: match } })}>
              Use it
            </button>
          </p>
        ) : null}
      </div>

      {target.protectionWarning ? (
        <div className="warning-note" role="alert" data-testid="protection-warning">
          <EIcon name="shield" size={15} />
          <div>
            <strong>Source-image protection is on for this bucket.</strong> OSS refuses ad-hoc <code>image/…</code> processing to anonymous and public requests (AccessDenied, EC 0040-00000031); only styles are served. Push the string as a style and
            use <code>style/NAME</code>.
            {match ? (
              <div className="warning-note-actions">
                <button type="button" className="btn small" onClick={() => setSignOptions({ apply: { kind: 'style', name: match } })}>
                  Use style/{match}
                </button>
              </div>
            ) : null}
          </div>
        </div>
      ) : target.protection ? (
        <p className="sign-note" data-testid="protection-state">
          <EIcon name="shield" size={12} />
          <span>
            Source-image protection: {target.protection === 'on' ? 'on (the public gets styles only)' : target.protection === 'off' ? 'off' : 'not detectable (the bucket refuses anonymous reads)'}
          </span>
        </p>
      ) : null}

      <div className="sign-field">
        <span className="sign-label" id={`${titleId}-expiry`}>
          Expires after
        </span>
        <Segmented
          label="Expiry"
          value={expiryChoice}
          options={[...EXPIRY_PRESETS.map((p) => ({ value: String(p.seconds), label: p.label })), { value: 'custom', label: 'Custom' }]}
          onChange={(value) => setSignOptions({ expiry: value === 'custom' ? customDraft : { preset: Number(value) } })}
        />
        {'custom' in options.expiry ? (
          <div className="sign-custom">
            <input
              className="input"
              inputMode="decimal"
              aria-label="Custom expiry"
              value={customDraft.custom}
              aria-invalid={target.problem?.code === 'InvalidExpiry' ? true : undefined}
              onChange={(event) => {
                const next = { ...customDraft, custom: event.target.value }
                setCustomDraft(next)
                setSignOptions({ expiry: next })
              }}
            />
            <select
              className="select"
              aria-label="Custom expiry unit"
              value={customDraft.unit}
              onChange={(event) => {
                const next = { ...customDraft, unit: event.target.value as ExpiryUnit }
                setCustomDraft(next)
                setSignOptions({ expiry: next })
              }}
            >
              {Object.keys(EXPIRY_UNITS).map((unit) => (
                <option key={unit} value={unit}>
                  {unit}
                </option>
              ))}
            </select>
            <span className="sign-hint">max 7 days</span>
          </div>
        ) : null}
      </div>

      <div className="sign-row">
        <div className="sign-field">
          <span className="sign-label">Signature</span>
          <Segmented
            label="Signature version"
            value={options.version}
            options={[
              { value: 'v4', label: 'V4' },
              { value: 'v1', label: 'V1' }
            ]}
            onChange={(version) => setSignOptions({ version })}
          />
        </div>
        {profile?.customDomain ? (
          <label className="switch sign-switch">
            <input type="checkbox" checked={options.useCustomDomain} onChange={(event) => setSignOptions({ useCustomDomain: event.target.checked })} />
            <span className="switch-track small" />
            <span className="switch-text">
              Custom domain <code>{profile.customDomain}</code>
            </span>
          </label>
        ) : null}
      </div>

      {several ? null : (
        <div className="sign-field">
          <label htmlFor={`${titleId}-file`}>Download file name</label>
          <input id={`${titleId}-file`} className="input" placeholder="optional, e.g. photo.jpg" value={options.fileName} onChange={(event) => setSignOptions({ fileName: event.target.value })} />
        </div>
      )}

      {target.problem || error ? <ErrorCallout error={(target.problem ?? error)!} title="No signed URL" /> : null}

      <div className="sign-output-wrap" aria-busy={busy}>
        <textarea className="sign-output mono" readOnly aria-label={several ? 'Signed URLs' : 'Signed URL'} rows={several ? Math.min(5, keys.length) : 3} wrap={several ? 'off' : 'soft'} value={output} placeholder={busy ? 'Signing…' : ''} onFocus={(event) => event.currentTarget.select()} />
        {expiresAt ? (
          <p className="sign-expiry" data-testid="sign-expiry">
            Expires {formatDate(expiresAt)} ({relativeTime(expiresAt)})
          </p>
        ) : null}
      </div>

      <footer className="sign-actions">
        {several ? (
          <>
            <button type="button" className="btn small" onClick={() => void copy('list')} disabled={copying !== undefined || !target.settings}>
              <EIcon name="clipboard" size={14} />
              Copy as list
            </button>
            <button type="button" className="btn small" onClick={() => void copy('csv')} disabled={copying !== undefined || !target.settings}>
              <EIcon name="file" size={14} />
              Copy as CSV
            </button>
          </>
        ) : (
          <button type="button" className="btn small" onClick={() => void copySingle()} disabled={!rows}>
            <EIcon name="clipboard" size={14} />
            Copy URL
          </button>
        )}
      </footer>
    </div>
  )
}
