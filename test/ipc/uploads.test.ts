/** The uploads store: engine-checked images, strict Base64, LRU eviction within the budgets. */
import { describe, expect, it } from 'vitest'
import { createUploadStore, decodeBase64 } from '../../src-main/app/uploads'
import { makeJpeg, makePng } from './helpers'

describe('decodeBase64', () => {
  it('accepts standard Base64 (padded or not) and data URLs', () => {
    expect(decodeBase64('aGVsbG8=').toString()).toBe('hello')
    expect(decodeBase64('aGVsbG8').toString()).toBe('hello')
    expect(decodeBase64('data:image/png;base64,aGVsbG8=').toString()).toBe('hello')
  })

  it('refuses anything else instead of skipping characters', () => {
    for (const bad of ['aGVs bG8=', 'aGVsbG8=x', '*', 'a', 'aGVs-bG8_', 'data:text/plain,hello']) {
      expect(() => decodeBase64(bad), bad).toThrow(expect.objectContaining({ code: 'InvalidPayload' }))
    }
  })
})

describe('createUploadStore', () => {
  it('keeps images, refuses what the engine cannot read with its error', async () => {
    const store = createUploadStore()
    const png = await makePng(20, 10)
    const upload = await store.add('a.png', png)
    expect(store.get(upload.id)?.bytes.equals(png)).toBe(true)
    await expect(store.add('x.txt', Buffer.from('hello'))).rejects.toMatchObject({ code: 'BadRequest', ec: '0040-00000012' })
    await expect(store.add('e.png', Buffer.alloc(0))).rejects.toMatchObject({ code: 'BadRequest' })
    await expect(store.add('cut.png', png.subarray(0, 20))).rejects.toMatchObject({ code: 'BadRequest' })
    expect(store.size).toBe(1)
  })

  it('evicts the least recently used: by count and by total bytes', async () => {
    const image = await makeJpeg(32, 32)
    const byCount = createUploadStore({ maxEntries: 2 })
    const a = await byCount.add('a', image)
    const b = await byCount.add('b', image)
    byCount.get(a.id) // a is now the most recent
    const c = await byCount.add('c', image)
    expect([byCount.get(a.id), byCount.get(b.id), byCount.get(c.id)].map((u) => u?.name)).toEqual(['a', undefined, 'c'])

    const byBytes = createUploadStore({ maxTotalBytes: image.length * 2 + 1 })
    const ids = []
    for (const name of ['1', '2', '3']) ids.push((await byBytes.add(name, image)).id)
    expect(ids.map((id) => byBytes.get(id)?.name)).toEqual([undefined, '2', '3'])
    expect(byBytes.totalBytes).toBe(image.length * 2)
    await expect(createUploadStore({ maxTotalBytes: 10 }).add('big', image)).rejects.toMatchObject({ code: 'InvalidPayload' })
  })
})
