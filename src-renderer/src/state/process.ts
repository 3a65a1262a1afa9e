/**
 * The single source of truth for the current x-oss-process string.
 *
 * - `useProcessString()` — the string to render: the canonical form written by the pipeline editor,
 *   or the raw text while the user is typing in the process box (it may not parse).
 * - `setProcessString(text)` — set it from anywhere (the process box, presets, tests).
 *
 * The pipeline editor (state/editor.ts) writes here on every edit and rebuilds its pipeline when
 * someone else sets a different string. Until every reader has moved here, the value is mirrored
 * both ways with the legacy `useStudio().process` field so the existing ProcessBox keeps working.
 */
import { create } from 'zustand'
import { useStudio } from './store'

export interface ProcessState {
  readonly text: string
}

export const useProcessStore = create<ProcessState>()(() => ({ text: useStudio.getState().process }))

/** The current process string (canonical, or the raw text being edited). */
export function useProcessString(): string {
  return useProcessStore((s) => s.text)
}

/** The current process string, outside React. */
export function getProcessString(): string {
  return useProcessStore.getState().text
}

/** Set the process string (no-op when unchanged). */
export function setProcessString(text: string): void {
  if (useProcessStore.getState().text === text) return
  useProcessStore.setState({ text })
  if (useStudio.getState().process !== text) useStudio.getState().setProcess(text)
}

/** Subscribe to changes outside React; returns the unsubscribe function. */
export function subscribeProcessString(listener: (text: string, previous: string) => void): () => void {
  return useProcessStore.subscribe((state, previous) => {
    if (state.text !== previous.text) listener(state.text, previous.text)
  })
}

// Legacy bridge: writes through `useStudio().setProcess` (e.g. the old ProcessBox) land here too.
useStudio.subscribe((state, previous) => {
  if (state.process !== previous.process && state.process !== useProcessStore.getState().text) useProcessStore.setState({ text: state.process })
})
