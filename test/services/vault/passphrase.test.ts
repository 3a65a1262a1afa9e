/**
 * Secrets at rest outside Electron with OSS_IMG_STUDIO_PASSPHRASE: AES-256-GCM under a scrypt key,
 * nothing on disk that decrypts them (no vault.key), a wrong passphrase named in the error, and
 * profiles saved under the file key opened and moved to the passphrase cipher on their next save.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chooseCipher, createFileKeyCipher, createPassphraseCipher, createVault, FILE_KEY_CIPHER_KIND, KEY_FILE_NAME, PASSPHRASE_CIPHER_KIND, PASSPHRASE_ENV, VaultError } from '../../../src-main/services/vault'
import { allFiles, removeTempDirs, SECRET, secretsIn, tempDir, unusedLauncher, validInput } from './helpers'

afterAll(removeTempDirs)

const PASSPHRASE = 'correct horse battery staple'

describe('passphrase cipher (scrypt + AES-256-GCM)', () => {
  it('round-trips without writing any key file, and a wrong passphrase cannot decrypt', async () => {
    const dir = tempDir()
    const cipher = chooseCipher({ dataDir: dir, passphrase: PASSPHRASE })
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

  it('is chosen from OSS_IMG_STUDIO_PASSPHRASE; without it (or empty) the file key remains', () => {
    const dir = tempDir()
    const saved = process.env[PASSPHRASE_ENV]
    try {
      process.env[PASSPHRASE_ENV] = PASSPHRASE
      expect(chooseCipher({ dataDir: dir }).kind).toBe(PASSPHRASE_CIPHER_KIND)
      process.env[PASSPHRASE_ENV] = ''
      expect(chooseCipher({ dataDir: dir }).kind).toBe(FILE_KEY_CIPHER_KIND)
      delete process.env[PASSPHRASE_ENV]
      expect(chooseCipher({ dataDir: dir }).kind).toBe(FILE_KEY_CIPHER_KIND)
    } finally {
      if (saved === undefined) delete process.env[PASSPHRASE_ENV]
      else process.env[PASSPHRASE_ENV] = saved
    }
  })

  it('opens profiles saved under the file key and moves them to the passphrase on their next save', async () => {
    const dataDir = tempDir()
    const before = await createVault({ dataDir, cipher: createFileKeyCipher(dataDir), sandbox: unusedLauncher })
    const created = await before.create(validInput)

    const vault = await createVault({ dataDir, cipher: chooseCipher({ dataDir, passphrase: PASSPHRASE }), sandbox: unusedLauncher })
    expect((await vault.credentialsFor(created.id)).accessKeySecret).toBe(SECRET)
    await vault.update(created.id, { name: 'Production (migrated)' })
    const stored = JSON.parse(readFileSync(join(dataDir, 'profiles', `${created.id}.json`), 'utf8')) as { cipher: string }
    expect(stored.cipher).toBe(PASSPHRASE_CIPHER_KIND)

    // The key file no longer matters: the passphrase alone opens the profile.
    rmSync(join(dataDir, KEY_FILE_NAME))
    const after = await createVault({ dataDir, cipher: chooseCipher({ dataDir, passphrase: PASSPHRASE }), sandbox: unusedLauncher })
    expect((await after.credentialsFor(created.id)).accessKeySecret).toBe(SECRET)
    for (const file of allFiles(dataDir)) expect(secretsIn(file.bytes.toString('latin1')), file.path).toEqual([])
  }, 60_000)
})
