/**
 * The process string, always visible and editable: a monospace field whose error span (from the
 * shared parser, or OSS's answer from main) is highlighted in place, a Copy button and a few
 * example presets. Typing rebuilds the pipeline as soon as the text parses; leaving the field (or
 * Enter) rewrites it in canonical form. Pipeline edits rewrite it at once.
 */
import { useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { canonicalize, useEditor } from '../state/editor'
import { copyText } from '../ui/clipboard'
import { EIcon } from './icons'

export const PRESETS: readonly { readonly label: MessageKey; readonly process: string }[] = [
  { label: 'editor.presets.resize640', process: 'image/resize,w_640/quality,q_80' },
  { label: 'editor.presets.squareThumb', process: 'image/resize,m_fill,w_200,h_200' },
  { label: 'editor.presets.webp800', process: 'image/resize,w_800/format,webp/quality,q_80' },
  { label: 'editor.presets.rotateBlur', process: 'image/resize,l_2000/rotate,90/blur,r_8,s_4' },
  { label: 'editor.presets.circleAvatar', process: 'image/resize,m_fill,w_240,h_240/circle,r_120/format,png' },
  { label: 'editor.presets.textWatermark', process: 'image/resize,w_800/watermark,text_T1NTIElNRyBTdHVkaW8,color_FFFFFF,size_36,shadow_60,g_se,x_24,y_24' },
  { label: 'editor.presets.styleThumb', process: 'style/thumb' },
  { label: 'editor.presets.info', process: 'image/info' }
]

export interface ProcessStringBoxProps {
  readonly value: string
  readonly onChange: (value: string) => void
  readonly error: ErrorInfo | undefined
  /** More buttons in the header, after Copy (Save style, Copy signed URL). */
  readonly actions?: React.ReactNode
}

export function ProcessStringBox({ value, onChange, error, actions }: ProcessStringBoxProps) {
  const { t } = useTranslation()
  const tooltip = t('editor.process.tooltip')
  const textarea = useRef<HTMLTextAreaElement>(null)
  const backdrop = useRef<HTMLDivElement>(null)
  const [copied, setCopied] = useState(false)
  const disabledCount = useEditor((s) => s.doc.items.filter((i) => !i.enabled).length)

  const span = error?.span && value !== '' && error.span.start <= value.length ? error.span : undefined
  const start = span?.start ?? 0
  // An empty span (something missing) marks one character's width at its place.
  const end = span ? Math.min(value.length, Math.max(span.end, span.start + 1)) : 0

  const copy = async () => {
    if (await copyText(value)) {
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    }
  }

  return (
    <div className="process-box">
      <div className="field-label">
        <label htmlFor="process" className="process-label">
          <span>{t('editor.process.label')}</span>
          <code className="process-param">{'x-oss-process'}</code>
        </label>
        <span className="process-tools">
          {disabledCount > 0 ? (
            <span className="hint" title={tooltip} data-testid="disabled-hint">
              <EIcon name="info" size={13} /> {t('editor.process.disabledSteps', { count: disabledCount })}
            </span>
          ) : null}
          <button type="button" className="btn small" onClick={() => void copy()} aria-label={t('editor.process.copyLabel')} title={t('editor.process.copyTitle')} disabled={value === ''}>
            <EIcon name={copied ? 'check' : 'clipboard'} size={14} />
            <span aria-live="polite">{copied ? t('common.copied') : t('common.copy')}</span>
          </button>
          {actions}
        </span>
      </div>
      <div className="code-input" data-invalid={error ? 'true' : undefined}>
        <div className="code-backdrop" ref={backdrop} aria-hidden="true">
          {span ? (
            <>
              {value.slice(0, start)}
              <mark data-testid="error-span">{value.slice(start, end) || ' '}</mark>
              {value.slice(end)}
            </>
          ) : (
            value
          )}
          {'\n'}
        </div>
        <textarea
          id="process"
          ref={textarea}
          className="code-textarea"
          value={value}
          rows={1}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          placeholder={t('editor.process.placeholder')}
          aria-label={t('editor.process.label')}
          title={tooltip}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'process-error' : undefined}
          onChange={(e) => onChange(e.target.value.replace(/[\r\n]+/g, ''))}
          onBlur={() => canonicalize()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              canonicalize()
            }
          }}
          onScroll={(e) => {
            if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop
          }}
        />
      </div>
      <div className="presets" role="group" aria-label={t('editor.presets.label')}>
        <span className="presets-label">{t('editor.presets.label')}</span>
        {PRESETS.map((preset) => (
          <button key={preset.label} type="button" className="chip" aria-pressed={preset.process === value} onClick={() => {
              onChange(preset.process)
              canonicalize()
            }} title={preset.process}>
            {t(preset.label)}
          </button>
        ))}
      </div>
    </div>
  )
}
