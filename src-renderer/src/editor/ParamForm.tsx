/**
 * The selected item's parameters, generated from its schema (SchemaForm): one field per
 * parameter with the control its type calls for, its range and default, and OSS's error inline.
 */
import type { ActionName } from '../../../src-shared/img/actions'
import { GRAVITIES } from '../../../src-shared/img/actions/gravity'
import type { Base64Param, ColorParam, EnumParam, IntParam, ParamSpec } from '../../../src-shared/img/schema'
import { useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { dispatch } from '../state/editor'
import { Icon } from '../ui/Icon'
import { ColorControl, EnumControl, FontControl, GravityControl, IntControl, PlainControl, SwitchControl, TextControl, useStableId, type ControlProps } from './fields'
import { paramKeys, schemaOf, specOf, type ParamValue, type PipelineItem } from './model'
import { FontPreview, GROUPS, WatermarkImageControl } from './panels'
import type { FieldError, ItemIssues } from './validation'

function rangeOf(spec: ParamSpec): string | undefined {
  if (spec.type === 'int') return spec.min === 0 && spec.max === 1 ? undefined : `${spec.min}–${spec.max}${spec.unit ?? ''}`
  return undefined
}

/** Shorter labels where the schema's one-line doc reads badly as a label (the doc stays the tooltip). */
const LABELS: Readonly<Record<string, MessageKey>> = {
  'watermark.image': 'editor.param.watermarkImage',
  'resize.limit': 'editor.param.neverEnlarge'
}

/** "Text (UTF-8, at most 64 bytes)" → "Text"; the whole doc stays as the tooltip. */
export function shortDoc(doc: string): string {
  return doc.replace(/\s*\([^)]*\)$/, '') || doc
}

function isGravity(spec: EnumParam): boolean {
  return spec.values.length === GRAVITIES.length && GRAVITIES.every((g) => spec.values.includes(g))
}

function Control({ action, param, spec, props, item }: { action: ActionName; param: string; spec: ParamSpec; props: Omit<ControlProps<unknown>, 'spec'>; item: PipelineItem }) {
  switch (spec.type) {
    case 'int':
      return spec.min === 0 && spec.max === 1 ? <SwitchControl {...props} spec={spec as IntParam} /> : <IntControl {...props} spec={spec as IntParam} />
    case 'enum':
      return isGravity(spec) ? <GravityControl {...props} spec={spec} /> : <EnumControl {...props} spec={spec} />
    case 'color':
      return <ColorControl {...props} spec={spec as ColorParam} />
    case 'base64':
      if (action === 'watermark' && param === 'type') {
        const font = props.value === undefined ? (spec.default ?? 'wqy-zenhei') : String(props.value)
        const text = item.params.text
        return <FontControl {...props} spec={spec as Base64Param} preview={<FontPreview font={font} text={text === undefined ? undefined : String(text)} />} />
      }
      if (action === 'watermark' && param === 'image') return <WatermarkImageControl {...props} spec={spec as Base64Param} />
      if (spec.maxBytes || param === 'text') return <TextControl {...props} spec={spec as Base64Param} />
      return <PlainControl {...props} spec={spec} />
  }
}

export function ErrorText({ error, id }: { error: FieldError; id?: string | undefined }) {
  return (
    <p className="pfield-error" id={id} data-testid="field-error">
      <Icon name="alert" size={13} />
      <span>
        {error.message}
        {error.ec ? <span className="pfield-ec">{` · EC ${error.ec}`}</span> : null}
      </span>
    </p>
  )
}

function Field({ item, param, error }: { item: PipelineItem; param: string; error: FieldError | undefined }) {
  const { t } = useTranslation()
  const spec = specOf(item.action, param)!
  const id = useStableId(`p-${param}`)
  const value = item.params[param]
  const errorId = error ? `${id}-error` : undefined
  const range = rangeOf(spec)
  const onChange = (next: ParamValue | undefined) => dispatch({ type: 'setParam', id: item.id, param, value: next })
  const labelKey = LABELS[`${item.action}.${param}`]
  const short = labelKey ? t(labelKey) : shortDoc(spec.doc)
  const label = param === 'value' ? short : `${short} (${param})`
  const wide = spec.type === 'base64' || (spec.type === 'enum' && !isGravity(spec))
  return (
    <div className="pfield" data-param={param} data-invalid={error ? 'true' : undefined} data-wide={wide ? 'true' : undefined}>
      <div className="pfield-head">
        <label htmlFor={id} className="pfield-label">
          {param !== 'value' ? <code className="pfield-key">{param}</code> : null}
          <span title={spec.doc}>{short}</span>
          {spec.required ? (
            <span className="pfield-req" title={t('editor.param.required')}>
              *
            </span>
          ) : null}
        </label>
        <span className="pfield-meta">
          {range ? <span className="pfield-range">{range}</span> : null}
          {value !== undefined && !spec.required ? (
            <button type="button" className="link-btn" onClick={() => onChange(undefined)} aria-label={t('editor.param.resetLabel', { param: param === 'value' ? spec.doc : param })} title={spec.default !== undefined ? t('editor.param.backToDefault', { value: String(spec.default) }) : t('editor.param.removeFromString')}>
              {t('editor.param.reset')}
            </button>
          ) : spec.default !== undefined && value === undefined ? (
            <span className="pfield-default">{t('editor.param.default')}</span>
          ) : null}
        </span>
      </div>
      <Control action={item.action} param={param} spec={spec} item={item} props={{ id, value, onChange, invalid: !!error, describedBy: errorId, label }} />
      {error ? <ErrorText error={error} id={errorId} /> : null}
    </div>
  )
}

export function ParamForm({ item, issues }: { item: PipelineItem; issues: ItemIssues | undefined }) {
  const { t } = useTranslation()
  const schema = schemaOf(item.action)
  const keys = paramKeys(item.action)
  const groups = GROUPS[item.action] ?? (keys.length > 0 ? [{ title: '', params: keys }] : [])
  return (
    <section className="param-form" aria-label={t('editor.param.formLabel', { action: item.action })} data-testid="param-form">
      <header className="param-head">
        <div className="param-title">
          <code className="param-name">{item.action}</code>
          <span>{schema.title}</span>
          {!item.enabled ? <span className="badge">{t('editor.param.disabled')}</span> : null}
        </div>
        <p className="param-summary">
          {schema.summary}{' '}
          <a href={schema.docUrl} target="_blank" rel="noreferrer">
            {t('editor.param.docs')}
          </a>
        </p>
      </header>
      {issues?.item ? (
        <div className="item-error" role="alert">
          <ErrorText error={issues.item} />
        </div>
      ) : null}
      {keys.length === 0 ? <p className="param-none">{t('editor.param.none')}</p> : null}
      {groups.map((group) => (
        <fieldset key={group.title || 'all'} className="param-group">
          {group.title ? <legend>{t(group.title)}</legend> : null}
          {group.hint ? <p className="param-hint">{t(group.hint)}</p> : null}
          <div className="param-grid">
            {group.params.map((param) => (
              <Field key={param} item={item} param={param} error={issues?.fields[param]} />
            ))}
          </div>
        </fieldset>
      ))}
    </section>
  )
}
