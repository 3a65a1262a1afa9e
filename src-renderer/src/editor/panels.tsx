/**
 * Where the generic form is not good enough: parameter groups for the busy actions (data), and the
 * two custom controls — the watermark image picker (objects of the bucket) and the font preview
 * (rendered by main with the very font the engine uses).
 */
import { useEffect, useMemo, useState } from 'react'
import type { ActionName } from '../../../src-shared/img/actions'
import { encodeBase64Url } from '../../../src-shared/img/base64url'
import type { Base64Param } from '../../../src-shared/img/schema'
import { useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { invoke } from '../ipc/client'
import { useStudio } from '../state/store'
import { looksLikeImage, objectUrlFromBase64 } from '../ui/format'
import type { ControlProps } from './fields'

export interface ParamGroup {
  readonly title: MessageKey | ''
  readonly params: readonly string[]
  readonly hint?: MessageKey
}

/** Parameter groups by action; other actions show their parameters in schema order. */
export const GROUPS: Partial<Record<ActionName, readonly ParamGroup[]>> = {
  resize: [
    { title: 'editor.groups.mode', params: ['m'] },
    { title: 'editor.groups.targetSize', params: ['w', 'h', 'l', 's', 'p'], hint: 'editor.groups.resizeHint' },
    { title: 'editor.groups.options', params: ['limit', 'color'] }
  ],
  crop: [
    { title: 'editor.groups.origin', params: ['g', 'x', 'y'] },
    { title: 'editor.groups.size', params: ['w', 'h'] }
  ],
  watermark: [
    { title: 'editor.groups.text', params: ['text', 'type', 'color', 'size', 'shadow', 'rotate'] },
    { title: 'editor.groups.image', params: ['image'] },
    { title: 'editor.groups.position', params: ['g', 'x', 'y', 'voffset', 't'] },
    { title: 'editor.groups.tiling', params: ['fill', 'padx', 'pady'] },
    { title: 'editor.groups.textAndImage', params: ['order', 'align', 'interval'] }
  ],
  quality: [{ title: 'editor.groups.quality', params: ['q', 'Q'], hint: 'editor.groups.qualityHint' }]
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
  const { t } = useTranslation()
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
        <div className="object-chips" role="group" aria-label={t('editor.watermarkImage.objects')}>
          {objects.slice(0, 12).map((k) => (
            <button key={k} type="button" className="chip" aria-pressed={k === key} onClick={() => onChange(joinWatermarkImage(k, process))} title={t('editor.watermarkImage.use', { key: k })}>
              {k.split('/').pop()}
            </button>
          ))}
          {selectedKey && !objects.includes(selectedKey) ? (
            <button type="button" className="chip" onClick={() => onChange(joinWatermarkImage(selectedKey, process))}>
              {t('editor.watermarkImage.selected')}
            </button>
          ) : null}
        </div>
      ) : null}
      <label className="sub-label" htmlFor={`${id}-process`}>
        {t('editor.watermarkImage.process')} <span className="optional">{t('editor.watermarkImage.processHint')}</span>
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
  const { t } = useTranslation()
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
        <span className="font-preview-note">{t('editor.font.selectImage')}</span>
      ) : current?.url ? (
        <img src={current.url} alt={t('editor.font.alt', { font, sample })} />
      ) : current?.failed ? (
        <span className="font-preview-note">{t('editor.font.failed')}</span>
      ) : (
        <span className="font-preview-note">{t('editor.font.rendering', { font })}</span>
      )}
    </div>
  )
}
