/**
 * ListObjects (V1, with Owner) and ListObjectsV2 through ali-oss: prefix, delimiter, max-keys,
 * markers, start-after and continuation tokens over more than 1,000 objects.
 */
import type OSS from 'ali-oss'
import pLimit from 'p-limit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { compareKeys } from '../../src-main/sandbox/names'
import { client, list, listV2 as listV2Of, rejection, removeDir, tempRoot } from './helpers'

const BUCKET = 'list-bucket'
let root: string
let sandbox: Sandbox
let oss: OSS
const keys: string[] = []

const listV2 = (query: Parameters<typeof listV2Of>[1]) => listV2Of(oss, query)

beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandbox({ dataDir: root, buckets: [BUCKET] })
  oss = client(sandbox, BUCKET)
  for (let i = 0; i < 1010; i++) keys.push(`photos/${String(i).padStart(4, '0')}.jpg`)
  for (let i = 0; i < 30; i++) keys.push(`docs/${i % 3}/file-${i}.txt`)
  keys.push('dir/', 'dir/file', 'root.txt', 'z/中文.png', 'z/😀.png', 'z/\uFF5E.png')
  const limit = pLimit(32)
  await Promise.all(keys.map((key) => limit(() => oss.put(key, Buffer.from(key)))))
  keys.sort(compareKeys)
}, 60_000)

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('ListObjects (V1)', () => {
  it('pages through everything with max-keys and markers, in UTF-8 byte order', async () => {
    const seen: string[] = []
    let marker: string | undefined
    let pages = 0
    for (;;) {
      const page = await list(oss, { 'max-keys': 1000, ...(marker ? { marker } : {}) })
      pages++
      seen.push(...page.objects.map((o) => o.name))
      for (const o of page.objects) {
        expect(o.owner?.id).toMatch(/^\d{16}$/)
        expect(o.etag).toMatch(/^"[0-9A-F]{32}"$/)
        expect(o.size).toBe(Buffer.byteLength(o.name))
        expect(o.storageClass).toBe('Standard')
        expect(o.type).toBe('Normal')
      }
      if (!page.isTruncated) break
      marker = page.nextMarker ?? undefined
      expect(marker).toBe(page.objects[page.objects.length - 1]?.name)
    }
    expect(pages).toBe(2)
    expect(seen).toEqual(keys)
    // UTF-8 byte order: U+FF5E before U+1F600, although UTF-16 (JS sort) puts the emoji first.
    expect(seen.slice(-3)).toEqual(['z/中文.png', 'z/\uFF5E.png', 'z/😀.png'])
  })

  it('defaults to 100 keys', async () => {
    const page = await list(oss)
    expect(page.objects.length).toBe(100)
    expect(page.isTruncated).toBe(true)
  })

  it('rolls up common prefixes with a delimiter', async () => {
    const top = await list(oss, { delimiter: '/', 'max-keys': 1000 })
    expect(top.prefixes).toEqual(['dir/', 'docs/', 'photos/', 'z/'])
    expect(top.objects.map((o) => o.name)).toEqual(['root.txt'])

    const docs = await list(oss, { prefix: 'docs/', delimiter: '/', 'max-keys': 1000 })
    expect(docs.prefixes).toEqual(['docs/0/', 'docs/1/', 'docs/2/'])
    expect(docs.objects).toEqual([])

    const dir = await list(oss, { prefix: 'dir/', delimiter: '/', 'max-keys': 1000 })
    expect(dir.objects.map((o) => o.name)).toEqual(['dir/', 'dir/file'])
  })

  it('pages through common prefixes without repeating them', async () => {
    const seen: string[] = []
    let marker: string | undefined
    for (;;) {
      const page = await list(oss, { delimiter: '/', 'max-keys': 2, ...(marker ? { marker } : {}) })
      seen.push(...(page.prefixes ?? []), ...page.objects.map((o) => o.name))
      if (!page.isTruncated) break
      marker = page.nextMarker ?? undefined
    }
    expect(seen.sort(compareKeys)).toEqual(['dir/', 'docs/', 'photos/', 'root.txt', 'z/'])
  })

  it('url-encodes keys with encoding-type=url', async () => {
    const page = await list(oss, { prefix: 'z/', 'encoding-type': 'url', 'max-keys': 10 })
    expect(page.objects.map((o) => decodeURIComponent(o.name)).sort(compareKeys)).toEqual(keys.filter((k) => k.startsWith('z/')))
    expect(page.objects.some((o) => o.name.includes('%'))).toBe(true)
  })
})

describe('ListObjectsV2', () => {
  it('pages with continuation tokens', async () => {
    const seen: string[] = []
    let token: string | undefined
    let pages = 0
    for (;;) {
      const page = await listV2({ 'max-keys': 400, ...(token ? { 'continuation-token': token } : {}) })
      pages++
      expect(page.keyCount).toBe(page.objects.length)
      if (token) expect(page.continuationToken).toBe(token)
      seen.push(...page.objects.map((o) => o.name))
      for (const o of page.objects) expect(o.owner).toBeNull()
      if (!page.isTruncated) {
        expect(page.nextContinuationToken).toBeNull()
        break
      }
      token = page.nextContinuationToken ?? undefined
      expect(token).toBeTruthy()
    }
    expect(pages).toBe(Math.ceil(keys.length / 400))
    expect(seen).toEqual(keys)
  })

  it('honours prefix, delimiter, start-after and fetch-owner', async () => {
    const photos = await listV2({ prefix: 'photos/', 'start-after': 'photos/1000.jpg', 'max-keys': 1000, 'fetch-owner': true })
    expect(photos.objects.map((o) => o.name)).toEqual(keys.filter((k) => k.startsWith('photos/') && k > 'photos/1000.jpg'))
    expect(photos.objects[0]?.owner?.id).toMatch(/^\d{16}$/)

    const top = await listV2({ delimiter: '/', 'max-keys': 3 })
    expect(top.prefixes).toEqual(['dir/', 'docs/', 'photos/'])
    expect(top.keyCount).toBe(3)
    expect(top.isTruncated).toBe(true)
    const rest = await listV2({ delimiter: '/', 'max-keys': 3, 'continuation-token': top.nextContinuationToken })
    expect(rest.objects.map((o) => o.name)).toEqual(['root.txt'])
    expect(rest.prefixes).toEqual(['z/'])
    expect(rest.isTruncated).toBe(false)
  })

  it('rejects a forged continuation token', async () => {
    const err = await rejection(listV2({ 'continuation-token': '!!not-a-token!!' }))
    expect(err.status).toBe(400)
    expect(err.code).toBe('InvalidArgument')
  })
})
