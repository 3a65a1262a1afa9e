/**
 * The pipeline editor's document and its edits, as data (excalidraw's actions-as-data): a pure
 * reducer, the canonical process string of a document, and the document rebuilt from a string.
 *
 * A document is an ordered list of items `{ id, action, params, enabled }`. `params` hold the
 * explicitly given values only, typed per schema (int → number, enum/colour → string, Base64 →
 * the decoded text). A value the user typed that does not fit (`w` = "1.5", "0") is kept as typed
 * so the string shows it and OSS's error points at it; validation.ts reports it.
 * Disabled items stay in the document but not in the string.
 */
import { ACTIONS, type ActionName } from '../../../src-shared/img/actions'
import { type Process, type SaveAs, type Step, serializeProcess, serializeStep } from '../../../src-shared/img/process'
import type { ActionSchema, ParamSpec } from '../../../src-shared/img/schema'

export type ParamValue = string | number
export type Params = Readonly<Record<string, ParamValue>>

export interface PipelineItem {
  readonly id: string
  readonly action: ActionName
  readonly params: Params
  readonly enabled: boolean
}

export interface EditorDoc {
  readonly items: readonly PipelineItem[]
  /** `style/<name>`: a named style stands for the whole chain (the pipeline is then empty). */
  readonly style?: string | undefined
  /** `|sys/saveas,...`, kept as it is through pipeline edits. */
  readonly saveAs?: SaveAs | undefined
}

export type EditAction =
  | { readonly type: 'add'; readonly action: ActionName; readonly index?: number; readonly params?: Params; readonly id?: string }
  | { readonly type: 'move'; readonly from: number; readonly to: number }
  | { readonly type: 'remove'; readonly id: string }
  | { readonly type: 'duplicate'; readonly id: string; readonly newId?: string }
  | { readonly type: 'toggle'; readonly id: string; readonly enabled?: boolean }
  | { readonly type: 'setParam'; readonly id: string; readonly param: string; readonly value: ParamValue | undefined }
  /** Several parameters at once (a watermark dragged on the preview: g, x, y, voffset); `key` names the gesture kind for undo coalescing. */
  | { readonly type: 'setParams'; readonly id: string; readonly key: string; readonly values: Readonly<Record<string, ParamValue | undefined>> }
  | { readonly type: 'replaceAll'; readonly doc: EditorDoc }

export const EMPTY_DOC: EditorDoc = { items: [] }

let counter = 0
/** Unique within the session; stable across edits of the same item. */
export function newItemId(): string {
  counter += 1
  return `step-${counter.toString(36)}-${Math.random().toString(36).slice(2, 7)}`
}

export function schemaOf(action: ActionName): ActionSchema {
  return ACTIONS[action]
}

/** The parameter's spec (`value` is the bare value of single-value operators). */
export function specOf(action: ActionName, param: string): ParamSpec | undefined {
  const schema = schemaOf(action)
  if (param === 'value') return schema.bare
  return Object.hasOwn(schema.params, param) ? schema.params[param] : undefined
}

/** Parameter keys in canonical order (`value` first for single-value operators). */
export function paramKeys(action: ActionName): string[] {
  const schema = schemaOf(action)
  return [...(schema.bare ? ['value'] : []), ...Object.keys(schema.params)]
}

/**
 * What a newly added action starts with: enough to be valid and visibly do something, using the
 * schema's defaults where they exist (explicit, so the user sees what is applied).
 */
const STARTERS: Partial<Record<ActionName, Params>> = {
  resize: { w: 800 },
  crop: { w: 600, h: 400, g: 'center' },
  circle: { r: 200 },
  indexcrop: { x: 200, i: 0 },
  'rounded-corners': { r: 40 },
  rotate: { value: 90 },
  'auto-orient': { value: 1 },
  blur: { r: 5, s: 5 },
  bright: { value: 20 },
  contrast: { value: 20 },
  sharpen: { value: 100 },
  watermark: { text: 'OSS IMG Studio', color: 'FFFFFF', size: 40, g: 'se', shadow: 50 },
  format: { value: 'webp' },
  quality: { q: 80 },
  interlace: { value: 1 },
  'ignore-error': { value: 1 }
}

export function starterParams(action: ActionName): Params {
  const starter = STARTERS[action]
  if (starter) return starter
  // Any other action: its required parameters at their default or minimum.
  const out: Record<string, ParamValue> = {}
  for (const key of paramKeys(action)) {
    const spec = specOf(action, key)!
    if (!spec.required) continue
    if (spec.default !== undefined) out[key] = spec.default
    else if (spec.type === 'int') out[key] = spec.min
    else if (spec.type === 'enum') out[key] = spec.values[0]!
  }
  return out
}

export function createItem(action: ActionName, params?: Params, id?: string): PipelineItem {
  return { id: id ?? newItemId(), action, params: params ?? starterParams(action), enabled: true }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n))
}

/** The reducer: every edit of the document goes through here. Unknown ids leave it unchanged. */
export function applyEdit(doc: EditorDoc, edit: EditAction): EditorDoc {
  const items = doc.items
  const at = (id: string) => items.findIndex((item) => item.id === id)
  // Any pipeline edit leaves a named style behind: the pipeline is the chain now.
  const withItems = (next: readonly PipelineItem[]): EditorDoc => ({ items: next, style: undefined, saveAs: doc.saveAs })
  switch (edit.type) {
    case 'add': {
      const index = clamp(edit.index ?? items.length, 0, items.length)
      const item = createItem(edit.action, edit.params, edit.id)
      return withItems([...items.slice(0, index), item, ...items.slice(index)])
    }
    case 'move': {
      if (edit.from === edit.to || edit.from < 0 || edit.from >= items.length) return doc
      const to = clamp(edit.to, 0, items.length - 1)
      const next = [...items]
      const [moved] = next.splice(edit.from, 1)
      next.splice(to, 0, moved!)
      return { ...doc, items: next }
    }
    case 'remove': {
      const i = at(edit.id)
      return i === -1 ? doc : { ...doc, items: items.filter((item) => item.id !== edit.id) }
    }
    case 'duplicate': {
      const i = at(edit.id)
      if (i === -1) return doc
      const copy: PipelineItem = { ...items[i]!, id: edit.newId ?? newItemId() }
      return { ...doc, items: [...items.slice(0, i + 1), copy, ...items.slice(i + 1)] }
    }
    case 'toggle': {
      const i = at(edit.id)
      if (i === -1) return doc
      const item = items[i]!
      const enabled = edit.enabled ?? !item.enabled
      if (enabled === item.enabled) return doc
      return { ...doc, items: items.map((it) => (it.id === edit.id ? { ...it, enabled } : it)) }
    }
    case 'setParam': {
      const i = at(edit.id)
      if (i === -1) return doc
      const item = items[i]!
      if (item.params[edit.param] === edit.value) return doc
      const params: Record<string, ParamValue> = { ...item.params }
      if (edit.value === undefined) delete params[edit.param]
      else params[edit.param] = edit.value
      return { ...doc, items: items.map((it) => (it.id === edit.id ? { ...it, params } : it)) }
    }
    case 'setParams': {
      const i = at(edit.id)
      if (i === -1) return doc
      const item = items[i]!
      const params: Record<string, ParamValue> = { ...item.params }
      for (const [param, value] of Object.entries(edit.values)) {
        if (value === undefined) delete params[param]
        else params[param] = value
      }
      const same = Object.keys(params).length === Object.keys(item.params).length && Object.entries(params).every(([k, v]) => item.params[k] === v)
      return same ? doc : { ...doc, items: items.map((it) => (it.id === edit.id ? { ...it, params } : it)) }
    }
    case 'replaceAll':
      return edit.doc
  }
}

// ---- the document as a process string -----------------------------------------------------------

function asStep(item: PipelineItem): Step {
  return { action: item.action, params: item.params, span: { start: 0, end: 0 } } as unknown as Step
}

/** One item in canonical form (`resize,m_fill,w_200`), whatever its values. */
export function serializeItem(item: PipelineItem): string {
  return serializeStep(asStep(item))
}

export interface Layout {
  readonly text: string
  /** Where each enabled item sits in `text`. */
  readonly spans: ReadonlyMap<string, { readonly start: number; readonly end: number }>
}

/** The canonical process string of a document, with each enabled item's place in it. */
export function layoutOf(doc: EditorDoc): Layout {
  const spans = new Map<string, { start: number; end: number }>()
  if (doc.style !== undefined) {
    return { text: serializeProcess({ kind: 'style', name: doc.style, saveAs: doc.saveAs }), spans }
  }
  const enabled = doc.items.filter((item) => item.enabled)
  if (enabled.length === 0) return { text: '', spans }
  let offset = 'image/'.length
  for (const item of enabled) {
    const text = serializeItem(item)
    spans.set(item.id, { start: offset, end: offset + text.length })
    offset += text.length + 1
  }
  const process: Process = { kind: 'image', steps: enabled.map(asStep), saveAs: doc.saveAs }
  return { text: serializeProcess(process), spans }
}

export function canonicalOf(doc: EditorDoc): string {
  return layoutOf(doc).text
}

/**
 * The document for a parsed process string. Items keep the id of the enabled item they replace
 * when the action at that position is the same (so selection survives typing in the string);
 * previously disabled items are dropped — the string is the whole truth.
 */
export function docFromProcess(process: Process, previous: EditorDoc = EMPTY_DOC): EditorDoc {
  if (process.kind === 'style') return { items: [], style: process.name, saveAs: process.saveAs }
  const old = previous.items.filter((item) => item.enabled)
  const used = new Set<string>()
  const items = process.steps.map((step, i): PipelineItem => {
    const candidate = old[i]
    const id = candidate && candidate.action === step.action && !used.has(candidate.id) ? candidate.id : newItemId()
    used.add(id)
    return { id, action: step.action, params: { ...(step.params as Params) }, enabled: true }
  })
  return { items, style: undefined, saveAs: process.saveAs }
}

/** A short, human summary of an item's explicit values: `w 640 · m fill`. */
export function summaryOf(item: PipelineItem): string {
  const parts: string[] = []
  for (const key of paramKeys(item.action)) {
    const value = item.params[key]
    if (value === undefined) continue
    const spec = specOf(item.action, key)
    const shown = spec?.type === 'base64' ? `“${String(value)}”` : spec?.type === 'color' ? `#${String(value)}` : String(value)
    parts.push(key === 'value' ? `${shown}${spec?.type === 'int' && spec.unit ? spec.unit : ''}` : `${key} ${shown}`)
  }
  return parts.join(' · ')
}
