/**
 * "Byte budget": the highest quality per format that keeps the style's output of a sample set
 * within N KB (every sample, or the 95th percentile), solved in main (`budget:solve`) with a
 * progress bar and Cancel; "Apply" writes `format,…/quality,Q_…` into the pipeline as one undo step.
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { ErrorInfo, RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import { KB, QUALITY_FORMATS, type QualityFormat } from '../../../src-shared/model/budget'
import { errorInfoOf, invoke, isCancelled, onEvent } from '../ipc/client'
import { useSamples } from '../sources/SampleGrid'
import { useSources } from '../sources/store'
import { dispatch, useEditor } from '../state/editor'
import { useProcessString } from '../state/process'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { withBudget } from './apply'

type SampleChoice = 'samples' | 'uploads' | 'prefix'
type Solved = ResponseOf<'budget:solve'>

const FORMAT_LABELS: Record<QualityFormat, string> = { jpg: 'JPG', webp: 'WebP', avif: 'AVIF', heic: 'HEIC' }
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`

let runs = 0

export function BudgetDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId()
  const dialog = useRef<HTMLDivElement>(null)
  const process = useProcessString()
  const activeId = useStudio((s) => s.activeId)
  const namedStyle = useEditor((s) => s.doc.style)
  const { samples } = useSamples()
  const uploads = useSources((s) => s.uploads)
  const [choice, setChoice] = useState<SampleChoice>('samples')
  const [prefix, setPrefix] = useState('')
  const [maxKb, setMaxKb] = useState('60')
  const [p95, setP95] = useState(false)
  const [formats, setFormats] = useState<QualityFormat[]>(['jpg', 'webp'])
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>()
  const [solved, setSolved] = useState<{ result: Solved; budgetBytes: number; p95: boolean } | undefined>()
  const [error, setError] = useState<ErrorInfo | undefined>()
  const [applied, setApplied] = useState<string | undefined>()
  const running = useRef<AbortController | undefined>(undefined)

  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('input, button')?.focus()
    return () => running.current?.abort()
  }, [])

  const sampleSet = (): RequestOf<'budget:solve'>['samples'] | undefined => {
    if (choice === 'prefix') return activeId ? { kind: 'prefix', profileId: activeId, prefix } : undefined
    const list = choice === 'uploads' ? uploads.map((u) => ({ kind: 'upload' as const, uploadId: u.uploadId })) : samples.map((s) => s.source)
    return list.length > 0 ? { kind: 'sources', sources: list } : undefined
  }
  const budget = Number(maxKb)
  const budgetValid = /^\d+(\.\d+)?$/.test(maxKb.trim()) && budget > 0
  const set = sampleSet()
  const canSolve = !progress && budgetValid && formats.length > 0 && set !== undefined && process.trim() !== ''

  const solve = async () => {
    if (!set) return
    const controller = new AbortController()
    running.current = controller
    const solveId = `budget-${++runs}`
    const budgetBytes = Math.floor(budget * KB)
    setError(undefined)
    setSolved(undefined)
    setApplied(undefined)
    setProgress({ done: 0, total: 1 })
    const off = onEvent('budget:progress', (event) => {
      if (event.solveId === solveId) setProgress({ done: event.done, total: event.total })
    })
    try {
      const result = await invoke('budget:solve', { solveId, process, samples: set, budgetBytes, measure: p95 ? 'p95' : 'max', formats: QUALITY_FORMATS.filter((f) => formats.includes(f)) }, { signal: controller.signal })
      setSolved({ result, budgetBytes, p95 })
    } catch (caught) {
      if (!isCancelled(caught)) setError(errorInfoOf(caught))
    } finally {
      off()
      running.current = undefined
      setProgress(undefined)
    }
  }

  const apply = (format: QualityFormat, Q: number) => {
    dispatch({ type: 'replaceAll', doc: withBudget(useEditor.getState().doc, format, Q) })
    setApplied(`format,${format}/quality,Q_${Q}`)
  }

  const sampleCount = choice === 'samples' ? samples.length : choice === 'uploads' ? uploads.length : undefined
  return (
    <div className="budget-backdrop">
      <div
        ref={dialog}
        className="budget-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation()
            onClose()
          }
        }}
      >
        <header className="budget-head">
          <strong id={titleId}>Byte budget</strong>
          <span className="budget-sub">The highest quality per format that keeps the output within the budget</span>
          <button type="button" className="btn ghost icon small" onClick={onClose} aria-label="Close">
            <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
              <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
            </svg>
          </button>
        </header>
        <code className="budget-process" title={process}>
          {process || '(no process string)'}
        </code>

        <div className="budget-form">
          <fieldset className="budget-field">
            <legend>Samples</legend>
            <label>
              <input type="radio" name="budget-samples" checked={choice === 'samples'} onChange={() => setChoice('samples')} /> Sample images ({samples.length})
            </label>
            <label>
              <input type="radio" name="budget-samples" checked={choice === 'uploads'} onChange={() => setChoice('uploads')} /> Added files ({uploads.length})
            </label>
            <label>
              <input type="radio" name="budget-samples" checked={choice === 'prefix'} onChange={() => setChoice('prefix')} /> Bucket prefix
            </label>
            {choice === 'prefix' ? <input className="input small mono" aria-label="Prefix" placeholder="photos/2026/" value={prefix} onChange={(e) => setPrefix(e.target.value)} /> : null}
          </fieldset>

          <fieldset className="budget-field">
            <legend>Budget</legend>
            <label className="budget-kb">
              <span>Budget (KB)</span>
              <input className="input small" inputMode="decimal" aria-label="Budget (KB)" value={maxKb} aria-invalid={!budgetValid} onChange={(e) => setMaxKb(e.target.value)} />
            </label>
            <label title="Only the 95th percentile (nearest rank) of the samples must fit, not every one">
              <input type="checkbox" checked={p95} onChange={(e) => setP95(e.target.checked)} /> p95 (95th percentile)
            </label>
            <span className="budget-hint">1 KB = 1024 bytes</span>
          </fieldset>

          <fieldset className="budget-field">
            <legend>Formats</legend>
            {QUALITY_FORMATS.map((f) => (
              <label key={f}>
                <input type="checkbox" checked={formats.includes(f)} onChange={(e) => setFormats((list) => (e.target.checked ? [...list, f] : list.filter((x) => x !== f)))} /> {FORMAT_LABELS[f]}
              </label>
            ))}
          </fieldset>
        </div>

        <div className="budget-actions">
          {progress ? (
            <>
              <progress className="budget-progress" aria-label="Solving" max={progress.total} value={progress.done} />
              <span className="budget-hint">{Math.round((progress.done / Math.max(1, progress.total)) * 100)} %</span>
              <button type="button" className="btn small" onClick={() => running.current?.abort()}>
                Cancel
              </button>
            </>
          ) : (
            <>
              <span className="budget-hint">{sampleCount === 0 ? 'No images in this set' : sampleCount !== undefined ? `${sampleCount} image${sampleCount === 1 ? '' : 's'}` : 'The first 50 images under the prefix'}</span>
              <button type="button" className="btn small primary" disabled={!canSolve} onClick={() => void solve()}>
                Solve
              </button>
            </>
          )}
        </div>

        {error ? <ErrorCallout error={error} /> : null}

        {solved ? (
          <table className="budget-table" aria-label="Budget results">
            <caption>
              {solved.p95 ? 'p95' : 'Every sample'} ≤ {kb(solved.budgetBytes)} · {solved.result.samples} sample{solved.result.samples === 1 ? '' : 's'} · score: SSIM against the style unencoded
            </caption>
            <thead>
              <tr>
                <th scope="col">Format</th>
                <th scope="col">Q</th>
                <th scope="col">Max</th>
                <th scope="col">p95</th>
                <th scope="col">Median</th>
                <th scope="col">SSIM</th>
                <th scope="col">Time</th>
                <th scope="col">
                  <span className="sr-only">Apply</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {solved.result.results.map((r) => (
                <tr key={r.format} data-format={r.format} data-met={r.met ? 'true' : 'false'}>
                  <th scope="row">{FORMAT_LABELS[r.format]}</th>
                  <td className="mono">{r.Q === null ? <span className="badge danger">not met</span> : `Q_${r.Q}`}</td>
                  <td>{kb(r.maxBytes)}</td>
                  <td>{kb(r.p95Bytes)}</td>
                  <td>{kb(r.medianBytes)}</td>
                  <td>{r.score === null ? '—' : r.score.toFixed(3)}</td>
                  <td>{(r.timeMs / 1000).toFixed(1)} s</td>
                  <td>
                    {r.Q !== null ? (
                      <button
                        type="button"
                        className="btn small"
                        aria-label={`Apply ${r.format}`}
                        disabled={namedStyle !== undefined}
                        title={namedStyle !== undefined ? 'A named style is open: edit its chain to apply' : `Write format,${r.format}/quality,Q_${r.Q} into the style`}
                        onClick={() => apply(r.format, r.Q!)}
                      >
                        Apply
                      </button>
                    ) : (
                      <span className="budget-hint" title="Not even Q_1 fits: the sizes shown are the smallest reached">
                        smallest at Q_1
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {applied ? (
          <p className="budget-applied" role="status">
            Applied <code>{applied}</code> (undo with Ctrl/⌘+Z)
          </p>
        ) : null}
      </div>
    </div>
  )
}
