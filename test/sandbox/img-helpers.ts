/**
 * Helpers for the IMG sandbox tests: ali-oss calls its typings lack (`request` for the style
 * APIs, `processObjectSave`), the sample files, and the engine run directly for comparison.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type OSS from 'ali-oss'
import sharp from 'sharp'
import { processImage } from '../../src-main/engine/executor'
import { DEMO_STYLES, samplesDir } from '../../src-main/sandbox/demo'

export interface RawResult {
  status: number
  data: unknown
  res: { status: number; headers: Record<string, string>; data?: unknown }
}

type RawRequest = (params: Record<string, unknown>) => Promise<RawResult>

/** ali-oss's internal `request` (the only way to reach the style APIs, oss-rest-and-ali-oss.md §1.7). */
export function raw(client: OSS): RawRequest {
  return (client as unknown as { request: RawRequest }).request.bind(client)
}

/** `processObjectSave(source, target, process, targetBucket?)` (§1.5); JSON answer in `res.data`. */
export function processObjectSave(client: OSS, source: string, target: string, process: string, bucket?: string): Promise<RawResult> {
  const c = client as unknown as { processObjectSave(...args: (string | undefined)[]): Promise<RawResult> }
  return bucket === undefined ? c.processObjectSave(source, target, process) : c.processObjectSave(source, target, process, bucket)
}

export function sample(name: string): Buffer {
  return readFileSync(join(samplesDir(), name))
}

/** The engine on a sample, with the demo bucket's objects and styles: what the sandbox must return. */
export async function engine(name: string, process: string): Promise<Buffer> {
  const result = await processImage(sample(name), process, {
    objects: { get: async (key) => (key.includes('/') || key.includes('..') ? undefined : safeSample(key)) },
    styles: { get: async (style) => DEMO_STYLES[style] }
  })
  return result.kind === 'json' ? Buffer.from(result.body) : result.data
}

function safeSample(key: string): Buffer | undefined {
  try {
    return sample(key)
  } catch {
    return undefined
  }
}

export async function size(data: Buffer): Promise<{ format: string; width: number; height: number; pages: number }> {
  const meta = await sharp(data, { animated: true }).metadata()
  return { format: meta.format, width: meta.width, height: meta.pageHeight ?? meta.height, pages: meta.pages ?? 1 }
}

export const xmlStyle = (content: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Style><Content>${content}</Content></Style>`)

/**
 * `POST /<bucket>/<source>?x-oss-process` with a body of our choosing, signed by ali-oss exactly
 * as processObjectSave signs it (same internal params), e.g. for URL-safe Base64 targets.
 */
export function postProcess(client: OSS, source: string, body: string | Buffer, mime?: string): Promise<RawResult> {
  const c = client as unknown as { _objectRequestParams(method: string, name: string, options: object): Record<string, unknown>; request: RawRequest }
  const params = c._objectRequestParams('POST', source, { subres: 'x-oss-process' })
  params.content = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  if (mime !== undefined) params.mime = mime
  params.successStatuses = [200]
  return c.request(params)
}

/** The JSON a saveas answers with, from `res.data` (ali-oss leaves the body there). */
export function saveResult(result: RawResult): { bucket: string; fileSize: number; object: string; status: string } {
  return JSON.parse(Buffer.from(result.res.data as Buffer).toString('utf8'))
}
