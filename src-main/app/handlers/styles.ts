/**
 * `styles:*` — the style library (<dataDir>/styles) and its sync with a bucket through the
 * profile's OSS service. Library and sync report per style; here a style that could not be
 * handled becomes the request's error (its own: OSS's for bucket calls, ImgError for names and
 * process strings, StyleLibraryError for the library), after the others were done and, for
 * pull/import, announced with `styles:changed`.
 */
import type { Handlers } from '../../ipc/router'
import { bucketStylesFromOss, createStyleSync, type StyleSync, type SyncResult } from '../../services/styles'
import type { StyleDocument } from '../../../src-shared/model/style'
import type { AppContext } from '../context'

export function toStyleSummary(doc: StyleDocument) {
  return {
    name: doc.name,
    process: doc.process,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    updatedAt: doc.updatedAt,
    versions: doc.history.length
  }
}

/** The first per-style failure, if any. */
function firstFailure<S extends string>(results: readonly SyncResult<S>[], ok: readonly S[]): Error | undefined {
  const failed = results.find((r) => !ok.includes(r.status))
  return failed ? (failed.error ?? new Error(`style "${failed.name}": ${failed.status}`)) : undefined
}

export function styleHandlers(
  ctx: AppContext
): Pick<
  Handlers,
  | 'styles:list'
  | 'styles:save'
  | 'styles:rename'
  | 'styles:duplicate'
  | 'styles:delete'
  | 'styles:history'
  | 'styles:revert'
  | 'styles:export'
  | 'styles:import'
  | 'styles:diff'
  | 'styles:push'
  | 'styles:pull'
  | 'styles:deleteRemote'
> {
  const { library } = ctx

  const syncFor = async (profileId: string, bucket: string | undefined, signal: AbortSignal): Promise<StyleSync> => {
    const { service } = await ctx.oss.get(profileId, bucket)
    return createStyleSync(library, bucketStylesFromOss(service, { signal }))
  }

  const changed = (names: readonly string[]) => {
    if (names.length > 0) ctx.emit('styles:changed', { names: [...new Set(names)] })
  }

  return {
    'styles:list': async () => {
      const listing = await library.list()
      if (listing.broken.length === 0) return { styles: listing.styles.map(toStyleSummary) }
      ctx.log(`styles: ${listing.broken.length} style file(s) cannot be read: ${listing.broken.map((b) => b.name).join(', ')}`)
      return { styles: listing.styles.map(toStyleSummary), broken: listing.broken.map((b) => ({ name: b.name, message: b.error.message })) }
    },

    'styles:save': async ({ name, process, description }) => {
      const { document } = await library.save({ name, process, ...(description !== undefined ? { description } : {}) })
      return toStyleSummary(document)
    },

    'styles:rename': async ({ from, to }) => toStyleSummary(await library.rename(from, to)),

    'styles:duplicate': async ({ name, as }) => toStyleSummary(await library.duplicate(name, as)),

    'styles:delete': async ({ name }) => {
      await library.delete(name)
      return {}
    },

    'styles:history': async ({ name }) => ({
      versions: (await library.history(name)).map((v) => ({ version: v.version, process: v.process, savedAt: v.savedAt }))
    }),

    'styles:revert': async ({ name, version }) => toStyleSummary(await library.revert(name, version)),

    'styles:export': async ({ names }) => ({ json: await library.exportStyles(names) }),

    'styles:import': async ({ json, onConflict }) => {
      const report = await library.importStyles(json, { onConflict })
      changed(report.imported)
      if (report.failed.length > 0) throw report.failed[0]!.error
      return {
        imported: report.imported,
        // Nothing written for these: the name was taken (skip) or the content was already there.
        skipped: [...report.skipped, ...report.unchanged],
        renamed: report.renamed
      }
    },

    'styles:diff': async ({ profileId, bucket }, { signal }) => {
      const diff = await (await syncFor(profileId, bucket, signal)).diff()
      return {
        styles: diff.map((d) => ({
          name: d.name,
          state: d.state,
          ...(d.local !== undefined ? { local: d.local } : {}),
          ...(d.bucket !== undefined ? { bucket: d.bucket } : {})
        }))
      }
    },

    'styles:push': async ({ profileId, bucket, names }, { signal }) => {
      const report = await (await syncFor(profileId, bucket, signal)).push(names)
      const failure = firstFailure(report.results, ['created', 'updated', 'unchanged'])
      if (failure) throw failure
      return { pushed: report.results.map((r) => r.name) }
    },

    'styles:pull': async ({ profileId, bucket, names }, { signal }) => {
      const report = await (await syncFor(profileId, bucket, signal)).pull(names)
      changed(report.results.filter((r) => r.status === 'created' || r.status === 'updated').map((r) => r.name))
      const failure = firstFailure(report.results, ['created', 'updated', 'unchanged'])
      if (failure) throw failure
      return { pulled: report.results.map((r) => r.name) }
    },

    'styles:deleteRemote': async ({ profileId, bucket, names }, { signal }) => {
      const report = await (await syncFor(profileId, bucket, signal)).deleteRemote(names)
      // Already gone is what was asked for.
      const failure = firstFailure(report.results, ['deleted', 'not-found'])
      if (failure) throw failure
      return {}
    }
  }
}
