/**
 * The pipeline editor: a palette of every OSS action, the pipeline (drag from the palette to insert,
 * drag or keyboard to reorder — @dnd-kit), enable/duplicate/remove per step, and the selected
 * step's parameter form. Undo/redo with Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z (or Ctrl+Y).
 */
import {
  closestCenter,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragMoveEvent,
  type DragStartEvent,
  type UniqueIdentifier
} from '@dnd-kit/core'
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { useEffect, useMemo, useState } from 'react'
import { ACTIONS, type ActionName } from '../../../src-shared/img/actions'
import { parseProcess } from '../../../src-shared/img/process'
import { BudgetDialog } from '../budget/BudgetDialog'
import { dispatch, redo, select, undo, useEditor } from '../state/editor'
import { ACTION_ICONS, paletteGroups } from './catalog'
import { EIcon } from './icons'
import { summaryOf, type PipelineItem } from './model'
import { ParamForm } from './ParamForm'
import { docIssues, type DocIssues } from './validation'

const LIST_ID = 'pipeline'
const PALETTE_PREFIX = 'palette:'

function paletteAction(id: UniqueIdentifier | undefined): ActionName | undefined {
  const text = String(id ?? '')
  return text.startsWith(PALETTE_PREFIX) ? (text.slice(PALETTE_PREFIX.length) as ActionName) : undefined
}

/** Palette drags aim with the pointer (an item beats the list around it); reordering, by centres. */
const collisionDetection: CollisionDetection = (args) => {
  if (paletteAction(args.active.id)) {
    const hits = pointerWithin(args)
    const items = hits.filter((h) => h.id !== LIST_ID)
    return items.length > 0 ? items : hits
  }
  return closestCenter({ ...args, droppableContainers: args.droppableContainers.filter((c) => c.id !== LIST_ID) })
}

function transformOf(t: { x: number; y: number; scaleX: number; scaleY: number } | null): string | undefined {
  return t ? `translate3d(${Math.round(t.x)}px, ${Math.round(t.y)}px, 0)` : undefined
}

// ---- palette ------------------------------------------------------------------------------------

function PaletteEntry({ action }: { action: ActionName }) {
  const { setNodeRef, listeners, isDragging } = useDraggable({ id: `${PALETTE_PREFIX}${action}` })
  const schema = ACTIONS[action]
  return (
    <button
      ref={setNodeRef}
      type="button"
      className="palette-entry"
      data-action={action}
      data-dragging={isDragging ? 'true' : undefined}
      title={`${schema.title} — ${schema.summary}\nClick to add at the end, or drag into the pipeline.`}
      // Pointer only: Enter/Space keep their meaning (add at the end); reorder afterwards by keyboard.
      onPointerDown={listeners?.onPointerDown as React.PointerEventHandler<HTMLButtonElement> | undefined}
      onClick={() => dispatch({ type: 'add', action })}
    >
      <EIcon name={ACTION_ICONS[action]} size={14} />
      {action}
    </button>
  )
}

function Palette() {
  return (
    <section className="palette" aria-label="Actions">
      {paletteGroups().map((group) => (
        <div key={group.title} className="palette-group" role="group" aria-label={group.title}>
          <span className="palette-group-title" aria-hidden="true">
            {group.title}
          </span>
          <div className="palette-entries">
            {group.actions.map((action) => (
              <PaletteEntry key={action} action={action} />
            ))}
          </div>
        </div>
      ))}
    </section>
  )
}

// ---- pipeline -------------------------------------------------------------------------------------

function Step({ item, index, selected, invalid, drop }: { item: PipelineItem; index: number; selected: boolean; invalid: boolean; drop: 'before' | 'after' | undefined }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: item.id })
  const summary = summaryOf(item)
  return (
    <li
      ref={setNodeRef}
      className="step"
      data-id={item.id}
      data-action={item.action}
      data-selected={selected ? 'true' : undefined}
      data-enabled={item.enabled ? 'true' : 'false'}
      data-invalid={invalid ? 'true' : undefined}
      data-dragging={isDragging ? 'true' : undefined}
      data-drop={drop}
      style={{ transform: transformOf(transform), transition: transition ?? undefined }}
    >
      <button ref={setActivatorNodeRef} type="button" className="step-handle" {...attributes} {...listeners} aria-label={`Reorder ${item.action} (step ${index + 1})`} title="Drag, or press Space and use the arrow keys, to reorder">
        <EIcon name="grip" size={14} />
      </button>
      <button
        type="button"
        className="step-main"
        aria-pressed={selected}
        onClick={() => select(item.id)}
        onKeyDown={(e) => {
          if (e.key === 'Delete' || e.key === 'Backspace') {
            e.preventDefault()
            dispatch({ type: 'remove', id: item.id })
          }
        }}
        title={item.enabled ? 'Edit the parameters' : 'Disabled: kept here, left out of the process string'}
      >
        <span className="step-index" aria-hidden="true">
          {index + 1}
        </span>
        <span className="step-icon" aria-hidden="true">
          <EIcon name={ACTION_ICONS[item.action]} size={14} />
        </span>
        <span className="step-name">{item.action}</span>
        <span className="step-summary">{summary}</span>
        {invalid ? (
          <span className="step-alert" title="This step has an error">
            <EIcon name="alert" size={14} />
            <span className="sr-only">, has an error</span>
          </span>
        ) : null}
      </button>
      <label className="step-toggle" title={item.enabled ? 'Disable (keep it, leave it out of the string)' : 'Enable'}>
        <input type="checkbox" role="switch" checked={item.enabled} aria-label={`Enable ${item.action}`} onChange={(e) => dispatch({ type: 'toggle', id: item.id, enabled: e.target.checked })} />
        <span className="switch-track small" aria-hidden="true" />
      </label>
      <button type="button" className="btn ghost icon small" aria-label={`Duplicate ${item.action}`} title="Duplicate" onClick={() => dispatch({ type: 'duplicate', id: item.id })}>
        <EIcon name="copy" size={14} />
      </button>
      <button type="button" className="btn ghost icon small step-remove" aria-label={`Remove ${item.action}`} title="Remove" onClick={() => dispatch({ type: 'remove', id: item.id })}>
        <EIcon name="trash" size={14} />
      </button>
    </li>
  )
}

function Pipeline({ issues, dropIndex, paletteDragging }: { issues: DocIssues; dropIndex: number | undefined; paletteDragging: boolean }) {
  const items = useEditor((s) => s.doc.items)
  const style = useEditor((s) => s.doc.style)
  const draft = useEditor((s) => s.draft)
  const selectedId = useEditor((s) => s.selectedId)
  const { setNodeRef, isOver } = useDroppable({ id: LIST_ID })
  const draftBroken = useMemo(() => draft !== undefined && !parses(draft), [draft])
  return (
    <div ref={setNodeRef} className="pipeline" data-over={paletteDragging && isOver ? 'true' : undefined} data-drop-end={paletteDragging && dropIndex === items.length && items.length > 0 ? 'true' : undefined}>
      {draftBroken ? (
        <p className="pipeline-note warn" role="status">
          <EIcon name="alert" size={14} /> The process string has an error: the pipeline shows its last valid version.
        </p>
      ) : null}
      {style !== undefined ? (
        <p className="pipeline-note" role="status">
          <EIcon name="info" size={14} />
          <span>
            The string uses the named style <code>style/{style}</code>; its steps are stored with the style. Add an action to build a pipeline instead.
          </span>
        </p>
      ) : null}
      <SortableContext items={items.map((i) => i.id)} strategy={verticalListSortingStrategy}>
        <ul className="steps" aria-label="Pipeline">
          {items.map((item, index) => (
            <Step
              key={item.id}
              item={item}
              index={index}
              selected={item.id === selectedId}
              invalid={issues.byItem.has(item.id)}
              drop={paletteDragging && dropIndex !== undefined ? (dropIndex === index ? 'before' : dropIndex === index + 1 && index === items.length - 1 ? 'after' : undefined) : undefined}
            />
          ))}
        </ul>
      </SortableContext>
      {items.length === 0 && style === undefined ? (
        <div className="pipeline-empty">
          <EIcon name="plus" size={18} />
          <span>Drag an action here, or click one above.</span>
        </div>
      ) : null}
    </div>
  )
}

function parses(text: string): boolean {
  try {
    parseProcess(text)
    return true
  } catch {
    return false
  }
}

// ---- the panel ------------------------------------------------------------------------------------

function nameOf(id: UniqueIdentifier): string {
  const fromPalette = paletteAction(id)
  if (fromPalette) return `${fromPalette} from the palette`
  const items = useEditor.getState().doc.items
  const index = items.findIndex((i) => i.id === id)
  return index === -1 ? 'the step' : `${items[index]!.action} (step ${index + 1})`
}

function positionOf(id: UniqueIdentifier | undefined): string {
  const items = useEditor.getState().doc.items
  if (id === LIST_ID) return `the end of the pipeline`
  const index = items.findIndex((i) => i.id === id)
  return index === -1 ? 'the pipeline' : `position ${index + 1} of ${items.length}`
}

const announcements: Announcements = {
  onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}.`,
  onDragOver: ({ active, over }) => (over ? `${nameOf(active.id)} is over ${positionOf(over.id)}.` : `${nameOf(active.id)} is no longer over the pipeline.`),
  // Announced after the drop has been applied: say where the step is now.
  onDragEnd: ({ active, over }) => {
    const fromPalette = paletteAction(active.id)
    const { doc, selectedId } = useEditor.getState()
    if (fromPalette) {
      const index = doc.items.findIndex((i) => i.id === selectedId)
      return over && index !== -1 ? `${fromPalette} was added at position ${index + 1} of ${doc.items.length}.` : `${fromPalette} was not added.`
    }
    const index = doc.items.findIndex((i) => i.id === active.id)
    const name = doc.items[index]?.action ?? 'The step'
    return over ? `${name} was dropped at position ${index + 1} of ${doc.items.length}.` : `${name} was dropped where it was.`
  },
  onDragCancel: ({ active }) => `Dragging was cancelled. ${nameOf(active.id)} was put back.`
}

const screenReaderInstructions = {
  draggable: 'To reorder a step, press Space or Enter to pick it up, use the Up and Down arrow keys to move it, and press Space or Enter again to drop it, or Escape to cancel.'
}

/** Where a palette action would land: before the item under the pointer, or after it past its middle. */
function insertionIndex(event: DragMoveEvent | DragEndEvent, items: readonly PipelineItem[]): number | undefined {
  const over = event.over
  if (!over) return undefined
  if (over.id === LIST_ID) return items.length
  const index = items.findIndex((i) => i.id === over.id)
  if (index === -1) return undefined
  const rect = event.active.rect.current.translated
  if (!rect) return index
  const y = rect.top + rect.height / 2
  return y > over.rect.top + over.rect.height / 2 ? index + 1 : index
}

export function useUndoShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return
      const key = e.key.toLowerCase()
      if (key === 'z') {
        e.preventDefault()
        if (e.shiftKey) redo()
        else undo()
      } else if (key === 'y' && !e.shiftKey && !e.metaKey) {
        e.preventDefault()
        redo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

export function EditorPanel() {
  const doc = useEditor((s) => s.doc)
  const selectedId = useEditor((s) => s.selectedId)
  const canUndo = useEditor((s) => s.past.length > 0)
  const canRedo = useEditor((s) => s.future.length > 0)
  const issues = useMemo(() => docIssues(doc), [doc])
  const selected = doc.items.find((i) => i.id === selectedId)
  const [activePalette, setActivePalette] = useState<ActionName | undefined>()
  const [dropIndex, setDropIndex] = useState<number | undefined>()
  useUndoShortcuts()
  const [budgetOpen, setBudgetOpen] = useState(false)

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }))

  const onDragStart = (e: DragStartEvent) => setActivePalette(paletteAction(e.active.id))
  const onDragMove = (e: DragMoveEvent) => {
    if (paletteAction(e.active.id)) setDropIndex(insertionIndex(e, useEditor.getState().doc.items))
  }
  const onDragEnd = (e: DragEndEvent) => {
    const items = useEditor.getState().doc.items
    const fromPalette = paletteAction(e.active.id)
    if (fromPalette) {
      const index = insertionIndex(e, items)
      if (index !== undefined) dispatch({ type: 'add', action: fromPalette, index })
    } else if (e.over && e.over.id !== e.active.id) {
      const from = items.findIndex((i) => i.id === e.active.id)
      const to = items.findIndex((i) => i.id === e.over!.id)
      if (from !== -1 && to !== -1) dispatch({ type: 'move', from, to })
    }
    setActivePalette(undefined)
    setDropIndex(undefined)
  }
  const onDragCancel = () => {
    setActivePalette(undefined)
    setDropIndex(undefined)
  }

  const enabledCount = doc.items.filter((i) => i.enabled).length
  return (
    <aside className="panel editor-panel" aria-label="Pipeline editor">
      <header className="panel-header">
        <span className="panel-title">Pipeline</span>
        <span className="badge" title="Steps in the process string / all steps">
          {enabledCount === doc.items.length ? `${doc.items.length} step${doc.items.length === 1 ? '' : 's'}` : `${enabledCount} of ${doc.items.length} on`}
        </span>
        {issues.count > 0 ? (
          <span className="badge danger" data-testid="issue-count">
            {issues.count} error{issues.count === 1 ? '' : 's'}
          </span>
        ) : null}
        <span className="topbar-spacer" />
        <button type="button" className="btn ghost small" onClick={() => setBudgetOpen(true)} aria-haspopup="dialog" title="Find the highest quality per format that keeps the samples within N KB">
          Byte budget
        </button>
        <button type="button" className="btn ghost icon small" onClick={undo} disabled={!canUndo} aria-label="Undo" title="Undo (Ctrl/⌘+Z)">
          <EIcon name="undo" size={15} />
        </button>
        <button type="button" className="btn ghost icon small" onClick={redo} disabled={!canRedo} aria-label="Redo" title="Redo (Shift+Ctrl/⌘+Z)">
          <EIcon name="redo" size={15} />
        </button>
      </header>
      <DndContext
        sensors={sensors}
        collisionDetection={collisionDetection}
        onDragStart={onDragStart}
        onDragMove={onDragMove}
        onDragEnd={onDragEnd}
        onDragCancel={onDragCancel}
        accessibility={{ announcements, screenReaderInstructions }}
      >
        <div className="editor-top">
          <Palette />
          <Pipeline issues={issues} dropIndex={dropIndex} paletteDragging={activePalette !== undefined} />
        </div>
        <DragOverlay dropAnimation={null}>
          {activePalette ? (
            <div className="palette-entry overlay">
              <EIcon name={ACTION_ICONS[activePalette]} size={14} />
              {activePalette}
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
      {budgetOpen ? <BudgetDialog onClose={() => setBudgetOpen(false)} /> : null}
      <div className="editor-form">
        {selected ? (
          <ParamForm key={selected.id} item={selected} issues={issues.byItem.get(selected.id)} />
        ) : (
          <p className="param-none">{doc.items.length === 0 ? 'Add an action to start a pipeline; its parameters show here.' : 'Select a step to edit its parameters.'}</p>
        )}
      </div>
    </aside>
  )
}
