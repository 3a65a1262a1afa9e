/**
 * The bucket browser's checked objects: a set of keys, separate from the one "current object" that
 * is previewed (`useStudio().selectedKey`). Keys stay checked across folders and searches (so a
 * set can be gathered from several places) and are dropped when the active profile changes.
 * The signed-URL panel reads it (`getCheckedKeys`, `useCheckedKeys`).
 */
import { create } from 'zustand'
import { useStudio } from '../state/store'

interface SelectionState {
  /** In the order they were checked. */
  readonly keys: readonly string[]
  /** The last key clicked without Shift: one end of a Shift-click range. */
  readonly anchor: string | undefined
}

export const useSelection = create<SelectionState>()(() => ({ keys: [], anchor: undefined }))

export function useCheckedKeys(): readonly string[] {
  return useSelection((s) => s.keys)
}

export function getCheckedKeys(): readonly string[] {
  return useSelection.getState().keys
}

export function isChecked(keys: readonly string[], key: string): boolean {
  return keys.includes(key)
}

function withKeys(keys: readonly string[], add: readonly string[], checked: boolean): readonly string[] {
  if (checked) return [...keys, ...add.filter((k) => !keys.includes(k))]
  const drop = new Set(add)
  return keys.filter((k) => !drop.has(k))
}

/**
 * A checkbox click. With `range` (Shift held) and an anchor among `visible` (the rows in screen
 * order), every row from the anchor to `key` takes the clicked row's new state, as in a file manager.
 */
export function toggleChecked(key: string, options: { range?: boolean; visible?: readonly string[] } = {}): void {
  const { keys, anchor } = useSelection.getState()
  const checked = !keys.includes(key)
  const visible = options.visible ?? []
  const from = anchor === undefined ? -1 : visible.indexOf(anchor)
  const to = visible.indexOf(key)
  if (options.range && from >= 0 && to >= 0) {
    const span = visible.slice(Math.min(from, to), Math.max(from, to) + 1)
    useSelection.setState({ keys: withKeys(keys, span, checked) })
    return
  }
  useSelection.setState({ keys: withKeys(keys, [key], checked), anchor: key })
}

/** "Select all" over the rows shown (checked = true) or unchecks them. */
export function setChecked(visible: readonly string[], checked: boolean): void {
  useSelection.setState((s) => ({ keys: withKeys(s.keys, visible, checked) }))
}

export function clearChecked(): void {
  useSelection.setState({ keys: [], anchor: undefined })
}

// Keys belong to one profile's bucket.
useStudio.subscribe((state, previous) => {
  if (state.activeId !== previous.activeId) clearChecked()
})
