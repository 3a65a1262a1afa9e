/**
 * The style library: named styles in the data dir, each a versioned JSON document
 * (src-shared/model/style.ts) with its history inside, written atomically.
 *
 *   const library = createStyleLibrary({ dataDir })
 *   await library.save({ name: 'thumb', process: 'image/resize,w_100' })   // → { document, change }
 *   await library.history('thumb')                                         // [{ version, process, savedAt }]
 *   await library.revert('thumb', 1)
 *   const json = await library.exportStyles(['thumb'])
 *   await otherLibrary.importStyles(json, { onConflict: 'rename' })
 *
 * Decisions (see files.ts for the layout):
 * - **History inside the document**: `history` holds up to MAX_STYLE_VERSIONS versions (the last
 *   is the current one), so a style and its history change in one atomic write. A save that
 *   changes neither process nor description creates no version; sample keys are not versioned.
 * - **Delete moves to a trash** (`styles/.trash/`), history included; `restore(name)` brings back
 *   the latest deletion of that name. The trash keeps the newest `maxTrash` entries (default 100).
 * - **Per-name serialization**: every write to a name runs in that name's queue (locks.ts), so
 *   concurrent saves each become a version; none is lost. One process per data dir.
 * - **Corrupted files** fail for that style only: get/save/history throw StyleUnreadable naming
 *   the file and the problem; list() reports it under `broken`; delete() still moves it to the trash.
 * - **Migrations** run on read; a migrated document is written back at once (under its lock), so
 *   its new id and timestamps are stable.
 * - **OSS rules first**: names and processes are checked before anything is read or written, with
 *   OSS's ImgError (EC 0017-00000250/251; the parser's EC and span for a process).
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename as renameFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../../util/atomic-write'
import { isFileError } from '../../util/file-errors'
import {
  MAX_SAMPLE_KEYS,
  MAX_SAMPLE_KEY_LENGTH,
  MAX_STYLE_DESCRIPTION,
  MAX_STYLE_VERSIONS,
  STYLE_SCHEMA_VERSION,
  StyleFormatError,
  assertStyleName,
  canonicalStyleProcess,
  createStyleExport,
  currentStyleVersion,
  migrateStyleDocument,
  parseStyleExportJson,
  sameStyleProcess,
  serializeStyleExport,
  styleDocumentVersion,
  type ExportedStyle,
  type StyleDocument,
  type StyleVersion
} from '../../../src-shared/model/style'
import { StyleLibraryError } from './errors'
import { styleFileStem, styleNameFromStem, stylePaths } from './files'
import { withLocks } from './locks'

export interface StyleLibraryOptions {
  /** The app's data dir; styles go to `<dataDir>/styles`. */
  readonly dataDir: string
  /** Versions kept per style (current included); default and maximum MAX_STYLE_VERSIONS (50). */
  readonly maxVersions?: number
  /** Deleted styles kept in the trash; default 100. */
  readonly maxTrash?: number
  /** Clock, for tests. */
  readonly now?: () => Date
  /** Id generator, for tests. */
  readonly newId?: () => string
}

export interface SaveStyleInput {
  readonly name: string
  /** An `image/...` chain; stored in canonical form. */
  readonly process: string
  /** Omitted: keep the current one; `null` or `''`: remove it. */
  readonly description?: string | null | undefined
  /** Omitted: keep the current ones; `null` or `[]`: remove them. */
  readonly sampleKeys?: readonly string[] | null | undefined
}

export interface SaveResult {
  readonly document: StyleDocument
  /** `unchanged`: the save equalled the current document; nothing was written. */
  readonly change: 'created' | 'updated' | 'unchanged'
}

export interface BrokenStyle {
  readonly name: string
  readonly file: string
  readonly error: StyleLibraryError
}

export interface StyleListing {
  /** Readable styles, sorted by name. */
  readonly styles: StyleDocument[]
  /** Styles whose file cannot be used, sorted by name (they can still be deleted). */
  readonly broken: BrokenStyle[]
}

export interface TrashEntry {
  readonly name: string
  /** ISO 8601. */
  readonly deletedAt: string
}

export type ImportConflict = 'skip' | 'overwrite' | 'rename'

export interface ImportReport {
  /** Every name written: new styles, overwritten ones and rename targets. */
  readonly imported: string[]
  /** Existing styles that got the imported content as a new version (`overwrite`). */
  readonly overwritten: string[]
  /** Imported under a new name because the name was taken (`rename`). */
  readonly renamed: { from: string; to: string }[]
  /** Name taken, not imported (`skip`). */
  readonly skipped: string[]
  /** The library already had exactly this content under this name (any option); nothing written. */
  readonly unchanged: string[]
  /** Could not be imported (e.g. `overwrite` of an unreadable local style, a disk error). */
  readonly failed: { name: string; error: Error }[]
}

export interface StyleLibrary {
  /** `<dataDir>/styles` */
  readonly directory: string
  list(): Promise<StyleListing>
  /** Throws StyleNotFound / StyleUnreadable. */
  get(name: string): Promise<StyleDocument>
  /** Like get(), but undefined for a missing style. */
  find(name: string): Promise<StyleDocument | undefined>
  save(input: SaveStyleInput): Promise<SaveResult>
  /** Keeps id and history. Throws StyleAlreadyExists if `to` is taken. */
  rename(from: string, to: string): Promise<StyleDocument>
  /** A new style (new id, fresh history) with the same content. */
  duplicate(name: string, newName: string): Promise<StyleDocument>
  /** Moves the style to the trash (also when its file is unreadable). */
  delete(name: string): Promise<void>
  listTrash(): Promise<TrashEntry[]>
  /** Restores the latest deletion of `name`. Throws StyleNotInTrash / StyleAlreadyExists. */
  restore(name: string): Promise<StyleDocument>
  /** Versions, oldest first; the last is the current content. */
  history(name: string): Promise<StyleVersion[]>
  /** Saves an old version's process and description as a new version (no-op if equal to the current). */
  revert(name: string, version: number): Promise<StyleDocument>
  /** An export file (JSON text) of the named styles, or of every readable style. */
  exportStyles(names?: readonly string[]): Promise<string>
  /** Validates the whole file first (InvalidStyleFile, nothing written), then imports style by style. */
  importStyles(json: string, options: { onConflict: ImportConflict }): Promise<ImportReport>
}

const TRASH_SEPARATOR = '@'

interface Stored {
  readonly doc: StyleDocument
  /** The file had an older schema version. */
  readonly migrated: boolean
}

function normalizeDescription(value: string | null | undefined, current: string | undefined): string | undefined {
  if (value === undefined) return current
  if (value === null || value === '') return undefined
  if (typeof value !== 'string' || value.length > MAX_STYLE_DESCRIPTION) {
    throw new StyleLibraryError({ code: 'InvalidArgument', message: `style: expected a description of at most ${MAX_STYLE_DESCRIPTION} characters but received ${typeof value === 'string' ? `${value.length} characters` : typeof value}` })
  }
  return value
}

function normalizeSampleKeys(value: readonly string[] | null | undefined, current: readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return current === undefined ? undefined : [...current]
  if (value === null || value.length === 0) return undefined
  if (!Array.isArray(value) || value.length > MAX_SAMPLE_KEYS || value.some((k) => typeof k !== 'string' || k.length === 0 || k.length > MAX_SAMPLE_KEY_LENGTH)) {
    throw new StyleLibraryError({ code: 'InvalidArgument', message: `style: expected at most ${MAX_SAMPLE_KEYS} sample object keys of 1-${MAX_SAMPLE_KEY_LENGTH} characters` })
  }
  return [...value]
}

function sameKeys(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.length === b.length && a.every((k, i) => k === b[i])
}

function errnoCode(error: unknown): string | undefined {
  return (error as { code?: unknown })?.code as string | undefined
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export function createStyleLibrary(options: StyleLibraryOptions): StyleLibrary {
  const paths = stylePaths(options.dataDir)
  const maxVersions = Math.max(1, Math.min(options.maxVersions ?? MAX_STYLE_VERSIONS, MAX_STYLE_VERSIONS))
  const maxTrash = Math.max(1, options.maxTrash ?? 100)
  const now = options.now ?? (() => new Date())
  const newId = options.newId ?? randomUUID

  const lock = <T>(names: readonly string[], fn: () => Promise<T>) => withLocks(names.map((n) => paths.file(n)), fn)

  function notFound(name: string): StyleLibraryError {
    return new StyleLibraryError({ code: 'StyleNotFound', styleName: name, message: `style: no style named "${name}" in the library` })
  }

  function unreadable(name: string, file: string, reason: string, cause?: unknown): StyleLibraryError {
    return new StyleLibraryError({ code: 'StyleUnreadable', styleName: name, file, cause, message: `style "${name}" cannot be read (${file}): ${reason}` })
  }

  /** Reads and migrates one document; undefined when there is no file. No lock needed (writes are atomic). */
  async function readStored(name: string): Promise<Stored | undefined> {
    const file = paths.file(name)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined
      throw unreadable(name, file, message(error), error)
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw unreadable(name, file, `not valid JSON (${message(error)})`, error)
    }
    try {
      const migrated = styleDocumentVersion(raw) !== STYLE_SCHEMA_VERSION
      const doc = migrateStyleDocument(raw, { newId, now })
      if (doc.name !== name) throw unreadable(name, file, `the document is named ${JSON.stringify(doc.name)}`)
      return { doc, migrated }
    } catch (error) {
      if (error instanceof StyleFormatError) throw unreadable(name, file, error.message, error)
      throw error
    }
  }

  async function write(doc: StyleDocument): Promise<void> {
    const file = paths.file(doc.name)
    try {
      await mkdir(paths.root, { recursive: true })
      await writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`)
    } catch (error) {
      throw new StyleLibraryError({ code: 'StyleWriteFailed', styleName: doc.name, file, cause: error, message: `style "${doc.name}" could not be written${isFileError(error) ? '' : ` (${file})`}: ${message(error)}; the previous version is unchanged` })
    }
  }

  /** Reads a document, persisting a migration. Caller holds the name's lock. */
  async function load(name: string): Promise<StyleDocument | undefined> {
    const stored = await readStored(name)
    if (stored?.migrated) await write(stored.doc)
    return stored?.doc
  }

  async function exists(name: string): Promise<boolean> {
    try {
      await stat(paths.file(name))
      return true
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false
      throw error
    }
  }

  /** Applies a save to `current` (caller holds the lock and has validated name and process). */
  async function saveLocked(name: string, process: string, input: Omit<SaveStyleInput, 'name' | 'process'>, current: StyleDocument | undefined): Promise<SaveResult> {
    const description = normalizeDescription(input.description, current?.description)
    const sampleKeys = normalizeSampleKeys(input.sampleKeys, current?.sampleKeys)
    const at = now().toISOString()
    const desc = description === undefined ? {} : { description }
    const keys = sampleKeys === undefined ? {} : { sampleKeys }
    if (!current) {
      const document: StyleDocument = { schemaVersion: 1, id: newId(), name, process, ...desc, ...keys, createdAt: at, updatedAt: at, history: [{ version: 1, process, ...desc, savedAt: at }] }
      await write(document)
      return { document, change: 'created' }
    }
    const contentChanged = process !== current.process || description !== current.description
    if (!contentChanged && sameKeys(sampleKeys, current.sampleKeys)) return { document: current, change: 'unchanged' }
    const history = contentChanged ? [...current.history, { version: currentStyleVersion(current) + 1, process, ...desc, savedAt: at }].slice(-maxVersions) : current.history
    const document: StyleDocument = { schemaVersion: 1, id: current.id, name, process, ...desc, ...keys, createdAt: current.createdAt, updatedAt: at, history }
    await write(document)
    return { document, change: 'updated' }
  }

  async function trashEntries(): Promise<{ name: string; file: string; deletedMs: number }[]> {
    let files: string[]
    try {
      files = await readdir(paths.trash)
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return []
      throw error
    }
    const entries: { name: string; file: string; deletedMs: number; n: number }[] = []
    for (const file of files) {
      const match = /^(.+)@(\d+)(?:-(\d+))?\.json$/.exec(file)
      const name = match ? styleNameFromStem(match[1]!) : undefined
      if (match && name !== undefined) entries.push({ name, file: join(paths.trash, file), deletedMs: Number(match[2]), n: Number(match[3] ?? 0) })
    }
    // Newest first; within one millisecond the higher counter is newer.
    return entries.sort((a, b) => b.deletedMs - a.deletedMs || b.n - a.n)
  }

  const library: StyleLibrary = {
    directory: paths.root,

    async list() {
      let files: string[]
      try {
        files = await readdir(paths.root)
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') return { styles: [], broken: [] }
        throw error
      }
      const names = files
        .filter((f) => f.endsWith('.json'))
        .map((f) => styleNameFromStem(f.slice(0, -'.json'.length)))
        .filter((n): n is string => n !== undefined)
      const styles: StyleDocument[] = []
      const broken: BrokenStyle[] = []
      await Promise.all(
        names.map(async (name) => {
          try {
            let stored = await readStored(name)
            if (stored?.migrated) stored = { doc: (await lock([name], () => load(name))) ?? stored.doc, migrated: false }
            if (stored) styles.push(stored.doc)
          } catch (error) {
            if (error instanceof StyleLibraryError && error.code === 'StyleUnreadable') broken.push({ name, file: paths.file(name), error })
            else throw error
          }
        })
      )
      const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
      return { styles: styles.sort(byName), broken: broken.sort(byName) }
    },

    async find(name) {
      assertStyleName(name)
      return lock([name], () => load(name))
    },

    async get(name) {
      const doc = await library.find(name)
      if (!doc) throw notFound(name)
      return doc
    },

    async save(input) {
      assertStyleName(input.name)
      const process = canonicalStyleProcess(input.process)
      return lock([input.name], async () => saveLocked(input.name, process, input, await load(input.name)))
    },

    async rename(from, to) {
      assertStyleName(from)
      assertStyleName(to)
      return lock([from, to], async () => {
        const current = await load(from)
        if (!current) throw notFound(from)
        if (from === to) return current
        if (await exists(to)) throw new StyleLibraryError({ code: 'StyleAlreadyExists', styleName: to, message: `style: cannot rename "${from}" to "${to}": a style named "${to}" already exists` })
        const document: StyleDocument = { ...current, name: to, updatedAt: now().toISOString() }
        // New file first, then remove the old one: a crash in between leaves two copies, never none.
        await write(document)
        await rm(paths.file(from), { force: true })
        return document
      })
    },

    async duplicate(name, newName) {
      assertStyleName(name)
      assertStyleName(newName)
      return lock([name, newName], async () => {
        const source = await load(name)
        if (!source) throw notFound(name)
        if (await exists(newName)) throw new StyleLibraryError({ code: 'StyleAlreadyExists', styleName: newName, message: `style: cannot duplicate "${name}" as "${newName}": a style named "${newName}" already exists` })
        const result = await saveLocked(newName, source.process, { description: source.description ?? null, sampleKeys: source.sampleKeys ?? null }, undefined)
        return result.document
      })
    },

    async delete(name) {
      assertStyleName(name)
      await lock([name], async () => {
        const file = paths.file(name)
        if (!(await exists(name))) throw notFound(name)
        await mkdir(paths.trash, { recursive: true })
        const stamp = now().getTime()
        let target = join(paths.trash, `${styleFileStem(name)}${TRASH_SEPARATOR}${stamp}.json`)
        for (let n = 1; await pathExists(target); n++) target = join(paths.trash, `${styleFileStem(name)}${TRASH_SEPARATOR}${stamp}-${n}.json`)
        // The raw file moves as is (even an unreadable one): nothing is lost.
        await renameFile(file, target)
      })
      const entries = await trashEntries()
      for (const old of entries.slice(maxTrash)) await rm(old.file, { force: true })
    },

    async listTrash() {
      return (await trashEntries()).map((e) => ({ name: e.name, deletedAt: new Date(e.deletedMs).toISOString() }))
    },

    async restore(name) {
      assertStyleName(name)
      return lock([name], async () => {
        const entry = (await trashEntries()).find((e) => e.name === name)
        if (!entry) throw new StyleLibraryError({ code: 'StyleNotInTrash', styleName: name, message: `style: no deleted style named "${name}" in the trash` })
        if (await exists(name)) throw new StyleLibraryError({ code: 'StyleAlreadyExists', styleName: name, message: `style: cannot restore "${name}": a style with that name exists; rename it first` })
        await mkdir(paths.root, { recursive: true })
        await renameFile(entry.file, paths.file(name))
        const doc = await load(name)
        if (!doc) throw notFound(name)
        return doc
      })
    },

    async history(name) {
      const doc = await library.get(name)
      return doc.history.map((v) => ({ ...v }))
    },

    async revert(name, version) {
      assertStyleName(name)
      return lock([name], async () => {
        const current = await load(name)
        if (!current) throw notFound(name)
        const entry = current.history.find((v) => v.version === version)
        if (!entry) {
          const kept = current.history.map((v) => v.version)
          throw new StyleLibraryError({ code: 'StyleVersionNotFound', styleName: name, message: `style "${name}": expected a version in the history (${kept[0]}-${kept[kept.length - 1]}) but received ${version}` })
        }
        const result = await saveLocked(name, entry.process, { description: entry.description ?? null }, current)
        return result.document
      })
    },

    async exportStyles(names) {
      let docs: StyleDocument[]
      if (names === undefined) docs = (await library.list()).styles
      else {
        docs = []
        for (const name of new Set(names)) docs.push(await library.get(name))
      }
      return serializeStyleExport(createStyleExport(docs, now()))
    },

    async importStyles(json, { onConflict }) {
      if (onConflict !== 'skip' && onConflict !== 'overwrite' && onConflict !== 'rename') {
        throw new StyleLibraryError({ code: 'InvalidArgument', message: `import: expected onConflict to be one of skip, overwrite, rename but received ${JSON.stringify(onConflict)}` })
      }
      let styles: ExportedStyle[]
      try {
        styles = parseStyleExportJson(json).styles
      } catch (error) {
        if (error instanceof StyleFormatError) throw new StyleLibraryError({ code: 'InvalidStyleFile', message: `import: ${error.message}; nothing was imported`, issues: error.issues, cause: error })
        throw error
      }
      const inFile = new Set(styles.map((s) => s.name))
      const report: ImportReport = { imported: [], overwritten: [], renamed: [], skipped: [], unchanged: [], failed: [] }
      for (const style of styles) {
        const input = { description: style.description ?? null, ...(style.sampleKeys ? { sampleKeys: style.sampleKeys } : {}) }
        try {
          const outcome = await lock([style.name], async () => {
            let current: StyleDocument | undefined
            let currentError: unknown
            try {
              current = await load(style.name)
            } catch (error) {
              if (!(error instanceof StyleLibraryError && error.code === 'StyleUnreadable')) throw error
              currentError = error
            }
            if (!current && currentError === undefined) {
              await saveLocked(style.name, style.process, input, undefined)
              return 'created' as const
            }
            if (current && sameStyleProcess(current.process, style.process) && (style.description || undefined) === current.description) return 'unchanged' as const
            if (onConflict === 'skip') return 'skipped' as const
            if (onConflict === 'overwrite') {
              if (!current) throw currentError
              await saveLocked(style.name, style.process, input, current)
              return 'overwritten' as const
            }
            return 'rename' as const
          })
          if (outcome === 'created') report.imported.push(style.name)
          else if (outcome === 'unchanged') report.unchanged.push(style.name)
          else if (outcome === 'skipped') report.skipped.push(style.name)
          else if (outcome === 'overwritten') {
            report.imported.push(style.name)
            report.overwritten.push(style.name)
          } else {
            const to = await createUnderFreeName(style.name, style.process, input, inFile)
            report.imported.push(to)
            report.renamed.push({ from: style.name, to })
          }
        } catch (error) {
          report.failed.push({ name: style.name, error: error instanceof Error ? error : new Error(String(error)) })
        }
      }
      return report
    }
  }

  /** `name-2`, `name-3`, … (shortened to fit 63 characters), avoiding the library and the import file. */
  async function createUnderFreeName(name: string, process: string, input: Omit<SaveStyleInput, 'name' | 'process'>, reserved: ReadonlySet<string>): Promise<string> {
    for (let n = 2; n < 10_000; n++) {
      const suffix = `-${n}`
      const candidate = `${name.slice(0, 63 - suffix.length)}${suffix}`
      if (reserved.has(candidate)) continue
      const created = await lock([candidate], async () => {
        if (await exists(candidate)) return false
        await saveLocked(candidate, process, input, undefined)
        return true
      })
      if (created) return candidate
    }
    throw new StyleLibraryError({ code: 'StyleAlreadyExists', styleName: name, message: `import: no free name for "${name}"` })
  }

  return library
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false
    throw error
  }
}
