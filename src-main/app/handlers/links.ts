/**
 * `links:build` — the link matrix for keys × styles/process strings on a profile's bucket, signed
 * here when asked (secrets stay in main); a named style's width (for srcset) comes from the
 * bucket's style, else the style library's. `links:check` — a ranged GET of each URL at bounded
 * concurrency, reported one by one as `links:checked`; cancelling the request stops it. Only URLs
 * this session's `links:build` made are fetched: main is no proxy for whatever the renderer sends.
 */
import type { Handlers } from '../../ipc/router'
import { assertStyleName, buildLinks, checkLinks, processColumn, styleColumn } from '../../services/links'
import { isOssError, type OssService } from '../../services/oss'
import type { AppContext } from '../context'
import { AppError } from '../errors'

async function styleContent(ctx: AppContext, service: OssService, name: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await service.getStyle(name, { signal })).content
  } catch (error) {
    if (!isOssError(error) || error.status !== 404) throw error
  }
  return (await ctx.library.find(name).catch(() => undefined))?.process
}

const clip = (value: string, max: number) => (value.length > max ? value.slice(0, max) : value)

/** URLs `links:check` may fetch: only ones `links:build` made (main never fetches what the renderer typed). */
const BUILT_MAX = 200_000

export function linkHandlers(ctx: AppContext): Pick<Handlers, 'links:build' | 'links:check'> {
  const built = new Set<string>()
  const remember = (urls: readonly string[]) => {
    for (const url of urls) {
      built.delete(url)
      built.add(url)
    }
    // Oldest first out (a Set iterates in insertion order).
    for (const url of built) {
      if (built.size <= BUILT_MAX) break
      built.delete(url)
    }
  }
  return {
    'links:build': async (request, { signal }) => {
      const { service } = await ctx.oss.get(request.profileId, request.bucket)
      const columns = await Promise.all(
        request.columns.map(async (c) => ('style' in c ? (assertStyleName(c.style), styleColumn(c.style, await styleContent(ctx, service, c.style, signal))) : processColumn(c.process, c.label)))
      )
      const matrix = await buildLinks(service, {
        keys: request.keys,
        columns,
        form: request.form,
        ...(request.delimiter !== undefined ? { delimiter: request.delimiter } : {}),
        ...(request.sign !== undefined ? { sign: request.sign } : {}),
        ...(request.domain !== undefined && request.domain !== '' ? { domain: request.domain } : {}),
        signal
      })
      remember(matrix.cells.map((c) => c.url))
      return {
        columns: matrix.columns.map((c) => ({ label: c.label, process: c.process, ...(c.width !== undefined ? { width: c.width } : {}) })),
        cells: matrix.cells.map((c) => ({ key: c.key, style: c.style, form: c.form, url: c.url, ...(c.expires !== undefined ? { expires: c.expires } : {}) }))
      }
    },

    'links:check': async (request, { signal }) => {
      const foreign = request.urls.findIndex((url) => !built.has(url))
      if (foreign >= 0) throw new AppError('InvalidPayload', `urls[${foreign}]: expected a URL made by links:build in this session but received another one`)
      const checks = await checkLinks(request.urls, {
        concurrency: request.concurrency,
        signal,
        onChecked: (index, check, done, total) => ctx.emit('links:checked', { checkId: request.checkId, index, check: view(check), done, total })
      })
      return { checks: checks.map(view) }
    }
  }
}

function view(check: { status: number; contentType: string; bytes: number; code?: string | undefined; message?: string | undefined }) {
  return {
    status: check.status,
    contentType: clip(check.contentType, 128),
    bytes: check.bytes,
    ...(check.code !== undefined ? { code: clip(check.code, 64) } : {}),
    ...(check.message !== undefined ? { message: clip(check.message, 512) } : {})
  }
}
