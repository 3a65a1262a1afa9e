/**
 * "Copy signed URL" in the process string's header: one click signs the checked objects (else the
 * current object) with the current options and puts the URL — or one URL per line — on the
 * clipboard. The caret next to it opens the options (SignedUrlPanel). Failures open the panel with
 * OSS's error; a URL that source-image protection would refuse to the public says so.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { useTranslation } from '../i18n'
import { signAndCopy, type CopyFormat, type Feedback } from './copy'
import { LinkIcon } from './LinkIcon'
import { SignedUrlPanel } from './SignedUrlPanel'
import { useSignTarget } from './useSignTarget'

export function SignedUrlButton() {
  const { t } = useTranslation()
  const target = useSignTarget()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [feedback, setFeedback] = useState<Feedback | undefined>()
  const [error, setError] = useState<ErrorInfo | undefined>()
  const caret = useRef<HTMLButtonElement>(null)
  const wrapper = useRef<HTMLSpanElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  const show = (next: Feedback) => {
    setFeedback(next)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => setFeedback(undefined), next.tone === 'warn' ? 5000 : 2200)
  }
  useEffect(() => () => clearTimeout(timer.current), [])

  const copy = async (format: CopyFormat) => {
    setBusy(true)
    setError(undefined)
    try {
      const result = await signAndCopy(format)
      if ('error' in result) {
        if (result.error.code === 'Cancelled') return
        setError(result.error)
        // The panel is where errors (and the options to fix them) are shown.
        setOpen(true)
      } else {
        show(result.feedback)
      }
    } finally {
      setBusy(false)
    }
  }

  // Stable, so the panel's outside-click listener is not re-attached on every render.
  const close = useCallback(() => {
    setOpen(false)
    caret.current?.focus()
  }, [])

  const none = target.keys.length === 0
  const count = target.keys.length
  return (
    <span className="sign-split" ref={wrapper}>
      <span className="btn-group">
        <button
          type="button"
          className="btn small"
          onClick={() => void copy('list')}
          disabled={none || busy}
          title={none ? t('sign.button.chooseObject') : count > 1 ? t('sign.button.signChecked', { count }) : t('sign.button.signOne', { key: target.keys[0] })}
        >
          {busy ? <span className="spinner" /> : <LinkIcon />}
          {t('sign.button.copy')}
          {count > 1 ? <span className="count-badge">{count}</span> : null}
        </button>
        <button
          ref={caret}
          type="button"
          className="btn small icon caret"
          aria-label={t('sign.button.options')}
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={open ? 'signed-url-panel' : undefined}
          onClick={() => (open ? close() : setOpen(true))}
          data-warn={target.protectionWarning ? 'true' : undefined}
          title={t('sign.button.options')}
        >
          <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
            <path d="M2 3.5l3 3 3-3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
      </span>
      <span className={`sign-toast${feedback ? ' shown' : ''}`} data-tone={feedback?.tone} role="status" aria-live="polite">
        {feedback?.text ?? ''}
      </span>
      {open ? <SignedUrlPanel target={target} error={error} onError={setError} onCopied={show} onClose={close} container={wrapper} /> : null}
    </span>
  )
}
