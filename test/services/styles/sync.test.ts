/** Bucket sync against an in-memory bucket that records every call. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImgError } from '../../../src-shared/img/errors'
import { bucketStylesFromOss, createStyleSync, diffStyles, type OssStyleApi, type StyleSync } from '../../../src-main/services/styles'
import type { StyleInfo } from '../../../src-main/services/oss'
import { FakeBucket, FakeOssError, makeBed, type Bed } from './helpers'

let bed: Bed
let bucket: FakeBucket
let sync: StyleSync

beforeEach(async () => {
  bed = await makeBed()
  bucket = new FakeBucket()
  sync = createStyleSync(bed.library, bucket)
})

afterEach(async () => {
  await bed.close()
})

describe('diff', () => {
  it('classifies each style and compares canonical forms', async () => {
    await bed.library.save({ name: 'same', process: 'image/resize,w_100,h_50' })
    await bed.library.save({ name: 'changed', process: 'image/rotate,90' })
    await bed.library.save({ name: 'mine', process: 'image/rotate,180' })
    bucket = new FakeBucket({ same: 'image/resize,h_50,w_100', changed: 'image/rotate,270', theirs: 'image/quality,q_80' })
    const diff = await diffStyles(bed.library, bucket)
    expect(diff).toEqual([
      { name: 'changed', state: 'different', local: 'image/rotate,90', bucket: 'image/rotate,270', localUpdatedAt: expect.any(String), bucketLastModifyTime: '2025-12-01T00:00:00.000Z' },
      { name: 'mine', state: 'local-only', local: 'image/rotate,180', localUpdatedAt: expect.any(String) },
      { name: 'same', state: 'same', local: 'image/resize,w_100,h_50', bucket: 'image/resize,h_50,w_100', localUpdatedAt: expect.any(String), bucketLastModifyTime: '2025-12-01T00:00:00.000Z' },
      { name: 'theirs', state: 'bucket-only', bucket: 'image/quality,q_80', bucketLastModifyTime: '2025-12-01T00:00:00.000Z' }
    ])
    expect(bucket.calls).toEqual(['list'])
  })

  it('reports an unreadable local style and a bucket style this parser rejects', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises')
    await mkdir(bed.library.directory, { recursive: true })
    await writeFile(`${bed.library.directory}/broken.json`, '{')
    bucket = new FakeBucket({ broken: 'image/rotate,90', odd: 'image/resize,w_0' })
    const diff = await createStyleSync(bed.library, bucket).diff()
    expect(diff).toEqual([
      { name: 'broken', state: 'different', localError: expect.stringContaining('not valid JSON'), bucket: 'image/rotate,90', bucketLastModifyTime: expect.any(String) },
      { name: 'odd', state: 'bucket-only', bucket: 'image/resize,w_0', bucketLastModifyTime: expect.any(String), bucketError: 'resize: expected an integer between 1 and 16384 for w but received "0"' }
    ])
  })
})

describe('push', () => {
  it('creates, updates and skips unchanged styles; content sent in canonical form', async () => {
    await bed.library.save({ name: 'new', process: 'image/resize,h_50,w_100' })
    await bed.library.save({ name: 'changed', process: 'image/rotate,90' })
    await bed.library.save({ name: 'same', process: 'image/rotate,180' })
    bucket.styles.set('changed', { name: 'changed', content: 'image/rotate,1' })
    bucket.styles.set('same', { name: 'same', content: 'image/rotate,180' })
    const report = await sync.push(['new', 'changed', 'same'])
    expect(report).toEqual({
      results: [
        { name: 'new', status: 'created' },
        { name: 'changed', status: 'updated' },
        { name: 'same', status: 'unchanged' }
      ],
      bucketCount: 2
    })
    expect(bucket.calls).toEqual(['list', 'put new', 'put changed'])
    expect(bucket.styles.get('new')?.content).toBe('image/resize,w_100,h_50')
    expect((await sync.diff()).every((d) => d.state === 'same')).toBe(true)
  })

  it('checks OSS rules and the local documents before any request', async () => {
    const report = await sync.push(['bad name', 'x'.repeat(64), 'missing'])
    expect(report.results).toEqual([
      { name: 'bad name', status: 'invalid', error: expect.objectContaining({ ec: '0017-00000251', message: 'The value: bad name of parameter: stylename is invalid.' }) },
      { name: 'x'.repeat(64), status: 'invalid', error: expect.objectContaining({ ec: '0017-00000250' }) },
      { name: 'missing', status: 'invalid', error: expect.objectContaining({ code: 'StyleNotFound' }) }
    ])
    expect(report.results[0]!.error).toBeInstanceOf(ImgError)
    expect(bucket.calls).toEqual([])
  })

  it('one invalid name does not stop the others', async () => {
    await bed.library.save({ name: 'ok', process: 'image/rotate,90' })
    const report = await sync.push(['a/b', 'ok'])
    expect(report.results.map((r) => [r.name, r.status])).toEqual([
      ['a/b', 'invalid'],
      ['ok', 'created']
    ])
    expect(bucket.calls).toEqual(['list', 'put ok'])
  })

  it('refuses a push that would exceed 50 styles, before any PutStyle', async () => {
    for (let i = 0; i < 48; i++) bucket.styles.set(`b${i}`, { name: `b${i}`, content: 'image/rotate,90' })
    for (const name of ['n1', 'n2', 'n3', 'b0']) await bed.library.save({ name, process: 'image/rotate,180' })
    const report = await sync.push(['n1', 'n2', 'n3', 'b0'])
    expect(bucket.calls).toEqual(['list'])
    expect(report.bucketCount).toBe(48)
    expect(report.results.map((r) => r.status)).toEqual(['refused', 'refused', 'refused', 'refused'])
    const error = report.results[0]!.error
    expect(error).toBeInstanceOf(ImgError)
    expect(error).toMatchObject({ status: 403, code: 'AccessDenied' })
    expect(error!.message).toBe('Your style count is exceeded 50. (The bucket has 48 styles; pushing 3 new ones would make 51. Nothing was pushed.)')
    expect(bucket.styles.size).toBe(48)

    // Exactly 50 is fine; updating existing styles does not count.
    const ok = await sync.push(['n1', 'n2', 'b0'])
    expect(ok.results.map((r) => r.status)).toEqual(['created', 'created', 'updated'])
    expect(bucket.styles.size).toBe(50)
    bucket.calls.length = 0
    await bed.library.save({ name: 'b1', process: 'image/rotate,270' })
    expect((await sync.push(['b1'])).results[0]!.status).toBe('updated')
    expect((await sync.push(['n3'])).results[0]!.status).toBe('refused')
    expect(bucket.calls).toEqual(['list', 'put b1', 'list'])
  })

  it('honours a custom limit', async () => {
    await bed.library.save({ name: 'a', process: 'image/rotate,90' })
    bucket.styles.set('x', { name: 'x', content: 'image/rotate,90' })
    expect((await createStyleSync(bed.library, bucket, { maxStyles: 1 }).push(['a'])).results[0]!.status).toBe('refused')
  })

  it('reports a failed list or put per style', async () => {
    await bed.library.save({ name: 'a', process: 'image/rotate,90' })
    await bed.library.save({ name: 'b', process: 'image/rotate,180' })
    bucket.failNext = { op: 'list', error: new FakeOssError('RequestError', -1, 'connect ECONNREFUSED') }
    expect((await sync.push(['a', 'b'])).results.map((r) => [r.status, r.error?.message])).toEqual([
      ['failed', 'connect ECONNREFUSED'],
      ['failed', 'connect ECONNREFUSED']
    ])
    bucket.failNext = { op: 'put', error: new FakeOssError('InternalError', 500, 'boom') }
    expect((await sync.push(['a', 'b'])).results.map((r) => r.status)).toEqual(['failed', 'created'])
  })
})

describe('pull', () => {
  it('creates, updates (as a new version) or leaves unchanged; canonical storage', async () => {
    await bed.library.save({ name: 'changed', process: 'image/rotate,90' })
    await bed.library.save({ name: 'same', process: 'image/resize,w_100,h_50' })
    bucket = new FakeBucket({ fresh: 'image/resize,h_20,w_10', changed: 'image/rotate,270', same: 'image/resize,h_50,w_100' })
    sync = createStyleSync(bed.library, bucket)
    const report = await sync.pull(['fresh', 'changed', 'same'])
    expect(report.results).toEqual([
      { name: 'fresh', status: 'created' },
      { name: 'changed', status: 'updated' },
      { name: 'same', status: 'unchanged' }
    ])
    expect(bucket.calls).toEqual(['get fresh', 'get changed', 'get same'])
    expect((await bed.library.get('fresh')).process).toBe('image/resize,w_10,h_20')
    expect((await bed.library.history('changed')).map((v) => v.process)).toEqual(['image/rotate,90', 'image/rotate,270'])
    expect(await bed.library.history('same')).toHaveLength(1)
  })

  it('reports invalid names (no request), missing styles and contents the parser rejects', async () => {
    bucket = new FakeBucket({ odd: 'image/resize,w_0' })
    sync = createStyleSync(bed.library, bucket)
    const report = await sync.pull(['a b', 'gone', 'odd'])
    expect(report.results).toEqual([
      { name: 'a b', status: 'invalid', error: expect.objectContaining({ ec: '0017-00000251' }) },
      { name: 'gone', status: 'failed', error: expect.objectContaining({ code: 'NoSuchStyle', status: 404 }) },
      { name: 'odd', status: 'invalid', error: expect.objectContaining({ ec: '0040-00000312' }) }
    ])
    expect(bucket.calls).toEqual(['get gone', 'get odd'])
    expect((await bed.library.list()).styles).toEqual([])
  })
})

describe('deleteRemote', () => {
  it('deletes, reports missing ones, checks names first', async () => {
    bucket = new FakeBucket({ a: 'image/rotate,90', b: 'image/rotate,180' })
    sync = createStyleSync(bed.library, bucket)
    const report = await sync.deleteRemote(['a', 'zz', '', 'a'])
    expect(report.results).toEqual([
      { name: 'a', status: 'deleted' },
      { name: 'zz', status: 'not-found', error: expect.objectContaining({ code: 'NoSuchStyle' }) },
      { name: '', status: 'invalid', error: expect.objectContaining({ ec: '0017-00000250' }) }
    ])
    expect(bucket.calls).toEqual(['delete a', 'delete zz'])
    expect([...bucket.styles.keys()]).toEqual(['b'])
  })
})

describe('bucketStylesFromOss', () => {
  it('maps the OSS service’s StyleInfo and passes call options through', async () => {
    const calls: unknown[][] = []
    const info: StyleInfo = { name: 's', content: 'image/rotate,90', category: 'image', createTime: '2020-05-20T12:07:15.000Z', lastModifyTime: '2020-05-21T12:07:15.000Z' }
    const oss: OssStyleApi = {
      listStyles: async (...args) => (calls.push(['list', ...args]), [info]),
      getStyle: async (...args) => (calls.push(['get', ...args]), info),
      putStyle: async (...args) => void calls.push(['put', ...args]),
      deleteStyle: async (...args) => void calls.push(['delete', ...args])
    }
    const options = { timeoutMs: 1000 }
    const adapted = bucketStylesFromOss(oss, options)
    expect(await adapted.list()).toEqual([{ name: 's', content: 'image/rotate,90', lastModifyTime: '2020-05-21T12:07:15.000Z' }])
    expect(await adapted.get('s')).toEqual({ name: 's', content: 'image/rotate,90', lastModifyTime: '2020-05-21T12:07:15.000Z' })
    await adapted.put('s', 'image/rotate,90')
    await adapted.delete('s')
    expect(calls).toEqual([['list', options], ['get', 's', options], ['put', 's', 'image/rotate,90', options], ['delete', 's', options]])
  })
})
