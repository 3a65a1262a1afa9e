/**
 * Spec §3.9: brightness, `bright,[v]` with v in [-100, 100]. OSS's maths is undocumented; Project
 * decision §3.9: `linear(1, v × 2.55)`, i.e. v percent of full scale added to every colour sample.
 */
import type { EngineOp, OpContext } from '../op'
import { RANK } from '../planner'

export interface Linear {
  readonly a: number
  /** Offset in 8-bit levels. */
  readonly b: number
}

export function brightLinear(v: number): Linear {
  // v × 255 / 100 = v × 2.55, exact in doubles for every integer v (50 × 2.55 is 127.49999999999999).
  return { a: 1, b: (v * 255) / 100 }
}

/**
 * Adds `linear(a, b)` to the segment. With one `a` and one `b`, sharp separates the alpha band and
 * applies them to the colour bands only (`sharp::Linear`), so transparency is left unchanged.
 */
export function applyLinear(ctx: OpContext, { a, b }: Linear): void {
  if (a === 1 && b === 0) return
  // Offsets are in 8-bit levels. A 16-bit source stays 16-bit through the first segment (later
  // segments start from 8-bit raw pixels), so scale by 256, as sharp does for its own colours.
  ctx.pipeline().linear(a, b * (ctx.frame.bitDepth === 16 ? 256 : 1))
}

export const bright: EngineOp<'bright'> = {
  action: 'bright',
  placement: () => ({ kind: 'pixels', rank: RANK.linear }),
  // Per pixel: sharp applies linear() to the whole page strip alike, so every frame gets the same
  // treatment and the animation survives (checked with a two-frame GIF in adjust.test.ts).
  keepsAnimation: true,
  apply(ctx, params) {
    applyLinear(ctx, brightLinear(params.value ?? 0))
  }
}
