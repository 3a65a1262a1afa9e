/**
 * Aspect ghosts beside the main view: the same style on a 1:1, a 16:9 and a 9:16 frame (another
 * image of that shape when one was seen this session, else a centre crop of the current image), so
 * the designer sees where the mark lands on other shapes. Each is rendered small through the
 * preview engine in main (usePreview: cancellable, latest wins) from the settled string, with the
 * engine's mark rectangles drawn on it and a badge when a mark is clipped, outside the image, or
 * covers more than 25 % of it.
 */
import type { MarkProblem } from '../../../../src-shared/img/geometry/watermark'
import type { CurrentSource } from '../../sources/store'
import { Spinner } from '../../ui/Empty'
import { usePreview } from '../usePreview'
import { useSettled } from '../useSettled'
import { ghostBadges, ghostPlans, type GhostPlan } from './ghosts'
import { useKnownShapes } from './shapes'

/** Transport side of a ghost picture. */
const GHOST_SIDE = 320
/** The box each ghost picture is fitted into, CSS px. */
const BOX = { width: 150, height: 100 }
/** Ghosts follow the string once it has rested this long (a drag renders the main view only). */
const SETTLE_MS = 300

const BADGES: Record<MarkProblem, { label: string; detail: string }> = {
  outside: { label: 'Outside', detail: 'The watermark falls outside the image: OSS draws none of it.' },
  clipped: { label: 'Clipped', detail: 'Part of the watermark is cut off by the edge of the image.' },
  large: { label: 'Covers > 25 %', detail: 'The watermark covers more than a quarter of the image.' }
}


export function AspectGhosts({ process, current, size }: { process: string; current: CurrentSource; size: { width: number; height: number } }) {
  const settled = useSettled(process, SETTLE_MS)
  const shapes = useKnownShapes((s) => s.shapes)
  const plans = ghostPlans(settled, current, size, shapes)
  if (plans.length === 0) return null
  return (
    <aside className="ghosts" aria-label="Aspect ghosts">
      <h3 className="ghosts-title">On other shapes</h3>
      {plans.map((plan) => (
        <Ghost key={plan.frame.label} plan={plan} />
      ))}
    </aside>
  )
}

const fitted = (image: { width: number; height: number }) => {
  const scale = Math.min(BOX.width / image.width, BOX.height / image.height)
  return { width: Math.round(image.width * scale), height: Math.round(image.height * scale) }
}

function Ghost({ plan }: { plan: GhostPlan }) {
  const preview = usePreview({ source: plan.image.source, sourceId: `ghost:${plan.frame.label}:${plan.image.id}`, process: plan.process, maxSide: GHOST_SIDE, finals: false })
  const rendered = preview.frame?.rendered
  // The picture on screen is of an older string (it stays up, dimmed, until the new one arrives).
  const stale = preview.frame !== undefined && (preview.frame.process !== plan.process || preview.busy)
  const image = rendered?.kind === 'image' && rendered.width && rendered.height ? { width: rendered.width, height: rendered.height } : undefined
  const badges = image && rendered && !stale ? ghostBadges(rendered.marks, image) : []
  const source = plan.from === 'crop' ? `Centre crop of ${plan.image.label}` : plan.image.label
  return (
    <figure className="ghost" aria-label={`${plan.frame.label} ghost`} data-ghost={plan.frame.label} data-stale={stale ? 'true' : undefined} aria-busy={stale}>
      <div className="ghost-frame" style={{ height: BOX.height }}>
        {preview.frame?.url && image ? (
          <div className="ghost-picture" style={fitted(image)}>
            <img src={preview.frame.url} alt={`The style on ${plan.frame.label}: ${source}`} draggable={false} />
            {(rendered?.kind === 'image' ? (rendered.marks ?? []) : []).map((m) => (
              <span
                key={m.step}
                className="ghost-mark"
                aria-hidden="true"
                style={{ left: `${(m.x / image.width) * 100}%`, top: `${(m.y / image.height) * 100}%`, width: `${(m.width / image.width) * 100}%`, height: `${(m.height / image.height) * 100}%` }}
              />
            ))}
            {stale ? <Spinner label={`Rendering the ${plan.frame.label} ghost`} /> : null}
          </div>
        ) : preview.error ? (
          <span className="ghost-error" title={preview.error.message}>
            {preview.error.code}
          </span>
        ) : (
          <Spinner label={`Rendering the ${plan.frame.label} ghost`} />
        )}
      </div>
      <figcaption>
        <strong>{plan.frame.label}</strong>
        <span className="ghost-source" title={source}>
          {source}
        </span>
      </figcaption>
      {badges.length > 0 ? (
        <ul className="ghost-badges" aria-label={`${plan.frame.label} ghost warnings`}>
          {badges.map((b) => (
            <li key={b} className="badge warn" data-badge={b} title={BADGES[b].detail}>
              {BADGES[b].label}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  )
}
