/**
 * The shapes of the user's images seen this session (bucket thumbnails, the preview's original and
 * the sample grid's cards: every preview:render answer carries its source's upright size), so the aspect ghosts can show the style on a real
 * image of the shape they stand for before falling back to a crop of the current one.
 */
import { create } from 'zustand'
import type { CurrentSource } from '../../sources/store'

export interface KnownShape {
  readonly image: CurrentSource
  readonly width: number
  readonly height: number
}

export const useKnownShapes = create<{ readonly shapes: Readonly<Record<string, KnownShape>> }>()(() => ({ shapes: {} }))

/** Remembers `image`'s upright size (no-op when already known). */
export function noteShape(image: CurrentSource, width: number, height: number): void {
  const known = useKnownShapes.getState().shapes[image.id]
  if (known && known.width === width && known.height === height) return
  useKnownShapes.setState((s) => ({ shapes: { ...s.shapes, [image.id]: { image, width, height } } }))
}

/** Aspects within this share of each other count as the same shape (1200 × 675 is 16:9). */
const SAME_SHAPE = 0.02

/** Another image of `aspect` (width / height) seen this session, the first noted wins. */
export function imageOfShape(shapes: Readonly<Record<string, KnownShape>>, aspect: number, exceptId: string | undefined): KnownShape | undefined {
  return Object.values(shapes).find((s) => s.image.id !== exceptId && Math.abs(s.width / s.height - aspect) / aspect <= SAME_SHAPE)
}
