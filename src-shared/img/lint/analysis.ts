/**
 * What the rules need to know about a pipeline, computed once: the size of the image entering each
 * step (from the shared geometry, the engine's own — spec §4: each step sees the result of the
 * previous one), the output format, and which step of each encoder setting is the last.
 */
import type { OutputFormat } from '../actions/format'
import { cropGeometry } from '../geometry/crop'
import { circleGeometry } from '../geometry/circle'
import { indexcropGeometry } from '../geometry/indexcrop'
import { resizeGeometry } from '../geometry/resize'
import { rotatedSize } from '../geometry/rotate'
import type { Step } from '../process'
import type { LintInput, LintSource } from './types'

export interface Frame {
  readonly width: number
  readonly height: number
}

export interface Analysis {
  readonly steps: readonly Step[]
  readonly source: LintSource | undefined
  /** The image entering step i, when it can be known; `frames[steps.length]` is the result. */
  readonly frames: readonly (Frame | undefined)[]
  /** The format the result is encoded in, when it can be known (spec §3.12, §4 step 4). */
  readonly outputFormat: OutputFormat | undefined
}

/**
 * Spec §3.7: the orientation is applied to the source before the chain; the last `auto-orient`
 * decides, and without one it is on (Project decision: implicit auto-orient). Orientation 5–8 swaps the sides.
 */
function orientedSource(source: LintSource, steps: readonly Step[]): Frame {
  let orient = true
  for (const step of steps) if (step.action === 'auto-orient') orient = step.params.value !== 0
  const swaps = orient && source.orientation !== undefined && source.orientation >= 5 && source.orientation <= 8
  return swaps ? { width: source.height, height: source.width } : { width: source.width, height: source.height }
}

/** A size fixed by the step itself whatever came in (`m_fixed` with w and h: spec §3.1.3). */
function fixedSize(step: Step): Frame | undefined {
  if (step.action !== 'resize') return undefined
  const { m, w, h } = step.params
  return m === 'fixed' && w !== undefined && h !== undefined ? { width: w, height: h } : undefined
}

/** The image leaving `step`; undefined when it cannot be known, or when the step fails on it (its rule says so). */
function after(step: Step, frame: Frame | undefined, gif: boolean): Frame | undefined {
  if (!frame) return fixedSize(step)
  try {
    switch (step.action) {
      case 'resize': {
        const size = resizeGeometry(frame, step.params, { gif })
        return { width: size.width, height: size.height }
      }
      case 'crop': {
        const region = cropGeometry(frame, step.params)
        return { width: region.width, height: region.height }
      }
      case 'indexcrop':
        return indexcropGeometry(frame, step.params) ?? frame
      case 'circle': {
        const region = circleGeometry(frame, step.params)
        return { width: region.width, height: region.height }
      }
      case 'rotate':
        return rotatedSize(frame.width, frame.height, step.params.value ?? 0)
      case 'info':
      case 'average-hue':
        return undefined
      default:
        return frame
    }
  } catch {
    return undefined
  }
}

/** `format,gif` on a non-GIF source keeps the source format (spec §3.12). */
function resultFormat(steps: readonly Step[], source: LintSource | undefined): OutputFormat | undefined {
  let requested: OutputFormat | undefined
  for (const step of steps) if (step.action === 'format') requested = step.params.value
  if (requested === undefined || (requested === 'gif' && source?.format !== 'gif')) return source?.format
  return requested
}

export function analyse(input: LintInput): Analysis {
  const { steps, source } = input
  const frames: (Frame | undefined)[] = [source ? orientedSource(source, steps) : undefined]
  const gif = source?.format === 'gif'
  for (const step of steps) frames.push(after(step, frames[frames.length - 1], gif))
  return { steps, source, frames, outputFormat: resultFormat(steps, source) }
}

/** The steps without step `index`. */
export function withoutStep(steps: readonly Step[], index: number): Step[] {
  return steps.filter((_, i) => i !== index)
}
