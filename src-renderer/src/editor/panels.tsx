/**
 * Where the generic form is not good enough: parameter groups for the busy actions (data), and the
 * two custom controls — the watermark image picker (objects of the bucket) and the font preview
 * (rendered by main with the very font the engine uses).
 */
import { useEffect, useMemo, useState } from 'react'
import type { ActionName } from '../../../src-shared/img/actions'
import { encodeBase64Url } from '../../../src-shared/img/base64url'
import type { Base64Param } from '../../../src-shared/img/schema'
import { invoke } from '../ipc/client'
import { useStudio } from '../state/store'
import { looksLikeImage, objectUrlFromBase64 } from '../ui/format'
import type { ControlProps } from './fields'

export interface ParamGroup {
  readonly title: string
  readonly params: readonly string[]
  readonly hint?: string
}

/** Parameter groups by action; other actions show their parameters in schema order. */
export const GROUPS: Partial<Record<ActionName, readonly ParamGroup[]>> = {
  resize: [
    { title: 'Mode', params: ['m'] },
    { title: 'Target size', params: ['w', 'h', 'l', 's', 'p'], hint: 'w/h win over l/s, which win over p.' },
    { title: 'Options', params: ['limit', 'color'] }
  ],
  crop: [
    { title: 'Origin', params: ['g', 'x', 'y'] },
    { title: 'Size', params: ['w', 'h'] }
  ],
  watermark: [
    { title: 'Text', params: ['text', 'type', 'color', 'size', 'shadow', 'rotate'] },
    { title: 'Image', params: ['image'] },
    { title: 'Position', params: ['g', 'x', 'y', 'voffset', 't'] },
    { title: 'Tiling', params: ['fill', 'padx', 'pady'] },
    { title: 'Text and image together', params: ['order', 'align', 'interval'] }
  ],
  quality: [{ title: 'Quality', params: ['q', 'Q'], hint: 'Q (absolute) wins over q (relative).' }]
}

const NESTED = '?x-oss-process='

export function splitWatermarkImage(value: string): { key: string; process: string } {
  const at = value.indexOf(NESTED)
  return at === -1 ? { key: value, process: '' } : { key: value.slice(0, at), process: value.slice(at + NESTED.length) }
}

export function joinWatermarkImage(key: string, process: string): string | undefined {
  if (key === '' && process === '') return undefined
  return process === '' ? key : `${key}${NESTED}${process}`
}

/** The watermark image: an object of the same bucket, picked from the listing or typed. */
export function WatermarkImageControl({ id, value, onChange, invalid, describedBy, label }: ControlProps<Base64Param>) {
  const listing = useStudio((s) => s.listing)
  const selectedKey = useStudio((s) => s.selectedKey)
  const { key, process } = splitWatermarkImage(value === undefined ? '' : String(value))
  const objects = useMemo(() => ('data' in listing && listing.data ? listing.data.objects.filter((o) => looksLikeImage(o.key, o.contentType)).map((o) => o.key) : []), [listing])
  const listId = `${id}-objects`
  return (
    <div className="image-picker">
      <div className="image-picker-row">
        <input
          id={id}
          className="input mono"
          type="text"
          list={listId}
          autoComplete="off"
          spellCheck={false}
          placeholder="logo.png"
          value={key}
          aria-label={label}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(joinWatermarkImage(e.target.value, process))}
        />
        <datalist id={listId}>
          {objects.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
      </div>
      {objects.length > 0 ? (
        <div className="object-chips" role="group" aria-label="Objects of this folder">
          {objects.slice(0, 12).map((k) => (
            <button key={k} type="button" className="chip" aria-pressed={k === key} onClick={() => onChange(joinWatermarkImage(k, process))} title={`Use ${k} as the watermark image`}>
              {k.split('/').pop()}
            </button>
          ))}
          {selectedKey && !objects.includes(selectedKey) ? (
            <button type="button" className="chip" onClick={() => onChange(joinWatermarkImage(selectedKey, process))}>
              Selected object
            </button>
          ) : null}
        </div>
      ) : null}
      <label className="sub-label" htmlFor={`${id}-process`}>
        Process of the watermark image <span className="optional">(optional, e.g. image/resize,P_20)</span>
      </label>
      <input
        id={`${id}-process`}
        className="input mono"
        type="text"
        autoComplete="off"
        spellCheck={false}
        placeholder="image/resize,P_20"
        value={process}
        onChange={(e) => onChange(joinWatermarkImage(key, e.target.value))}
      />
    </div>
  )
}

const SAMPLE_TEXT = 'OSS 图片 Studio'
const previews = new Map<string, string>()

/** The font as the engine draws it: a small text watermark rendered by main on a white strip. */
export function FontPreview({ font, text }: { font: string; text: string | undefined }) {
  const activeId = useStudio((s) => s.activeId)
  const selectedKey = useStudio((s) => s.selectedKey)
  const sample = text && text.trim() !== '' ? text : SAMPLE_TEXT
  const process = `image/crop,w_1,h_1/resize,m_fixed,w_480,h_64,limit_0/bright,100/watermark,text_${encodeBase64Url(sample)},type_${encodeBase64Url(font)},size_32,g_center,color_1B1F24,x_0,y_0/format,png`
  const cacheKey = `${activeId ?? ''}\n${selectedKey ?? ''}\n${process}`
  const [state, setState] = useState<{ key: string; url?: string; failed?: boolean }>({ key: '' })
  useEffect(() => {
    if (!activeId || !selectedKey) return
    const cached = previews.get(cacheKey)
    if (cached) {
      setState({ key: cacheKey, url: cached })
      return
    }
    const controller = new AbortController()
    const timer = setTimeout(() => {
      invoke('preview:render', { source: { kind: 'object', profileId: activeId, key: selectedKey }, process }, { signal: controller.signal }).then(
        (rendered) => {
          if (rendered.kind !== 'image') return
          const url = objectUrlFromBase64(rendered.data, rendered.contentType)
          previews.set(cacheKey, url)
          setState({ key: cacheKey, url })
        },
        () => setState({ key: cacheKey, failed: true })
      )
    }, 200)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [activeId, selectedKey, cacheKey, process])
  const current = state.key === cacheKey ? state : undefined
  return (
    <div className="font-preview" aria-live="polite">
      {!activeId || !selectedKey ? (
        <span className="font-preview-note">Select an image to preview the font.</span>
      ) : current?.url ? (
        <img src={current.url} alt={`${font} preview: ${sample}`} />
      ) : current?.failed ? (
        <span className="font-preview-note">The preview could not be rendered.</span>
      ) : (
        <span className="font-preview-note">Rendering {font}…</span>
      )}
    </div>
  )
}
