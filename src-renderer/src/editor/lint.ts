/**
 * The style linter in the editor: the shared rules (src-shared/img/lint, pure, run here directly)
 * over the current process string, with the selected image's facts when the preview knows them
 * (size, format and JPEG quality come with every preview answer). A finding's fix is applied as one
 * undoable edit (state/editor.ts `applyProcess`).
 */
import { useMemo } from 'react'
import { create } from 'zustand'
import type { OutputFormat } from '../../../src-shared/img/actions/format'
import { OUTPUT_FORMATS } from '../../../src-shared/img/actions/format'
import { lintPipeline, type LintFinding, type LintSource } from '../../../src-shared/img/lint'
import { parseProcess } from '../../../src-shared/img/process'
import { useEditor } from '../state/editor'
import { useProcessString } from '../state/process'

interface LintSourceState {
  readonly source: LintSource | undefined
}

/** The selected image as the preview last described it; undefined while none is known. */
export const useLintSource = create<LintSourceState>()(() => ({ source: undefined }))

/**
 * Called by the preview with its answer's facts. Its sizes are EXIF-oriented; the linter wants the
 * stored size and the orientation (as the CLI reads them), so an `auto-orient,0` chain is judged on
 * the image as it is stored.
 */
export function setLintSource(facts: { width: number; height: number; format: string | undefined; quality: number | undefined; orientation: number | undefined } | undefined): void {
  const format = facts?.format === 'jpeg' ? 'jpg' : facts?.format
  const turned = (facts?.orientation ?? 1) >= 5
  const next: LintSource | undefined =
    facts && format && (OUTPUT_FORMATS as readonly string[]).includes(format)
      ? { width: turned ? facts.height : facts.width, height: turned ? facts.width : facts.height, format: format as OutputFormat, quality: facts.quality, orientation: facts.orientation }
      : undefined
  const current = useLintSource.getState().source
  if (current?.width === next?.width && current?.height === next?.height && current?.format === next?.format && current?.quality === next?.quality && current?.orientation === next?.orientation) return
  useLintSource.setState({ source: next })
}

export interface EditorFinding extends LintFinding {
  /** The pipeline item the finding's step stands for (enabled items are the string's steps). */
  readonly itemId: string | undefined
}

/** Findings for the current string (none while it does not parse, or for a named style). */
export function useLintFindings(): readonly EditorFinding[] {
  const text = useProcessString()
  const source = useLintSource((s) => s.source)
  const items = useEditor((s) => s.doc.items)
  return useMemo(() => {
    let parsed
    try {
      parsed = parseProcess(text)
      if (parsed.kind !== 'image') return []
    } catch {
      return []
    }
    const { steps, saveAs } = parsed
    const enabled = items.filter((i) => i.enabled)
    // The string's steps are the enabled items in order, unless the text is a draft the document lags behind.
    const aligned = enabled.length === steps.length && enabled.every((item, i) => item.action === steps[i]!.action)
    return lintPipeline({ steps, source, saveAs }).map((f) => ({ ...f, itemId: aligned ? enabled[f.step]!.id : undefined }))
  }, [text, source, items])
}
