/**
 * Spec §3.3 (circle crop): cut the centred square around the circle, make everything outside the
 * circle transparent. JPG output shows it white: the encoder flattens on white (spec §2).
 */
import type { CircleParams } from '../../../src-shared/img/actions/circle'
import type { EngineOp, OpContext } from '../op'
import { RANK, type Rank } from '../planner'
import { isWholeFrame, type Region } from './crop'

/**
 * The square to cut: side `min(2r + 1, shorter side)` (Project decision §3.3, the 2023+ cap rule
 * `2r + 1` extended to in-range radii), centred on the image centre with `Math.floor` halves
 * (as crop's gravity, Project decision §3.2). DEMO_A 400×267: `r_100` → 201×201, `r_200` → 267×267.
 */
export function circleGeometry(frame: { readonly width: number; readonly height: number }, params: CircleParams): Region {
  const { width: W, height: H } = frame
  const side = Math.min(2 * params.r! + 1, W, H)
  return { left: Math.floor((W - side) / 2), top: Math.floor((H - side) / 2), width: side, height: side }
}

/** An opaque shape on a transparent `width × height` canvas: the keep-mask for `dest-in`. */
export function svgMask(width: number, height: number, shape: string): Buffer {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${shape}</svg>`)
}

/**
 * Keeps the pixels under the mask's opaque area (`dest-in`: result = image × mask alpha). sharp
 * adds the alpha channel itself when compositing.
 *
 * The result is materialized at once. sharp runs `flatten()` — the JPG encoder's white background —
 * *before* `composite()` whatever the call order, so a mask composited in the last segment would
 * reach the JPEG writer unflattened and the cut-away areas would come out black instead of white
 * (spec §2). Composite is the last rank, so no later pixel op could have joined this segment anyway:
 * closing it here costs one copy of the (already cut) pixels.
 */
export async function applyMask(ctx: OpContext, mask: Buffer): Promise<void> {
  ctx.pipeline().composite([{ input: mask, blend: 'dest-in' }])
  ctx.setFrame({ hasAlpha: true })
  await ctx.materialize()
}

/**
 * The op uses two sharp stages: extract (rank postExtract: after resize/rotate, before blur…) and
 * composite. It can share a segment only with ops that all run before sharp's post-resize extract
 * (pre-extract, resize, rotate): then its `extract()` becomes that post extract — or a pre extract
 * with rotation first when nothing resizes — and still follows them. After a post extract (which
 * a second `extract()` would overwrite) or any later stage (blur, sharpen, bright/contrast —
 * sharp would cut before them), answering `postExtract` makes the planner start a new segment
 * (a rank not above the last one), where it is asked again and answers `composite`.
 */
export function maskedExtractRank(segmentRanks: readonly Rank[]): Rank {
  return segmentRanks.some((rank) => rank >= RANK.postExtract) ? RANK.postExtract : RANK.composite
}

export const circle: EngineOp<'circle'> = {
  action: 'circle',
  placement: (_params, segmentRanks) => ({ kind: 'pixels', rank: maskedExtractRank(segmentRanks) }),
  // Not documented for animations; a per-frame composite is not what sharp does on a page strip:
  // first frame, static (like crop, Project decision §3.2).
  keepsAnimation: false,
  async apply(ctx, params) {
    const region = circleGeometry(ctx.frame, params)
    if (!isWholeFrame(region, ctx.frame)) {
      ctx.pipeline().extract(region)
      ctx.setFrame({ width: region.width, height: region.height })
    }
    const half = region.width / 2
    await applyMask(ctx, svgMask(region.width, region.height, `<circle cx="${half}" cy="${half}" r="${half}" fill="#fff"/>`))
  }
}
