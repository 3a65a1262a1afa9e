/**
 * The extension points handlers build on: an extra route keyed by sub-resource, the request
 * context, per-bucket JSON side data, and errors thrown from handlers (OssError and the engine's
 * ImgError) reaching the client in OSS wire format. The real IMG routes (img.ts, styles.ts) are
 * registered in SANDBOX_ROUTES; without them `?x-oss-process` answers 501, never the raw object.
 */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImgError } from '../../src-shared/img/errors'
import type { Sandbox } from '../../src-main/sandbox'
import { bucketOf, sendEmpty, sendJson } from '../../src-main/sandbox/context'
import { Err } from '../../src-main/sandbox/errors'
import { imgRoutes } from '../../src-main/sandbox/handlers/img'
import type { Route } from '../../src-main/sandbox/router'
import { SANDBOX_ROUTES } from '../../src-main/sandbox/routes'
import { startSandboxServer } from '../../src-main/sandbox/server'
import { client, errorFields, rejection, removeDir, tempRoot } from './helpers'
import { raw } from './img-helpers'

type Notes = Record<string, string>

/** A test-only operation on the signed sub-resource `qosInfo` (unused by the sandbox). */
const noteRoutes: Route[] = [
  {
    name: 'PutNote',
    method: 'PUT',
    scope: 'bucket',
    subresource: 'qosInfo',
    access: 'owner',
    handler: async (ctx) => {
      const text = (await ctx.readBody()).toString('utf8')
      if (text === 'oss-error') throw Err.invalidArgument('Notes must not say that.', { ArgumentName: 'note' })
      if (text === 'img-error') throw new ImgError({ code: 'InvalidArgument', ec: '0040-00000311', message: 'resize: expected m' })
      await ctx.storage.updateBucketJson<Notes>(bucketOf(ctx), 'notes.json', (notes = {}) => ({ ...notes, last: text }))
      sendEmpty(ctx, 200)
    }
  },
  {
    name: 'GetNote',
    method: 'GET',
    scope: 'bucket',
    subresource: 'qosInfo',
    access: 'owner',
    handler: async (ctx) => {
      const notes = await ctx.storage.readBucketJson<Notes>(bucketOf(ctx), 'notes.json')
      sendJson(ctx, { note: notes?.last ?? null, anonymous: ctx.principal.anonymous, signature: ctx.principal.signature })
    }
  }
]

let root: string
let sandbox: Sandbox
let oss: OSS

beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandboxServer({ dataDir: root, buckets: ['ext-bucket'], routes: [...SANDBOX_ROUTES, ...noteRoutes] })
  oss = client(sandbox, 'ext-bucket')
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('extension points', () => {
  it('the IMG routes are registered', () => {
    const names = SANDBOX_ROUTES.map((r) => r.name)
    for (const name of ['GetObject?x-oss-process', 'HeadObject?x-oss-process', 'PostProcessTask', 'PutStyle', 'GetStyle', 'ListStyle', 'DeleteStyle']) expect(names).toContain(name)
  })

  it('routes by sub-resource (V1 and V4 signed), with side data', async () => {
    const put = await raw(oss)({ method: 'PUT', bucket: 'ext-bucket', subres: { qosInfo: '' }, content: Buffer.from('hello'), successStatuses: [200] })
    expect(put.status).toBe(200)
    const got = await raw(oss)({ method: 'GET', bucket: 'ext-bucket', subres: { qosInfo: '' }, successStatuses: [200] })
    expect(JSON.parse(Buffer.from(got.data as Buffer).toString())).toEqual({ note: 'hello', anonymous: false, signature: 'v1-header' })
    const v4 = client(sandbox, 'ext-bucket', { authorizationV4: true, region: 'oss-cn-hangzhou' })
    const v4got = await raw(v4)({ method: 'GET', bucket: 'ext-bucket', subres: { qosInfo: '' }, successStatuses: [200] })
    expect(JSON.parse(Buffer.from(v4got.data as Buffer).toString())).toMatchObject({ note: 'hello', signature: 'v4-header' })
  })

  it('turns thrown OssError / ImgError into OSS errors', async () => {
    const oss1 = await rejection(raw(oss)({ method: 'PUT', bucket: 'ext-bucket', subres: { qosInfo: '' }, content: Buffer.from('oss-error'), successStatuses: [200] }))
    expect(oss1).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0016-00000100' })
    const img = await rejection(raw(oss)({ method: 'PUT', bucket: 'ext-bucket', subres: { qosInfo: '' }, content: Buffer.from('img-error'), successStatuses: [200] }))
    expect(img).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0040-00000311', message: 'resize: expected m' })
  })

  it('without the IMG routes, x-oss-process answers 501 NotImplemented (never the raw object)', async () => {
    const dir = tempRoot()
    const plain = await startSandboxServer({ dataDir: dir, buckets: ['plain-bucket'], routes: SANDBOX_ROUTES.filter((r) => !imgRoutes.includes(r)) })
    try {
      const c = client(plain, 'plain-bucket')
      await c.put('a.jpg', Buffer.from('x'))
      const res = await fetch(c.signatureUrl('a.jpg', { process: 'image/resize,w_1' }))
      expect(res.status).toBe(501)
      expect(errorFields(await res.text()).Code).toBe('NotImplemented')
    } finally {
      await plain.close()
      removeDir(dir)
    }
  })
})
