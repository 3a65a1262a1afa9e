/** The contract between the executor and the one-module-per-action implementations in ops/. */
import type { Sharp } from 'sharp'
import type { ActionName, ActionParams } from '../../src-shared/img/actions'
import type { OutputFormat } from '../../src-shared/img/actions/format'
import type { Step } from '../../src-shared/img/process'
import type { SourceFormat } from './codecs/sniff'
import type { GeometryChange } from './marks'
import type { Placement, Rank } from './planner'
import type { EngineOptions, EngineWarning } from './types'

/** The image as it is at this point of the chain, tracked without touching pixels. */
export interface Frame {
  readonly width: number
  /** Height of one page (frame) for animations. */
  readonly height: number
  /** Number of pages; > 1 only while an animation is kept. */
  readonly pages: number
  readonly hasAlpha: boolean
  /** Bits per sample in the pipeline: 16-bit PNG/TIFF sources stay 16-bit until a hand-over. */
  readonly bitDepth: 8 | 16
}

/** Facts about the source every op may consult. */
export interface SourceInfo {
  readonly bytes: Buffer
  readonly format: SourceFormat
  /** Stored (not oriented) size of the first page. */
  readonly width: number
  readonly height: number
  readonly pages: number
  readonly hasAlpha: boolean
  readonly bitDepth: 8 | 16
  readonly orientation: number | undefined
  readonly density: number | undefined
  readonly resolutionUnit: 'inch' | 'cm' | undefined
  readonly exif: Buffer | undefined
  /** Estimated JPEG quality of the source, when it is a JPEG. */
  readonly jpegQuality: number | undefined
}

/**
 * Settings that hold for the whole chain wherever their op stands: output encoder options
 * (spec §4 step 4: last one wins), orientation (§3.7) and ignore-error (§3.18).
 */
export interface ChainSettings {
  format?: OutputFormat
  relativeQuality?: number
  absoluteQuality?: number
  progressive?: boolean
  orient?: boolean
  ignoreErrors?: boolean
}

export interface RawImage {
  readonly data: Buffer
  readonly width: number
  readonly height: number
  readonly channels: 1 | 2 | 3 | 4
  readonly pages: number
}

export interface OpContext {
  readonly frame: Frame
  readonly source: SourceInfo
  readonly settings: ChainSettings
  readonly options: EngineOptions
  /** Inside a watermark image's own chain: the main image's width, for resize `P`. */
  readonly mainWidth?: number
  /** The sharp pipeline of the current segment. */
  pipeline(): Sharp
  /** Notes something the result will not show at a glance (main chain only; nested chains' notes are dropped). */
  warn(warning: EngineWarning): void
  /** Cuts the frame to `region` (sharp's extract) and records the new size and the move. */
  extract(region: { readonly left: number; readonly top: number; readonly width: number; readonly height: number }): void
  /** Tells where the pixels went (scaling, padding, rotation), so drawn watermarks can be followed (marks.ts). */
  moved(change: GeometryChange): void
  /** A single `size` watermark was drawn with its top-left corner `at`; `visible` is its part inside the frame, `drawLoss` why the rest is missing. */
  drewWatermark(size: { readonly width: number; readonly height: number }, at: { readonly left: number; readonly top: number }, visible: { left: number; top: number; width: number; height: number } | undefined, drawLoss: string | undefined): void
  /** Records the geometry an op produces; the executor checks it against sharp's real output. */
  setFrame(frame: Partial<Frame>): void
  /** Closes the current segment and returns its pixels (terminal ops). */
  materialize(): Promise<RawImage>
  /** Runs a nested chain on another image (watermark pre-processing), returning raw pixels. */
  renderNested(bytes: Buffer, steps: readonly Step[], extra?: { mainWidth: number }): Promise<RawImage>
}

export interface OpResult {
  /** A JSON body instead of an image (info, average-hue). */
  readonly json?: string
}

export interface EngineOp<N extends ActionName> {
  readonly action: N
  /** Where the op runs; `segmentRanks` are the ranks already used in the current segment. */
  placement(params: ActionParams<N>, segmentRanks: readonly Rank[]): Placement
  /** GIF animation survives this op (spec §2 GIF rules); otherwise the first frame is used. */
  readonly keepsAnimation: boolean | ((params: ActionParams<N>) => boolean)
  /** Settings ops record what they mean for the whole chain; read before any pixel work. */
  configure?(settings: ChainSettings, params: ActionParams<N>): void
  /** Pixel and terminal ops add their work to the current segment. */
  apply?(ctx: OpContext, params: ActionParams<N>): void | OpResult | Promise<void | OpResult>
}
