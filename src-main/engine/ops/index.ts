/** The implementation registry, mirroring src-shared/img/actions key for key. */
import type { ActionName } from '../../../src-shared/img/actions'
import type { EngineOp } from '../op'
import { autoOrient } from './auto-orient'
import { averageHue } from './average-hue'
import { blur } from './blur'
import { bright } from './bright'
import { circle } from './circle'
import { contrast } from './contrast'
import { crop } from './crop'
import { format } from './format'
import { ignoreError } from './ignore-error'
import { indexcrop } from './indexcrop'
import { info } from './info'
import { interlace } from './interlace'
import { quality } from './quality'
import { resize } from './resize'
import { rotate } from './rotate'
import { roundedCorners } from './rounded-corners'
import { sharpen } from './sharpen'
import { watermark } from './watermark'

export const OPS: { readonly [N in ActionName]: EngineOp<N> } = {
  resize,
  crop,
  circle,
  indexcrop,
  'rounded-corners': roundedCorners,
  rotate,
  'auto-orient': autoOrient,
  blur,
  bright,
  contrast,
  sharpen,
  watermark,
  format,
  quality,
  interlace,
  info,
  'average-hue': averageHue,
  'ignore-error': ignoreError
}
