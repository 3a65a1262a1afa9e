/** Object tagging through ali-oss: Put/Get/DeleteObjectTagging, the x-oss-tagging header, OSS's limits. */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, rejection, removeDir, tempRoot, raw } from './helpers'


type Tagging = {
  getObjectTagging(name: string): Promise<{ status: number; tag: Record<string, string> }>
  putObjectTagging(name: string, tag: Record<string, string>): Promise<{ status: number }>
  deleteObjectTagging(name: string): Promise<{ status: number }>
}

describe('object tagging', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS
  let tags: Tagging

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: root, buckets: ['tag-bucket'] })
    oss = client(sandbox, 'tag-bucket')
    tags = oss as unknown as Tagging
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  it('puts, reads and deletes tags, keeping the object', async () => {
    await oss.put('t.txt', Buffer.from('tagged'))
    expect((await tags.getObjectTagging('t.txt')).tag).toEqual({})
    await tags.putObjectTagging('t.txt', { a: '1', 'b c': 'd:e/f' })
    expect((await tags.getObjectTagging('t.txt')).tag).toEqual({ a: '1', 'b c': 'd:e/f' })
    expect((await oss.head('t.txt')).res.headers).toMatchObject({ 'x-oss-tagging-count': '2' })
    expect((await tags.deleteObjectTagging('t.txt')).status).toBe(204)
    expect((await tags.getObjectTagging('t.txt')).tag).toEqual({})
    expect((await oss.get('t.txt')).content.toString()).toBe('tagged')
  })

  it('takes tags from the x-oss-tagging header of a put', async () => {
    await oss.put('h.txt', Buffer.from('x'), { headers: { 'x-oss-tagging': 'k1=v1&k%202=v%262' } })
    expect((await tags.getObjectTagging('h.txt')).tag).toEqual({ k1: 'v1', 'k 2': 'v&2' })
  })

  it('answers OSS errors: InvalidTag past 10 tags or 128-character keys, NoSuchKey', async () => {
    await oss.put('limits.txt', Buffer.from('x'))
    // ali-oss checks these limits itself: send the XML by hand.
    const put = (pairs: [string, string][]) =>
      raw(oss)({
        method: 'PUT',
        bucket: 'tag-bucket',
        object: 'limits.txt',
        subres: { tagging: '' },
        mime: 'xml',
        content: Buffer.from(`<Tagging><TagSet>${pairs.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`),
        successStatuses: [200]
      })
    expect(await rejection(put(Array.from({ length: 11 }, (_, i): [string, string] => [`k${i}`, 'v'])))).toMatchObject({ status: 400, code: 'InvalidTag' })
    expect(await rejection(put([['k'.repeat(129), 'v']]))).toMatchObject({ status: 400, code: 'InvalidTag' })
    expect(await rejection(put([['same', '1'], ['same', '2']]))).toMatchObject({ status: 400, code: 'InvalidTag' })
    expect((await put([['ok', 'v']])).status).toBe(200)
    expect(await rejection(tags.getObjectTagging('missing.txt'))).toMatchObject({ status: 404, code: 'NoSuchKey' })
  })
})
