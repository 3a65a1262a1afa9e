/**
 * The link matrix in main (issue 13 §1): build one URL per object × style — public query form,
 * the bucket's delimiter form, signed V1/V4 (signed here, with the OSS service's signer: secrets
 * never leave main), on the bucket's endpoint or a custom domain — and check them with ranged GETs
 * (`Range: bytes=0-0`) at bounded concurrency. Formatting lives in src-shared/model/links.ts.
 * Never imports Electron.
 */
import pLimit from 'p-limit'
import { STYLE_NAME } from '../../../src-shared/img/process'
import { outputWidth as outputWidthOf, type LinkCell, type LinkCheck, type LinkColumn, type LinkForm, type LinkMatrix } from '../../../src-shared/model/links'
import type { StyleDelimiter } from '../../../src-shared/model/image-settings'
import type { OssService, SignatureVersion } from '../oss'
import { clientError } from '../oss/errors'
import { assertGetProcess } from '../oss/objects'

export interface LinkRequest {
  readonly keys: readonly string[]
  readonly columns: readonly LinkColumn[]
  readonly form: LinkForm
  /** The bucket's style delimiter, for `form: 'delimiter'` (default `!`). */
  readonly delimiter?: StyleDelimiter | undefined
  /** Signed URLs; absent = public (unsigned) URLs. */
  readonly sign?: { readonly version: SignatureVersion; readonly expiresSeconds: number } | undefined
  /** A custom domain bound to the bucket (CNAME), e.g. `https://img.example.com`. */
  readonly domain?: string | undefined
  readonly signal?: AbortSignal | undefined
}

/** 400 InvalidArgument unless `name` is a valid style name (check it before asking the bucket for the style). */
export function assertStyleName(name: string): void {
  if (!STYLE_NAME.test(name)) throw clientError({ code: 'InvalidArgument', status: 400, message: `style: expected a style name (1-63 of A-Z a-z 0-9 _ . -) but received ${JSON.stringify(name)}` })
}

/** A column for a bucket style: `style/NAME`, its width from the style's content when known. */
export function styleColumn(name: string, content?: string): LinkColumn {
  assertStyleName(name)
  return { label: name, process: `style/${name}`, width: content !== undefined ? outputWidthOf(content) : undefined }
}

/** A column for a process string (`image/…`), labelled by itself unless a label is given. */
export function processColumn(process: string, label?: string): LinkColumn {
  assertGetProcess(process, 'links')
  return { label: label ?? process, process, width: outputWidthOf(process) }
}

function styleName(column: LinkColumn): string | undefined {
  return column.process.startsWith('style/') ? column.process.slice('style/'.length) : undefined
}

/** The custom domain as a base URL (`img.example.com` → `https://img.example.com`); 400 when it is not one. */
function domainBase(domain: string | undefined): string | undefined {
  if (domain === undefined) return undefined
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(domain) ? domain : `https://${domain}`
  let url: URL | undefined
  try {
    url = new URL(withScheme)
  } catch {
    url = undefined
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw clientError({ code: 'InvalidArgument', status: 400, message: `domain: expected an http(s) URL such as https://img.example.com but received ${JSON.stringify(domain)}` })
  }
  return url.href.replace(/\/$/, '')
}

export async function buildLinks(service: OssService, request: LinkRequest): Promise<LinkMatrix> {
  if (request.keys.length === 0) throw clientError({ code: 'InvalidArgument', status: 400, message: 'keys: expected at least one object key but received none' })
  if (request.columns.length === 0) throw clientError({ code: 'InvalidArgument', status: 400, message: 'styles: expected at least one style or process string but received none' })
  const domain = domainBase(request.domain)
  const delimiter = request.delimiter ?? '!'
  if (request.form === 'delimiter') {
    const process = request.columns.find((c) => styleName(c) === undefined)
    if (process) throw clientError({ code: 'InvalidArgument', status: 400, message: `form delimiter: expected named styles only (<key>${delimiter}<style>) but received the process string ${JSON.stringify(process.process)}; use the query form for it` })
  }
  const limit = pLimit(8)
  const cells = request.keys.flatMap((key) =>
    request.columns.map((column) =>
      limit(async (): Promise<LinkCell> => {
        const style = styleName(column)
        const path = request.form === 'delimiter' ? `${key}${delimiter}${style as string}` : key
        const query = request.form === 'delimiter' ? undefined : column.process
        if (!request.sign) {
          return { key, style: column.label, form: request.form, url: service.publicUrl(path, query !== undefined ? { 'x-oss-process': query } : {}, domain) }
        }
        const signed = await service.signUrl({
          key: path,
          ...(query !== undefined ? { process: query } : {}),
          expiresSeconds: request.sign.expiresSeconds,
          version: request.sign.version,
          ...(domain !== undefined ? { customDomain: domain } : {}),
          signal: request.signal
        })
        return { key, style: column.label, form: request.form, url: signed.url, expires: signed.expiresAt }
      })
    )
  )
  return { keys: [...request.keys], columns: [...request.columns], cells: await Promise.all(cells) }
}

export interface CheckOptions {
  /** Requests in flight (default 8). */
  readonly concurrency?: number | undefined
  readonly signal?: AbortSignal | undefined
  /** Per-request timeout in ms (default 30 s). */
  readonly timeoutMs?: number | undefined
  /** After each URL, in completion order. */
  readonly onChecked?: ((index: number, check: LinkCheck, done: number, total: number) => void) | undefined
}

const MAX_ERROR_BODY = 64 * 1024

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < MAX_ERROR_BODY) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
  }
  await reader.cancel().catch(() => undefined)
  return Buffer.concat(chunks).toString('utf8')
}

/** One ranged GET: status, Content-Type, the object's (or result's) size, and OSS's Code and Message (`<Error>` body) on failure. Status -1: no answer. */
export async function checkLink(url: string, options: Pick<CheckOptions, 'signal' | 'timeoutMs'> = {}): Promise<LinkCheck> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  let res: Response
  try {
    res = await fetch(url, { method: 'GET', headers: { Range: 'bytes=0-0' }, redirect: 'manual', signal })
  } catch (error) {
    if (options.signal?.aborted) throw error
    return { status: -1, contentType: '', bytes: 0, code: timeout.aborted ? 'RequestTimeout' : 'NetworkError' }
  }
  const contentType = res.headers.get('content-type') ?? ''
  const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]
  const bytes = Number(total ?? res.headers.get('content-length') ?? 0)
  if (res.ok) {
    await res.body?.cancel().catch(() => undefined)
    return { status: res.status, contentType, bytes }
  }
  const body = await readLimited(res).catch(() => '')
  const code = /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1]
  const message = /<Message>([^<]{1,512})<\/Message>/.exec(body)?.[1]
  return { status: res.status, contentType, bytes: Number(res.headers.get('content-length') ?? body.length), ...(code ? { code } : {}), ...(message ? { message } : {}) }
}

/** Checks every URL; results in input order. */
export async function checkLinks(urls: readonly string[], options: CheckOptions = {}): Promise<LinkCheck[]> {
  const limit = pLimit(Math.max(1, Math.min(64, options.concurrency ?? 8)))
  let done = 0
  return Promise.all(
    urls.map((url, index) =>
      limit(async () => {
        options.signal?.throwIfAborted()
        const check = await checkLink(url, options)
        done += 1
        options.onChecked?.(index, check, done, urls.length)
        return check
      })
    )
  )
}
