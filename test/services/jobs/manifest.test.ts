/**
 * Dry runs: the manifest is derived deterministically from the spec and the listing; collisions,
 * invalid targets, targets that are sources, cross-region and unreachable targets are flagged;
 * counts and estimated bytes add up; a job never feeds on its own outputs.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildManifest, JobRunner, resolveSpec, type JobInput } from '../../../src-main/services/jobs'
import { startCountingSandbox, tempDir, tinyJpeg, type CountingSandbox } from './helpers'

let bed: CountingSandbox
let jpeg: Buffer

beforeAll(async () => {
  jpeg = await tinyJpeg()
  bed = await startCountingSandbox([
    {
      name: 'src-bucket',
      objects: {
        'p/a.jpg': { data: jpeg },
        'p/b.jpg': { data: jpeg },
        'p/b.png': { data: jpeg },
        'p/sub/c.JPG': { data: jpeg },
        'p/notes.txt': { data: Buffer.from('x') },
        'p/folder/': { data: Buffer.alloc(0) },
        'q/outside.jpg': { data: jpeg }
      }
    },
    'dst-bucket'
  ])
})
afterAll(async () => {
  await bed?.close()
})

const input = (over: Partial<JobInput> = {}): JobInput => ({
  source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'p/', suffixes: ['.jpg'] },
  styles: [{ process: 'image/resize,w_10', label: 'small' }, { process: 'image/resize,w_20/format,webp', label: 'big' }],
  target: { kind: 'bucket', bucket: 'dst-bucket' },
  template: 'out/{dir}/{name}-{style}.{format}',
  ...over
})

describe('dry run manifest', () => {
  it('lists sources × styles with targets, formats, counts and estimated bytes', async () => {
    const manifest = await buildManifest(await resolveSpec(input()), { connect: bed.connect })
    expect(manifest.items.map((i) => `${i.id} → ${i.targetKey}`)).toEqual([
      'small:p/a.jpg → out/p/a-small.jpg',
      'big:p/a.jpg → out/p/a-big.webp',
      'small:p/b.jpg → out/p/b-small.jpg',
      'big:p/b.jpg → out/p/b-big.webp',
      'small:p/sub/c.JPG → out/p/sub/c-small.jpg',
      'big:p/sub/c.JPG → out/p/sub/c-big.webp'
    ])
    expect(manifest.summary).toMatchObject({ sources: 3, items: 6, runnable: 6, byStyle: { small: 3, big: 3 }, estimatedBytes: 6 * jpeg.length, collisions: 0, invalidTargets: 0 })
    expect(manifest.issues).toEqual([])
    // Deterministic: the same spec and listing give the same manifest.
    expect(await buildManifest(await resolveSpec(input()), { connect: bed.connect })).toEqual(manifest)
  })

  it('flags collisions, invalid targets and targets that are sources; such items fail without a request', async () => {
    const collide = await buildManifest(await resolveSpec(input({ template: 'out/{name}.jpg' })), { connect: bed.connect })
    expect(collide.summary.collisions).toBe(6)
    expect(collide.items[0]!.issues[0]).toMatchObject({ code: 'TargetCollision' })

    const pattern = await buildManifest(await resolveSpec(input({ source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'p/', pattern: '\\.(jpg|png)$' }, styles: [{ process: 'image/resize,w_10', label: 's' }], template: 'x/{name}.{format}' })), { connect: bed.connect })
    expect(pattern.items.map((i) => i.sourceKey)).toEqual(['p/a.jpg', 'p/b.jpg', 'p/b.png'])
    expect(pattern.items.filter((i) => i.issues.length > 0).map((i) => i.sourceKey)).toEqual([]) // b.jpg → x/b.jpg, b.png → x/b.png

    const invalid = await buildManifest(await resolveSpec(input({ template: '/{name}-{style}' })), { connect: bed.connect })
    expect(invalid.summary.invalidTargets).toBe(6)
    expect(invalid.items[0]!.issues[0]!.message).toContain('not starting with "/"')

    const inPlace = await buildManifest(await resolveSpec(input({ target: { kind: 'bucket', bucket: 'src-bucket' }, styles: [{ process: 'image/resize,w_10', label: 's' }], template: '{key}', conflict: 'overwrite' })), { connect: bed.connect })
    expect(inPlace.summary.targetIsSource).toBe(3)
    expect(inPlace.summary.runnable).toBe(0)

    const runner = new JobRunner({ spec: collide.spec, journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect })
    const before = bed.saveasRequests.size
    const result = await runner.run()
    expect(result.counts).toMatchObject({ total: 6, failed: 6, done: 0 })
    expect(result.items.every((i) => i.error?.code === 'TargetCollision' && i.attempts === 0)).toBe(true)
    expect(bed.saveasRequests.size).toBe(before)
  })

  it('flags a target bucket in another region or missing, and refuses to run it', async () => {
    const cross = await buildManifest(await resolveSpec(input({ target: { kind: 'bucket', bucket: 'dst-bucket', region: 'oss-cn-beijing' } })), { connect: bed.connect })
    expect(cross.summary.crossRegion).toBe(true)
    expect(cross.issues).toEqual([expect.objectContaining({ code: 'CrossRegion', blocking: true })])
    const same = await buildManifest(await resolveSpec(input({ target: { kind: 'bucket', bucket: 'dst-bucket', region: 'cn-hangzhou' } })), { connect: bed.connect })
    expect(same.summary.crossRegion).toBe(false)

    const missing = await buildManifest(await resolveSpec(input({ target: { kind: 'bucket', bucket: 'no-such-bucket' } })), { connect: bed.connect })
    expect(missing.issues).toEqual([expect.objectContaining({ code: 'TargetBucketUnreachable', blocking: true })])
    expect(missing.issues[0]!.message).toContain('NoSuchBucket')

    const result = await new JobRunner({ spec: cross.spec, journalPath: join(tempDir(), 'j.jsonl'), connect: bed.connect }).run()
    expect(result.state).toBe('error')
    expect(result.error).toMatchObject({ code: 'Blocked' })
  })

  it('probes key lists in a dry run: sizes, and keys that do not exist', async () => {
    const spec = await resolveSpec(input({ source: { kind: 'keys', bucket: 'src-bucket', keys: ['p/b.jpg', 'p/a.jpg', 'p/nope.jpg', 'p/a.jpg'] } }))
    const manifest = await buildManifest(spec, { connect: bed.connect, probeKeys: true })
    expect(manifest.items.map((i) => i.sourceKey)).toEqual(['p/a.jpg', 'p/a.jpg', 'p/b.jpg', 'p/b.jpg', 'p/nope.jpg', 'p/nope.jpg'])
    expect(manifest.summary.missingSources).toBe(2)
    expect(manifest.summary.estimatedBytes).toBe(4 * jpeg.length)
  })

  it('leaves out its own targets when they land under the source prefix', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'in', 'thumbs'), { recursive: true })
    writeFileSync(join(dir, 'in', 'a.jpg'), jpeg)
    writeFileSync(join(dir, 'in', 'thumbs', 'a.jpg'), jpeg) // an output of an earlier run
    writeFileSync(join(dir, 'in', '.hidden.jpg'), jpeg)
    const spec = await resolveSpec({ source: { kind: 'folder', dir: join(dir, 'in') }, styles: [{ process: 'image/resize,w_10', label: 's' }], target: { kind: 'folder', dir: join(dir, 'in') }, template: 'thumbs/{name}.jpg' })
    const manifest = await buildManifest(spec)
    expect(manifest.items.map((i) => `${i.sourceKey} → ${i.targetKey}`)).toEqual(['a.jpg → thumbs/a.jpg'])
    expect(manifest.summary.excludedOwnTargets).toBe(1)
  })
})
