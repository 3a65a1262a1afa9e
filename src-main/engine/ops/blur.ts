/**
 * Spec §3.8: Gaussian blur. Project decision: sigma = `s`, the kernel bounded to `2r + 1` taps;
 * an animated source is blurred as its first frame and the output is static.
 */
import { ImgError } from '../../../src-shared/img/errors'
import type { EngineOp } from '../op'
import { RANK } from '../planner'

/** sharp's lower bound for `blur({ minAmplitude })`. */
const MIN_AMPLITUDE = 0.001

export interface BlurKernel {
  /** Standard deviation passed to sharp. */
  readonly sigma: number
  /** Relative amplitude below which libvips ends the kernel. */
  readonly minAmplitude: number
  /** Taps of the (separable) kernel libvips builds: odd, at most `2r + 1`. */
  readonly size: number
}

/**
 * The `blur({ sigma, minAmplitude })` options that bound sharp's Gaussian to `2r + 1` taps.
 *
 * sharp's blur is libvips `gaussblur`: `gaussmat` sizes the kernel by amplitude, keeping the taps
 * at distance x while `exp(−x² / 2s²) ≥ min_ampl` (and x < 8s), and `convsep` applies it as two
 * 1-D passes — one pipeline operation (`blur` stage). A threshold between the amplitudes at r and
 * r + 1, `exp(−(r + ½)² / 2s²)`, therefore stops the kernel at exactly r taps each side.
 *
 * sharp refuses thresholds under 0.001. When `exp(−(r + ½)² / 2s²)` is lower than that (r larger
 * than about 3.7 s), the kernel ends at the 0.001 amplitude instead: still within `2r + 1`, and the
 * Gaussian tail it drops holds 0.02 % of the weight. (With integer precision, below, taps under
 * 1/40 of the peak round to zero anyway: the effective reach is min(r, ≈2.7 s) either way.)
 *
 * `convolve()` with an explicit `(2r+1)²` kernel was the alternative: it is a full 2-D convolution
 * (up to 101×101 multiplies a pixel, limited to 1001 taps), much slower than the separable path,
 * for the same result.
 */
export function blurKernel(r: number, s: number): BlurKernel {
  const sig2 = 2 * s * s
  const minAmplitude = Math.max(MIN_AMPLITUDE, Math.exp(-((r + 0.5) ** 2) / sig2))
  // gaussmat's size rule, for the record and the tests.
  const maxX = Math.trunc(Math.min(8 * s, 5000))
  let x = 0
  while (x < maxX && Math.exp(-(x * x) / sig2) >= minAmplitude) x++
  return { sigma: s, minAmplitude, size: 2 * Math.max(x - 1, 0) + 1 }
}

export const blur: EngineOp<'blur'> = {
  action: 'blur',
  placement: () => ({ kind: 'pixels', rank: RANK.blur }),
  // Project decision §3.8 (TOS statement): static output. A blur over sharp's page strip would
  // also bleed each frame into its neighbours.
  keepsAnimation: false,
  apply(ctx, params) {
    const { r, s } = params
    if (r === undefined || s === undefined) {
      // The parser requires both (Project decision §11.15); reaching here is a bug.
      throw new ImgError({ code: 'InternalError', message: `engine: expected blur r and s but received ${JSON.stringify(params)}` })
    }
    const { sigma, minAmplitude } = blurKernel(r, s)
    // Integer precision (sharp's default): libvips' vectorised path, weights quantised to 1/20 of the
    // peak and correctly rounded output. The float path is up to 13× slower at r_50,s_50 and
    // truncates its results (every pixel −½ level on average).
    // sharp premultiplies alpha around the blur: transparency blurs with the colours, no dark halo.
    ctx.pipeline().blur({ sigma, minAmplitude, precision: 'integer' })
  }
}
