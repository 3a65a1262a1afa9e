/**
 * Secrets at rest outside Electron with OSS_IMG_STUDIO_PASSPHRASE: AES-256-GCM under a scrypt key,
 * nothing on disk that decrypts them (no vault.key), a wrong passphrase named in the error, and
 * profiles saved under the file key opened and moved to the passphrase cipher on their next save.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chooseCipher, createPassphraseCipher, FILE_KEY_CIPHER_KIND, KEY_FILE_NAME, PASSPHRASE_CIPHER_KIND, PASSPHRASE_ENV, VaultError } from '../../../src-main/services/vault'
import { expectMigrationFromFileKey, removeTempDirs, SECRET, tempDir } from './helpers'

afterAll(removeTempDirs)

const PASSPHRASE = 'correct horse battery staple'

describe('passphrase cipher (scrypt + AES-256-GCM)', () => {
  it('round-trips without writing any key file, and a wrong passphrase cannot decrypt', async () => {
    const dir = tempDir()
    const cipher = await chooseCipher({ dataDir: dir, passphrase: PASSPHRASE, keyring: false })
    expect(cipher.kind).toBe(PASSPHRASE_CIPHER_KIND)
    const blob = Buffer.from(await cipher.encrypt(SECRET))
    expect(blob.includes(Buffer.from(SECRET))).toBe(false)
    expect(await createPassphraseCipher(PASSPHRASE).decrypt(blob)).toBe(SECRET)
    expect(existsSync(join(dir, KEY_FILE_NAME))).toBe(false)
    const wrong = await Promise.resolve().then(() => createPassphraseCipher('another passphrase').decrypt(blob)).catch((error: unknown) => error)
    expect(wrong).toBeInstanceOf(VaultError)
    expect(wrong).toMatchObject({ code: 'DecryptFailed' })
    expect((wrong as Error).message).toContain(PASSPHRASE_ENV)
  }, 30_000)

  it('is chosen from OSS_IMG_STUDIO_PASSPHRASE; without it (or empty) the file key remains', async () => {
    const dir = tempDir()
    const saved = process.env[PASSPHRASE_ENV]
    try {
      process.env[PASSPHRASE_ENV] = PASSPHRASE
      expect((await chooseCipher({ dataDir: dir, keyring: false })).kind).toBe(PASSPHRASE_CIPHER_KIND)
      process.env[PASSPHRASE_ENV] = ''
      expect((await chooseCipher({ dataDir: dir, keyring: false })).kind).toBe(FILE_KEY_CIPHER_KIND)
      delete process.env[PASSPHRASE_ENV]
      expect((await chooseCipher({ dataDir: dir, keyring: false })).kind).toBe(FILE_KEY_CIPHER_KIND)
    } finally {
      if (saved === undefined) delete process.env[PASSPHRASE_ENV]
      else process.env[PASSPHRASE_ENV] = saved
    }
  })

  it('opens profiles saved under the file key and moves them to the passphrase on their next save', async () => {
    await expectMigrationFromFileKey((dataDir) => chooseCipher({ dataDir, passphrase: PASSPHRASE, keyring: false }), PASSPHRASE_CIPHER_KIND)
  }, 60_000)
})
