/**
 * Local mode: the engine on this machine. 200 images folder → folder (two derivatives each, sizes
 * checked), bucket → folder (GetObject + engine), folder → bucket (engine + PutObject), and the
 * local defaults (concurrency = cores).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultConcurrency, defaultEngineSlots, JobRunner, resolveSpec } from '../../../src-main/services/jobs'
import { availableParallelism } from 'node:os'
import { startCountingSandbox, tempDir, tinyJpeg, type CountingSandbox } from './helpers'
import { makeImage } from '../../support/images'

describe('local mode', () => {
  let bed: CountingSandbox
  beforeAll(async () => {
    const photo = await makeImage(120, 90)
    bed = await startCountingSandbox([{ name: 'src-bucket', objects: { 'in/a.jpg': { data: photo }, 'in/b.png': { data: await makeImage(60, 40, 'png') } } }, 'dst-bucket'])
  })
  afterAll(async () => {
    await bed?.close()
  })

  it('defaults to the engine on one item per core, twice that in flight', () => {
    expect(defaultEngineSlots()).toBe(availableParallelism())
    expect(defaultConcurrency('local')).toBe(2 * availableParallelism())
    expect(defaultConcurrency('server')).toBe(16)
  })

  it('processes 200 images folder → folder with two derivatives each', async () => {
    const dir = tempDir()
    const src = join(dir, 'src')
    for (let i = 0; i < 200; i++) {
      const sub = join(src, `set${i % 4}`)
      mkdirSync(sub, { recursive: true })
      writeFileSync(join(sub, `img${String(i).padStart(3, '0')}.jpg`), await tinyJpeg(80, 60, `#${(0x102030 + i * 997).toString(16).slice(-6)}`))
    }
    const spec = await resolveSpec({
      source: { kind: 'folder', dir: src, suffixes: ['.jpg'] },
      styles: [{ process: 'image/resize,w_40', label: 'half' }, { process: 'image/resize,m_fill,w_16,h_16/format,webp', label: 'sq' }],
      target: { kind: 'folder', dir: join(dir, 'out') },
      template: '{style}/{dir}/{name}.{format}'
    })
    expect(spec.mode).toBe('local')
    const result = await new JobRunner({ spec, journalPath: join(dir, 'job.jsonl') }).run()
    expect(result.counts).toEqual({ total: 400, done: 400, skipped: 0, failed: 0 })
    expect(readdirSync(join(dir, 'out', 'half', 'set0'))).toHaveLength(50)
    expect(readdirSync(join(dir, 'out', 'sq', 'set3')).every((n) => n.endsWith('.webp'))).toBe(true)
    expect(await sharp(join(dir, 'out', 'half', 'set1', 'img001.jpg')).metadata()).toMatchObject({ width: 40, height: 30, format: 'jpeg' })
    expect(await sharp(join(dir, 'out', 'sq', 'set2', 'img002.webp')).metadata()).toMatchObject({ width: 16, height: 16, format: 'webp' })
    // No temp files left behind.
    expect(readdirSync(join(dir, 'out', 'half', 'set0')).some((n) => n.startsWith('.'))).toBe(false)

    // Again with skip-existing: everything skipped, nothing rewritten.
    const again = await new JobRunner({ spec, journalPath: join(dir, 'job2.jsonl') }).run()
    expect(again.counts).toEqual({ total: 400, done: 0, skipped: 400, failed: 0 })
  }, 60_000)

  it('processes bucket objects on this machine into a folder', async () => {
    const dir = tempDir()
    const spec = await resolveSpec({ source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'in/' }, styles: [{ process: 'image/resize,w_30/format,png', label: 'p' }], target: { kind: 'folder', dir }, template: '{name}.{format}' })
    const result = await new JobRunner({ spec, journalPath: join(dir, 'j.jsonl'), connect: bed.connect }).run()
    expect(result.counts).toMatchObject({ done: 2, failed: 0 })
    expect(await sharp(join(dir, 'a.png')).metadata()).toMatchObject({ width: 30, height: 23, format: 'png' })
    expect(existsSync(join(dir, 'b.png'))).toBe(true)
  })

  it('processes a folder and uploads the results to a bucket', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'x.jpg'), await tinyJpeg(50, 50))
    writeFileSync(join(dir, 'broken.jpg'), Buffer.from('not a jpeg'))
    const spec = await resolveSpec({ source: { kind: 'folder', dir }, styles: [{ process: 'image/resize,w_10', label: 'p' }], target: { kind: 'bucket', bucket: 'dst-bucket' }, template: 'up/{name}.{format}' })
    const result = await new JobRunner({ spec, journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect }).run()
    expect(result.counts).toMatchObject({ done: 1, failed: 1 })
    expect(result.items.find((i) => i.sourceKey === 'broken.jpg')!.error).toMatchObject({ status: 400, retryable: false })
    expect(bed.writes.get('dst-bucket/up/x.jpg')).toBe(1)
    const head = await bed.connect('dst-bucket').headObject('up/x.jpg')
    expect(head.contentType).toBe('image/jpeg')
  })
})
