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
import { i18n, useTranslation } from '../i18n'
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
  const { t } = useTranslation()
  const schema = ACTIONS[action]
  return (
    <button
      ref={setNodeRef}
      type="button"
      className="palette-entry"
      data-action={action}
      data-dragging={isDragging ? 'true' : undefined}
      title={`${schema.title} — ${schema.summary}\n${t('editor.palette.entryHint')}`}
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
  const { t } = useTranslation()
  return (
    <section className="palette" aria-label={t('editor.palette.label')}>
      {paletteGroups().map((group) => (
        <div key={group.title} className="palette-group" role="group" aria-label={t(group.title)}>
          <span className="palette-group-title" aria-hidden="true">
            {t(group.title)}
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
  const { t } = useTranslation()
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
      <button ref={setActivatorNodeRef} type="button" className="step-handle" {...attributes} {...listeners} aria-label={t('editor.step.reorder', { action: item.action, step: index + 1 })} title={t('editor.step.reorderHint')}>
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
        title={item.enabled ? t('editor.step.edit') : t('editor.step.disabledHint')}
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
          <span className="step-alert" title={t('editor.step.hasErrorTitle')}>
            <EIcon name="alert" size={14} />
            <span className="sr-only">{t('editor.step.hasError')}</span>
          </span>
        ) : null}
      </button>
      <label className="step-toggle" title={item.enabled ? t('editor.step.disable') : t('editor.step.enableTitle')}>
        <input type="checkbox" role="switch" checked={item.enabled} aria-label={t('editor.step.enable', { action: item.action })} onChange={(e) => dispatch({ type: 'toggle', id: item.id, enabled: e.target.checked })} />
        <span className="switch-track small" aria-hidden="true" />
      </label>
      <button type="button" className="btn ghost icon small" aria-label={t('editor.step.duplicate', { action: item.action })} title={t('editor.step.duplicateTitle')} onClick={() => dispatch({ type: 'duplicate', id: item.id })}>
        <EIcon name="copy" size={14} />
      </button>
      <button type="button" className="btn ghost icon small step-remove" aria-label={t('editor.step.remove', { action: item.action })} title={t('editor.step.removeTitle')} onClick={() => dispatch({ type: 'remove', id: item.id })}>
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
  const { t } = useTranslation()
  const { setNodeRef, isOver } = useDroppable({ id: LIST_ID })
  const draftBroken = useMemo(() => draft !== undefined && !parses(draft), [draft])
  return (
    <div ref={setNodeRef} className="pipeline" data-over={paletteDragging && isOver ? 'true' : undefined} data-drop-end={paletteDragging && dropIndex === items.length && items.length > 0 ? 'true' : undefined}>
      {draftBroken ? (
        <p className="pipeline-note warn" role="status">
          <EIcon name="alert" size={14} /> {t('editor.pipeline.draftBroken')}
        </p>
      ) : null}
      {style !== undefined ? (
        <p className="pipeline-note" role="status">
          <EIcon name="info" size={14} />
          <span>
            {t('editor.pipeline.namedStyleBefore')}
            <code>{`style/${style}`}</code>
            {t('editor.pipeline.namedStyleAfter')}
          </span>
        </p>
      ) : null}
      <SortableContext items={items.map((i) => i.id)} strategy={verticalListSortingStrategy}>
        <ul className="steps" aria-label={t('editor.pipeline.label')}>
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
          <span>{t('editor.pipeline.empty')}</span>
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
  if (fromPalette) return i18n.t('editor.dnd.fromPalette', { action: fromPalette })
  const items = useEditor.getState().doc.items
  const index = items.findIndex((i) => i.id === id)
  return index === -1 ? i18n.t('editor.dnd.theStep') : i18n.t('editor.dnd.step', { action: items[index]!.action, step: index + 1 })
}

function positionOf(id: UniqueIdentifier | undefined): string {
  const items = useEditor.getState().doc.items
  if (id === LIST_ID) return i18n.t('editor.dnd.end')
  const index = items.findIndex((i) => i.id === id)
  return index === -1 ? i18n.t('editor.dnd.thePipeline') : i18n.t('editor.dnd.position', { position: index + 1, count: items.length })
}

const announcements: Announcements = {
  onDragStart: ({ active }) => i18n.t('editor.dnd.pickedUp', { name: nameOf(active.id) }),
  onDragOver: ({ active, over }) => (over ? i18n.t('editor.dnd.over', { name: nameOf(active.id), position: positionOf(over.id) }) : i18n.t('editor.dnd.notOver', { name: nameOf(active.id) })),
  // Announced after the drop has been applied: say where the step is now.
  onDragEnd: ({ active, over }) => {
    const fromPalette = paletteAction(active.id)
    const { doc, selectedId } = useEditor.getState()
    if (fromPalette) {
      const index = doc.items.findIndex((i) => i.id === selectedId)
      return over && index !== -1 ? i18n.t('editor.dnd.added', { action: fromPalette, position: index + 1, count: doc.items.length }) : i18n.t('editor.dnd.notAdded', { action: fromPalette })
    }
    const index = doc.items.findIndex((i) => i.id === active.id)
    const name = doc.items[index]?.action ?? i18n.t('editor.dnd.theStepCapital')
    return over ? i18n.t('editor.dnd.dropped', { name, position: index + 1, count: doc.items.length }) : i18n.t('editor.dnd.droppedInPlace', { name })
  },
  onDragCancel: ({ active }) => i18n.t('editor.dnd.cancelled', { name: nameOf(active.id) })
}

const screenReaderInstructions = {
  get draggable() {
    return i18n.t('editor.dnd.instructions')
  }
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
  const { t } = useTranslation()
  const doc = useEditor((s) => s.doc)
  const selectedId = useEditor((s) => s.selectedId)
  const canUndo = useEditor((s) => s.past.length > 0)
  const canRedo = useEditor((s) => s.future.length > 0)
  const issues = useMemo(() => docIssues(doc), [doc])
  const selected = doc.items.find((i) => i.id === selectedId)
  const [activePalette, setActivePalette] = useState<ActionName | undefined>()
  const [dropIndex, setDropIndex] = useState<number | undefined>()
  useUndoShortcuts()

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
    <aside className="panel editor-panel" aria-label={t('editor.panel.label')}>
      <header className="panel-header">
        <span className="panel-title">{t('editor.pipeline.label')}</span>
        <span className="badge" title={t('editor.panel.stepsTitle')}>
          {enabledCount === doc.items.length ? t('editor.panel.steps', { count: doc.items.length }) : t('editor.panel.stepsOn', { on: enabledCount, count: doc.items.length })}
        </span>
        {issues.count > 0 ? (
          <span className="badge danger" data-testid="issue-count">
            {t('editor.panel.errors', { count: issues.count })}
          </span>
        ) : null}
        <span className="topbar-spacer" />
        <button type="button" className="btn ghost icon small" onClick={undo} disabled={!canUndo} aria-label={t('editor.panel.undo')} title={t('editor.panel.undoTitle')}>
          <EIcon name="undo" size={15} />
        </button>
        <button type="button" className="btn ghost icon small" onClick={redo} disabled={!canRedo} aria-label={t('editor.panel.redo')} title={t('editor.panel.redoTitle')}>
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
      <div className="editor-form">
        {selected ? (
          <ParamForm key={selected.id} item={selected} issues={issues.byItem.get(selected.id)} />
        ) : (
          <p className="param-none">{doc.items.length === 0 ? t('editor.panel.noneYet') : t('editor.panel.selectStep')}</p>
        )}
      </div>
    </aside>
  )
}
