/**
 * Style documents: what the style library stores for one named style, how older documents are
 * migrated to the current schema, and the export/import file format. Pure TypeScript (main and
 * renderer alike): no Node, DOM or Electron.
 *
 *   const doc = migrateStyleDocument(JSON.parse(text))       // any schema version → current, validated
 *   const file = parseStyleExportJson(text)                   // an export file, every style checked
 *
 * A document carries its own version history (`history`, oldest first, the last entry being the
 * current version), so one atomic file write updates a style and its history together.
 *
 * OSS rules (spec oss-img.md §7) live in style-rules.ts (re-exported here), as ImgError with OSS's EC and message:
 * `assertStyleName` (1–63 of [A-Za-z0-9_.-]; 0017-00000250 length, 0017-00000251 charset) and
 * `canonicalStyleProcess` (an `image/...` chain, no `sys/saveas`, in `serializeProcess` form).
 */
import { z } from 'zod'
import { ImgError, quote } from '../img/errors'
import { STYLE_NAME } from '../img/process'
import { canonicalStyleProcess, styleNameError, tryCanonicalStyleProcess } from './style-rules'

/** The current document schema. Bump it and add a step to MIGRATIONS when the shape changes. */
export const STYLE_SCHEMA_VERSION = 1
/** Versions kept per style, the current one included; older ones are dropped (oldest first). */
export const MAX_STYLE_VERSIONS = 50
export const MAX_STYLE_DESCRIPTION = 1024
export const MAX_SAMPLE_KEYS = 100
/** OSS object keys: 1–1023 bytes (checked here in UTF-16 units; the OSS service checks bytes). */
export const MAX_SAMPLE_KEY_LENGTH = 1023

export const STYLE_EXPORT_FORMAT = 'oss-img-studio/styles'
export const STYLE_EXPORT_VERSION = 1
/** Styles per export file: far above OSS's 50 per bucket, low enough to bound a hostile file. */
export const MAX_EXPORT_STYLES = 10_000

export { assertStyleName, canonicalStyleProcess, sameStyleProcess, styleNameError, tryCanonicalStyleProcess } from './style-rules'

// ---------------------------------------------------------------------------------------------
// Documents (schema version 1)

const isoDateTime = z.iso.datetime({ offset: true })
const styleName = z.string().regex(STYLE_NAME, 'expected 1-63 of A-Z a-z 0-9 _ . -')
/**
 * Stored content is checked for shape only (a string starting with `image/`), not re-parsed: a
 * later, stricter parser must not turn a saved style into an unreadable file. Every write path
 * (save, import, pull) stores the canonical form of a valid chain.
 */
const storedProcess = z.string().max(65_536).startsWith('image/', 'expected a process string starting with "image/"')
const description = z.string().max(MAX_STYLE_DESCRIPTION)
const sampleKeys = z.array(z.string().min(1).max(MAX_SAMPLE_KEY_LENGTH)).max(MAX_SAMPLE_KEYS)

export const StyleVersionSchema = z.strictObject({
  version: z.number().int().min(1),
  process: storedProcess,
  description: description.optional(),
  savedAt: isoDateTime
})
export type StyleVersion = z.infer<typeof StyleVersionSchema>

export const StyleDocumentSchema = z
  .strictObject({
    schemaVersion: z.literal(STYLE_SCHEMA_VERSION),
    /** Stable identity across renames (a UUID for documents made here). */
    id: z.string().min(1).max(64),
    name: styleName,
    /** The current content, canonical (`serializeProcess`). */
    process: storedProcess,
    description: description.optional(),
    /** Objects the designer previews this style on. Not versioned. */
    sampleKeys: sampleKeys.optional(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    /** Saved versions, oldest first, at most MAX_STYLE_VERSIONS; the last one is the current content. */
    history: z.array(StyleVersionSchema).min(1).max(MAX_STYLE_VERSIONS)
  })
  .superRefine((doc, ctx) => {
    for (let i = 1; i < doc.history.length; i++) {
      if (doc.history[i]!.version <= doc.history[i - 1]!.version) {
        ctx.addIssue({ code: 'custom', path: ['history', i, 'version'], message: 'expected versions in increasing order' })
      }
    }
    const current = doc.history[doc.history.length - 1]
    if (current && (current.process !== doc.process || current.description !== doc.description)) {
      ctx.addIssue({ code: 'custom', path: ['history', doc.history.length - 1], message: 'expected the last version to equal the current process and description' })
    }
  })
export type StyleDocument = z.infer<typeof StyleDocumentSchema>

/** The current version number of a document. */
export function currentStyleVersion(doc: StyleDocument): number {
  return doc.history[doc.history.length - 1]!.version
}

// ---------------------------------------------------------------------------------------------
// Errors

export interface StyleFormatIssue {
  /** Where in the input, e.g. `styles[2].process` ('' for the whole input). */
  readonly path: string
  readonly message: string
}

/** A style document or export file that cannot be used: what is wrong, and where. */
export class StyleFormatError extends Error {
  override readonly name = 'StyleFormatError'
  /** `InvalidStyleDocument` (a stored document) or `InvalidStyleFile` (an import file). */
  readonly code: 'InvalidStyleDocument' | 'InvalidStyleFile'
  readonly status = 400
  readonly issues: readonly StyleFormatIssue[]

  constructor(code: 'InvalidStyleDocument' | 'InvalidStyleFile', summary: string, issues: readonly StyleFormatIssue[]) {
    const shown = issues.slice(0, 10).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    const more = issues.length > 10 ? `; and ${issues.length - 10} more` : ''
    super(shown.length ? `${summary}: ${shown.join('; ')}${more}` : summary)
    this.code = code
    this.issues = issues
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`
  return out
}

function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): StyleFormatIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }))
}

// ---------------------------------------------------------------------------------------------
// Migrations

export interface MigrationContext {
  /** A new document id (default: crypto.randomUUID where available). */
  readonly newId?: () => string
  /** The time used for fields a migration has to invent. */
  readonly now?: () => Date
}

type Migration = (doc: Readonly<Record<string, unknown>>, ctx: Required<MigrationContext>) => Record<string, unknown>

/**
 * Version 0: the unversioned shape `{ name, content }` (optionally `description` and OSS's
 * `createTime` / `lastModifyTime`), as a ListStyle/GetStyle result would be saved.
 */
const StyleDocumentV0Schema = z.looseObject({
  name: styleName,
  content: storedProcess,
  description: description.optional(),
  createTime: z.string().optional(),
  lastModifyTime: z.string().optional()
})

function isoOr(value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback
  const time = new Date(value)
  return Number.isNaN(time.getTime()) ? fallback : time.toISOString()
}

const v0ToV1: Migration = (input, ctx) => {
  const parsed = StyleDocumentV0Schema.safeParse(input)
  if (!parsed.success) throw new StyleFormatError('InvalidStyleDocument', 'expected a style document (schema version 0: name, content)', zodIssues(parsed.error))
  const v0 = parsed.data
  const now = ctx.now().toISOString()
  const createdAt = isoOr(v0.createTime, now)
  const updatedAt = isoOr(v0.lastModifyTime, createdAt)
  // Canonical when it parses; otherwise kept as written rather than lost.
  const process = tryCanonicalStyleProcess(v0.content) ?? v0.content
  const desc = v0.description === undefined || v0.description === '' ? {} : { description: v0.description }
  return {
    schemaVersion: 1,
    id: ctx.newId(),
    name: v0.name,
    process,
    ...desc,
    createdAt,
    updatedAt,
    history: [{ version: 1, process, ...desc, savedAt: updatedAt }]
  }
}

/** MIGRATIONS[n] turns a version-n document into a version-(n+1) one. */
const MIGRATIONS: readonly Migration[] = [v0ToV1]

function defaultNewId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto
  if (crypto?.randomUUID) return crypto.randomUUID()
  return `style-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

/**
 * The schema version of a stored document: its `schemaVersion`, or 0 when it has none.
 * Throws StyleFormatError for a non-object or a `schemaVersion` that is not a whole number ≥ 1.
 */
export function styleDocumentVersion(input: unknown): number {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new StyleFormatError('InvalidStyleDocument', `expected a style document (a JSON object) but received ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`, [])
  }
  if (!Object.hasOwn(input, 'schemaVersion')) return 0
  const version = (input as { schemaVersion?: unknown }).schemaVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StyleFormatError('InvalidStyleDocument', `expected schemaVersion to be a whole number from 1 but received ${JSON.stringify(version)}`, [])
  }
  return version
}

/**
 * Brings a stored document of any known schema version to the current one and validates it.
 * Throws StyleFormatError (code `InvalidStyleDocument`) naming the problem, including for a
 * document written by a newer version of the app.
 */
export function migrateStyleDocument(input: unknown, context: MigrationContext = {}): StyleDocument {
  const ctx: Required<MigrationContext> = { newId: context.newId ?? defaultNewId, now: context.now ?? (() => new Date()) }
  let version = styleDocumentVersion(input)
  if (version > STYLE_SCHEMA_VERSION) {
    throw new StyleFormatError('InvalidStyleDocument', `expected a style document of schema version ${STYLE_SCHEMA_VERSION} or older but received version ${version} (written by a newer OSS IMG Studio)`, [])
  }
  let doc = input as Readonly<Record<string, unknown>>
  while (version < STYLE_SCHEMA_VERSION) {
    doc = MIGRATIONS[version]!(doc, ctx)
    version += 1
  }
  const parsed = StyleDocumentSchema.safeParse(doc)
  if (!parsed.success) throw new StyleFormatError('InvalidStyleDocument', `expected a valid style document (schema version ${STYLE_SCHEMA_VERSION})`, zodIssues(parsed.error))
  return parsed.data
}

// ---------------------------------------------------------------------------------------------
// Export / import files

export const ExportedStyleSchema = z.strictObject({
  name: z.string().max(256),
  process: z.string().max(65_536),
  description: description.optional(),
  sampleKeys: sampleKeys.optional()
})
export type ExportedStyle = z.infer<typeof ExportedStyleSchema>

export const StyleExportFileSchema = z.strictObject({
  format: z.literal(STYLE_EXPORT_FORMAT),
  version: z.literal(STYLE_EXPORT_VERSION),
  exportedAt: isoDateTime.optional(),
  styles: z.array(ExportedStyleSchema).max(MAX_EXPORT_STYLES)
})
export type StyleExportFile = z.infer<typeof StyleExportFileSchema>

/** An export file holding the given documents (without ids or history). */
export function createStyleExport(docs: readonly StyleDocument[], exportedAt: Date = new Date()): StyleExportFile {
  return {
    format: STYLE_EXPORT_FORMAT,
    version: STYLE_EXPORT_VERSION,
    exportedAt: exportedAt.toISOString(),
    styles: docs.map((doc) => ({
      name: doc.name,
      process: doc.process,
      ...(doc.description !== undefined ? { description: doc.description } : {}),
      ...(doc.sampleKeys !== undefined ? { sampleKeys: [...doc.sampleKeys] } : {})
    }))
  }
}

export function serializeStyleExport(file: StyleExportFile): string {
  return `${JSON.stringify(file, null, 2)}\n`
}

/**
 * Validates an export file completely — structure, every name against OSS's rules, every process
 * with the parser, no name twice — and returns it with canonical processes. Any problem throws
 * StyleFormatError (code `InvalidStyleFile`) listing all of them, so an import changes nothing
 * unless the whole file is good.
 */
export function parseStyleExport(input: unknown): StyleExportFile {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new StyleFormatError('InvalidStyleFile', `expected an OSS IMG Studio styles file (a JSON object with format "${STYLE_EXPORT_FORMAT}")`, [])
  }
  const record = input as Record<string, unknown>
  if (record.format !== STYLE_EXPORT_FORMAT) {
    throw new StyleFormatError('InvalidStyleFile', `expected format "${STYLE_EXPORT_FORMAT}" but received ${JSON.stringify(record.format ?? null)}: not an OSS IMG Studio styles file`, [])
  }
  if (typeof record.version === 'number' && record.version > STYLE_EXPORT_VERSION) {
    throw new StyleFormatError('InvalidStyleFile', `expected a styles file of version ${STYLE_EXPORT_VERSION} but received version ${record.version} (written by a newer OSS IMG Studio)`, [])
  }
  const parsed = StyleExportFileSchema.safeParse(input)
  if (!parsed.success) throw new StyleFormatError('InvalidStyleFile', 'invalid styles file', zodIssues(parsed.error))

  const issues: StyleFormatIssue[] = []
  const seen = new Map<string, number>()
  const styles = parsed.data.styles.map((style, index): ExportedStyle => {
    const nameError = styleNameError(style.name)
    if (nameError) issues.push({ path: `styles[${index}].name`, message: nameError.message })
    const first = seen.get(style.name)
    if (first !== undefined) issues.push({ path: `styles[${index}].name`, message: `expected each name once but ${quote(style.name)} is also styles[${first}]` })
    else seen.set(style.name, index)
    let process = style.process
    try {
      process = canonicalStyleProcess(style.process)
    } catch (error) {
      if (!(error instanceof ImgError)) throw error
      issues.push({ path: `styles[${index}].process`, message: error.message })
    }
    return { ...style, process }
  })
  if (issues.length) throw new StyleFormatError('InvalidStyleFile', 'invalid styles file', issues)
  return { ...parsed.data, styles }
}

/** `parseStyleExport` of a JSON text; invalid JSON is a StyleFormatError too. */
export function parseStyleExportJson(text: string): StyleExportFile {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new StyleFormatError('InvalidStyleFile', `expected a JSON styles file but it is not valid JSON (${error instanceof Error ? error.message : String(error)})`, [])
  }
  return parseStyleExport(value)
}
