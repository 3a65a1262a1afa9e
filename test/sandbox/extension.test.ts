/**
 * The extension points the IMG handlers build on: an extra route keyed by sub-resource, the
 * request context, per-bucket JSON side data, and errors thrown from handlers (OssError and the
 * engine's ImgError) reaching the client in OSS wire format.
 */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImgError } from '../../src-shared/img/errors'
import type { Sandbox } from '../../src-main/sandbox'
import { bucketOf, sendEmpty, sendJson, sendXml } from '../../src-main/sandbox/context'
import { Err } from '../../src-main/sandbox/errors'
import type { Route } from '../../src-main/sandbox/router'
import { SANDBOX_ROUTES } from '../../src-main/sandbox/routes'
import { startSandboxServer } from '../../src-main/sandbox/server'
import { client, errorFields, rejection, removeDir, tempRoot } from './helpers'

type Styles = Record<string, { content: string }>

const styleRoutes: Route[] = [
  {
    name: 'PutStyle',
    method: 'PUT',
    scope: 'bucket',
    subresource: 'style',
    access: 'owner',
    handler: async (ctx) => {
      const name = ctx.query.get('styleName') ?? ''
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw Err.invalidArgument(`The value: ${name} of parameter: stylename is invalid.`)
      const body = (await ctx.readBody()).toString('utf8')
      const content = /<Content>(.*)<\/Content>/.exec(body)?.[1] ?? ''
      await ctx.storage.updateBucketJson<Styles>(bucketOf(ctx), 'styles.json', (styles = {}) => ({ ...styles, [name]: { content } }))
      sendEmpty(ctx, 200)
    }
  },
  {
    name: 'GetStyle',
    method: 'GET',
    scope: 'bucket',
    subresource: 'style',
    access: 'owner',
    handler: async (ctx) => {
      const name = ctx.query.get('styleName') ?? ''
      const style = (await ctx.storage.readBucketJson<Styles>(bucketOf(ctx), 'styles.json'))?.[name]
      if (!style) throw new ImgError({ code: 'NoSuchStyle', message: 'The specified style does not exist.' })
      sendXml(ctx, 'Style', { Name: name, Content: style.content })
    }
  },
  {
    name: 'ProcessImage',
    method: 'GET',
    scope: 'object',
    subresource: 'x-oss-process',
    access: 'read',
    handler: async (ctx) => {
      const object = await ctx.storage.readObject(bucketOf(ctx), ctx.key as string)
      if (!object) throw Err.noSuchKey(ctx.key as string)
      sendJson(ctx, { process: ctx.query.get('x-oss-process'), size: object.meta.size, anonymous: ctx.principal.anonymous, signature: ctx.principal.signature })
    }
  }
]

type Raw = (params: Record<string, unknown>) => Promise<{ status: number; data: unknown; res: { headers: Record<string, string> } }>
const raw = (c: OSS) => (c as unknown as { request: Raw }).request.bind(c)

let root: string
let sandbox: Sandbox
let oss: OSS

beforeAll(async () => {
  root = tempRoot()
  sandbox = await startSandboxServer({ dataDir: root, buckets: ['ext-bucket'], routes: [...SANDBOX_ROUTES, ...styleRoutes] })
  oss = client(sandbox, 'ext-bucket')
  await oss.put('photo.jpg', Buffer.from('jpeg'))
})

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('extension points', () => {
  it('routes by sub-resource, signed as ali-oss signs ?style&styleName', async () => {
    const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Style><Content>image/resize,p_50</Content></Style>')
    const put = await raw(oss)({ method: 'PUT', bucket: 'ext-bucket', subres: { style: '', styleName: 'thumb' }, mime: 'xml', content: xml, successStatuses: [200] })
    expect(put.status).toBe(200)
    const got = await raw(oss)({ method: 'GET', bucket: 'ext-bucket', subres: { style: '', styleName: 'thumb' }, xmlResponse: true, successStatuses: [200] })
    expect(got.data).toEqual({ Name: 'thumb', Content: 'image/resize,p_50' })
    const v4 = client(sandbox, 'ext-bucket', { authorizationV4: true })
    const v4got = await raw(v4)({ method: 'GET', bucket: 'ext-bucket', subres: { style: '', styleName: 'thumb' }, xmlResponse: true, successStatuses: [200] })
    expect(v4got.data).toEqual({ Name: 'thumb', Content: 'image/resize,p_50' })
  })

  it('turns thrown OssError / ImgError into OSS errors', async () => {
    const missing = await rejection(raw(oss)({ method: 'GET', bucket: 'ext-bucket', subres: { style: '', styleName: 'nope' }, successStatuses: [200] }))
    expect(missing.status).toBe(404)
    expect(missing.code).toBe('NoSuchStyle')
    const invalid = await rejection(raw(oss)({ method: 'PUT', bucket: 'ext-bucket', subres: { style: '', styleName: 'bad name!' }, content: Buffer.from('<Style/>'), successStatuses: [200] }))
    expect(invalid.code).toBe('InvalidArgument')
  })

  it('sends GET ?x-oss-process to its route (signed URL and client), plain GETs elsewhere', async () => {
    const url = oss.signatureUrl('photo.jpg', { process: 'image/resize,w_100' })
    expect(await (await fetch(url)).json()).toEqual({ process: 'image/resize,w_100', size: 4, anonymous: false, signature: 'v1-query' })
    const viaClient = await oss.get('photo.jpg', { process: 'image/info' })
    expect(JSON.parse((viaClient.content as Buffer).toString())).toMatchObject({ process: 'image/info', signature: 'v1-header' })
    expect((await oss.get('photo.jpg')).content.toString()).toBe('jpeg')
  })

  it('without an IMG route, x-oss-process answers 501 NotImplemented (never the raw object)', async () => {
    const dir = tempRoot()
    const plain = await startSandboxServer({ dataDir: dir, buckets: ['plain-bucket'] })
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
