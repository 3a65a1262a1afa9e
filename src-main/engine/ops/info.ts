import { buildInfo, serializeInfo } from '../analysis/info'
import type { EngineOp } from '../op'

/** Spec §3.16: the stored image's facts; reads the header only, never the pixels. */
export const info: EngineOp<'info'> = {
  action: 'info',
  placement: () => ({ kind: 'terminal' }),
  keepsAnimation: true,
  apply(ctx) {
    const { source } = ctx
    const json = serializeInfo(
      buildInfo({
        bytes: source.bytes.length,
        format: source.format,
        width: source.width,
        height: source.height,
        frames: source.pages,
        ...(source.density === undefined ? {} : { density: source.density }),
        ...(source.resolutionUnit === undefined ? {} : { resolutionUnit: source.resolutionUnit }),
        ...(source.exif === undefined ? {} : { exif: source.exif })
      })
    )
    return { json }
  }
}
