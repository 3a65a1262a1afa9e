/**
 * Secrets go into main and never come back: profiles with distinctive secrets (and real STS
 * credentials minted by a sandbox) exercise every channel — successes and failures (wrong secret,
 * bad STS token, unreachable endpoint, OSS errors) — and no response, error, event, log line,
 * console line or file in clear contains any of them. Run over both transports.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNELS, type Channel } from '../../src-shared/ipc/contract'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { directTransport, makeBed, makeJpeg, makePng, ok, removeTempDirs, tempDir, webSocketTransport, type Bed, type Transport } from './helpers'

const KEY_ID = 'LTAI5tSecretsTestKey42'
const SECRET = 'Sx9SENTINELsecretValue4Kq2Lm7Np'
const SECRET2 = 'Ty8SECONDsentinelSecret5Wr3Zs6Q'
const WRONG = 'Wq1WRONGsentinelSecret8Hd5Jf2Vb'

let ext: Sandbox
let sts: { accessKeyId: string; accessKeySecret: string; securityToken: string }
let secrets: string[]
const seen: string[] = []
const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    seen.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '))
  })
)

beforeAll(async () => {
  ext = await startSandbox({
    dataDir: tempDir('ipc-secrets-ext-'),
    port: 0,
    accessKeyId: KEY_ID,
    accessKeySecret: SECRET,
    buckets: [{ name: 'vault-bucket', objects: { 'photo.jpg': { data: await makeJpeg(400, 300) }, 'logo.png': { data: await makePng(80, 40) } }, styles: { small: 'image/resize,w_64' } }]
  })
  sts = ext.issueStsCredentials({ expiresInSeconds: 3600 })
  secrets = [SECRET, SECRET2, WRONG, sts.accessKeySecret, sts.securityToken]
})

afterAll(async () => {
  await ext?.close()
  for (const spy of consoleSpies) spy.mockRestore()
  removeTempDirs()
})

const leaks = (text: string) => secrets.filter((secret) => text.includes(secret))

/** Every channel, with the secret profiles, in success and in failure. */
async function exercise(transport: Transport, record: (value: unknown) => void): Promise<Set<Channel>> {
  const called = new Set<Channel>()
  const call = async (channel: Channel, payload: unknown) => {
    const envelope = await transport.call(channel, payload)
    record(envelope)
    called.add(channel)
    return envelope
  }
  const endpoint = ext.endpoint

  // Profiles: working, STS, wrong secret, unreachable.
  const main = ok<{ id: string }>(await call('profiles:create', { name: 'Secret', endpoint, bucket: 'vault-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET }))
  const withSts = ok<{ id: string }>(await call('profiles:create', { name: 'STS', endpoint, bucket: 'vault-bucket', accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, stsToken: sts.securityToken }))
  const wrong = ok<{ id: string }>(await call('profiles:create', { name: 'Wrong', endpoint, bucket: 'vault-bucket', accessKeyId: KEY_ID, accessKeySecret: WRONG }))
  const down = ok<{ id: string }>(await call('profiles:create', { name: 'Down', endpoint: 'http://localhost:1', bucket: 'vault-bucket', accessKeyId: KEY_ID, accessKeySecret: SECRET2 }))
  // A secret in a field where it does not belong is refused without being echoed.
  await call('profiles:create', { name: 'Misplaced', endpoint, bucket: SECRET, accessKeyId: KEY_ID, accessKeySecret: SECRET })
  await call('profiles:create', { name: 'Misplaced', endpoint, bucket: 'vault-bucket', accessKeyId: KEY_ID, accessKeySecret: `${SECRET} with spaces` })
  await call('profiles:list', {})
  for (const id of [main.id, withSts.id, wrong.id, down.id]) await call('profiles:test', { id })
  await call('profiles:update', { id: wrong.id, patch: { accessKeySecret: SECRET2 } })
  await call('profiles:test', { id: wrong.id })
  await call('profiles:update', { id: main.id, patch: { name: 'Secret (renamed)' } })
  await call('profiles:update', { id: withSts.id, patch: { stsToken: `${sts.securityToken}x` } })
  await call('profiles:test', { id: withSts.id })
  await call('profiles:update', { id: withSts.id, patch: { stsToken: sts.securityToken } })
  await call('profiles:setActive', { id: main.id })

  // Objects, uploads, previews (watermarks and styles from the bucket of the active profile).
  await call('objects:list', { profileId: main.id })
  await call('objects:list', { profileId: withSts.id })
  await call('objects:list', { profileId: wrong.id })
  await call('objects:list', { profileId: down.id })
  await call('objects:list', { profileId: main.id, bucket: 'no-such-bucket' })
  await call('app:info', {})
  const upload = ok<{ uploadId: string }>(await call('uploads:add', { name: 'u.jpg', data: (await makeJpeg(120, 90)).toString('base64') }))
  await call('uploads:add', { name: 'x.txt', data: Buffer.from(SECRET.slice(0, 8)).toString('base64') })
  const mark = `image/watermark,image_${Buffer.from('logo.png').toString('base64url')}`
  await call('preview:render', { source: { kind: 'object', profileId: main.id, key: 'photo.jpg' }, process: `${mark}/resize,w_100` })
  await call('preview:render', { source: { kind: 'object', profileId: withSts.id, key: 'photo.jpg' }, process: 'style/small' })
  await call('preview:render', { source: { kind: 'object', profileId: main.id, key: 'missing.jpg' }, process: 'image/resize,w_100' })
  await call('preview:render', { source: { kind: 'object', profileId: down.id, key: 'photo.jpg' }, process: 'image/resize,w_100' })
  await call('preview:render', { source: { kind: 'upload', uploadId: upload.uploadId }, process: 'style/small', maxSide: 32 })
  await call('preview:render', { source: { kind: 'upload', uploadId: upload.uploadId }, process: 'image/info' })
  await call('preview:render', { source: { kind: 'upload', uploadId: upload.uploadId }, process: 'image/resize,w_abc' })

  // Styles, library and bucket.
  await call('styles:save', { name: 'sec', process: 'image/resize,w_90' })
  await call('styles:save', { name: 'sec', process: 'image/resize,w_91' })
  await call('styles:list', {})
  await call('styles:history', { name: 'sec' })
  await call('styles:revert', { name: 'sec', version: 1 })
  await call('styles:rename', { from: 'sec', to: 'sec2' })
  await call('styles:duplicate', { name: 'sec2', as: 'sec3' })
  await call('styles:delete', { name: 'sec3' })
  const exported = ok<{ json: string }>(await call('styles:export', {}))
  await call('styles:import', { json: exported.json, onConflict: 'rename' })
  for (const id of [main.id, withSts.id, wrong.id, down.id]) {
    await call('styles:diff', { profileId: id })
    await call('styles:push', { profileId: id, names: ['sec2'] })
    await call('styles:pull', { profileId: id, names: ['small'] })
    await call('styles:deleteRemote', { profileId: id, names: ['sec2'] })
  }

  // Signed URLs carry a signature, never the secret. (An STS profile's URL must carry its security
  // token — that is how OSS checks it — so only long-term keys sign here.)
  for (const version of ['v1', 'v4'] as const) {
    await call('sign:url', { profileId: main.id, key: 'photo.jpg', process: 'style/small', expiresSeconds: 60, version })
    await call('sign:url', { profileId: main.id, key: 'photo.jpg', process: 'image/resize,w_0', expiresSeconds: 60, version })
    await call('sign:url', { profileId: down.id, key: 'photo.jpg', expiresSeconds: 60, version })
  }
  for (const id of [main.id, down.id]) await call('sign:check', { profileId: id, key: 'photo.jpg' })
  await call('clipboard:write', { text: 'https://example.com' })

  // The link matrix signs in main: URLs and check answers carry signatures and OSS's codes, never a secret.
  for (const id of [main.id, down.id]) {
    for (const version of ['v1', 'v4'] as const) {
      const built = await call('links:build', { profileId: id, keys: ['photo.jpg', 'missing.jpg'], columns: [{ style: 'small' }, { process: 'image/resize,w_10' }], form: 'query', sign: { version, expiresSeconds: 60 } })
      if (built.ok) await call('links:check', { checkId: `secrets-${version}`, urls: (built.result as { cells: { url: string }[] }).cells.map((c) => c.url) })
    }
  }
  await call('sandbox:settings', {})
  await call('sandbox:updateSettings', { sourceProtection: false })

  // Bulk jobs: the journal keeps the profile id, never its credentials; a failing profile's errors.
  const job = { source: { kind: 'bucket', prefix: '' }, styles: [{ style: 'small' }], target: { kind: 'bucket' }, template: 'jobs/{name}.{format}' }
  for (const id of [wrong.id, down.id]) {
    await call('jobs:example', { ...job, profileId: id })
    await call('jobs:dryRun', { job: { ...job, profileId: id } })
  }
  await call('jobs:example', { ...job, profileId: main.id })
  const created = ok<{ id: string }>(await call('jobs:create', { ...job, profileId: main.id, name: 'secrets' }))
  await call('jobs:dryRun', { id: created.id })
  await call('jobs:start', { id: created.id })
  await call('jobs:setConcurrency', { id: created.id, concurrency: 2 })
  await call('jobs:pause', { id: created.id })
  await call('jobs:resume', { id: created.id })
  await call('jobs:cancel', { id: created.id })
  await call('jobs:list', {})
  await call('jobs:report', { id: created.id, csv: true })
  await call('jobs:remove', { id: created.id })

  for (const id of [main.id, withSts.id, wrong.id, down.id]) await call('profiles:delete', { id })
  return called
}

function filesContaining(dir: string): string[] {
  const hits: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const text = readFileSync(path).toString('latin1')
    if (leaks(text).length > 0) hits.push(path)
  }
  return hits
}

function secretsSuite(label: string, connect: (bed: Bed) => Promise<Transport>) {
  describe(label, () => {
    let bed: Bed
    let transport: Transport

    beforeAll(async () => {
      bed = await makeBed()
      transport = await connect(bed)
    })

    afterAll(async () => {
      await transport?.close()
      await bed?.services.close()
    })

    it('no response, error, event, log line, console line or file holds a secret', async () => {
      const recorded: string[] = []
      const record = (value: unknown) => recorded.push(`${JSON.stringify(value)}\n${inspect(value, { depth: 10 })}`)
      const called = await exercise(transport, record)
      expect([...called].sort()).toEqual(Object.keys(CHANNELS).sort())

      // The exercise did reach the interesting paths.
      const all = recorded.join('\n')
      expect(all).toContain('SignatureDoesNotMatch')
      expect(all).toContain('NetworkError')
      expect(all).toContain('NoSuchKey')
      expect(all).toContain('"ok":true,"result":{"url"')

      const where = {
        responses: recorded.filter((r) => leaks(r).length > 0),
        events: transport.events.map((e) => JSON.stringify(e)).filter((e) => leaks(e).length > 0),
        directEvents: bed.events.map((e) => JSON.stringify(e)).filter((e) => leaks(e).length > 0),
        logs: bed.logs.filter((line) => leaks(line).length > 0),
        console: seen.filter((line) => leaks(line).length > 0),
        files: filesContaining(bed.dataDir)
      }
      expect(where).toEqual({ responses: [], events: [], directEvents: [], logs: [], console: [], files: [] })
    })
  })
}

secretsSuite('secrets over router.dispatch', async (bed) => directTransport(bed.services))
if (existsSync(join(import.meta.dirname, '../../src-main/host/web.ts'))) secretsSuite('secrets over WebSocket', (bed) => webSocketTransport(bed.services))
else describe.skip('secrets over WebSocket: src-main/host/web.ts is missing', () => it('skipped', () => undefined))
