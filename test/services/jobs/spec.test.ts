import { describe, expect, it } from 'vitest'
import { canonicalJson, JobError, resolveSpec, specDifferences, specDigest, type JobInput } from '../../../src-main/services/jobs'

const base: JobInput = {
  source: { kind: 'bucket', bucket: 'src-bucket', prefix: 'photos/' },
  styles: [{ process: 'image/resize,w_100' }],
  target: { kind: 'bucket', bucket: 'dst-bucket' },
  template: 'thumbs/{name}.{format}'
}

describe('job specs', () => {
  it('derives the mode: bucket → bucket server-side, everything else local', async () => {
    expect((await resolveSpec(base)).mode).toBe('server')
    expect((await resolveSpec({ ...base, target: { kind: 'folder', dir: '/tmp/out' } })).mode).toBe('local')
    expect((await resolveSpec({ ...base, source: { kind: 'folder', dir: '/tmp/in' } })).mode).toBe('local')
    await expect(resolveSpec({ ...base, mode: 'local' })).rejects.toThrow(/server-side only/)
    await expect(resolveSpec({ ...base, source: { kind: 'folder', dir: '/tmp/in' }, mode: 'server' })).rejects.toThrow(/server-side needs/)
  })

  it('resolves named styles to their content and keeps process strings canonical', async () => {
    const spec = await resolveSpec(
      { ...base, styles: [{ style: 'thumb' }, { process: 'image/resize,h_50,w_60' }, { process: 'image/resize,w_2000', label: 'big' }, { process: 'style/thumb', label: 't2' }] },
      async (name) => (name === 'thumb' ? 'image/resize,w_100/format,webp' : undefined)
    )
    expect(spec.styles[0]).toEqual({ label: 'thumb', name: 'thumb', process: 'image/resize,w_100/format,webp' })
    expect(spec.styles[1]!.process).toBe('image/resize,w_60,h_50')
    expect(spec.styles[1]!.label).toMatch(/^p-[0-9a-f]{8}$/)
    expect(spec.styles[2]!.label).toBe('big')
    expect(spec.styles[3]).toMatchObject({ label: 't2', name: 'thumb' })
    await expect(resolveSpec({ ...base, styles: [{ style: 'missing' }] }, async () => undefined)).rejects.toThrow(/existing style/)
  })

  it('refuses invalid input with JobError InvalidJob', async () => {
    const bad: JobInput[] = [
      { ...base, styles: [] },
      { ...base, styles: [{ process: 'image/resize,w_abc' }] },
      { ...base, styles: [{ process: 'image/resize,w_10|sys/saveas,o_YQ' }] },
      { ...base, styles: [{ process: 'image/resize,w_10', label: 'a' }, { process: 'image/resize,w_20', label: 'a' }] },
      { ...base, template: '{bogus}' },
      { ...base, source: { kind: 'bucket', bucket: 'Bad_Bucket', prefix: '' } },
      { ...base, source: { kind: 'bucket', bucket: 'src-bucket', prefix: '', pattern: '(' } },
      { ...base, source: { kind: 'keys', bucket: 'src-bucket', keys: [] } },
      { ...base, source: { kind: 'keys', bucket: 'src-bucket', keys: ['/abs.jpg'] } }
    ]
    for (const input of bad) {
      const error = await resolveSpec(input).catch((e: unknown) => e)
      expect(error, JSON.stringify(input)).toBeInstanceOf(JobError)
      expect((error as JobError).code).toBe('InvalidJob')
    }
  })

  it('digests canonically and names what differs', async () => {
    const a = await resolveSpec(base)
    const b = await resolveSpec({ ...base, conflict: 'overwrite' })
    expect(specDigest(a)).toBe(specDigest(JSON.parse(JSON.stringify(a)) as typeof a))
    expect(specDigest(a)).not.toBe(specDigest(b))
    expect(specDifferences(a, b)).toEqual(['conflict'])
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}')
  })
})
