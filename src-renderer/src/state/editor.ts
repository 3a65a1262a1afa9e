/**
 * The pipeline editor's store: the document, its history (undo/redo), the selection, and the
 * two-way link with the process string (state/process.ts).
 *
 * - Every edit is an `EditAction` applied by the pure reducer (editor/model.ts) and recorded as one
 *   history step — except consecutive `setParam`s of the same item and parameter (or `setParams`
 *   of the same item and key, e.g. a watermark dragged on the preview) within one gesture (pointer
 *   down → up) or within 500 ms of typing, which coalesce into one.
 * - Editing the pipeline rewrites the process string in canonical form.
 * - Setting the process string (typing in the box, a preset, anyone calling `setProcessString`)
 *   rebuilds the pipeline when it parses; while it does not, the text is kept as typed (a
 *   "draft") and the pipeline stays as it was. Text edits are history steps too.
 */
import { create } from 'zustand'
import { parseProcess } from '../../../src-shared/img/process'
import { applyEdit, canonicalOf, docFromProcess, EMPTY_DOC, type EditAction, type EditorDoc } from '../editor/model'
import { getProcessString, setProcessString, subscribeProcessString } from './process'

/** Typing pauses longer than this start a new undo step. */
export const COALESCE_MS = 500
/** The most undo steps kept. */
export const HISTORY_LIMIT = 200

export interface Snapshot {
  readonly doc: EditorDoc
  /** The process string as typed when it differs from the document's canonical form. */
  readonly draft: string | undefined
}

interface LastEdit {
  readonly key: string
  readonly at: number
  readonly gesture: number | undefined
}

export interface EditorState extends Snapshot {
  readonly past: readonly Snapshot[]
  readonly future: readonly Snapshot[]
  readonly selectedId: string | undefined
  /** The open gesture (pointer down on a slider), if any. */
  readonly gesture: number | undefined
  readonly lastEdit: LastEdit | undefined
}

export const useEditor = create<EditorState>()(() => ({
  doc: EMPTY_DOC,
  draft: undefined,
  past: [],
  future: [],
  selectedId: undefined,
  gesture: undefined,
  lastEdit: undefined
}))

/** The string the editor shows for a snapshot. */
export function textOf(snapshot: Snapshot): string {
  return snapshot.draft ?? canonicalOf(snapshot.doc)
}

/** The text this module last wrote to the process store (to tell our writes from others'). */
let written: string | undefined

function publish(): void {
  const text = textOf(useEditor.getState())
  written = text
  setProcessString(text)
}

function now(): number {
  return Date.now()
}

/**
 * Records `next` as the new present. `key` identifies a coalescable edit (same key within the
 * same gesture, or within COALESCE_MS without one, replaces the present instead of pushing).
 */
function commit(next: Snapshot, key: string | undefined): void {
  const state = useEditor.getState()
  if (next.doc === state.doc && next.draft === state.draft) return
  const t = now()
  const last = state.lastEdit
  const coalesce =
    key !== undefined &&
    last !== undefined &&
    last.key === key &&
    (state.gesture !== undefined ? last.gesture === state.gesture : last.gesture === undefined && t - last.at < COALESCE_MS)
  const past = coalesce ? state.past : [...state.past, { doc: state.doc, draft: state.draft }].slice(-HISTORY_LIMIT)
  const selectedId = state.selectedId && next.doc.items.some((i) => i.id === state.selectedId) ? state.selectedId : next.doc.items[0]?.id
  useEditor.setState({
    doc: next.doc,
    draft: next.draft,
    past,
    future: [],
    selectedId,
    lastEdit: key === undefined ? undefined : { key, at: t, gesture: state.gesture }
  })
  publish()
}

/** Applies one edit to the pipeline (one undo step, or coalesced as described above). */
export function dispatch(edit: EditAction): void {
  const state = useEditor.getState()
  const doc = applyEdit(state.doc, edit)
  if (doc === state.doc) return
  const key = edit.type === 'setParam' ? `param:${edit.id}:${edit.param}` : edit.type === 'setParams' ? `params:${edit.id}:${edit.key}` : undefined
  commit({ doc, draft: undefined }, key)
  if (edit.type === 'add' || edit.type === 'duplicate') {
    // Select the new item: the one id that was not there before.
    const before = new Set(state.doc.items.map((i) => i.id))
    const added = doc.items.find((i) => !before.has(i.id))
    if (added) useEditor.setState({ selectedId: added.id })
  } else if (edit.type === 'remove' && state.selectedId === edit.id) {
    const index = state.doc.items.findIndex((i) => i.id === edit.id)
    const neighbour = doc.items[Math.min(index, doc.items.length - 1)]
    useEditor.setState({ selectedId: neighbour?.id })
  }
}

/** The snapshot a process string stands for, given the current document. */
export function snapshotForText(text: string, current: EditorDoc): Snapshot {
  // An emptied box is an empty pipeline (the canonical string of no steps is "").
  if (text.trim() === '') return { doc: current.items.length === 0 && current.style === undefined ? current : { items: [], saveAs: undefined }, draft: text === '' ? undefined : text }
  try {
    const doc = docFromProcess(parseProcess(text), current)
    const canonical = canonicalOf(doc)
    // Same chain as before (e.g. only spelling changed): keep the document, disabled items included.
    const same = canonical === canonicalOf(current)
    return { doc: same ? current : doc, draft: text === canonical ? undefined : text }
  } catch {
    return { doc: current, draft: text === canonicalOf(current) ? undefined : text }
  }
}

/** The process string was edited as text (typing coalesces into one undo step). */
export function editText(text: string): void {
  const state = useEditor.getState()
  if (text === textOf(state)) return
  commit(snapshotForText(text, state.doc), 'text')
}

/** Rewrites a valid, non-canonical string in canonical form (e.g. when the box loses focus). */
export function canonicalize(): void {
  const state = useEditor.getState()
  if (state.draft === undefined) return
  try {
    parseProcess(state.draft)
  } catch {
    return
  }
  useEditor.setState({ draft: undefined, lastEdit: undefined })
  publish()
}

export function undo(): void {
  const state = useEditor.getState()
  const previous = state.past.at(-1)
  if (!previous) return
  useEditor.setState({
    ...previous,
    past: state.past.slice(0, -1),
    future: [{ doc: state.doc, draft: state.draft }, ...state.future],
    lastEdit: undefined,
    selectedId: keepSelection(state.selectedId, previous.doc)
  })
  publish()
}

export function redo(): void {
  const state = useEditor.getState()
  const next = state.future[0]
  if (!next) return
  useEditor.setState({
    ...next,
    past: [...state.past, { doc: state.doc, draft: state.draft }],
    future: state.future.slice(1),
    lastEdit: undefined,
    selectedId: keepSelection(state.selectedId, next.doc)
  })
  publish()
}

function keepSelection(selectedId: string | undefined, doc: EditorDoc): string | undefined {
  return selectedId && doc.items.some((i) => i.id === selectedId) ? selectedId : doc.items[0]?.id
}

export function select(id: string | undefined): void {
  useEditor.setState({ selectedId: id })
}

let gestures = 0
/** A continuous gesture starts (pointer down on a slider): its edits become one undo step. */
export function beginGesture(): void {
  gestures += 1
  useEditor.setState({ gesture: gestures })
}

export function endGesture(): void {
  if (useEditor.getState().gesture !== undefined) useEditor.setState({ gesture: undefined })
}

/** Starts over from a process string, with no history (app start, tests). */
export function resetEditor(text: string = getProcessString()): void {
  const snapshot = snapshotForText(text, EMPTY_DOC)
  useEditor.setState({ ...snapshot, past: [], future: [], selectedId: snapshot.doc.items[0]?.id, gesture: undefined, lastEdit: undefined })
  written = text
  if (getProcessString() !== text) setProcessString(text)
}

// Someone else set the process string (the box, a preset, the preview): rebuild from it.
subscribeProcessString((text) => {
  if (text === written) return
  editText(text)
})

resetEditor()
