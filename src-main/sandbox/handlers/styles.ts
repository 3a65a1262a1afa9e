/**
 * Image styles (spec oss-img.md §7; oss-rest-and-ali-oss.md §1.7, §2.5): PutStyle
 * (`PUT /<bucket>?style&styleName=N`, body `<Style><Content>image/…</Content></Style>`), GetStyle,
 * ListStyle (`GET /<bucket>?style`), DeleteStyle (`DELETE /<bucket>?style[=<BucketName>]&styleName=N`;
 * any value of `style` is accepted, covering the documented `style=<BucketName>` form).
 *
 * Stored as bucket side data `side/styles.json`: `{ "<name>": { content, category, createTime,
 * lastModifyTime } }` (times in ms). Names: 1–63 of `A-Z a-z 0-9 _ - .`; 64+ characters (or none)
 * → 400 InvalidArgument EC 0017-00000250, other characters → EC 0017-00000251. At most
 * `LIMITS.maxStylesPerBucket` (50) per bucket: a 51st new name → 403 AccessDenied "Your style
 * count is exceeded 50." (the documented IMG behaviour); replacing an existing style is allowed.
 * Content must be a valid `image/…` chain without `sys/saveas` (checked with the engine's parser,
 * so a style that saves can never fail later at parse time).
 */
import { ImgError } from '../../../src-shared/img/errors'
import { LIMITS } from '../../../src-shared/img/limits'
import { parseProcess, STYLE_NAME } from '../../../src-shared/img/process'
import type { StyleResolver } from '../../engine/types'
import { bucketOf, sendEmpty, sendXml, type RequestContext } from '../context'
import { OssError } from '../errors'
import type { Route } from '../router'
import type { Storage } from '../storage'
import { parseXml, textOf } from '../xml'

export const STYLES_FILE = 'styles.json'

export interface StoredStyle {
  readonly content: string
  readonly category: string
  /** ms since the epoch */
  readonly createTime: number
  readonly lastModifyTime: number
}

type StyleFile = Record<string, StoredStyle>

/** Side data as a Map: style names such as `__proto__` are valid and must stay plain keys. */
function toMap(file: StyleFile | undefined): Map<string, StoredStyle> {
  return new Map(Object.entries(file ?? {}))
}

export async function readStyles(storage: Storage, bucket: string): Promise<Map<string, StoredStyle>> {
  return toMap(await storage.readBucketJson<StyleFile>(bucket, STYLES_FILE))
}

/** `style/NAME` → the stored content, for the engine. */
export function bucketStyles(storage: Storage, bucket: string): StyleResolver {
  return { get: async (name) => (await readStyles(storage, bucket)).get(name)?.content }
}

/** Spec §7 / §5.1: the name rules and OSS's message for them. */
export function assertStyleName(name: string): void {
  if (STYLE_NAME.test(name)) return
  const ec = name.length === 0 || name.length > 63 ? '0017-00000250' : '0017-00000251'
  throw new OssError({ status: 400, code: 'InvalidArgument', message: `The value: ${name} of parameter: stylename is invalid.`, ec, extra: { ArgumentName: 'stylename', ArgumentValue: name } })
}

/** A style's content must be a valid image chain without saveas; throws the engine's 400 otherwise. */
export function assertStyleContent(content: string): void {
  const parsed = parseProcess(content)
  if (parsed.kind !== 'image') {
    throw new ImgError({ code: 'InvalidArgument', message: `style: expected content starting with image/ but received ${JSON.stringify(content)}` })
  }
  if (parsed.saveAs) {
    throw new ImgError({ code: 'InvalidArgument', message: 'style: expected an image chain without sys/saveas in a style content' })
  }
}

export function styleCountExceeded(): OssError {
  return new OssError({ status: 403, code: 'AccessDenied', message: `Your style count is exceeded ${LIMITS.maxStylesPerBucket}.`, ec: '0003-00000001' })
}

/**
 * Add or replace a style (serialised per bucket; the 50-style check cannot race). `onlyIfMissing`
 * keeps an existing style untouched (seeding). Returns false when it left an existing style alone.
 */
export async function putStyle(storage: Storage, bucket: string, name: string, content: string, options: { onlyIfMissing?: boolean; now?: number } = {}): Promise<boolean> {
  assertStyleName(name)
  assertStyleContent(content)
  const now = options.now ?? Date.now()
  let written = true
  await storage.updateBucketJson<StyleFile>(bucket, STYLES_FILE, (current) => {
    const styles = toMap(current)
    const previous = styles.get(name)
    if (previous && options.onlyIfMissing) {
      written = false
      return Object.fromEntries(styles)
    }
    if (!previous && styles.size >= LIMITS.maxStylesPerBucket) throw styleCountExceeded()
    styles.set(name, { content, category: 'image', createTime: previous?.createTime ?? now, lastModifyTime: now })
    return Object.fromEntries(styles)
  })
  return written
}

function noSuchStyle(name: string): ImgError {
  return new ImgError({ code: 'NoSuchStyle', message: `The specified style does not exist: ${JSON.stringify(name)}.` })
}

function styleNameOf(ctx: RequestContext): string {
  const name = ctx.query.get('styleName') ?? ''
  assertStyleName(name)
  return name
}

function styleXml(name: string, style: StoredStyle) {
  return {
    Name: name,
    Content: style.content,
    Category: style.category,
    CreateTime: new Date(style.createTime).toUTCString(),
    LastModifyTime: new Date(style.lastModifyTime).toUTCString()
  }
}

async function putStyleHandler(ctx: RequestContext): Promise<void> {
  const name = styleNameOf(ctx)
  const doc = parseXml(await ctx.readBody(64 * 1024))
  const style = doc.Style
  const content = style && typeof style === 'object' ? textOf((style as Record<string, unknown>).Content) : undefined
  if (content === undefined) throw new OssError({ status: 400, code: 'MalformedXML', message: 'The XML you provided was not well-formed or did not validate against our published schema.', ec: '0016-00000608' })
  await putStyle(ctx.storage, bucketOf(ctx), name, content.trim())
  sendEmpty(ctx, 200)
}

async function getStyleHandler(ctx: RequestContext): Promise<void> {
  const name = styleNameOf(ctx)
  const style = (await readStyles(ctx.storage, bucketOf(ctx))).get(name)
  if (!style) throw noSuchStyle(name)
  sendXml(ctx, 'Style', styleXml(name, style))
}

async function listStyleHandler(ctx: RequestContext): Promise<void> {
  const styles = [...(await readStyles(ctx.storage, bucketOf(ctx))).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  sendXml(ctx, 'StyleList', { Style: styles.map(([name, style]) => styleXml(name, style)) })
}

async function deleteStyleHandler(ctx: RequestContext): Promise<void> {
  const name = styleNameOf(ctx)
  await ctx.storage.updateBucketJson<StyleFile>(bucketOf(ctx), STYLES_FILE, (current) => {
    const styles = toMap(current)
    // Nothing to delete: throwing aborts the write and is the answer (404 NoSuchStyle).
    if (!styles.delete(name)) throw noSuchStyle(name)
    return Object.fromEntries(styles)
  })
  sendEmpty(ctx, 204)
}

const hasStyleName = (r: { query: { has(name: string): boolean } }) => r.query.has('styleName')

export const styleRoutes: Route[] = [
  { name: 'PutStyle', method: 'PUT', scope: 'bucket', subresource: 'style', access: 'owner', handler: putStyleHandler },
  { name: 'GetStyle', method: 'GET', scope: 'bucket', subresource: 'style', when: hasStyleName, access: 'owner', handler: getStyleHandler },
  { name: 'ListStyle', method: 'GET', scope: 'bucket', subresource: 'style', access: 'owner', handler: listStyleHandler },
  { name: 'DeleteStyle', method: 'DELETE', scope: 'bucket', subresource: 'style', access: 'owner', handler: deleteStyleHandler }
]
