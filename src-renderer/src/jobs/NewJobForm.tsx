/**
 * "New job": the studio's current process string or styles from the library, a source (bucket,
 * prefix, filters) on the active profile, a target (bucket of the profile or a folder on the
 * machine main runs on), the key template with a live example of the first source key, conflict
 * policy and concurrency. "Dry run" shows the manifest; "Start" creates the job and starts it.
 */
import { useEffect, useId, useState, type ReactNode } from 'react'
import type { ErrorInfo, ResponseOf } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { useProcessString } from '../state/process'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Spinner } from '../ui/Empty'
import { ManifestView } from './ManifestView'
import { draftRequest, useJobs, type JobDraft, type ManifestRow } from './store'

type Example = { readonly status: 'idle' } | { readonly status: 'running' } | { readonly status: 'done'; readonly rows: readonly ManifestRow[] } | { readonly status: 'error'; readonly error: ErrorInfo }

/** Typing pauses this long before the live example asks main. */
const EXAMPLE_DELAY_MS = 300

function Field({ label, hint, optional, wide, children }: { label: string; hint?: ReactNode; optional?: boolean; wide?: boolean; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId()
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <label htmlFor={id}>
        {label} {optional ? <span className="optional">(optional)</span> : null}
      </label>
      {children(id, hint ? `${id}-hint` : undefined)}
      {hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  )
}

function TextField({ name, label, hint, optional, wide, placeholder, mono }: { name: keyof JobDraft; label: string; hint?: ReactNode; optional?: boolean; wide?: boolean; placeholder?: string; mono?: boolean }) {
  const value = useJobs((s) => s.draft[name]) as string
  return (
    <Field label={label} hint={hint} optional={optional} wide={wide}>
      {(id, describedBy) => (
        <input
          id={id}
          className={mono ? 'input mono' : 'input'}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={describedBy}
          onChange={(e) => useJobs.getState().setDraft({ [name]: e.target.value })}
        />
      )}
    </Field>
  )
}

/** The template rendered for the first source key (main lists one page and renders it exactly as a run would). */
function useExample(request: ReturnType<typeof draftRequest>): Example {
  const [example, setExample] = useState<Example>({ status: 'idle' })
  const key = JSON.stringify(request)
  useEffect(() => {
    const parsed = JSON.parse(key) as ReturnType<typeof draftRequest>
    if (!('request' in parsed)) {
      setExample({ status: 'idle' })
      return
    }
    const controller = new AbortController()
    setExample({ status: 'running' })
    const timer = setTimeout(() => {
      invoke('jobs:example', parsed.request, { signal: controller.signal }).then(
        ({ items }) => setExample({ status: 'done', rows: items }),
        (error: unknown) => {
          if (!isCancelled(error)) setExample({ status: 'error', error: errorInfoOf(error) })
        }
      )
    }, EXAMPLE_DELAY_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [key])
  return example
}

function ExampleRows({ example }: { example: Example }) {
  if (example.status === 'idle') return null
  if (example.status === 'running') {
    return (
      <div className="job-example" aria-live="polite">
        <Spinner label="Rendering the example" /> Example…
      </div>
    )
  }
  if (example.status === 'error') {
    return (
      <div className="job-example error" role="alert" data-testid="template-example">
        <strong>{example.error.code}</strong> {example.error.message}
      </div>
    )
  }
  if (example.rows.length === 0) return <div className="job-example" data-testid="template-example">No source key matches yet.</div>
  return (
    <div className="job-example" data-testid="template-example" aria-live="polite">
      <span className="job-example-label">Example</span>
      {example.rows.map((row) => (
        <div key={row.style} className="job-example-row" data-flagged={row.issues.length > 0 ? 'true' : undefined} title={row.issues.map((i) => i.message).join('\n') || undefined}>
          <code>{row.sourceKey}</code>
          <span aria-hidden="true">→</span>
          <span className="sr-only">becomes</span>
          <code>{row.targetKey}</code>
          {row.issues.map((i) => (
            <span key={i.code} className="badge danger">
              {i.code}
            </span>
          ))}
        </div>
      ))}
    </div>
  )
}

function LibraryStyles() {
  const [styles, setStyles] = useState<ResponseOf<'styles:list'>['styles'] | ErrorInfo | undefined>(undefined)
  const checked = useJobs((s) => s.draft.styles)
  useEffect(() => {
    invoke('styles:list', {}).then(
      (r) => setStyles(r.styles),
      (error: unknown) => setStyles(errorInfoOf(error))
    )
  }, [])
  if (styles === undefined) return <Spinner label="Loading the style library" />
  if (!Array.isArray(styles)) return <ErrorCallout error={styles} title="Could not read the style library" />
  if (styles.length === 0) return <p className="field-hint">The library has no styles yet: save one in the Studio, or use a process string.</p>
  return (
    <fieldset className="job-style-list" aria-label="Library styles">
      {styles.map((style) => (
        <label key={style.name} className="job-check">
          <input
            type="checkbox"
            checked={checked.includes(style.name)}
            onChange={(e) => useJobs.getState().setDraft({ styles: e.target.checked ? [...checked, style.name] : checked.filter((n) => n !== style.name) })}
          />
          <span className="job-check-name">{style.name}</span>
          <code className="job-check-process">{style.process}</code>
        </label>
      ))}
    </fieldset>
  )
}

export function NewJobForm({ onCancel }: { onCancel: () => void }) {
  const draft = useJobs((s) => s.draft)
  const dryRun = useJobs((s) => s.dryRuns.new)
  const starting = useJobs((s) => s.busy.new === 'start')
  const failure = useJobs((s) => s.errors.new)
  const activeId = useStudio((s) => s.activeId)
  const profile = useStudio((s) => ('data' in s.profiles && s.profiles.data ? s.profiles.data.list.find((p) => p.id === s.activeId) : undefined))
  const current = useProcessString()
  const built = draftRequest(draft, activeId)
  const example = useExample(built)
  const concurrency = Number(draft.concurrency)
  const concurrencyValid = draft.concurrency === '' || (Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)

  // The studio's current string is the natural first style.
  useEffect(() => {
    if (useJobs.getState().draft.process === '' && current) useJobs.getState().setDraft({ process: current })
    // Only when the form opens: later edits of the studio's string are offered with "Use the studio's string".
  }, [])

  const set = (patch: Partial<JobDraft>) => useJobs.getState().setDraft(patch)
  const ready = 'request' in built && concurrencyValid

  return (
    <form
      className="form job-form"
      aria-label="New job"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        if ('request' in built && concurrencyValid) void useJobs.getState().createAndStart(built.request, { name: draft.name.trim() || undefined, concurrency: draft.concurrency ? concurrency : undefined })
      }}
    >
      <h2>New bulk job</h2>
      <p className="lead">
        Derivatives for every image under a prefix of <strong>{profile?.name ?? 'the active profile'}</strong>. Bucket to bucket runs on OSS (processObjectSave); a folder target is processed on this machine.
      </p>
      {failure ? <ErrorCallout error={failure} title="Could not start the job" /> : null}

      <fieldset>
        <legend>Styles</legend>
        <div className="field wide">
          <div className="segmented job-segmented" role="radiogroup" aria-label="Styles from">
            <button type="button" role="radio" data-explicit aria-checked={draft.styleSource === 'process'} onClick={() => set({ styleSource: 'process' })}>
              Process string
            </button>
            <button type="button" role="radio" data-explicit aria-checked={draft.styleSource === 'library'} onClick={() => set({ styleSource: 'library' })}>
              Library styles
            </button>
          </div>
        </div>
        {draft.styleSource === 'process' ? (
          <>
            <TextField
              name="process"
              label="Process string"
              wide
              mono
              placeholder="image/resize,w_200"
              hint={
                current && current !== draft.process ? (
                  <button type="button" className="link-btn" onClick={() => set({ process: current })}>
                    Use the studio’s string ({current})
                  </button>
                ) : (
                  'The studio’s current string; edit it here for this job only.'
                )
              }
            />
            <TextField name="label" label="Label for {style}" optional placeholder="p-… (from the string)" />
          </>
        ) : (
          <div className="field wide">
            <LibraryStyles />
          </div>
        )}
      </fieldset>

      <fieldset>
        <legend>Source</legend>
        <TextField name="bucket" label="Bucket" placeholder={profile?.bucket ?? 'the profile’s bucket'} hint="Blank: the profile’s bucket." />
        <TextField name="prefix" label="Prefix" optional placeholder="photos/2024/" />
        <TextField name="suffixes" label="Suffixes" optional placeholder=".jpg, .png" hint="Comma-separated, case-insensitive." />
        <TextField name="pattern" label="Regular expression" optional placeholder="^photos/.*-hd\." mono />
      </fieldset>

      <fieldset>
        <legend>Target</legend>
        <Field label="Write to">
          {(id) => (
            <select id={id} className="select" value={draft.targetKind} onChange={(e) => set({ targetKind: e.target.value as JobDraft['targetKind'] })}>
              <option value="bucket">A bucket (server-side)</option>
              <option value="folder">A folder on this machine</option>
            </select>
          )}
        </Field>
        {draft.targetKind === 'bucket' ? (
          <TextField name="targetBucket" label="Target bucket" placeholder={draft.bucket || profile?.bucket || 'same bucket'} hint="Blank: the source bucket. Same region only." />
        ) : (
          <TextField name="targetDir" label="Target folder" placeholder="/home/me/derivatives" hint="An absolute path." />
        )}
        <Field
          label="Key template"
          wide
          hint={
            <>
              <code>{'{key}'}</code> <code>{'{dir}'}</code> <code>{'{name}'}</code> <code>{'{ext}'}</code> <code>{'{style}'}</code> <code>{'{format}'}</code>
            </>
          }
        >
          {(id, describedBy) => (
            <input id={id} className="input mono" value={draft.template} spellCheck={false} autoComplete="off" aria-describedby={describedBy} onChange={(e) => set({ template: e.target.value })} />
          )}
        </Field>
        <div className="field wide">
          <ExampleRows example={example} />
        </div>
        <Field label="If the target exists">
          {(id) => (
            <select id={id} className="select" value={draft.conflict} onChange={(e) => set({ conflict: e.target.value as JobDraft['conflict'] })}>
              <option value="skip-existing">Skip it</option>
              <option value="overwrite">Overwrite it</option>
            </select>
          )}
        </Field>
        <Field label="Concurrency" optional hint={concurrencyValid ? 'Items in flight; blank: 16 on OSS, 2 × cores locally.' : 'Expected a whole number from 1 to 256.'}>
          {(id, describedBy) => (
            <input
              id={id}
              className="input"
              inputMode="numeric"
              value={draft.concurrency}
              placeholder="default"
              aria-invalid={concurrencyValid ? undefined : 'true'}
              aria-describedby={describedBy}
              onChange={(e) => set({ concurrency: e.target.value.trim() })}
            />
          )}
        </Field>
        <TextField name="name" label="Job name" optional placeholder="Thumbnails for 2024" wide />
      </fieldset>

      {dryRun?.status === 'done' ? <ManifestView manifest={dryRun.manifest} /> : null}
      {dryRun?.status === 'error' ? <ErrorCallout error={dryRun.error} title="The dry run failed" /> : null}

      <div className="form-actions">
        {'problem' in built ? <span className="job-form-problem">{built.problem}</span> : null}
        <button type="button" className="btn" onClick={onCancel} disabled={starting}>
          Cancel
        </button>
        <button type="button" className="btn" disabled={!ready || dryRun?.status === 'running'} onClick={() => 'request' in built && void useJobs.getState().dryRunDraft(built.request)}>
          {dryRun?.status === 'running' ? <Spinner label="Listing the source" /> : null}
          Dry run
        </button>
        <button type="submit" className="btn primary" disabled={!ready || starting}>
          {starting ? 'Starting…' : 'Start'}
        </button>
      </div>
    </form>
  )
}
