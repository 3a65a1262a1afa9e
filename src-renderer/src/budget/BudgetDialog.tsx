/**
 * "Byte budget": the highest quality per format that keeps the style's output of a sample set
 * within N KB (every sample, or the 95th percentile), solved in main (`budget:solve`) with a
 * progress bar and Cancel; "Apply" writes `format,…/quality,Q_…` into the pipeline as one undo step.
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { ErrorInfo, RequestOf, ResponseOf } from '../../../src-shared/ipc/contract'
import { BUDGET_PREFIX_DEFAULT, KB, QUALITY_FORMATS, type QualityFormat } from '../../../src-shared/model/budget'
import { Trans, useTranslation } from '../i18n'
import { formatMs, formatNumber, formatPercent } from '../i18n/format'
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
/** Always in KB, the unit the budget is typed in. */
const kb = (bytes: number) => `${formatNumber(bytes / KB, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} KB`

let runs = 0

export function BudgetDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
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
          <strong id={titleId}>{t('budget.title')}</strong>
          <span className="budget-sub">{t('budget.subtitle')}</span>
          <button type="button" className="btn ghost icon small" onClick={onClose} aria-label={t('budget.close')}>
            <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
              <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
            </svg>
          </button>
        </header>
        <code className="budget-process" title={process}>
          {process || t('budget.noProcess')}
        </code>

        <div className="budget-form">
          <fieldset className="budget-field">
            <legend>{t('budget.samples')}</legend>
            <label>
              <input type="radio" name="budget-samples" checked={choice === 'samples'} onChange={() => setChoice('samples')} /> {t('budget.sampleImages', { count: samples.length })}
            </label>
            <label>
              <input type="radio" name="budget-samples" checked={choice === 'uploads'} onChange={() => setChoice('uploads')} /> {t('budget.addedFiles', { count: uploads.length })}
            </label>
            <label>
              <input type="radio" name="budget-samples" checked={choice === 'prefix'} onChange={() => setChoice('prefix')} /> {t('budget.bucketPrefix')}
            </label>
            {choice === 'prefix' ? <input className="input small mono" aria-label={t('budget.prefix')} placeholder="photos/2026/" value={prefix} onChange={(e) => setPrefix(e.target.value)} /> : null}
          </fieldset>

          <fieldset className="budget-field">
            <legend>{t('budget.budget')}</legend>
            <label className="budget-kb">
              <span>{t('budget.budgetKb')}</span>
              <input className="input small" inputMode="decimal" aria-label={t('budget.budgetKb')} value={maxKb} aria-invalid={!budgetValid} onChange={(e) => setMaxKb(e.target.value)} />
            </label>
            <label title={t('budget.p95Hint')}>
              <input type="checkbox" checked={p95} onChange={(e) => setP95(e.target.checked)} /> {t('budget.p95')}
            </label>
            <span className="budget-hint">{t('budget.kbIs')}</span>
          </fieldset>

          <fieldset className="budget-field">
            <legend>{t('budget.formats')}</legend>
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
              <progress className="budget-progress" aria-label={t('budget.solving')} max={progress.total} value={progress.done} />
              <span className="budget-hint">{formatPercent(progress.done / Math.max(1, progress.total))}</span>
              <button type="button" className="btn small" onClick={() => running.current?.abort()}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <>
              <span className="budget-hint">{sampleCount === 0 ? t('budget.noImages') : sampleCount !== undefined ? t('budget.images', { count: sampleCount }) : t('budget.prefixImages', { count: BUDGET_PREFIX_DEFAULT })}</span>
              <button type="button" className="btn small primary" disabled={!canSolve} onClick={() => void solve()}>
                {t('budget.solve')}
              </button>
            </>
          )}
        </div>

        {error ? <ErrorCallout error={error} /> : null}

        {solved ? (
          <table className="budget-table" aria-label={t('budget.results')}>
            <caption>
              {t(solved.p95 ? 'budget.captionP95' : 'budget.captionEvery', { count: solved.result.samples, budget: kb(solved.budgetBytes) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('budget.col.format')}</th>
                <th scope="col">Q</th>
                <th scope="col">{t('budget.col.max')}</th>
                <th scope="col">{'p95'}</th>
                <th scope="col">{t('budget.col.median')}</th>
                <th scope="col">SSIM</th>
                <th scope="col">{t('budget.col.time')}</th>
                <th scope="col">
                  <span className="sr-only">{t('budget.apply')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {solved.result.results.map((r) => (
                <tr key={r.format} data-format={r.format} data-met={r.met ? 'true' : 'false'}>
                  <th scope="row">{FORMAT_LABELS[r.format]}</th>
                  <td className="mono">{r.Q === null ? <span className="badge danger">{t('budget.notMet')}</span> : `Q_${r.Q}`}</td>
                  <td>{kb(r.maxBytes)}</td>
                  <td>{kb(r.p95Bytes)}</td>
                  <td>{kb(r.medianBytes)}</td>
                  <td>{r.score === null ? '—' : r.score.toFixed(3)}</td>
                  <td>{formatMs(r.timeMs)}</td>
                  <td>
                    {r.Q !== null ? (
                      <button
                        type="button"
                        className="btn small"
                        aria-label={t('budget.applyFormat', { format: r.format })}
                        disabled={namedStyle !== undefined}
                        title={namedStyle !== undefined ? t('budget.namedStyle') : t('budget.applyHint', { step: `format,${r.format}/quality,Q_${r.Q}` })}
                        onClick={() => apply(r.format, r.Q!)}
                      >
                        {t('budget.apply')}
                      </button>
                    ) : (
                      <span className="budget-hint" title={t('budget.smallestHint')}>
                        {t('budget.smallest')}
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
            <Trans i18nKey="budget.applied" values={{ step: applied }} components={{ code: <code /> }} />
          </p>
        ) : null}
      </div>
    </div>
  )
}
