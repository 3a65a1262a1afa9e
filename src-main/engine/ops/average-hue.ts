import sharp from 'sharp'
import { averageHue as computeAverageHue, averageHueJson } from '../analysis/average-hue'
import type { EngineOp } from '../op'

/** Mean colours are stable under downscaling, so the analysis reads at most this many px per side. */
const ANALYSIS_SIDE = 512

/** Spec §3.17: the colour of the image as it is at this point of the chain. */
export const averageHue: EngineOp<'average-hue'> = {
  action: 'average-hue',
  placement: () => ({ kind: 'terminal' }),
  keepsAnimation: false,
  async apply(ctx) {
    const raw = await ctx.materialize()
    const small = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } })
      .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true })
    const hex = computeAverageHue({ data: small.data, width: small.info.width, height: small.info.height, channels: small.info.channels }, ctx.options.averageHueThreshold)
    return { json: averageHueJson(hex) }
  }
}
