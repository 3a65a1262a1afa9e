/**
 * processImage wrappers for engine tests: results that must be images (optionally with the reported
 * size checked against the decoded output), errors that must be ImgErrors, the planner's segments,
 * and chains compared with their op-by-op run.
 */
import sharp from 'sharp'
import { expect } from 'vitest'
import { planChain, processImage } from '../../src-main/engine/executor'
import type { EngineOptions, ImageResult } from '../../src-main/engine/types'
import { ImgError } from '../../src-shared/img/errors'
import { parseProcess } from '../../src-shared/img/process'
import { decodeRaw, type RawImage } from './images'

/** processImage's answer, which must be an image; nothing else is checked. */
export async function processToImage(bytes: Buffer, process: string, options: EngineOptions = {}): Promise<ImageResult> {
  const result = await processImage(bytes, process, options)
  if (result.kind !== 'image') throw new Error(`expected an image for ${process}`)
  return result
}

/** Runs the chain; the reported size must be the decoded output's (first page for animations). */
export async function run(bytes: Buffer, process: string, options: EngineOptions = {}): Promise<ImageResult> {
  const result = await processToImage(bytes, process, options)
  const meta = await sharp(result.data).metadata()
  expect([meta.width, meta.pageHeight ?? meta.height], `reported size of ${process}`).toEqual([result.width, result.height])
  return result
}

/** An image result together with its output decoded to raw pixels. */
export interface Decoded extends RawImage {
  readonly result: ImageResult
}

/** Runs the chain and decodes the output to raw pixels; the reported size must be the real one. */
export async function runDecoded(bytes: Buffer, process: string): Promise<Decoded> {
  const result = await processToImage(bytes, process)
  const image = await decodeRaw(result.data)
  expect([image.width, image.height]).toEqual([result.width, result.height])
  return { result, ...image }
}

/** Awaits a promise that must reject with an ImgError, and returns that error. */
export async function expectImgError(promise: Promise<unknown>, label?: string): Promise<ImgError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error, label).toBeInstanceOf(ImgError)
  return error as ImgError
}

/** Runs the chain, which must fail with an ImgError, and returns that error. */
export function failure(bytes: Buffer, process: string, options: EngineOptions = {}): Promise<ImgError> {
  return expectImgError(processImage(bytes, process, options), process)
}

/** Runs the chain, which must fail with status 400, `code` and EC `ec`, its message containing each of `texts`. */
export async function expectRejected(bytes: Buffer, process: string, code: string, ec: string, ...texts: string[]): Promise<void> {
  const error = await failure(bytes, process)
  expect(error.status).toBe(400)
  expect(error.code).toBe(code)
  expect(error.ec).toBe(ec)
  for (const text of texts) expect(error.message).toContain(text)
}

/** The planner's segments of an image chain, as lists of step indices. */
export function segmentsOf(process: string): number[][] {
  const parsed = parseProcess(process)
  if (parsed.kind !== 'image') throw new Error('expected an image chain')
  return planChain(parsed.steps).segments.map((s) => [...s.steps])
}

/** The chain run op by op through lossless PNG files (what OSS's strict left-to-right order gives): the last PNG. */
export async function stepwise(bytes: Buffer, process: string): Promise<Buffer> {
  let current = bytes
  for (const op of process.slice('image/'.length).split('/')) current = (await run(current, `image/${op}/format,png`)).data
  return current
}

/** Runs the chain in one go (PNG output), expects every value within `tolerance` of `stepwise`'s, and returns it. */
export async function expectSameAsStepwise(bytes: Buffer, process: string, tolerance = 0): Promise<Decoded> {
  const chained = await runDecoded(bytes, `${process}/format,png`)
  const reference = await runDecoded(await stepwise(bytes, process), 'image/format,png')
  expect([chained.width, chained.height, chained.channels]).toEqual([reference.width, reference.height, reference.channels])
  let worst = 0
  for (let i = 0; i < chained.data.length; i++) worst = Math.max(worst, Math.abs(chained.data[i]! - reference.data[i]!))
  expect(worst).toBeLessThanOrEqual(tolerance)
  return chained
}
