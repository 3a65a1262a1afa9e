/**
 * `startSandbox({ buckets: [spec] })`: seeding a bucket's ACL, source-image protection, styles and
 * objects; restarts over the same folder add what is missing and replace nothing; explicit
 * settings are applied; invalid seeds fail the start and release the folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoBucket, startSandbox, type BucketSpec } from '../../src-main/sandbox'
import { DEMO_STYLES } from '../../src-main/sandbox/demo'
import { client, getBucketAcl, removeDir, tempRoot } from './helpers'
import { engine, raw, sample } from './img-helpers'

const CREDS = { accessKeyId: 'LTAIseed', accessKeySecret: 'seed-secret' }
let root: string

beforeAll(() => {
  root = tempRoot()
})

afterAll(() => removeDir(root))

const spec = (extra: Partial<BucketSpec> = {}): BucketSpec => ({
  name: 'seeded-bucket',
  acl: 'public-read',
  sourceProtection: true,
  styles: { small: 'image/resize,w_50' },
  objects: { 'a.jpg': { data: sample('landscape.jpg') }, 'notes/readme.txt': { data: Buffer.from('hi') } },
  ...extra
})

describe('seeded buckets', () => {
  it('are created with their ACL, protection, styles and objects (MIME from the key)', async () => {
    const sandbox = await startSandbox({ dataDir: root, buckets: [spec()], ...CREDS })
    try {
      const oss = client(sandbox, 'seeded-bucket')
      expect((await getBucketAcl(oss, 'seeded-bucket')).acl).toBe('public-read')
      expect((await oss.head('a.jpg')).res.headers['content-type' as never]).toBe('image/jpeg')
      expect((await oss.head('notes/readme.txt')).res.headers['content-type' as never]).toBe('text/plain')
      expect((await fetch(`${sandbox.endpoint}/seeded-bucket/a.jpg`)).status).toBe(403)
      expect((await fetch(`${sandbox.endpoint}/seeded-bucket/a.jpg?x-oss-process=style%2Fsmall`)).status).toBe(200)
      await oss.put('a.jpg', Buffer.from('changed'))
      await raw(oss)({ method: 'PUT', bucket: 'seeded-bucket', subres: { style: '', styleName: 'small' }, mime: 'xml', content: Buffer.from('<Style><Content>image/resize,w_70</Content></Style>'), successStatuses: [200] })
      await oss.delete('notes/readme.txt')
    } finally {
      await sandbox.close()
    }
  })

  it('on restart: missing things come back, changed ones stay, explicit settings apply', async () => {
    const sandbox = await startSandbox({ dataDir: root, buckets: [spec({ acl: 'private', sourceProtection: false })], ...CREDS })
    try {
      const oss = client(sandbox, 'seeded-bucket')
      expect(((await oss.get('a.jpg')).content as Buffer).toString()).toBe('changed')
      expect(((await oss.get('notes/readme.txt')).content as Buffer).toString()).toBe('hi')
      const style = await raw(oss)({ method: 'GET', bucket: 'seeded-bucket', subres: { style: '', styleName: 'small' }, xmlResponse: true, successStatuses: [200] })
      expect((style.data as { Content: string }).Content).toBe('image/resize,w_70')
      expect((await getBucketAcl(oss, 'seeded-bucket')).acl).toBe('private')
    } finally {
      await sandbox.close()
    }
    const reopened = await startSandbox({ dataDir: root, buckets: [{ name: 'seeded-bucket', acl: 'public-read' }], ...CREDS })
    try {
      // Protection was switched off above: anonymous raw reads work on the public bucket again.
      expect((await fetch(`${reopened.endpoint}/seeded-bucket/a.jpg`)).status).toBe(200)
    } finally {
      await reopened.close()
    }
  })

  it('invalid seeds fail the start and leave the folder usable', async () => {
    await expect(startSandbox({ dataDir: root, buckets: [spec({ styles: { bad: 'image/resize,m_abc' } })], ...CREDS })).rejects.toMatchObject({ code: 'InvalidArgument' })
    await expect(startSandbox({ dataDir: root, buckets: [spec({ styles: { 'bad name': 'image/resize,w_1' } })], ...CREDS })).rejects.toMatchObject({ code: 'InvalidArgument' })
    await expect(startSandbox({ dataDir: root, buckets: [{ name: 'Bad_Bucket' }], ...CREDS })).rejects.toMatchObject({ code: 'InvalidBucketName' })
    await expect(startSandbox({ dataDir: root, buckets: [spec({ objects: { '../x': { data: Buffer.from('') } } })], ...CREDS })).rejects.toMatchObject({ code: 'InvalidObjectName' })
    const sandbox = await startSandbox({ dataDir: root, ...CREDS })
    try {
      // Nothing of the rejected seeds was applied (the specs said public-read + protection).
      expect((await getBucketAcl(client(sandbox, 'seeded-bucket'), 'seeded-bucket')).acl).toBe('public-read')
      expect((await fetch(`${sandbox.endpoint}/seeded-bucket/a.jpg`)).status).toBe(200)
    } finally {
      await sandbox.close()
    }
  })

  it('the demo bucket: samples and the example styles, which all process', async () => {
    const dir = tempRoot()
    const sandbox = await startSandbox({ dataDir: dir, buckets: [demoBucket({ acl: 'public-read' })], ...CREDS })
    try {
      for (const [name, content] of Object.entries(DEMO_STYLES)) {
        const res = await fetch(`${sandbox.endpoint}/demo-bucket/landscape.jpg?x-oss-process=${encodeURIComponent(`style/${name}`)}`)
        expect(res.status, `${name}: ${content}`).toBe(200)
        expect(Buffer.from(await res.arrayBuffer()).equals(await engine('landscape.jpg', content))).toBe(true)
      }
    } finally {
      await sandbox.close()
      removeDir(dir)
    }
  })
})
