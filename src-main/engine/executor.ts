/**
 * Runs a validated chain: resolve the style, check the source, plan segments, build each
 * segment's sharp pipeline, hand raw pixels across cuts, encode once at the end.
 */
import { writeFile } from 'node:fs/promises'
import type { Sharp } from 'sharp'
import sharp from 'sharp'
import type { ActionName, ActionParams } from '../../src-shared/img/actions'
import { ImgError, isImgError } from '../../src-shared/img/errors'
import { parseProcess, serializeProcess, type Process, type Step } from '../../src-shared/img/process'
import { assertRotatable, decodeFailure, inspectSource, openSource } from './decode'
import { encode, encodeToFile, supportsAnimation, targetFormat, type Encoded } from './encode'
import type { ChainSettings, EngineOp, Frame, OpContext, RawImage, SourceInfo } from './op'
import { OPS } from './ops'
import { createMarkTracker } from './marks'
import { plan, type Plan, type Rank } from './planner'
import { CONTENT_TYPES, type EngineOptions, type EngineResult, type EngineWarning, type ImageResult, type PlacedMark, type WrittenResult } from './types'

type AnyStep = { action: ActionName; params: Record<string, unknown> }

function opOf(step: Step): EngineOp<ActionName> {
  return OPS[step.action] as unknown as EngineOp<ActionName>
}

function paramsOf(step: Step): ActionParams<ActionName> {
  return (step as AnyStep).params as ActionParams<ActionName>
}

export function planChain(steps: readonly Step[]): Plan {
  return plan(steps.length, (i, ranks: readonly Rank[]) => opOf(steps[i]!).placement(paramsOf(steps[i]!), ranks))
}

function keepsAnimation(step: Step): boolean {
  const keep = opOf(step).keepsAnimation
  return typeof keep === 'function' ? keep(paramsOf(step)) : keep
}

/** Chain-wide settings are known before any pixel work: they decide animation, format, orientation. */
export function chainSettings(steps: readonly Step[]): ChainSettings {
  const settings: ChainSettings = {}
  for (const step of steps) opOf(step).configure?.(settings, paramsOf(step))
  return settings
}

/** The pipeline's pixels (all pages of a kept animation, one strip), checked against the ops' geometry. */
async function toRaw(pipeline: Sharp, frame: Frame): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  const pages = info.pages && frame.pages > 1 ? info.pages : 1
  const height = pages > 1 ? (info.pageHeight ?? info.height) : info.height
  if (info.width !== frame.width || height !== frame.height) {
    // The ops' geometry and sharp's disagree: a bug, never a user error.
    throw new ImgError({ code: 'InternalError', message: `engine: expected ${frame.width}x${frame.height} but sharp produced ${info.width}x${height}` })
  }
  return { data, width: info.width, height, channels: info.channels, pages }
}

function pipelineOf(raw: RawImage): Sharp {
  const pageHeight = raw.pages > 1 ? { pageHeight: raw.height } : {}
  // `animated` makes sharp treat the strip as pages (per-page resize/extract); pageHeight alone does not.
  const animated = raw.pages > 1 ? { animated: true } : {}
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height * raw.pages, channels: raw.channels, ...pageHeight }, ...animated })
}

/** sharp's raw output is 8-bit unless asked otherwise. */
function frameOf(frame: Frame, raw: RawImage): Frame {
  return { ...frame, hasAlpha: raw.channels === 2 || raw.channels === 4, bitDepth: 8 }
}

interface ChainOutput {
  readonly pipeline: Sharp
  readonly frame: Frame
  readonly source: SourceInfo
  readonly settings: ChainSettings
  readonly json?: string | undefined
  readonly warnings: readonly EngineWarning[]
  readonly marks: readonly PlacedMark[]
}

async function runSteps(bytes: Buffer, steps: readonly Step[], options: EngineOptions, mainWidth?: number): Promise<ChainOutput> {
  const signal = options.signal
  signal?.throwIfAborted()
  const resizing = steps.some((s) => s.action === 'resize')
  const source = await inspectSource(bytes, resizing)
  const settings = chainSettings(steps)
  const animated = source.pages > 1 && supportsAnimation(targetFormat(settings, source)) && steps.every(keepsAnimation)
  // Explicit auto-orient wins; otherwise the implicit flag (Project decision §3.7).
  const orient = settings.orient ?? options.implicitAutoOrient ?? true
  if (orient && (source.orientation ?? 1) > 1) assertRotatable(source)
  const opened = await openSource(source, { animated, orient })
  let pipeline = opened.pipeline
  let frame = opened.frame
  const planned = planChain(steps)
  const segmentOf = new Map<number, number>()
  planned.segments.forEach((segment, s) => segment.steps.forEach((i) => segmentOf.set(i, s)))
  let current = 0

  const materialize = async (): Promise<RawImage> => {
    signal?.throwIfAborted()
    return toRaw(pipeline, frame)
  }
  const restart = (raw: RawImage) => {
    pipeline = pipelineOf(raw)
    frame = frameOf(frame, raw)
  }
  const warnings: EngineWarning[] = []
  const marks = createMarkTracker()
  let action = ''
  let stepIndex = 0
  const ctx: OpContext = {
    get frame() {
      return frame
    },
    source,
    settings,
    options,
    ...(mainWidth === undefined ? {} : { mainWidth }),
    pipeline: () => pipeline,
    warn: (warning) => {
      if (!warnings.some((w) => w.code === warning.code && w.message === warning.message)) warnings.push(warning)
    },
    setFrame: (next) => {
      frame = { ...frame, ...next }
    },
    extract: (region) => {
      pipeline.extract(region)
      frame = { ...frame, width: region.width, height: region.height }
      marks.moved({ kind: 'window', ...region }, action)
    },
    moved: (change) => marks.moved(change, action),
    drewWatermark: (size, at, visible, drawLoss) =>
      marks.drawn(size, visible, drawLoss, { step: stepIndex, frameWidth: frame.width, frameHeight: frame.height, left: at.left, top: at.top, width: size.width, height: size.height }),
    materialize: async () => {
      const raw = await materialize()
      restart(raw)
      return raw
    },
    renderNested: async (nestedBytes, nestedSteps, extra) => {
      const out = await runSteps(nestedBytes, nestedSteps, options, extra?.mainWidth)
      const { data, info } = await out.pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
      return { data, width: info.width, height: info.height, channels: info.channels, pages: 1 }
    }
  }

  let json: string | undefined
  let segmentHasOps = false
  for (const [index, step] of steps.entries()) {
    const segment = segmentOf.get(index)
    if (segment !== undefined && segment !== current) {
      restart(await materialize())
      current = segment
    }
    signal?.throwIfAborted()
    action = step.action
    stepIndex = index
    try {
      const result = await opOf(step).apply?.(ctx, paramsOf(step))
      if (result?.json !== undefined) json = result.json
    } catch (error) {
      throw isImgError(error) && !error.span ? withSpan(error, step) : error
    }
    if (segment !== undefined) segmentHasOps = true
  }
  // JPG's white background must come after the last op, but sharp's flatten() runs before
  // rotate and composite: ops that added transparency hand their pixels over first.
  if (json === undefined && frame.hasAlpha && segmentHasOps && targetFormat(settings, source) === 'jpg') restart(await materialize())
  warnings.push(...marks.warnings())
  return { pipeline, frame, source, settings, json, warnings, marks: marks.placed() }
}

/** Runtime errors (crop outside the image, missing watermark object) point at their step. */
function withSpan(error: ImgError, step: Step): ImgError {
  return new ImgError({ code: error.code, ec: error.ec, message: error.message, action: error.action ?? step.action, param: error.param, span: step.span })
}

/** The steps of an `image/...` chain, or of the style a `style/NAME` names. */
export async function resolveSteps(process: Process, options: EngineOptions): Promise<readonly Step[]> {
  if (process.kind === 'image') return process.steps
  const content = await options.styles?.get(process.name)
  if (content === undefined) {
    throw new ImgError({ code: 'NoSuchStyle', message: `style: expected an existing style but received ${JSON.stringify(process.name)}` })
  }
  const expanded = parseProcess(content)
  if (expanded.kind !== 'image') {
    throw new ImgError({ code: 'InvalidArgument', message: `style: expected the content of ${process.name} to start with image/ but received ${JSON.stringify(content)}` })
  }
  return expanded.steps
}

const IGNORE_ERROR = /(^|[/|])ignore-error,1(?=$|[/|])/

async function unprocessed(bytes: Buffer): Promise<ImageResult> {
  const source = await inspectSource(bytes, false)
  return { kind: 'image', data: bytes, format: source.format, width: source.width, height: source.height, contentType: CONTENT_TYPES[source.format], ignoredError: true }
}

/** What `processImage` and `processImageToFile` do with a chain that ran, and with the unprocessed source (`ignore-error,1`). */
interface Finisher<R> {
  json(body: string): Promise<R>
  image(out: ChainOutput): Promise<R>
  unprocessed(bytes: Buffer): Promise<R>
}

/**
 * Runs the chain and hands its output to `finish`. Throws ImgError only; `ignore-error,1` answers
 * the unprocessed source instead (spec §3.18).
 */
async function runChain<R>(bytes: Buffer, process: string | Process, options: EngineOptions, finish: Finisher<R>): Promise<R> {
  let ignoreErrors: boolean | undefined
  try {
    const parsed = typeof process === 'string' ? parseProcess(process) : process
    if (parsed.saveAs) {
      // Spec §8.1: saveas only in a POST; the caller (sandbox, OSS service) stores the result.
      throw new ImgError({ code: 'InvalidArgument', message: 'sys/saveas: expected a POST request (processObjectSave) but received it in a GET; process the chain and store the result instead' })
    }
    const steps = await resolveSteps(parsed, options)
    ignoreErrors = chainSettings(steps).ignoreErrors
    const out = await runSteps(bytes, steps, options)
    options.signal?.throwIfAborted()
    if (out.json !== undefined) return await finish.json(out.json)
    const result = await finish.image(out)
    // sharp cannot be cancelled (heif-enc can): an abort during the final encode still rejects.
    options.signal?.throwIfAborted()
    return result
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error
    // Once aborted, the caller gets the AbortError, never an ImgError or the ignore-error fallback.
    options.signal?.throwIfAborted()
    const failure = isImgError(error) ? error : (decodeFailure(error) ?? internal(error))
    // A chain that failed validation is scanned as text for the flag (a parsed one is serialized only here, on failure).
    if ((ignoreErrors ?? IGNORE_ERROR.test(typeof process === 'string' ? process : serializeProcess(process))) && failure.status < 500) return finish.unprocessed(bytes).catch(() => Promise.reject(failure))
    throw failure
  }
}

/** The encoder wrote another size than the ops computed: a bug, never a user error. */
function checkEncodedSize(out: ChainOutput, width: number, height: number): void {
  if (width !== out.frame.width || height !== out.frame.height) {
    throw new ImgError({ code: 'InternalError', message: `engine: expected ${out.frame.width}x${out.frame.height} but encoded ${width}x${height}` })
  }
}

const extrasOf = (out: ChainOutput) => ({ ...(out.warnings.length > 0 ? { warnings: out.warnings } : {}), ...(out.marks.length > 0 ? { marks: out.marks } : {}) })

/**
 * Processes `bytes` with an `image/...` or `style/NAME` string (or a parsed Process).
 * Throws ImgError only; `ignore-error,1` answers the unprocessed source instead (spec §3.18).
 */
export function processImage(bytes: Buffer, process: string | Process, options: EngineOptions = {}): Promise<EngineResult> {
  return runChain<EngineResult>(bytes, process, options, {
    json: async (body) => ({ kind: 'json', body, contentType: 'application/json' }),
    image: async (out) => {
      const { data, format, width, height } = await encode(out.pipeline, out.frame, out.source, out.settings, options.signal)
      checkEncodedSize(out, width, height)
      return { kind: 'image', data, format, width, height, contentType: CONTENT_TYPES[format], ...extrasOf(out) }
    },
    unprocessed
  })
}

/**
 * `processImage`, with the result written to `path` by the encoder (no output Buffer in JS: a
 * 24 MP result is not held twice). The bytes written are the bytes `processImage` answers. `path`
 * is a temp file the caller renames into place (util/atomic-write `writeFileAtomicWith`); after a
 * failure it may hold anything.
 */
export function processImageToFile(bytes: Buffer, process: string | Process, path: string, options: EngineOptions = {}): Promise<WrittenResult> {
  return runChain<WrittenResult>(bytes, process, options, {
    json: async (body) => {
      const data = Buffer.from(body)
      await writeFile(path, data)
      return { kind: 'json', bytes: data.length }
    },
    image: async (out) => {
      const { format, width, height, bytes: written } = await encodeToFile(out.pipeline, out.frame, out.source, out.settings, path, options.signal)
      checkEncodedSize(out, width, height)
      return { kind: 'image', format, width, height, bytes: written, ...extrasOf(out) }
    },
    unprocessed: async (source) => {
      const { data: _data, kind: _kind, contentType: _type, ...facts } = await unprocessed(source)
      await writeFile(path, source)
      return { kind: 'image', ...facts, bytes: source.length }
    }
  })
}

function internal(error: unknown): ImgError {
  return new ImgError({ code: 'InternalError', message: `engine: ${((error as Error)?.message ?? String(error)).split('\n')[0]}` })
}

/**
 * A chain run up to its encoder: the pixels the encoder would get, with what decides the encoding.
 * The byte-budget solver encodes one at many qualities without decoding the source or running the
 * steps again; `encodeUnencoded(render, Q)` gives the bytes `processImage` gives for the chain plus
 * `quality,Q_<Q>`.
 */
export interface UnencodedRender {
  readonly raw: RawImage
  readonly frame: Frame
  readonly source: SourceInfo
  readonly settings: ChainSettings
}

/** Runs an `image/...` chain (no `ignore-error` fallback: a failure is the caller's to report) and stops before encoding. */
export async function renderUnencoded(bytes: Buffer, process: string | Process, options: EngineOptions = {}): Promise<UnencodedRender> {
  try {
    const parsed = typeof process === 'string' ? parseProcess(process) : process
    const steps = await resolveSteps(parsed, options)
    const out = await runSteps(bytes, steps, options)
    if (out.json !== undefined) throw new ImgError({ code: 'InvalidArgument', message: 'process: expected a chain that answers an image but it answers JSON (info or average-hue)' })
    options.signal?.throwIfAborted()
    const raw = await toRaw(out.pipeline, out.frame)
    return { raw, frame: frameOf(out.frame, raw), source: out.source, settings: out.settings }
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error
    options.signal?.throwIfAborted()
    throw isImgError(error) ? error : (decodeFailure(error) ?? internal(error))
  }
}

/** Encodes an unencoded render at absolute quality `Q` (capped by the source's, as `quality,Q_` is: spec §3.13). */
export async function encodeUnencoded(render: UnencodedRender, absoluteQuality: number, signal?: AbortSignal): Promise<Encoded> {
  const { relativeQuality: _relative, ...settings } = render.settings
  return encode(pipelineOf(render.raw), render.frame, render.source, { ...settings, absoluteQuality }, signal)
}
