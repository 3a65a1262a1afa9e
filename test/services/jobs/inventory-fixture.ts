/**
 * Writes an OSS bucket inventory report the way OSS lays it out and `ossutil cp -r` downloads it:
 *
 *   <root>/<prefix>/<bucket>/<id>/<timestamp>/manifest.json
 *   <root>/<prefix>/<bucket>/<id>/data/<uuid>.csv.gz        (gzip CSV, every field quoted, keys URL-encoded)
 *
 * Streams the rows (a million keys take a few MB of memory), so the scale bench uses it too.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { createGzip } from 'node:zlib'

export const INVENTORY_SCHEMA = 'Bucket, Key, Size, StorageClass, LastModifiedDate, ETag, IsMultipartUploaded, EncryptionStatus'

export interface InventoryOptions {
  readonly bucket: string
  /** How many rows; `key(i)` names row i. */
  readonly count: number
  readonly key: (i: number) => string
  readonly size?: ((i: number) => number) | undefined
  readonly rowsPerFile?: number | undefined
  readonly prefix?: string | undefined
  readonly id?: string | undefined
  readonly timestamp?: string | undefined
}

export interface WrittenInventory {
  readonly manifestPath: string
  /** The inventory id folder (its data/ is beside the timestamp folder). */
  readonly inventoryDir: string
  readonly dataFiles: readonly { readonly key: string; readonly path: string; readonly size: number; readonly md5: string }[]
  readonly manifest: Record<string, unknown>
}

const quote = (value: string) => `"${value.replaceAll('"', '""')}"`

export function inventoryRow(bucket: string, key: string, size: number): string {
  return [bucket, encodeURIComponent(key), String(size), 'Standard', '2026-12-01T00:00:00.000Z', `"${createHash('md5').update(key).digest('hex').toUpperCase()}"`, 'false', 'false'].map(quote).join(',') + '\n'
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex').toUpperCase()
}

export async function writeInventory(root: string, options: InventoryOptions): Promise<WrittenInventory> {
  const prefix = options.prefix ?? 'inventory'
  const id = options.id ?? 'daily'
  const timestamp = options.timestamp ?? '2026-12-01T00-00Z'
  const base = `${prefix}/${options.bucket}/${id}`
  const inventoryDir = join(root, ...base.split('/'))
  mkdirSync(join(inventoryDir, 'data'), { recursive: true })
  mkdirSync(join(inventoryDir, timestamp), { recursive: true })
  const perFile = options.rowsPerFile ?? 250_000
  const dataFiles: { key: string; path: string; size: number; md5: string }[] = []
  for (let start = 0, n = 0; start < options.count || (options.count === 0 && n === 0); start += perFile, n++) {
    const key = `${base}/data/${randomUUID()}${n === 0 ? '' : `-${n}`}.csv.gz`
    const path = join(root, ...key.split('/'))
    const gzip = createGzip()
    const file = createWriteStream(path)
    gzip.pipe(file)
    const end = Math.min(options.count, start + perFile)
    let chunk = ''
    for (let i = start; i < end; i++) {
      chunk += inventoryRow(options.bucket, options.key(i), options.size?.(i) ?? 1024)
      if (chunk.length > 1 << 20) {
        if (!gzip.write(chunk)) await once(gzip, 'drain')
        chunk = ''
      }
    }
    gzip.end(chunk)
    await once(file, 'close')
    dataFiles.push({ key, path, size: file.bytesWritten, md5: await md5Of(path) })
    if (options.count === 0) break
  }
  const manifest = {
    creationTimestamp: '1796083200',
    destinationBucket: 'inventory-dest',
    fileFormat: 'CSV',
    fileSchema: INVENTORY_SCHEMA,
    files: dataFiles.map((f) => ({ MD5checksum: f.md5, key: f.key, size: f.size })),
    sourceBucket: options.bucket,
    version: '2019-09-01'
  }
  const manifestPath = join(inventoryDir, timestamp, 'manifest.json')
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2))
  return { manifestPath, inventoryDir, dataFiles, manifest }
}
