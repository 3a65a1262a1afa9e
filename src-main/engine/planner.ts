/**
 * Describe, then plan, then execute (architecture rule 3).
 *
 * OSS applies actions strictly left to right. sharp builds one pipeline per instance and runs
 * its operations in a fixed internal order, whatever order the methods were called in, and
 * allows each operation once. The planner walks the chain and cuts it into segments: a segment
 * holds ops whose sharp stages strictly increase, so sharp's order equals OSS's order inside it.
 * Between segments the executor hands over raw pixels — never a re-encoded image.
 *
 * The order table (rank = position in sharp's internal order, as used by our ops):
 *
 * | rank | stage        | sharp call (pipeline.cc order, sharp 0.35) | OSS actions                        |
 * |------|--------------|--------------------------------------------|------------------------------------|
 * |  10  | pre-extract  | extract() before any resize/rotate         | crop, indexcrop, circle (first)    |
 * |  20  | resize       | resize() with exact integer sizes          | resize                             |
 * |  30  | rotate       | rotate(angle, {background})                | rotate                             |
 * |  40  | post-extract | extract() after resize/rotate              | crop, indexcrop, circle; resize m_fill's centre cut |
 * |  45  | extend       | extend()                                   | resize m_pad's padding             |
 * |  50  | blur         | blur()                                     | blur                               |
 * |  60  | sharpen      | sharpen()                                  | sharpen                            |
 * |  70  | composite    | composite()                                | circle, rounded-corners, watermark |
 * |  80  | linear       | linear()                                   | bright, contrast                   |
 * |  —   | encoder      | output options only, no pixels             | format, quality, interlace, ignore-error, auto-orient |
 * |  —   | terminal     | reads the image, answers JSON              | info, average-hue                  |
 *
 * An op that uses several stages (m_fill = resize + extract, circle = extract + composite) spans
 * from its first rank through its last. sharp's own fit:'cover'/'contain' crop/embed is not used:
 * libvips runs it after a 90° rotation, so `resize,m_fill/rotate,90` would break in one pipeline.
 * An op that must not share its pipeline (a non-right-angle rotate: sharp's premultiplication around
 * resize/blur/sharpen and libvips' own around the rotation would compound) runs `alone`.
 * EXIF auto-orientation is an input option (sharp `autoOrient`), applied at decode (spec §3.7).
 * JPG's white background is applied by the encoder after the last op (encode.ts), because
 * sharp's flatten() runs before rotate and composite.
 */

export const RANK = {
  preExtract: 10,
  resize: 20,
  rotate: 30,
  postExtract: 40,
  extend: 45,
  blur: 50,
  sharpen: 60,
  composite: 70,
  linear: 80,
  /** Marks a segment closed after an op that runs alone. */
  sealed: 100
} as const

export type Rank = (typeof RANK)[keyof typeof RANK]

/** What an op needs from the current segment. */
export type Placement =
  | { readonly kind: 'pixels'; readonly rank: Rank; readonly through?: Rank; readonly alone?: boolean }
  | { readonly kind: 'encoder' }
  | { readonly kind: 'terminal' }

export interface PlannedSegment {
  /** Indexes into the chain of the ops that build this segment's sharp pipeline. */
  readonly steps: readonly number[]
}

export interface Plan {
  readonly segments: readonly PlannedSegment[]
  /** Index of the terminal op (info/average-hue), if any. */
  readonly terminal?: number | undefined
}

/**
 * Extraction is "pre" only while nothing that changes geometry earlier in sharp's order
 * has been added to the segment; otherwise it is post-resize/rotate extraction.
 */
export function extractRank(segmentRanks: readonly Rank[]): Rank {
  return segmentRanks.length === 0 ? RANK.preExtract : RANK.postExtract
}

/** Cuts a chain into segments. `placementOf(i, ranksSoFar)` describes op i. */
export function plan(count: number, placementOf: (index: number, segmentRanks: readonly Rank[]) => Placement): Plan {
  const segments: number[][] = [[]]
  let ranks: Rank[] = []
  let terminal: number | undefined
  for (let index = 0; index < count; index++) {
    let placement = placementOf(index, ranks)
    if (placement.kind === 'terminal') {
      terminal = index
      continue
    }
    if (placement.kind === 'encoder') continue
    if (ranks.length > 0 && (placement.rank <= ranks[ranks.length - 1]! || placement.alone)) {
      segments.push([])
      ranks = []
      placement = placementOf(index, ranks)
      if (placement.kind !== 'pixels') continue
    }
    segments[segments.length - 1]!.push(index)
    ranks.push(placement.rank)
    if (placement.through !== undefined) ranks.push(placement.through)
    if (placement.alone) ranks.push(RANK.sealed)
  }
  return { segments: segments.map((steps) => ({ steps })), terminal }
}
