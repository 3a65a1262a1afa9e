/** What the view modes share: the two pictures, the busy note and the corner labels. */
import { Spinner } from '../ui/Empty'
import type { Picture } from './Stage'
import type { PreviewState } from './usePreview'
import type { PlacedMark } from './watermark/model'

/** The watermarks the engine drew on the picture shown as the result, and whether that picture is of the current string. */
export interface AfterMarks {
  readonly marks: readonly PlacedMark[] | undefined
  readonly current: boolean
}

export interface Layers {
  readonly before: Picture | undefined
  readonly after: Picture | undefined
  readonly marks?: AfterMarks | undefined
}

export function StageStatus({ preview, label }: { preview: PreviewState; label: string }) {
  if (!preview.busy || !preview.frame) return null
  const interactive = preview.frame.quality === 'interactive'
  return (
    <span className="vbusy" data-testid={`${label}-busy`}>
      <Spinner label={`Rendering ${label}`} /> {interactive ? 'Full resolution…' : 'Rendering…'}
    </span>
  )
}

export function Chip({ children, side }: { children: React.ReactNode; side: 'left' | 'right' }) {
  return (
    <span className={`vlabel ${side}`} aria-hidden="true">
      {children}
    </span>
  )
}
