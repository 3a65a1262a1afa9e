/**
 * Bucket image styles: PutStyle, GetStyle, ListStyle, DeleteStyle.
 *
 * ali-oss has no usable style API (its `ImageClient` targets the retired img-* service and turns
 * `?style` into an object key). This is the one module that reaches the `style` sub-resource,
 * through ali-oss's internal `request()` (spec oss-rest-and-ali-oss.md §1.7), which signs
 * `/<bucket>/?style&styleName=<name>` correctly in V1 and V4.
 *
 * OSS rules are checked before any request: the name (1–63 of [A-Za-z0-9_.-], EC
 * 0017-00000250/251), the content (a valid `image/...` chain, no saveas), and 50 styles per bucket
 * when the name is new.
 */
import { ImgError } from '../../../src-shared/img/errors'
import { parseProcess } from '../../../src-shared/img/process'
import type { Attempt, CallOptions, OssClient } from './client'
import { CLIENT_CODES, OssError, clientError, fromImgError } from './errors'
import { assertStyleName } from './names'

/** OSS's default quota (raising it needs a support ticket). */
export const MAX_STYLES_PER_BUCKET = 50

export interface StyleInfo {
  readonly name: string
  /** The process string, e.g. `image/resize,p_50`. */
  readonly content: string
  /** `image` for image styles (OSS also has document and video styles). */
  readonly category: string | undefined
  /** ISO 8601. */
  readonly createTime: string | undefined
  /** ISO 8601. */
  readonly lastModifyTime: string | undefined
}

export interface PutStyleOptions extends CallOptions {
  /** Skip the 50-per-bucket check (one ListStyle request) — e.g. when the caller knows the name exists. */
  readonly skipQuotaCheck?: boolean | undefined
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c)
}

export function styleBody(content: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Style><Content>${escapeXml(content)}</Content></Style>`, 'utf8')
}

/** A style's content: a valid `image/...` chain without `sys/saveas` (spec oss-img.md §7). */
export function assertStyleContent(content: unknown, operation = 'putStyle'): asserts content is string {
  if (typeof content !== 'string' || !content.startsWith('image/')) {
    throw clientError({ code: 'InvalidArgument', status: 400, operation, message: `content: expected a process string starting with "image/" but received ${JSON.stringify(typeof content === 'string' && content.length > 64 ? `${content.slice(0, 61)}...` : content)}` })
  }
  let parsed
  try {
    parsed = parseProcess(content)
  } catch (error) {
    if (error instanceof ImgError) throw fromImgError(error, operation)
    throw error
  }
  if (parsed.saveAs) throw clientError({ code: 'InvalidArgument', status: 400, operation, message: 'content: expected no sys/saveas in a style but received one' })
}

function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const time = new Date(value)
  return Number.isNaN(time.getTime()) ? value : time.toISOString()
}

/** xml2js text: a string, or `{ _: text }` when the element has attributes, or `{}` when empty. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value !== null && typeof value === 'object') {
    const inner = (value as Record<string, unknown>)._
    return typeof inner === 'string' ? inner : ''
  }
  return undefined
}

function invalidResponse(operation: string, what: string): OssError {
  return new OssError({ code: CLIENT_CODES.invalidResponse, status: 0, origin: 'server', retryable: false, operation, message: `${operation}: expected ${what} in the response` })
}

export function parseStyle(node: unknown, operation: string): StyleInfo {
  if (node === null || typeof node !== 'object') throw invalidResponse(operation, 'a <Style> element')
  const record = node as Record<string, unknown>
  const name = text(record.Name)
  const content = text(record.Content)
  if (name === undefined || content === undefined) throw invalidResponse(operation, '<Name> and <Content>')
  return {
    name,
    content,
    category: text(record.Category),
    createTime: isoDate(text(record.CreateTime)),
    lastModifyTime: isoDate(text(record.LastModifyTime))
  }
}

/** ListStyle: `<StyleList>` with zero, one (object) or many (array) `<Style>` children. */
export function parseStyleList(data: unknown, operation = 'listStyles'): StyleInfo[] {
  if (data === undefined || data === null || data === '') return []
  if (typeof data !== 'object') throw invalidResponse(operation, 'a <StyleList> element')
  const styles = (data as Record<string, unknown>).Style
  if (styles === undefined || styles === '') return []
  return (Array.isArray(styles) ? styles : [styles]).map((node) => parseStyle(node, operation))
}

async function listOnce(client: OssClient, attempt: Attempt): Promise<StyleInfo[]> {
  const result = await client.send(attempt, { method: 'GET', bucket: client.bucket, subres: { style: '' } }, [200])
  return parseStyleList(await client.parseXml(attempt, result.data))
}

export async function listStyles(client: OssClient, options: CallOptions = {}): Promise<StyleInfo[]> {
  return client.run('listStyles', options, (attempt) => listOnce(client, attempt))
}

export async function getStyle(client: OssClient, name: string, options: CallOptions = {}): Promise<StyleInfo> {
  assertStyleName(name)
  return client.run('getStyle', options, async (attempt) => {
    const result = await client.send(attempt, { method: 'GET', bucket: client.bucket, subres: { style: '', styleName: name } }, [200])
    return parseStyle(await client.parseXml(attempt, result.data), 'getStyle')
  })
}

/**
 * Creates or overwrites a style. For a new name, the bucket's styles are listed first and a 51st
 * is refused as OSS does (403 AccessDenied, "Your style count is exceeded 50.").
 */
export async function putStyle(client: OssClient, name: string, content: string, options: PutStyleOptions = {}): Promise<void> {
  assertStyleName(name)
  assertStyleContent(content)
  if (!options.skipQuotaCheck) {
    const existing = await listStyles(client, options)
    if (!existing.some((s) => s.name === name) && existing.length >= MAX_STYLES_PER_BUCKET) {
      throw clientError({ code: 'AccessDenied', status: 403, operation: 'putStyle', message: `Your style count is exceeded ${MAX_STYLES_PER_BUCKET}.` })
    }
  }
  const body = styleBody(content)
  await client.run('putStyle', options, async (attempt) => {
    await client.send(attempt, { method: 'PUT', bucket: client.bucket, subres: { style: '', styleName: name }, content: body, mime: 'application/xml' }, [200])
  })
}

/**
 * Deletes a style. If an earlier attempt failed after OSS applied it (e.g. the connection dropped
 * before the 204 arrived), the retry gets NoSuchStyle: that retry counts as success, since the
 * style is gone either way. A first-attempt NoSuchStyle is reported.
 */
export async function deleteStyle(client: OssClient, name: string, options: CallOptions = {}): Promise<void> {
  assertStyleName(name)
  await client.run('deleteStyle', options, async (attempt) => {
    try {
      await client.send(attempt, { method: 'DELETE', bucket: client.bucket, subres: { style: '', styleName: name } }, [200, 204])
    } catch (error) {
      if (attempt.attempt > 1 && (error as { code?: string }).code === 'NoSuchStyle') return
      throw error
    }
  })
}
