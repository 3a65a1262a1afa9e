/**
 * sign:check (source-image protection, probed anonymously) and sign:url's `useCustomDomain`,
 * through the router against a real sandbox: a public-read bucket with protection on, one with it
 * off, a private one (anonymous reads refused → unknown), a missing key, an unreachable endpoint.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { CHANNELS } from '../../src-shared/ipc/contract'
import { directTransport, err, makeBed, makeJpeg, ok, removeTempDirs, tempDir, type Bed, type Transport } from './helpers'

const GUARDED = 'guarded-bucket'
const OPEN = 'open-bucket'
const CLOSED = 'closed-bucket'
const KEY = 'photos/a b.jpg'

let sandbox: Sandbox
let bed: Bed
let transport: Transport
let profileId: string

async function call(channel: 'sign:check' | 'sign:url', payload: unknown) {
  const envelope = await transport.call(channel, payload)
  if (envelope.ok) expect(CHANNELS[channel].response.safeParse(envelope.result).success).toBe(true)
  return envelope
}

beforeAll(async () => {
  const photo = { data: await makeJpeg(400, 300) }
  sandbox = await startSandbox({
    dataDir: tempDir('sign-sandbox-'),
    buckets: [
      { name: GUARDED, acl: 'public-read', sourceProtection: true, styles: { small: 'image/resize,w_100' }, objects: { [KEY]: photo } },
      { name: OPEN, acl: 'public-read', sourceProtection: false, objects: { [KEY]: photo } },
      { name: CLOSED, acl: 'private', sourceProtection: true, objects: { [KEY]: photo } }
    ],
    accessKeyId: 'LTAI5tSignTestKey0001',
    accessKeySecret: 'sign-test-secret'
  })
  bed = await makeBed()
  transport = directTransport(bed.services)
  const profile = ok<{ id: string }>(
    await transport.call('profiles:create', { name: 'Guarded', endpoint: sandbox.endpoint, bucket: GUARDED, accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret, customDomain: 'img.example.com' })
  )
  profileId = profile.id
})

afterAll(async () => {
  await transport?.close()
  await bed?.services.close()
  await sandbox?.close()
  removeTempDirs()
})

describe('sign:check', () => {
  it('protection on: 403 with EC 0040-00000031', async () => {
    expect(ok(await call('sign:check', { profileId, key: KEY }))).toEqual({ sourceProtection: 'on', status: 403, code: 'AccessDenied', ec: '0040-00000031' })
  })

  it('protection off: the anonymous processed GET answers 200', async () => {
    expect(ok(await call('sign:check', { profileId, bucket: OPEN, key: KEY }))).toEqual({ sourceProtection: 'off', status: 200 })
  })

  it('a private bucket refuses every anonymous read: unknown (even with protection on)', async () => {
    const result = ok<{ sourceProtection: string; status: number; ec?: string }>(await call('sign:check', { profileId, bucket: CLOSED, key: KEY }))
    expect(result).toMatchObject({ sourceProtection: 'unknown', status: 403, code: 'AccessDenied' })
    expect(result.ec).not.toBe('0040-00000031')
  })

  it('a missing key on an unprotected bucket: unknown, with OSS’s code', async () => {
    expect(ok(await call('sign:check', { profileId, bucket: OPEN, key: 'missing.jpg' }))).toMatchObject({ sourceProtection: 'unknown', status: 404, code: 'NoSuchKey' })
  })

  it('an unreachable endpoint: unknown (status -1), not an error', async () => {
    const down = ok<{ id: string }>(await transport.call('profiles:create', { name: 'Down', endpoint: 'http://localhost:1', bucket: OPEN, accessKeyId: 'LTAI5tDownKey000001', accessKeySecret: 'down-secret' }))
    expect(ok(await call('sign:check', { profileId: down.id, key: KEY }))).toMatchObject({ sourceProtection: 'unknown', status: -1 })
  })

  it('validates like every channel: a bad key is InvalidPayload, an unknown profile the vault’s error', async () => {
    expect(err(await call('sign:check', { profileId, key: '' })).code).toBe('InvalidPayload')
    expect(err(await call('sign:check', { profileId: 'no-such-profile', key: KEY })).code).toBe('NotFound')
  })

  it('what the warning is about: anonymous image/… is refused, style/NAME and signed URLs work', async () => {
    const anonymous = (process: string) => fetch(`${sandbox.endpoint}/${GUARDED}/photos/a%20b.jpg?x-oss-process=${encodeURIComponent(process)}`)
    const refused = await anonymous('image/resize,w_100')
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-oss-ec')).toBe('0040-00000031')
    const styled = await anonymous('style/small')
    expect(styled.status).toBe(200)
    expect((await sharp(Buffer.from(await styled.arrayBuffer())).metadata()).width).toBe(100)
    const signed = ok<{ url: string }>(await call('sign:url', { profileId, key: KEY, process: 'image/resize,w_100', expiresSeconds: 60, version: 'v4', useCustomDomain: false }))
    expect((await fetch(signed.url)).status).toBe(200)
  })
})

describe('sign:url useCustomDomain', () => {
  it('defaults to the profile’s custom domain; false signs for the bucket endpoint', async () => {
    for (const version of ['v1', 'v4'] as const) {
      const custom = new URL(ok<{ url: string }>(await call('sign:url', { profileId, key: KEY, expiresSeconds: 60, version })).url)
      expect(custom.origin).toBe('https://img.example.com')
      expect(custom.pathname).toBe('/photos/a%20b.jpg')
      const explicit = new URL(ok<{ url: string }>(await call('sign:url', { profileId, key: KEY, expiresSeconds: 60, version, useCustomDomain: true })).url)
      expect(explicit.origin).toBe('https://img.example.com')
      const direct = ok<{ url: string }>(await call('sign:url', { profileId, key: KEY, process: 'style/small', expiresSeconds: 60, version, useCustomDomain: false }))
      expect(new URL(direct.url).origin).toBe(sandbox.endpoint)
      const response = await fetch(direct.url)
      expect(response.status).toBe(200)
      expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(100)
    }
  })

  it('another bucket of the profile never uses the custom domain', async () => {
    const url = ok<{ url: string }>(await call('sign:url', { profileId, bucket: OPEN, key: KEY, expiresSeconds: 60, version: 'v4', useCustomDomain: true })).url
    expect(new URL(url).origin).toBe(sandbox.endpoint)
  })
})
