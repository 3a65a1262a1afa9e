/**
 * The parameter controls the generic form is made of, one per kind of schema parameter:
 * number + slider within OSS's range, a switch for 0/1, segmented or select for enums, a 3×3
 * gravity grid, a colour picker, plain text for Base64 text (encoded invisibly), a font select with
 * a rendered preview, and an object picker for watermark images.
 */
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { HexColorPicker } from 'react-colorful'
import { GRAVITIES } from '../../../src-shared/img/actions/gravity'
import { WATERMARK_FONTS } from '../../../src-shared/img/actions/watermark'
import type { Base64Param, ColorParam, EnumParam, IntParam } from '../../../src-shared/img/schema'
import { beginGesture, endGesture } from '../state/editor'
import type { ParamValue } from './model'

export interface ControlProps<S> {
  readonly id: string
  readonly spec: S
  /** The explicit value, or undefined when the parameter is not given. */
  readonly value: ParamValue | undefined
  readonly onChange: (value: ParamValue | undefined) => void
  readonly invalid: boolean
  readonly describedBy: string | undefined
  /** Accessible name of the main control. */
  readonly label: string
}

/** A continuous pointer gesture (slider, colour area) is one undo step: open it on pointer down. */
function useGesture() {
  useEffect(() => endGesture, [])
  return {
    onPointerDown: () => {
      beginGesture()
      const end = () => {
        endGesture()
        window.removeEventListener('pointerup', end, true)
        window.removeEventListener('pointercancel', end, true)
      }
      window.addEventListener('pointerup', end, true)
      window.addEventListener('pointercancel', end, true)
    }
  }
}

/** Text typed in a number box: an integer is stored as a number, anything else as typed. */
export function parseIntInput(text: string): ParamValue | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  return /^-?\d{1,9}$/.test(trimmed) ? Number(trimmed) + 0 : trimmed
}

export function IntControl({ id, spec, value, onChange, invalid, describedBy, label }: ControlProps<IntParam>) {
  const { t } = useTranslation()
  const gesture = useGesture()
  const numeric = typeof value === 'number' ? value : undefined
  const sliderValue = Math.min(spec.max, Math.max(spec.min, numeric ?? spec.default ?? spec.min))
  const step = (delta: number) => {
    const base = numeric ?? spec.default ?? spec.min
    onChange(Math.min(spec.max, Math.max(spec.min, base + delta)))
  }
  return (
    <div className="num">
      <input
        type="range"
        className="slider"
        min={spec.min}
        max={spec.max}
        step={1}
        value={sliderValue}
        aria-label={t('editor.field.slider', { label })}
        data-unset={value === undefined ? 'true' : undefined}
        onPointerDown={gesture.onPointerDown}
        onChange={(e) => onChange(Number(e.target.value))}
        style={{ '--fill': `${((sliderValue - spec.min) / (spec.max - spec.min || 1)) * 100}%` } as React.CSSProperties}
      />
      <div className="num-box" data-invalid={invalid ? 'true' : undefined}>
        <input
          id={id}
          className="num-input"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          value={value === undefined ? '' : String(value)}
          placeholder={spec.default !== undefined ? String(spec.default) : undefined}
          aria-label={label}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(parseIntInput(e.target.value))}
          onKeyDown={(e) => {
            if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
              e.preventDefault()
              step((e.key === 'ArrowUp' ? 1 : -1) * (e.shiftKey ? 10 : 1))
            }
          }}
        />
        {spec.unit ? <span className="num-unit">{spec.unit}</span> : null}
      </div>
    </div>
  )
}

/** 0/1 parameters: a switch. Unset shows the default. */
export function SwitchControl({ id, spec, value, onChange, describedBy, label }: ControlProps<IntParam>) {
  const checked = (typeof value === 'number' ? value : (spec.default ?? 0)) === 1
  return (
    <label className="switch">
      <input id={id} type="checkbox" role="switch" checked={checked} aria-label={label} aria-describedby={describedBy} onChange={(e) => onChange(e.target.checked ? 1 : 0)} />
      <span className="switch-track" aria-hidden="true" />
      <span className="switch-text">{checked ? 'On (1)' : 'Off (0)'}</span>
    </label>
  )
}

export function EnumControl({ id, spec, value, onChange, invalid, describedBy, label }: ControlProps<EnumParam>) {
  const { t } = useTranslation()
  const current = typeof value === 'string' ? value : undefined
  const shown = current ?? spec.default
  if (spec.values.length <= 5) {
    const labelOf = (option: string | undefined) => (option === undefined ? undefined : spec.labels?.[spec.values.indexOf(option)])
    const description = labelOf(shown)
    return (
      <div className="segmented-wrap">
      <div className="segmented" role="radiogroup" aria-label={label} aria-describedby={describedBy} id={id}>
        {spec.values.map((option, i) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={shown === option}
            data-explicit={current === option ? 'true' : undefined}
            title={spec.labels?.[i] ? `${spec.labels[i]} (${option})` : option}
            tabIndex={shown === option || (shown === undefined && i === 0) ? 0 : -1}
            onClick={() => onChange(option)}
            onKeyDown={(e) => {
              const delta = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0
              if (!delta) return
              e.preventDefault()
              const next = spec.values[(i + delta + spec.values.length) % spec.values.length]!
              onChange(next)
              const buttons = e.currentTarget.parentElement?.querySelectorAll<HTMLButtonElement>('button')
              buttons?.[spec.values.indexOf(next)]?.focus()
            }}
          >
            {option}
          </button>
        ))}
      </div>
      {description ? (
        <p className="seg-desc">
          <code>{shown}</code> {description}
          {current === undefined ? t('editor.field.defaultSuffix') : ''}
        </p>
      ) : null}
      </div>
    )
  }
  return (
    <select id={id} className="select" value={current ?? ''} aria-label={label} aria-invalid={invalid ? 'true' : undefined} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">{spec.default !== undefined ? t('editor.field.defaultOption', { value: spec.default }) : t('editor.field.choose')}</option>
      {spec.values.map((option, i) => (
        <option key={option} value={option}>
          {spec.labels?.[i] ? `${option} — ${spec.labels[i]}` : option}
        </option>
      ))}
      {current !== undefined && !spec.values.includes(current) ? <option value={current}>{current}</option> : null}
    </select>
  )
}

const GRAVITY_NAMES: Readonly<Record<string, MessageKey>> = {
  nw: 'editor.gravity.nw',
  north: 'editor.gravity.north',
  ne: 'editor.gravity.ne',
  west: 'editor.gravity.west',
  center: 'editor.gravity.center',
  east: 'editor.gravity.east',
  sw: 'editor.gravity.sw',
  south: 'editor.gravity.south',
  se: 'editor.gravity.se'
}

/** The nine anchors as a 3×3 grid of radio buttons (arrow keys move in 2-D). */
export function GravityControl({ id, spec, value, onChange, describedBy, label }: ControlProps<EnumParam>) {
  const { t } = useTranslation()
  const current = typeof value === 'string' ? value : undefined
  const shown = current ?? spec.default ?? 'nw'
  const cells = useRef<(HTMLButtonElement | null)[]>([])
  return (
    <div className="gravity" role="radiogroup" aria-label={label} aria-describedby={describedBy} id={id}>
      {GRAVITIES.map((g, i) => (
        <button
          key={g}
          ref={(el) => {
            cells.current[i] = el
          }}
          type="button"
          role="radio"
          className="gravity-cell"
          aria-checked={shown === g}
          aria-label={`${t(GRAVITY_NAMES[g]!)} (${g})`}
          title={`${t(GRAVITY_NAMES[g]!)} (${g})`}
          data-explicit={current === g ? 'true' : undefined}
          tabIndex={shown === g ? 0 : -1}
          onClick={() => onChange(g)}
          onKeyDown={(e) => {
            const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -3, ArrowDown: 3 }
            const move = moves[e.key]
            if (move === undefined) return
            e.preventDefault()
            const row = Math.floor(i / 3)
            let next = i + move
            if ((move === -1 || move === 1) && Math.floor(next / 3) !== row) next = i
            if (next < 0 || next > 8) next = i
            onChange(GRAVITIES[next]!)
            cells.current[next]?.focus()
          }}
        >
          <span className="gravity-dot" aria-hidden="true" />
        </button>
      ))}
    </div>
  )
}

const HEX = /^[0-9A-Fa-f]{6}$/

export function ColorControl({ id, spec, value, onChange, invalid, describedBy, label }: ControlProps<ColorParam>) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const gesture = useGesture()
  const wrapper = useRef<HTMLDivElement>(null)
  const current = typeof value === 'string' ? value : undefined
  const shown = current ?? spec.default ?? '000000'
  const valid = HEX.test(shown)
  useEffect(() => {
    if (!open) return
    const close = (e: PointerEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) setOpen(false)
    }
    window.addEventListener('pointerdown', close, true)
    return () => window.removeEventListener('pointerdown', close, true)
  }, [open])
  return (
    <div className="color" ref={wrapper}>
      <button
        type="button"
        className="swatch"
        aria-label={t('editor.field.pickColour', { label })}
        aria-expanded={open}
        style={{ background: valid ? `#${shown}` : 'transparent' }}
        onClick={() => setOpen((o) => !o)}
      />
      <div className="num-box color-box" data-invalid={invalid ? 'true' : undefined}>
        <span className="num-unit">#</span>
        <input
          id={id}
          className="num-input mono"
          type="text"
          autoComplete="off"
          spellCheck={false}
          maxLength={7}
          value={current ?? ''}
          placeholder={spec.default}
          aria-label={label}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            const text = e.target.value.replace(/^#/, '').trim()
            onChange(text === '' ? undefined : HEX.test(text) ? text.toUpperCase() : text)
          }}
        />
      </div>
      {open ? (
        <div
          className="popover"
          role="dialog"
          aria-label={t('editor.field.colourPicker', { label })}
          onPointerDown={gesture.onPointerDown}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation()
              setOpen(false)
            }
          }}
        >
          <HexColorPicker color={valid ? `#${shown}` : '#000000'} onChange={(hex) => onChange(hex.replace('#', '').toUpperCase())} />
          <div className="swatches">
            {['000000', 'FFFFFF', '1B1F24', '8A939D', 'CF222E', 'F59E0B', '1A7F37', '2F6FEB', '8250DF'].map((c) => (
              <button key={c} type="button" className="mini-swatch" style={{ background: `#${c}` }} aria-label={`#${c}`} title={`#${c}`} onClick={() => onChange(c)} />
            ))}
          </div>
        </div>
      ) : null}
    </div>
  )
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length
}

/** Base64 text (watermark content): the user types plain text; the string gets URL-safe Base64. */
export function TextControl({ id, spec, value, onChange, invalid, describedBy, label }: ControlProps<Base64Param>) {
  const { t } = useTranslation()
  const text = value === undefined ? '' : String(value)
  const bytes = utf8Length(text)
  const max = spec.maxBytes?.bytes
  return (
    <div className="text-control">
      <input
        id={id}
        className="input"
        type="text"
        autoComplete="off"
        value={text}
        aria-label={label}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
      {max !== undefined ? (
        <span className="byte-count" data-over={bytes > max ? 'true' : undefined} aria-live="polite">
          {t('editor.field.bytes', { bytes, max })}
        </span>
      ) : null}
    </div>
  )
}

export function FontControl({ id, spec, value, onChange, invalid, describedBy, label, preview }: ControlProps<Base64Param> & { preview?: React.ReactNode }) {
  const { t } = useTranslation()
  const current = value === undefined ? '' : String(value)
  const fonts = spec.oneOf?.values ?? WATERMARK_FONTS
  return (
    <div className="font-control">
      <select id={id} className="select" value={current} aria-label={label} aria-invalid={invalid ? 'true' : undefined} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">{spec.default ? t('editor.field.defaultOption', { value: spec.default }) : t('editor.field.choose')}</option>
        {fonts.map((font) => (
          <option key={font} value={font}>
            {font}
          </option>
        ))}
        {current !== '' && !fonts.includes(current) ? <option value={current}>{current}</option> : null}
      </select>
      {preview}
    </div>
  )
}

/** Plain Base64 text with no special widget (e.g. an unknown future parameter). */
export function PlainControl({ id, value, onChange, invalid, describedBy, label }: ControlProps<unknown>) {
  return (
    <input
      id={id}
      className="input"
      type="text"
      autoComplete="off"
      spellCheck={false}
      value={value === undefined ? '' : String(value)}
      aria-label={label}
      aria-invalid={invalid ? 'true' : undefined}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    />
  )
}

export function useStableId(prefix: string): string {
  return `${prefix}-${useId().replace(/:/g, '')}`
}
