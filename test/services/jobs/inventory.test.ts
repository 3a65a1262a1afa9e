/**
 * Inventory reports as a job source: the OSS layout of a download, URL-encoded keys, quoted fields,
 * filters while streaming, and — against the sandbox over HTTP with the real ali-oss client — a
 * server-side job from a report, a report read through oss://, and broken reports (missing data
 * file, MD5 mismatch, malformed row) stopping the job before any write with the file and row named.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { inventoryObjects, JobRunner, parseCsvRecord, resolveSpec, type JobInput, type SourceObject } from '../../../src-main/services/jobs'
import { FAST_RETRY, startCountingSandbox, tempDir, tinyJpeg, type CountingSandbox } from './helpers'
import { inventoryRow, writeInventory } from './inventory-fixture'

async function collect(source: Parameters<typeof inventoryObjects>[0], connect?: Parameters<typeof inventoryObjects>[1]): Promise<SourceObject[]> {
  const out: SourceObject[] = []
  for await (const batch of inventoryObjects(source, connect, undefined)) out.push(...batch)
  return out
}

const KEYS = ['photos/a b.jpg', 'photos/日本/c,d.jpg', 'photos/e"quote".png', 'docs/readme.txt', 'photos/f%g.JPG']

describe('parseCsvRecord', () => {
  it('reads quoted fields with commas and doubled quotes, and unquoted fields', () => {
    expect(parseCsvRecord('"a","b,c","d""e"""')).toEqual(['a', 'b,c', 'd"e"'])
    expect(parseCsvRecord('a,,"x"')).toEqual(['a', '', 'x'])
    expect(parseCsvRecord('"unterminated,x')).toBeUndefined()
    expect(parseCsvRecord('"a"b,c')).toBeUndefined()
  })
})

describe('a downloaded report (OSS layout)', () => {
  let root: string
  let manifestPath: string
  beforeAll(async () => {
    root = tempDir('inventory-')
    ;({ manifestPath } = await writeInventory(root, { bucket: 'src-bucket', count: KEYS.length, key: (i) => KEYS[i]!, size: (i) => 100 + i, rowsPerFile: 2 }))
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('streams every row of every data file, keys decoded, sizes kept, in report order', async () => {
    const objects = await collect({ kind: 'inventory', bucket: 'src-bucket', manifest: manifestPath, prefix: '' })
    expect(objects).toEqual(KEYS.map((key, i) => ({ key, size: 100 + i })))
  })

  it('applies --prefix, --suffix and --match as it streams', async () => {
    const objects = await collect({ kind: 'inventory', bucket: 'src-bucket', manifest: manifestPath, prefix: 'photos/', suffixes: ['.jpg'], pattern: '^photos/[^/]+$' })
    expect(objects.map((o) => o.key)).toEqual(['photos/a b.jpg', 'photos/f%g.JPG'])
  })

  it('refuses a report of another bucket', async () => {
    await expect(collect({ kind: 'inventory', bucket: 'other-bucket', manifest: manifestPath, prefix: '' })).rejects.toMatchObject({ code: 'InvalidInventory', message: expect.stringContaining('"src-bucket"') })
  })
})

describe('broken reports', () => {
  let root: string
  beforeEach(() => {
    root = tempDir('inventory-bad-')
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))
  const write = () => writeInventory(root, { bucket: 'src-bucket', count: 6, key: (i) => `k/${i}.jpg`, rowsPerFile: 3 })
  const source = (manifest: string) => ({ kind: 'inventory' as const, bucket: 'src-bucket', manifest, prefix: '' })

  it('a missing data file names the file', async () => {
    const inv = await write()
    rmSync(inv.dataFiles[1]!.path)
    await expect(collect(source(inv.manifestPath))).rejects.toMatchObject({ code: 'InvalidInventory', message: expect.stringContaining(inv.dataFiles[1]!.path) })
  })

  it('an MD5 that does not match the manifest names the file', async () => {
    const inv = await write()
    const manifest = JSON.parse(readFileSync(inv.manifestPath, 'utf8')) as { files: { MD5checksum: string }[] }
    manifest.files[0]!.MD5checksum = '0'.repeat(32)
    writeFileSync(inv.manifestPath, JSON.stringify(manifest))
    await expect(collect(source(inv.manifestPath))).rejects.toMatchObject({ code: 'InvalidInventory', message: expect.stringMatching(new RegExp(`${inv.dataFiles[0]!.path.replaceAll('.', '\\.')}: MD5 [0-9A-F]{32} does not match`)) })
  })

  it('a malformed row names the file and the row', async () => {
    const inv = await write()
    const rows = [inventoryRow('src-bucket', 'k/0.jpg', 1), '"src-bucket","k%2F1.jpg","1"\n', inventoryRow('src-bucket', 'k/2.jpg', 1)].join('')
    const data = gzipSync(rows)
    writeFileSync(inv.dataFiles[1]!.path, data)
    const manifest = JSON.parse(readFileSync(inv.manifestPath, 'utf8')) as { files: { MD5checksum: string; size: number }[] }
    manifest.files[1] = { ...manifest.files[1]!, MD5checksum: createHash('md5').update(data).digest('hex').toUpperCase(), size: data.length }
    writeFileSync(inv.manifestPath, JSON.stringify(manifest))
    await expect(collect(source(inv.manifestPath))).rejects.toMatchObject({ code: 'InvalidInventory', message: expect.stringContaining(`${inv.dataFiles[1]!.path} row 2: expected 8 fields`) })
  })
})

describe('server-side jobs from an inventory (sandbox over HTTP)', () => {
  let bed: CountingSandbox
  let root: string
  const keys = Array.from({ length: 12 }, (_, i) => `photos/${String(i).padStart(2, '0')}.jpg`)
  beforeAll(async () => {
    const jpeg = await tinyJpeg()
    root = tempDir('inventory-run-')
    const inv = await writeInventory(root, { bucket: 'src-bucket', count: keys.length, key: (i) => keys[i]!, rowsPerFile: 5 })
    const objects: Record<string, { data: Buffer }> = Object.fromEntries(keys.map((k) => [k, { data: jpeg }]))
    // The same report uploaded to the bucket OSS delivers reports to, under the same keys.
    for (const f of inv.dataFiles) objects[f.key] = { data: readFileSync(f.path) }
    objects[`inventory/src-bucket/daily/2026-12-01T00-00Z/manifest.json`] = { data: readFileSync(inv.manifestPath) }
    bed = await startCountingSandbox([{ name: 'src-bucket', objects }, 'dst-bucket'])
  })
  afterAll(async () => {
    await bed?.close()
    rmSync(root, { recursive: true, force: true })
  })

  const input = (manifest: string, extra: Partial<JobInput> = {}): JobInput => ({
    source: { kind: 'inventory', bucket: 'src-bucket', manifest, prefix: 'photos/' },
    styles: [{ process: 'image/resize,w_8', label: 'thumb' }],
    target: { kind: 'bucket', bucket: 'dst-bucket' },
    template: 'inv/{name}-{style}.{format}',
    ...extra
  })

  it('reads the report through oss://bucket/key and runs every row server-side once', async () => {
    const spec = await resolveSpec(input('oss://src-bucket/inventory/src-bucket/daily/2026-12-01T00-00Z/manifest.json'))
    const result = await new JobRunner({ spec, journalPath: join(root, 'oss.jsonl'), connect: bed.connect, retry: FAST_RETRY }).run()
    expect(result.state).toBe('finished')
    expect(result.counts).toEqual({ total: 12, done: 12, skipped: 0, failed: 0 })
    for (const k of keys) expect(bed.writes.get(`dst-bucket/inv/${k.slice(7, -4)}-thumb.jpg`)).toBe(1)
  })

  it('a broken data file stops the job before any write, naming the file', async () => {
    const broken = tempDir('inventory-broken-')
    const inv = await writeInventory(broken, { bucket: 'src-bucket', count: keys.length, key: (i) => keys[i]!, rowsPerFile: 5 })
    writeFileSync(inv.dataFiles[2]!.path, gzipSync('"src-bucket","photos%2Fzz.jpg","1","Standard","x","y","false","false"\n'))
    const writesBefore = [...bed.writes.values()].reduce((a, b) => a + b, 0)
    const spec = await resolveSpec(input(inv.manifestPath, { template: 'broken/{name}.{format}' }))
    const result = await new JobRunner({ spec, journalPath: join(broken, 'job.jsonl'), connect: bed.connect, retry: FAST_RETRY }).run()
    expect(result.state).toBe('error')
    expect(result.error).toMatchObject({ code: 'InvalidInventory', message: expect.stringContaining(inv.dataFiles[2]!.path) })
    expect(result.counts.done + result.counts.failed).toBe(0)
    expect([...bed.writes.values()].reduce((a, b) => a + b, 0)).toBe(writesBefore)
    rmSync(broken, { recursive: true, force: true })
  })
})
