import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createFileKeyCipher,
  createVault,
  LOCAL_SANDBOX_ID,
  VaultError,
  type ProfileSummary,
  type Vault,
  type VaultLogger
} from '../../../src-main/services/vault'
import { allFiles, KEY_ID, modeOf, POSIX, removeTempDirs, SECRET, secretsIn, STS_TOKEN, tempDir, unusedLauncher, validInput } from './helpers'

afterAll(removeTempDirs)

const logged: string[] = []
const log: VaultLogger = (level, message) => logged.push(`${level} ${message}`)

async function openVault(dataDir = tempDir()): Promise<{ vault: Vault; dataDir: string }> {
  const vault = await createVault({ dataDir, cipher: createFileKeyCipher(dataDir), sandbox: unusedLauncher, log })
  return { vault, dataDir }
}

async function thrown(run: () => unknown): Promise<VaultError> {
  try {
    await run()
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError)
    return error as VaultError
  }
  throw new Error('expected an error')
}

const profilePath = (dataDir: string, id: string) => join(dataDir, 'profiles', `${id}.json`)

function expectNoSecrets(value: unknown): void {
  const text = typeof value === 'string' ? value : `${JSON.stringify(value)}\n${inspect(value, { depth: 10, showHidden: true })}`
  expect(secretsIn(text)).toEqual([])
}

describe('profiles: create, edit, delete, list', () => {
  it('creates a profile: summary without secrets, masked key id, normalized fields', async () => {
    const { vault } = await openVault()
    const created = await vault.create({ ...validInput, region: 'cn-hangzhou', stsToken: STS_TOKEN, customDomain: 'IMG.Example.com' })
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Production',
      kind: 'oss',
      endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
      region: 'oss-cn-hangzhou',
      bucket: 'my-images',
      maskedAccessKeyId: 'LTAI****abcd',
      hasStsToken: true,
      customDomain: 'img.example.com'
    })
    expectNoSecrets(created)
    expect(JSON.stringify(created)).not.toContain(KEY_ID)
    expect(await vault.get(created.id)).toEqual(created)
  })

  it('lists the Local sandbox first, then profiles by name', async () => {
    const { vault } = await openVault()
    const b = await vault.create({ ...validInput, name: 'Beta' })
    const a = await vault.create({ ...validInput, name: 'alpha', endpoint: undefined, region: 'oss-cn-shanghai' })
    const list = await vault.list()
    expect(list.map((p) => p.id)).toEqual([LOCAL_SANDBOX_ID, a.id, b.id])
    expect(list[0]).toMatchObject({ kind: 'sandbox', name: 'Local sandbox', bucket: 'demo-bucket', hasStsToken: false })
    expect(list[1]).toMatchObject({ region: 'oss-cn-shanghai' })
    expect(list[1]?.endpoint).toBeUndefined()
    expectNoSecrets(list)
  })

  it('edits: absent secret = keep, new secret replaces, null clears optional fields', async () => {
    const { vault, dataDir } = await openVault()
    const created = await vault.create({ ...validInput, stsToken: STS_TOKEN, customDomain: 'img.example.com' })
    const before = JSON.parse(readFileSync(profilePath(dataDir, created.id), 'utf8'))

    const renamed = await vault.update(created.id, { name: 'Prod (Hangzhou)', bucket: 'other-bucket' })
    expect(renamed).toMatchObject({ name: 'Prod (Hangzhou)', bucket: 'other-bucket', hasStsToken: true, customDomain: 'img.example.com' })
    const kept = await vault.credentialsFor(created.id)
    expect(kept.accessKeySecret).toBe(SECRET)
    expect(kept.stsToken).toBe(STS_TOKEN)
    const after = JSON.parse(readFileSync(profilePath(dataDir, created.id), 'utf8'))
    expect(after.secrets).toEqual(before.secrets) // kept blobs are not re-encrypted
    expect(after.createdAt).toBe(before.createdAt)

    const cleared = await vault.update(created.id, { stsToken: null, customDomain: null, accessKeySecret: 'aNewSecretValue1234' })
    expect(cleared.hasStsToken).toBe(false)
    expect(cleared.customDomain).toBeUndefined()
    const next = await vault.credentialsFor(created.id)
    expect(next.accessKeySecret).toBe('aNewSecretValue1234')
    expect(next.stsToken).toBeUndefined()
  })

  it('edits are validated: a changed key id needs its secret; endpoint and region cannot both go', async () => {
    const { vault } = await openVault()
    const created = await vault.create(validInput)
    const noSecret = await thrown(() => vault.update(created.id, { accessKeyId: 'LTAIotherKeyId5678' }))
    expect(noSecret.code).toBe('ValidationError')
    expect(noSecret.issues).toEqual([{ path: 'accessKeySecret', message: 'is required when the access key id changes' }])
    const neither = await thrown(() => vault.update(created.id, { endpoint: null }))
    expect(neither.issues?.[0]?.path).toBe('endpoint')
    expect((await vault.update(created.id, { accessKeyId: 'LTAIotherKeyId5678', accessKeySecret: 'x1234' })).maskedAccessKeyId).toBe('LTAI****5678')
    const unknown = await thrown(() => vault.update(created.id, { id: 'x' } as never))
    expect(unknown.message).toMatch(/unknown field/)
  })

  it('deletes (the file goes; an active profile falls back to the Local sandbox)', async () => {
    const { vault, dataDir } = await openVault()
    const created = await vault.create(validInput)
    await vault.setActive(created.id)
    expect(vault.activeId).toBe(created.id)
    await vault.delete(created.id)
    expect(existsSync(profilePath(dataDir, created.id))).toBe(false)
    expect(vault.activeId).toBe(LOCAL_SANDBOX_ID)
    expect((await thrown(() => vault.get(created.id))).code).toBe('NotFound')
    expect((await thrown(() => vault.delete(created.id))).code).toBe('NotFound')
    expect((await vault.list()).map((p) => p.id)).toEqual([LOCAL_SANDBOX_ID])
  })

  it('the Local sandbox is built in: listed, active on first launch, neither editable nor deletable', async () => {
    const { vault, dataDir } = await openVault()
    expect(vault.activeId).toBe(LOCAL_SANDBOX_ID)
    expect((await vault.list())[0]?.id).toBe(LOCAL_SANDBOX_ID)
    expect((await thrown(() => vault.delete(LOCAL_SANDBOX_ID))).code).toBe('ReadOnlyProfile')
    expect((await thrown(() => vault.update(LOCAL_SANDBOX_ID, { name: 'x' }))).code).toBe('ReadOnlyProfile')
    // A file named like it is ignored, never shadows it.
    writeFileSync(profilePath(dataDir, LOCAL_SANDBOX_ID), '{}')
    expect((await vault.list()).filter((p) => p.id === LOCAL_SANDBOX_ID)).toHaveLength(1)
  })

  it('the active profile survives a restart', async () => {
    const { vault, dataDir } = await openVault()
    const created = await vault.create(validInput)
    await vault.setActive(created.id)
    const { vault: again } = await openVault(dataDir)
    expect(again.activeId).toBe(created.id)
    if (POSIX) expect(modeOf(join(dataDir, 'vault-state.json'))).toBe(0o600)
  })

  it('rejects invalid input with field-level issues and never echoes the values', async () => {
    const { vault } = await openVault()
    const cases: [Record<string, unknown>, string][] = [
      [{ ...validInput, name: '' }, 'name'],
      [{ ...validInput, name: 'x'.repeat(65) }, 'name'],
      [{ ...validInput, endpoint: 'ftp://oss-cn-hangzhou.aliyuncs.com' }, 'endpoint'],
      [{ ...validInput, endpoint: 'https://oss-cn-hangzhou.aliyuncs.com/path' }, 'endpoint'],
      [{ ...validInput, endpoint: 'https://my-images.oss-cn-hangzhou.aliyuncs.com' }, 'endpoint'],
      [{ ...validInput, endpoint: undefined }, 'endpoint'],
      [{ ...validInput, endpoint: undefined, region: 'hangzhou' }, 'region'],
      [{ ...validInput, bucket: 'ab' }, 'bucket'],
      [{ ...validInput, bucket: 'My_Bucket' }, 'bucket'],
      [{ ...validInput, bucket: '-abc' }, 'bucket'],
      [{ ...validInput, accessKeyId: '' }, 'accessKeyId'],
      [{ ...validInput, accessKeySecret: '' }, 'accessKeySecret'],
      [{ ...validInput, accessKeySecret: `${SECRET} with spaces` }, 'accessKeySecret'],
      [{ ...validInput, customDomain: 'https://img.example.com/' }, 'customDomain'],
      [{ ...validInput, stsToken: '' }, 'stsToken']
    ]
    for (const [input, field] of cases) {
      const error = await thrown(() => vault.create(input as never))
      expect(error.code, field).toBe('ValidationError')
      expect(error.issues?.map((i) => i.path), JSON.stringify(input)).toContain(field)
      expectNoSecrets(error.message)
      expectNoSecrets(error.toJSON())
    }
    expect((await vault.list()).length).toBe(1)
  })

  it('ids are checked: no path traversal, no other files', async () => {
    const { vault } = await openVault()
    for (const id of ['../vault', '..', 'a/b', 'A', '', 'x'.repeat(70)]) {
      expect((await thrown(() => vault.get(id))).code).toBe('NotFound')
      expect((await thrown(() => vault.delete(id))).code).toBe('NotFound')
      expect((await thrown(() => vault.credentialsFor(id))).code).toBe('NotFound')
    }
  })
})

describe('at rest', () => {
  it.skipIf(!POSIX)('vault.key, profiles and the state file are 0600; the profiles folder 0700', async () => {
    const { vault, dataDir } = await openVault()
    const created = await vault.create({ ...validInput, stsToken: STS_TOKEN })
    await vault.setActive(created.id)
    await vault.update(created.id, { name: 'Renamed' })
    expect(modeOf(join(dataDir, 'vault.key'))).toBe(0o600)
    expect(modeOf(profilePath(dataDir, created.id))).toBe(0o600)
    expect(modeOf(join(dataDir, 'vault-state.json'))).toBe(0o600)
    expect(modeOf(join(dataDir, 'profiles'))).toBe(0o700)
    // Atomic writes leave no temp files.
    expect(readdirSync(join(dataDir, 'profiles'))).toEqual([`${created.id}.json`])
  })

  it('the profile file holds the non-secret fields in clear and no secret in clear', async () => {
    const { vault, dataDir } = await openVault()
    const created = await vault.create({ ...validInput, stsToken: STS_TOKEN })
    const raw = readFileSync(profilePath(dataDir, created.id), 'utf8')
    const json = JSON.parse(raw)
    expect(json).toMatchObject({ version: 1, id: created.id, name: 'Production', bucket: 'my-images', accessKeyId: KEY_ID, cipher: 'aes-256-gcm-file-key' })
    expect(Object.keys(json.secrets)).toEqual(['accessKeySecret', 'stsToken'])
    expect(secretsIn(raw)).toEqual([])
    // Not even Base64-encoded.
    expect(raw).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 20))
    for (const { bytes } of allFiles(dataDir)) expect(secretsIn(bytes.toString('latin1'))).toEqual([])
    // Unreadable without the key: another installation's key cannot decrypt it.
    const stranger = createFileKeyCipher(tempDir())
    await stranger.encrypt('x')
    await expect(stranger.decrypt(Buffer.from(json.secrets.accessKeySecret, 'base64'))).rejects.toMatchObject({ code: 'DecryptFailed' })
  })

  it('resolved credentials keep their secrets out of JSON, inspect, spread and structured clone', async () => {
    const { vault } = await openVault()
    const created = await vault.create({ ...validInput, stsToken: STS_TOKEN })
    const credentials = await vault.credentialsFor(created.id)
    expect(credentials.accessKeySecret).toBe(SECRET)
    expect(credentials.stsToken).toBe(STS_TOKEN)
    expectNoSecrets(JSON.stringify(credentials))
    expectNoSecrets(inspect(credentials))
    expectNoSecrets(JSON.stringify({ ...credentials }))
    expectNoSecrets(JSON.stringify(structuredClone({ ...credentials })))
    expect(JSON.parse(JSON.stringify(credentials))).toMatchObject({ accessKeyId: 'LTAI****abcd', accessKeySecret: '***' })
  })

  it('with a different key: the profile is listed as broken (re-entering the secret fixes it), others are unaffected', async () => {
    const { vault, dataDir } = await openVault()
    const created = await vault.create(validInput)
    writeFileSync(join(dataDir, 'vault.key'), randomBytes(32), { mode: 0o600 })
    const { vault: reopened } = await openVault(dataDir)
    const summary = await reopened.get(created.id)
    expect(summary.brokenCode).toBe('DecryptFailed')
    expect(summary.broken).toMatch(/different vault key/)
    expect(summary.name).toBe('Production')
    const error = await thrown(() => reopened.credentialsFor(created.id))
    expect(error.code).toBe('DecryptFailed')
    expect(error.message).toMatch(/accessKeySecret: The secret was encrypted with a different vault key/)
    expect(await reopened.testConnection(created.id)).toEqual({ ok: false, error: { code: 'DecryptFailed', status: 0, message: error.message } })
    // Editing without the secret is refused (it would keep an unreadable blob) …
    const edit = await thrown(() => reopened.update(created.id, { name: 'x' }))
    expect(edit.issues?.[0]).toMatchObject({ path: 'accessKeySecret', message: expect.stringMatching(/must be entered again/) })
    // … re-entering it fixes the profile.
    expect((await reopened.update(created.id, { accessKeySecret: SECRET })).broken).toBeUndefined()
    expect((await reopened.credentialsFor(created.id)).accessKeySecret).toBe(SECRET)
  })
})

describe('a corrupted profile file', () => {
  async function withTwoProfiles() {
    const { vault, dataDir } = await openVault()
    const good = await vault.create({ ...validInput, name: 'Good' })
    const bad = await vault.create({ ...validInput, name: 'Bad', stsToken: STS_TOKEN })
    return { vault, dataDir, good, bad, badPath: profilePath(dataDir, bad.id) }
  }

  /** Runs everything the app might do, then checks the bad file is byte-for-byte and mtime-for-mtime untouched. */
  async function exerciseAndCheckUntouched(vault: Vault, good: ProfileSummary, badId: string, badPath: string): Promise<ProfileSummary> {
    const bytes = readFileSync(badPath)
    const mtime = statSync(badPath).mtimeMs
    const list = await vault.list()
    const broken = list.find((p) => p.id === badId)
    expect(broken?.broken).toBeTruthy()
    // The good profile still loads and works.
    expect(list.find((p) => p.id === good.id)).toEqual(good)
    expect((await vault.credentialsFor(good.id)).accessKeySecret).toBe(SECRET)
    await vault.update(good.id, { name: 'Good 2' })
    await vault.update(good.id, { name: 'Good' })
    // Using the broken one fails clearly, and nothing rewrites it.
    await expect(vault.credentialsFor(badId)).rejects.toBeInstanceOf(VaultError)
    await expect(vault.update(badId, { name: 'x' })).rejects.toBeInstanceOf(VaultError)
    const test = await vault.testConnection(badId)
    expect(test.ok).toBe(false)
    expect(readFileSync(badPath).equals(bytes)).toBe(true)
    expect(statSync(badPath).mtimeMs).toBe(mtime)
    expect(existsSync(badPath)).toBe(true)
    for (const text of [JSON.stringify(list), JSON.stringify(test)]) expectNoSecrets(text)
    return broken as ProfileSummary
  }

  it('truncated JSON: listed as broken with a clear error; others load; the file is left alone; it can be deleted', async () => {
    const { vault, dataDir, good, bad, badPath } = await withTwoProfiles()
    const raw = readFileSync(badPath)
    writeFileSync(badPath, raw.subarray(0, Math.floor(raw.length / 2)))
    const broken = await exerciseAndCheckUntouched(vault, good, bad.id, badPath)
    expect(broken).toEqual({ id: bad.id, name: bad.id, kind: 'oss', hasStsToken: false, brokenCode: 'CorruptProfile', broken: `profiles/${bad.id}.json is not valid JSON (truncated or edited by hand?)` })
    const error = await thrown(() => vault.credentialsFor(bad.id))
    expect(error.code).toBe('CorruptProfile')
    expect(error.message).toMatch(/not valid JSON.*left as it is; delete the profile/)
    expect((await thrown(() => vault.setActive(bad.id))).code).toBe('CorruptProfile')
    // A new vault (next launch) loads fine too.
    const { vault: again } = await openVault(dataDir)
    expect((await again.list()).length).toBe(3)
    await vault.delete(bad.id)
    expect(existsSync(badPath)).toBe(false)
    expect((await vault.list()).map((p) => p.name)).toEqual(['Local sandbox', 'Good'])
  })

  it('an empty file, a non-object, a bad field, a newer format and a mismatched id are each broken, with a reason', async () => {
    const { vault, good, bad, badPath } = await withTwoProfiles()
    const json = JSON.parse(readFileSync(badPath, 'utf8'))
    const cases: [string, RegExp][] = [
      ['', /is empty/],
      ['[]', /does not contain a profile object/],
      [JSON.stringify({ ...json, bucket: 'NO' }), /is invalid: bucket must be 3-63/],
      [JSON.stringify({ ...json, version: 2 }), /newer version of the app \(format 2\)/],
      [JSON.stringify({ ...json, id: 'someone-else' }), /id does not match the file name/]
    ]
    for (const [content, reason] of cases) {
      writeFileSync(badPath, content)
      const broken = await exerciseAndCheckUntouched(vault, good, bad.id, badPath)
      expect(broken.brokenCode).toBe('CorruptProfile')
      expect(broken.broken).toMatch(reason)
    }
  })

  it('tampered ciphertext or auth tag: broken (integrity check) for that profile only, file untouched', async () => {
    const { vault, good, bad, badPath } = await withTwoProfiles()
    const original = JSON.parse(readFileSync(badPath, 'utf8'))
    for (const [field, offset] of [
      ['accessKeySecret', -1], // last ciphertext byte
      ['accessKeySecret', 1 + 8 + 12 + 5], // inside the tag
      ['stsToken', -3]
    ] as const) {
      const blob = Buffer.from(original.secrets[field], 'base64')
      const at = offset < 0 ? blob.length + offset : offset
      blob[at] = (blob[at] ?? 0) ^ 0x80
      writeFileSync(badPath, JSON.stringify({ ...original, secrets: { ...original.secrets, [field]: blob.toString('base64') } }, null, 2))
      const broken = await exerciseAndCheckUntouched(vault, good, bad.id, badPath)
      expect(broken).toMatchObject({ name: 'Bad', brokenCode: 'DecryptFailed' })
      expect(broken.broken).toContain(`profiles/${bad.id}.json: ${field}: The encrypted secret failed its integrity check`)
    }
    // A truncated blob (still valid Base64) is reported as malformed.
    writeFileSync(badPath, JSON.stringify({ ...original, secrets: { ...original.secrets, accessKeySecret: 'AAAA' } }))
    expect((await vault.get(bad.id)).broken).toMatch(/malformed/)
  })

  it('a corrupt state file falls back to the Local sandbox (with a log line that names no secret)', async () => {
    const dataDir = tempDir()
    writeFileSync(join(dataDir, 'vault-state.json'), '{"activeId": "abc')
    const { vault } = await openVault(dataDir)
    expect(vault.activeId).toBe(LOCAL_SANDBOX_ID)
    expect(logged.some((l) => l.includes('vault-state.json is not valid JSON'))).toBe(true)
    expectNoSecrets(logged.join('\n'))
  })
})
