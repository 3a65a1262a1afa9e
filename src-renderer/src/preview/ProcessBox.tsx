/**
 * The x-oss-process box: a monospace field whose error span (from the shared parser, or OSS's
 * answer from main) is highlighted in place, plus a few example presets.
 */
import { useLayoutEffect, useRef } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'

export const PRESETS: readonly { readonly label: string; readonly process: string }[] = [
  { label: 'Resize 640', process: 'image/resize,w_640/quality,q_80' },
  { label: 'Square thumb', process: 'image/resize,m_fill,w_200,h_200' },
  { label: 'WebP 800', process: 'image/resize,w_800/format,webp/quality,q_80' },
  { label: 'Rotate + blur', process: 'image/rotate,90/blur,r_8,s_4' },
  { label: 'Circle avatar', process: 'image/resize,m_fill,w_240,h_240/circle,r_120/format,png' },
  { label: 'Text watermark', process: 'image/resize,w_800/watermark,text_T1NTIElNRyBTdHVkaW8,color_FFFFFF,size_36,g_se,x_24,y_24,shadow_60' },
  { label: 'style/thumb', process: 'style/thumb' },
  { label: 'Info (JSON)', process: 'image/info' }
]

export function ProcessBox({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: ErrorInfo | undefined }) {
  const textarea = useRef<HTMLTextAreaElement>(null)
  const backdrop = useRef<HTMLDivElement>(null)

  // Grow with the text (process strings can be long), keep the highlight aligned.
  useLayoutEffect(() => {
    const el = textarea.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${el.scrollHeight}px`
  }, [value])

  const span = error?.span && error.span.start <= value.length ? error.span : undefined
  const start = span?.start ?? 0
  // An empty span (something missing) marks one character's width at its place.
  const end = span ? Math.min(value.length, Math.max(span.end, span.start + 1)) : 0

  return (
    <div>
      <label className="field-label" htmlFor="process">
        <span>x-oss-process</span>
        <span className="hint">Renders live on the selected object</span>
      </label>
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
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'process-error' : undefined}
          onChange={(e) => onChange(e.target.value.replace(/[\r\n]+/g, ''))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.preventDefault()
          }}
          onScroll={(e) => {
            if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop
          }}
        />
      </div>
      <div className="presets" role="group" aria-label="Examples">
        <span className="presets-label">Examples</span>
        {PRESETS.map((preset) => (
          <button key={preset.label} type="button" className="chip" aria-pressed={preset.process === value} onClick={() => onChange(preset.process)} title={preset.process}>
            {preset.label}
          </button>
        ))}
      </div>
    </div>
  )
}
