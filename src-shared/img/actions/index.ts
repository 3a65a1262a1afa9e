/**
 * The action registry: one module per OSS action, keyed by its OSS name. The engine keeps a
 * mirrored registry of implementations; a test asserts both have the same keys.
 */
import type { ActionSchema, ParamsOf } from '../schema'
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

export const ACTIONS = {
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
} as const satisfies Record<string, ActionSchema>

export type ActionName = keyof typeof ACTIONS
export type ActionParams<N extends ActionName> = ParamsOf<(typeof ACTIONS)[N]>

