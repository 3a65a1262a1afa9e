/**
 * Secrets at rest in the OS keyring (browser mode, the CLI): a real Secret Service — GNOME Keyring
 * on a private D-Bus session bus, so the developer's own keyring is never touched — holds the vault
 * key; nothing in the data folder decrypts the profiles; profiles saved under the file key move to
 * the keyring on their next save. keyring-absent.test.ts: the fallback without one.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AsyncEntry } from '@napi-rs/keyring'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chooseCipher,
  createVault,
  FILE_KEY_CIPHER_KIND,
  KEY_FILE_NAME,
  KEYRING_CIPHER_KIND,
  KEYRING_SERVICE,
  keyringAccount,
  PASSPHRASE_CIPHER_KIND,
  VaultError
} from '../../../src-main/services/vault'
import { allFiles, expectMigrationFromFileKey, removeTempDirs, SECRET, secretsIn, tempDir, unusedLauncher, validInput } from './helpers'

let busPid: number | undefined
let savedBus: string | undefined

beforeAll(() => {
  const home = tempDir()
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: join(home, 'run') }
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 })
  const [address, pid] = execFileSync('dbus-daemon', ['--session', '--fork', '--nopidfile', '--print-address=1', '--print-pid=1'], { env }).toString().trim().split('\n')
  busPid = Number(pid)
  // An unlocked login keyring with the Secret Service interface, on that bus only.
  execFileSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: address }, input: 'test keyring password' })
  savedBus = process.env.DBUS_SESSION_BUS_ADDRESS
  process.env.DBUS_SESSION_BUS_ADDRESS = address
})

afterAll(() => {
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus
  if (busPid) process.kill(busPid) // gnome-keyring-daemon leaves with its bus
  removeTempDirs()
})

const storedKey = (dataDir: string) => new AsyncEntry(KEYRING_SERVICE, keyringAccount(dataDir), { linux: { store: 'secret-service' } }).getPassword()

describe('OS keyring cipher', () => {
  it('is chosen before the passphrase and the key file; the key lives in the keyring, not in the data folder', async () => {
    const dataDir = tempDir()
    const cipher = await chooseCipher({ dataDir, keyring: true, passphrase: 'also set' })
    expect(cipher).toMatchObject({ kind: KEYRING_CIPHER_KIND, protection: 'os-keyring' })
    expect(cipher.previous?.map((c) => c.kind)).toEqual([PASSPHRASE_CIPHER_KIND, FILE_KEY_CIPHER_KIND])
    expect(await storedKey(dataDir)).toBeFalsy() // created on the first save, not on opening

    const vault = await createVault({ dataDir, cipher, sandbox: unusedLauncher })
    const created = await vault.create(validInput)
    const key = Buffer.from((await storedKey(dataDir)) ?? '', 'base64')
    expect(key.length).toBe(32)
    expect(existsSync(join(dataDir, KEY_FILE_NAME))).toBe(false)
    const stored = JSON.parse(readFileSync(join(dataDir, 'profiles', `${created.id}.json`), 'utf8')) as { cipher: string }
    expect(stored.cipher).toBe(KEYRING_CIPHER_KIND)
    for (const file of allFiles(dataDir)) expect(secretsIn(file.bytes.toString('latin1')), file.path).toEqual([])

    // Another process (a new cipher) finds the same key in the keyring.
    const reopened = await createVault({ dataDir, cipher: await chooseCipher({ dataDir, keyring: true, passphrase: undefined }), sandbox: unusedLauncher })
    expect((await reopened.credentialsFor(created.id)).accessKeySecret).toBe(SECRET)
  }, 60_000)

  it('opens profiles saved under the file key and moves them to the keyring on their next save', async () => {
    await expectMigrationFromFileKey((dataDir) => chooseCipher({ dataDir, keyring: true, passphrase: undefined }), KEYRING_CIPHER_KIND)
  }, 60_000)

  it('a keyring entry another program overwrote is refused with a clear error', async () => {
    const dataDir = tempDir()
    await new AsyncEntry(KEYRING_SERVICE, keyringAccount(dataDir), { linux: { store: 'secret-service' } }).setPassword('not a vault key')
    const failure = await chooseCipher({ dataDir, keyring: true }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(VaultError)
    expect(failure).toMatchObject({ code: 'KeyFileInvalid' })
    expect((failure as Error).message).toContain(KEYRING_SERVICE)
  })

  it('OSS_IMG_STUDIO_KEYRING=0 keeps the vault out of a working keyring', async () => {
    // vitest.config.ts sets it for every test; an explicit `keyring` option is what overrides it.
    expect(process.env.OSS_IMG_STUDIO_KEYRING).toBe('0')
    expect((await chooseCipher({ dataDir: tempDir(), passphrase: undefined })).kind).toBe(FILE_KEY_CIPHER_KIND)
  })
})
