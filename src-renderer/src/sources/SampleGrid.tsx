/**
 * The style on every sample at once: the images added from this computer and the objects pinned
 * from the bucket for the open style (else the profile's general set; before anything is pinned,
 * the images of the current folder). Each card is
 * a full-resolution render (so its numbers are OSS's) shown small, with a badge where OSS would
 * enlarge (or refuse to), crop a watermark away, or produce a larger file than the original.
 * Renders run two at a time; a new string cancels what is still running.
 */
import { useEffect, useMemo, useState } from 'react'
import type { ErrorInfo, ResponseOf } from '../../../src-shared/ipc/contract'
import { errorInfoOf, invoke, isCancelled } from '../ipc/client'
import { useStudio } from '../state/store'
import { Spinner } from '../ui/Empty'
import { formatBytes, looksLikeImage, objectUrlFromBase64 } from '../ui/format'
import { useLibrary } from '../library/store'
import { noteShape } from '../preview/watermark/shapes'
import { sampleSetKey, sourceOfObject, sourceOfUpload, useSources, type CurrentSource } from './store'

type Rendered = ResponseOf<'preview:render'>

/** Transport size of a card (the numbers shown are the full-resolution result's). */
const CARD_SIDE = 480
const PARALLEL = 2
const DEBOUNCE_MS = 250
/** Folder images standing in for samples before any is pinned. */
const FOLDER_SAMPLES = 12
/** One empty list, so store selectors return a stable value. */
const NONE: readonly string[] = []

export interface Badge {
  readonly code: string
  readonly label: string
  readonly detail: string
}

const WARNING_LABELS: Record<NonNullable<Rendered['warnings']>[number]['code'], string> = {
  Upscaled: 'Upscaled',
  NotEnlarged: 'Not enlarged',
  WatermarkClipped: 'Watermark cropped',
  WatermarkOutside: 'Watermark missing'
}

/** The badges of one result: the engine's warnings, and a file larger than the original. */
export function badgesOf(rendered: Rendered): Badge[] {
  const badges: Badge[] = (rendered.warnings ?? []).map((w) => ({ code: w.code, label: WARNING_LABELS[w.code], detail: w.message }))
  if (rendered.kind === 'image' && rendered.bytes > rendered.sourceBytes) {
    const percent = Math.round((rendered.bytes / rendered.sourceBytes - 1) * 100)
    badges.push({ code: 'LargerFile', label: 'Larger file', detail: `The result (${formatBytes(rendered.bytes)}) is ${percent}% larger than the original (${formatBytes(rendered.sourceBytes)})` })
  }
  return badges
}

/** The badges of a result as a labelled list (nothing when there is none). */
export function WarningBadges({ rendered, label }: { rendered: Rendered; label: string }) {
  const badges = badgesOf(rendered)
  if (badges.length === 0) return null
  return (
    <ul className="sample-badges" aria-label={label}>
      {badges.map((b) => (
        <li key={b.code} className="badge warn" title={b.detail} data-badge={b.code}>
          {b.label}
        </li>
      ))}
    </ul>
  )
}

type Card = { readonly status: 'loading' } | { readonly status: 'done'; readonly rendered: Rendered; readonly url: string | undefined } | { readonly status: 'error'; readonly error: ErrorInfo }

interface Sample extends CurrentSource {
  /** Pinned object (can be unpinned), upload, or a folder image standing in. */
  readonly origin: 'pinned' | 'upload' | 'folder'
}

/** Where "Pin" writes: the open style's set, else the profile's general one. */
function usePinTarget(): { setKey: string | undefined; style: string | undefined } {
  const activeId = useStudio((s) => s.activeId)
  const style = useLibrary((s) => s.currentName)
  return { setKey: activeId ? sampleSetKey(activeId, style) : undefined, style }
}

function useSamples(): { samples: Sample[]; fromFolder: boolean; pinnedTo: 'style' | 'general' | undefined } {
  const activeId = useStudio((s) => s.activeId)
  const listing = useStudio((s) => s.listing)
  const uploads = useSources((s) => s.uploads)
  const missing = useSources((s) => s.missing)
  const { setKey } = usePinTarget()
  const own = useSources((s) => (setKey ? s.pinned[setKey] : undefined))
  const general = useSources((s) => (activeId ? s.pinned[sampleSetKey(activeId)] : undefined))
  return useMemo(() => {
    const samples: Sample[] = uploads.filter((u) => !missing.includes(u.uploadId)).map((u) => ({ ...sourceOfUpload(u), origin: 'upload' as const }))
    if (!activeId) return { samples, fromFolder: false, pinnedTo: undefined }
    // A style without samples of its own is shown on the general set.
    const pinned = own && own.length > 0 ? own : general
    if (pinned && pinned.length > 0) {
      samples.push(...pinned.map((key) => ({ ...sourceOfObject(activeId, key), origin: 'pinned' as const })))
      return { samples, fromFolder: false, pinnedTo: pinned === own ? (setKey === sampleSetKey(activeId) ? 'general' : 'style') : 'general' }
    }
    const objects = 'data' in listing && listing.data ? listing.data.objects : []
    const folder = objects.filter((o) => looksLikeImage(o.key, o.contentType)).slice(0, FOLDER_SAMPLES)
    samples.push(...folder.map((o) => ({ ...sourceOfObject(activeId, o.key), origin: 'folder' as const })))
    return { samples, fromFolder: folder.length > 0, pinnedTo: undefined }
  }, [activeId, listing, uploads, missing, own, general, setKey])
}

/** Renders every sample with `process` (undefined: nothing to render) and keeps the cards. */
function useCards(samples: readonly Sample[], process: string | undefined): Readonly<Record<string, Card>> {
  const [cards, setCards] = useState<Record<string, Card>>({})
  const ids = samples.map((s) => s.id).join('\n')
  useEffect(() => {
    if (process === undefined) return
    const controller = new AbortController()
    const urls: string[] = []
    setCards(Object.fromEntries(samples.map((s) => [s.id, { status: 'loading' } as Card])))
    const queue = [...samples]
    const worker = async () => {
      for (let sample = queue.shift(); sample && !controller.signal.aborted; sample = queue.shift()) {
        const id = sample.id
        try {
          const rendered = await invoke('preview:render', { source: sample.source, process, maxSide: CARD_SIDE, quality: 'final' }, { signal: controller.signal })
          const url = rendered.kind === 'image' ? objectUrlFromBase64(rendered.data, rendered.contentType) : undefined
          if (url) urls.push(url)
          setCards((c) => ({ ...c, [id]: { status: 'done', rendered, url } }))
          noteShape({ id, source: sample.source, label: sample.label, kind: sample.kind }, rendered.sourceWidth, rendered.sourceHeight)
        } catch (error) {
          if (isCancelled(error)) return
          setCards((c) => ({ ...c, [id]: { status: 'error', error: errorInfoOf(error) } }))
        }
      }
    }
    const timer = setTimeout(() => {
      for (let i = 0; i < PARALLEL; i += 1) void worker()
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
      for (const url of urls) URL.revokeObjectURL(url)
    }
    // `samples` is described by `ids`.
  }, [ids, process])
  return cards
}

function Stats({ rendered }: { rendered: Rendered }) {
  if (rendered.kind === 'json') return <span>JSON · {formatBytes(rendered.bytes)}</span>
  const delta = rendered.sourceBytes > 0 ? Math.round((rendered.bytes / rendered.sourceBytes - 1) * 100) : 0
  return (
    <span>
      <strong data-testid="card-size">{`${rendered.width} × ${rendered.height}`}</strong>
      {` · ${(rendered.format ?? '').toUpperCase()} · ${formatBytes(rendered.bytes)} `}
      <span className={delta > 0 ? 'delta-up' : 'delta-down'}>{`(${delta > 0 ? '+' : '−'}${Math.abs(delta)}%)`}</span>
    </span>
  )
}

export function SampleGrid({ process, onOpen }: { process: string | undefined; onOpen: (sample: CurrentSource) => void }) {
  const { samples, fromFolder, pinnedTo } = useSamples()
  const cards = useCards(samples, process)
  const selectedKey = useStudio((s) => s.selectedKey)
  const { setKey, style } = usePinTarget()
  const pinned = useSources((s) => (setKey ? (s.pinned[setKey] ?? NONE) : NONE))
  const togglePin = useSources((s) => s.togglePin)
  const warned = samples.filter((s) => {
    const card = cards[s.id]
    return card?.status === 'done' && badgesOf(card.rendered).length > 0
  }).length

  return (
    <div className="sample-grid-wrap">
      <div className="sample-grid-head">
        <span className="sample-grid-title">
          {samples.length} sample{samples.length === 1 ? '' : 's'}
          {warned > 0 ? <span className="badge warn" data-testid="grid-warned">{`${warned} with warnings`}</span> : null}
        </span>
        <span className="hint" data-testid="samples-hint">
          {fromFolder
            ? `The images of this folder; pin images to keep a sample set${style ? ` for the style ${style}` : ' for your styles'}.`
            : pinnedTo === 'style'
              ? `The samples of the style ${style ?? ''}, and images added from this computer.`
              : style
                ? `The general samples (the style ${style} has none of its own yet), and images added from this computer.`
                : 'Images added from this computer and pinned from the bucket.'}
        </span>
        {setKey && selectedKey && !pinned.includes(selectedKey) ? (
          <button type="button" className="btn small" onClick={() => togglePin(setKey, selectedKey)} title={style ? `Add the current image to the samples of ${style}` : 'Add the current image to the samples'}>
            Pin current image
          </button>
        ) : null}
      </div>
      {process === undefined ? <p className="vinfo-note">Fix the process string above to see the samples.</p> : null}
      {samples.length === 0 ? (
        <p className="vinfo-note">No samples yet: add images from this computer, or open a folder with images.</p>
      ) : (
        <ul className="sample-grid" aria-label="Samples">
          {samples.map((sample) => {
            const card = cards[sample.id]
            const name = sample.label.split('/').pop() ?? sample.label
            return (
              <li key={sample.id} className="sample-card" data-sample={name} data-state={card?.status ?? 'loading'}>
                <button type="button" className="sample-picture vchecker" onClick={() => onOpen(sample)} aria-label={`Open ${name}`} title={`Open ${sample.label} in the main view`}>
                  {card?.status === 'done' && card.url ? <img src={card.url} alt={`${name} processed`} draggable={false} /> : card?.status === 'error' ? null : <Spinner label={`Rendering ${name}`} />}
                </button>
                <div className="sample-caption">
                  <span className="sample-name" title={sample.label}>
                    {name}
                    {sample.origin === 'upload' ? <span className="sample-origin">this computer</span> : null}
                  </span>
                  {sample.origin === 'pinned' && setKey && pinned.includes(sample.label) ? (
                    <button type="button" className="btn ghost icon small" aria-label={`Unpin ${name}`} title="Remove from the samples" onClick={() => togglePin(setKey, sample.label)}>
                      ×
                    </button>
                  ) : null}
                </div>
                <div className="sample-stats">
                  {card?.status === 'done' ? <Stats rendered={card.rendered} /> : card?.status === 'error' ? <span className="sample-error" title={card.error.message}>{`${card.error.code}${card.error.ec ? ` · EC ${card.error.ec}` : ''}`}</span> : '…'}
                </div>
                {card?.status === 'error' ? <p className="sample-error-message">{card.error.message}</p> : null}
                {card?.status === 'done' ? <WarningBadges rendered={card.rendered} label={`Warnings for ${name}`} /> : null}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
