/**
 * OSS bucket inventory reports as a job source: the manifest (`manifest.json`: `sourceBucket`,
 * `fileFormat`, `fileSchema`, `files[]` with `key`, `size`, `MD5checksum`) and its gzip CSV data
 * files, read row by row — never the whole key list at once.
 *
 * Where the report lives:
 * - `oss://bucket/key` of the manifest: the data files are GETs of their keys in the same bucket.
 * - A local path: the layout OSS writes and `ossutil cp -r` downloads —
 *   `<prefix>/<source bucket>/<inventory id>/<timestamp>/manifest.json` beside
 *   `<prefix>/<source bucket>/<inventory id>/data/<uuid>.csv.gz` — so a data file's key is resolved
 *   relative to the `<inventory id>` folder two levels above the manifest.
 *
 * Rows: RFC 4180 fields (OSS quotes every field; doubled quotes inside), no header row (the schema
 * is `fileSchema`), the `Key` column URL-encoded. A missing data file, a size or MD5 that does not
 * match the manifest, a row with the wrong number of fields, an unterminated quote, a key that does
 * not decode: `InvalidInventory`, naming the file (and the row). The planner reads the whole report
 * before any item runs, so such an inventory stops the job before anything is written.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { JobError } from './errors'
import type { Connect } from './oss-port'
import type { SourceObject } from './sources'

/** Largest manifest / data file read through OSS (data files are read into memory one at a time). */
const MAX_OSS_MANIFEST_BYTES = 16 << 20
const MAX_OSS_DATA_FILE_BYTES = 1 << 30

export interface InventoryDataFile {
  readonly key: string
  readonly size: number
  /** Hex, as the manifest gives it (OSS writes upper case). */
  readonly md5: string
}

export interface InventoryManifest {
  readonly sourceBucket: string
  readonly destinationBucket: string | undefined
  readonly fileFormat: string
  /** Column names, in order (`fileSchema` split on commas). */
  readonly columns: readonly string[]
  readonly files: readonly InventoryDataFile[]
}

export type InventoryLocation = { readonly kind: 'local'; readonly path: string } | { readonly kind: 'oss'; readonly bucket: string; readonly key: string }

function invalid(message: string): JobError {
  return new JobError('InvalidInventory', message)
}

/** `oss://bucket/key` or a local path (made absolute). */
export function parseInventoryLocation(text: string): InventoryLocation {
  const m = /^oss:\/\/([^/]+)\/(.+)$/.exec(text)
  if (m) return { kind: 'oss', bucket: m[1]!, key: m[2]! }
  if (text.startsWith('oss://')) throw new JobError('InvalidJob', `inventory: expected oss://bucket/key of a manifest.json but received ${JSON.stringify(text)}`)
  return { kind: 'local', path: resolve(text) }
}

export function formatInventoryLocation(location: InventoryLocation): string {
  return location.kind === 'oss' ? `oss://${location.bucket}/${location.key}` : location.path
}

/** Validates a parsed manifest.json. */
export function parseInventoryManifest(text: string, where: string): InventoryManifest {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw invalid(`inventory manifest ${where}: expected JSON but it does not parse (${(error as Error).message})`)
  }
  const m = raw as Record<string, unknown> | null
  if (!m || typeof m !== 'object') throw invalid(`inventory manifest ${where}: expected a JSON object`)
  const field = (name: string) => {
    const value = m[name]
    if (typeof value !== 'string' || value === '') throw invalid(`inventory manifest ${where}: expected "${name}" to be a non-empty string but received ${JSON.stringify(value)}`)
    return value
  }
  const sourceBucket = field('sourceBucket')
  const fileFormat = field('fileFormat')
  if (fileFormat.toUpperCase() !== 'CSV') throw invalid(`inventory manifest ${where}: expected "fileFormat": "CSV" but received ${JSON.stringify(fileFormat)} (only CSV reports are read)`)
  const columns = field('fileSchema')
    .split(',')
    .map((c) => c.trim())
  if (!columns.includes('Key')) throw invalid(`inventory manifest ${where}: expected "fileSchema" to name a Key column but received ${JSON.stringify(m.fileSchema)}`)
  if (!Array.isArray(m.files)) throw invalid(`inventory manifest ${where}: expected "files" to be a list of data files`)
  const files = m.files.map((f: unknown, i: number): InventoryDataFile => {
    const file = f as Record<string, unknown> | null
    const key = file?.key
    const md5 = file?.MD5checksum
    const size = file?.size
    if (typeof key !== 'string' || key === '') throw invalid(`inventory manifest ${where}: files[${i}].key: expected the data file's key but received ${JSON.stringify(key)}`)
    if (typeof md5 !== 'string' || !/^[0-9a-fA-F]{32}$/.test(md5)) throw invalid(`inventory manifest ${where}: files[${i}].MD5checksum: expected 32 hex digits but received ${JSON.stringify(md5)}`)
    const bytes = typeof size === 'string' ? Number(size) : size
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) throw invalid(`inventory manifest ${where}: files[${i}].size: expected a byte count but received ${JSON.stringify(size)}`)
    return { key, size: bytes, md5 }
  })
  const destination = m.destinationBucket
  return { sourceBucket, destinationBucket: typeof destination === 'string' ? destination : undefined, fileFormat, columns, files }
}

export interface OpenedInventory {
  readonly location: InventoryLocation
  readonly manifest: InventoryManifest
  /** Where a data file is read from, for messages (a local path or oss://bucket/key). */
  where(file: InventoryDataFile): string
  /** The data file's compressed bytes, streamed; rejects (InvalidInventory) when it is missing. */
  open(file: InventoryDataFile, signal?: AbortSignal): Promise<Readable>
}

/**
 * A local data file: `<inventory id folder>/<the key's part after "<inventory id>/">`. The
 * inventory id folder is two levels above the manifest (`<id>/<timestamp>/manifest.json`).
 */
function localDataPath(manifestPath: string, key: string): string {
  const inventoryDir = dirname(dirname(manifestPath))
  const id = basename(inventoryDir)
  const parts = key.split('/')
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] === id) return join(inventoryDir, ...parts.slice(i + 1))
  }
  // A key that does not name the inventory id: take it relative to the id's data folder.
  const data = parts.lastIndexOf('data')
  return join(inventoryDir, ...(data >= 0 ? parts.slice(data) : ['data', parts[parts.length - 1]!]))
}

function ossMessage(error: unknown): string {
  const e = error as { status?: number; code?: string; message?: string }
  return `${e.status ?? ''} ${e.code ?? ''} ${e.message ?? String(error)}`.trim()
}

/** Reads and validates the manifest; data files are opened later, one at a time. */
export async function openInventory(locationText: string, connect: Connect | undefined, signal?: AbortSignal): Promise<OpenedInventory> {
  const location = parseInventoryLocation(locationText)
  const shown = formatInventoryLocation(location)
  if (location.kind === 'local') {
    let text: string
    try {
      text = await readFile(location.path, 'utf8')
    } catch (error) {
      throw invalid(`inventory manifest ${shown}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    const manifest = parseInventoryManifest(text, shown)
    return {
      location,
      manifest,
      where: (file) => localDataPath(location.path, file.key),
      async open(file) {
        const path = localDataPath(location.path, file.key)
        const info = await stat(path).catch(() => undefined)
        if (!info?.isFile()) throw invalid(`inventory data file ${path} (${file.key}): missing — download the whole report (ossutil cp -r) beside its manifest`)
        return createReadStream(path, { highWaterMark: 1 << 20 })
      }
    }
  }
  if (!connect) throw new JobError('InvalidJob', `inventory ${shown}: reading a report from OSS needs a connection (--profile or --endpoint)`)
  const oss = await connect(location.bucket)
  let text: string
  try {
    text = (await oss.getObject(location.key, { maxBytes: MAX_OSS_MANIFEST_BYTES, signal })).content.toString('utf8')
  } catch (error) {
    throw invalid(`inventory manifest ${shown}: cannot be read (${ossMessage(error)})`)
  }
  const manifest = parseInventoryManifest(text, shown)
  return {
    location,
    manifest,
    where: (file) => `oss://${location.bucket}/${file.key}`,
    async open(file, fileSignal) {
      try {
        const { content } = await oss.getObject(file.key, { maxBytes: MAX_OSS_DATA_FILE_BYTES, signal: fileSignal })
        return Readable.from([content])
      } catch (error) {
        throw invalid(`inventory data file oss://${location.bucket}/${file.key}: cannot be read (${ossMessage(error)})`)
      }
    }
  }
}

/**
 * One CSV record's fields; undefined when malformed (an unterminated quote, text after a closing
 * quote). OSS quotes every field, but unquoted ones are read too.
 */
export function parseCsvRecord(line: string): string[] | undefined {
  const fields: string[] = []
  let i = 0
  const n = line.length
  for (;;) {
    if (line.charCodeAt(i) === 34 /* " */) {
      let value = ''
      let start = i + 1
      for (;;) {
        const q = line.indexOf('"', start)
        if (q < 0) return undefined
        if (line.charCodeAt(q + 1) === 34) {
          value += line.slice(start, q + 1)
          start = q + 2
          continue
        }
        value += line.slice(start, q)
        i = q + 1
        break
      }
      fields.push(value)
      if (i === n) return fields
      if (line.charCodeAt(i) !== 44 /* , */) return undefined
      i++
    } else {
      const comma = line.indexOf(',', i)
      const end = comma < 0 ? n : comma
      const value = line.slice(i, end)
      if (value.includes('"')) return undefined
      fields.push(value)
      if (comma < 0) return fields
      i = comma + 1
    }
  }
}

export interface InventoryFilter {
  readonly prefix?: string | undefined
  readonly keep: (key: string) => boolean
}

export interface InventoryReadOptions {
  readonly signal?: AbortSignal | undefined
  /** Rows per yielded batch. */
  readonly batch?: number | undefined
}

/**
 * Every selected object of the report, in file order then row order, in batches. Each data file's
 * size and MD5 are checked as it is read; the batches of a file whose MD5 then fails have already
 * been yielded, so the caller must not act on any row before the whole report has been read.
 */
export async function* readInventoryObjects(inventory: OpenedInventory, filter: InventoryFilter, options: InventoryReadOptions = {}): AsyncGenerator<SourceObject[]> {
  const { manifest } = inventory
  const keyColumn = manifest.columns.indexOf('Key')
  const sizeColumn = manifest.columns.indexOf('Size')
  const bucketColumn = manifest.columns.indexOf('Bucket')
  const width = manifest.columns.length
  const batchSize = options.batch ?? 2000
  const prefix = filter.prefix ?? ''
  let batch: SourceObject[] = []
  for (const file of manifest.files) {
    options.signal?.throwIfAborted()
    const where = inventory.where(file)
    const compressed = await inventory.open(file, options.signal)
    const md5 = createHash('md5')
    let bytes = 0
    compressed.on('data', (chunk: Buffer) => {
      md5.update(chunk)
      bytes += chunk.length
    })
    const gunzip = compressed.pipe(createGunzip())
    compressed.on('error', (error) => gunzip.destroy(error))
    let rest = ''
    let row = 0
    const take = (line: string) => {
      row++
      if (line.endsWith('\r')) line = line.slice(0, -1)
      if (line === '') return
      const fields = parseCsvRecord(line)
      if (!fields) throw invalid(`inventory data file ${where} row ${row}: malformed CSV (an unterminated or stray quote): ${JSON.stringify(line.slice(0, 200))}`)
      if (fields.length !== width) throw invalid(`inventory data file ${where} row ${row}: expected ${width} fields (${manifest.columns.join(', ')}) but received ${fields.length}`)
      let key: string
      try {
        key = decodeURIComponent(fields[keyColumn]!)
      } catch {
        throw invalid(`inventory data file ${where} row ${row}: expected a URL-encoded Key but received ${JSON.stringify(fields[keyColumn]!.slice(0, 200))}`)
      }
      if (key === '') throw invalid(`inventory data file ${where} row ${row}: empty Key`)
      if (bucketColumn >= 0 && fields[bucketColumn] !== manifest.sourceBucket) {
        throw invalid(`inventory data file ${where} row ${row}: expected Bucket ${JSON.stringify(manifest.sourceBucket)} (the manifest's sourceBucket) but received ${JSON.stringify(fields[bucketColumn])}`)
      }
      let size = 0
      if (sizeColumn >= 0) {
        size = Number(fields[sizeColumn])
        if (!Number.isSafeInteger(size) || size < 0) throw invalid(`inventory data file ${where} row ${row}: expected Size to be a byte count but received ${JSON.stringify(fields[sizeColumn])}`)
      }
      if (key.startsWith(prefix) && filter.keep(key)) batch.push({ key, size })
    }
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        const text = rest + chunk.toString('utf8')
        let start = 0
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
          take(text.slice(start, nl))
          start = nl + 1
        }
        rest = text.slice(start)
        if (batch.length >= batchSize) {
          yield batch
          batch = []
        }
      }
    } catch (error) {
      compressed.destroy()
      if (error instanceof JobError) throw error
      if ((error as Error).name === 'AbortError') throw error
      throw invalid(`inventory data file ${where}: cannot be decompressed (${(error as Error).message})`)
    }
    if (rest !== '') take(rest)
    if (bytes !== file.size) throw invalid(`inventory data file ${where}: expected ${file.size} bytes (the manifest's size) but it has ${bytes}`)
    const digest = md5.digest('hex')
    if (digest.toLowerCase() !== file.md5.toLowerCase()) throw invalid(`inventory data file ${where}: MD5 ${digest.toUpperCase()} does not match the manifest's MD5checksum ${file.md5}`)
  }
  if (batch.length > 0) yield batch
}
