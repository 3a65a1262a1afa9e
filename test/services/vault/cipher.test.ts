import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  chooseCipher,
  createFileKeyCipher,
  createSafeStorageCipher,
  FILE_KEY_CIPHER_KIND,
  SAFE_STORAGE_CIPHER_KIND,
  VaultError,
  type SafeStorageLike
} from '../../../src-main/services/vault'
import { modeOf, POSIX, removeTempDirs, SECRET, tempDir } from './helpers'

afterAll(removeTempDirs)

/** The VaultError thrown (synchronously or not) by `run`. */
async function rejection(run: () => unknown): Promise<VaultError> {
  try {
    await run()
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError)
    return error as VaultError
  }
  throw new Error('expected a rejection')
}

describe('file-key cipher (AES-256-GCM)', () => {
  it('round-trips, with a fresh IV per secret, and creates vault.key 0600 of 32 bytes on first encrypt', async () => {
    const dir = tempDir()
    const cipher = createFileKeyCipher(dir)
    expect(cipher.kind).toBe(FILE_KEY_CIPHER_KIND)
    expect(existsSync(cipher.keyPath)).toBe(false)
    const a = await cipher.encrypt(SECRET)
    const b = await cipher.encrypt(SECRET)
    expect(statSync(cipher.keyPath).size).toBe(32)
    if (POSIX) expect(modeOf(cipher.keyPath)).toBe(0o600)
    expect(a.equals(b)).toBe(false)
    expect(a.includes(Buffer.from(SECRET))).toBe(false)
    expect(await cipher.decrypt(a)).toBe(SECRET)
    expect(await cipher.decrypt(b)).toBe(SECRET)
    // A new instance (next launch) reads the same key.
    expect(await createFileKeyCipher(dir).decrypt(a)).toBe(SECRET)
    // No temp files left behind.
    expect(readdirSync(dir)).toEqual(['vault.key'])
  })

  it('never replaces an existing key: concurrent first uses (two instances) agree on one key', async () => {
    const dir = tempDir()
    const blobs = await Promise.all(Array.from({ length: 8 }, (_, i) => createFileKeyCipher(dir).encrypt(`secret-${i}`)))
    const reader = createFileKeyCipher(dir)
    for (const [i, blob] of blobs.entries()) expect(await reader.decrypt(blob)).toBe(`secret-${i}`)
    expect(readdirSync(dir)).toEqual(['vault.key'])
  })

  it('decrypting with a different key fails clearly', async () => {
    const blob = await createFileKeyCipher(tempDir()).encrypt(SECRET)
    const other = createFileKeyCipher(tempDir())
    await other.encrypt('x') // creates another key
    const error = await rejection(() => other.decrypt(blob))
    expect(error.code).toBe('DecryptFailed')
    expect(error.message).toMatch(/different vault key/)
    expect(error.message).not.toContain(SECRET)
  })

  it('tampered ciphertext, tag or IV, and truncated blobs fail clearly', async () => {
    const cipher = createFileKeyCipher(tempDir())
    const blob = await cipher.encrypt(SECRET)
    for (const offset of [blob.length - 1 /* ciphertext */, 1 + 8 + 12 + 3 /* tag */, 1 + 8 + 2 /* IV */]) {
      const tampered = Buffer.from(blob)
      tampered[offset] = (tampered[offset] ?? 0) ^ 0x01
      const error = await rejection(() => cipher.decrypt(tampered))
      expect(error.code).toBe('DecryptFailed')
      expect(error.message).toMatch(/integrity check/)
    }
    const short = await rejection(() => cipher.decrypt(blob.subarray(0, 20)))
    expect(short.message).toMatch(/malformed/)
    const version = Buffer.from(blob)
    version[0] = 9
    expect((await rejection(() => cipher.decrypt(version))).message).toMatch(/malformed/)
  })

  it('decrypt never creates a key: a missing key file is a clear error', async () => {
    const dir = tempDir()
    const blob = await createFileKeyCipher(dir).encrypt(SECRET)
    const elsewhere = createFileKeyCipher(tempDir())
    const error = await rejection(() => elsewhere.decrypt(blob))
    expect(error.code).toBe('KeyFileInvalid')
    expect(error.message).toMatch(/is missing/)
    expect(existsSync(elsewhere.keyPath)).toBe(false)
  })

  it.skipIf(!POSIX)('refuses a key file readable by others, and works again once fixed', async () => {
    const dir = tempDir()
    const blob = await createFileKeyCipher(dir).encrypt(SECRET)
    const keyPath = join(dir, 'vault.key')
    const before = readFileSync(keyPath)
    chmodSync(keyPath, 0o644)
    const cipher = createFileKeyCipher(dir)
    const error = await rejection(() => cipher.decrypt(blob))
    expect(error.code).toBe('KeyFileInvalid')
    expect(error.message).toContain('0644')
    expect(error.message).toContain('chmod 600')
    expect((await rejection(() => cipher.encrypt('x'))).code).toBe('KeyFileInvalid')
    // Left as it was: neither rewritten nor chmod-ed behind the user's back.
    expect(readFileSync(keyPath).equals(before)).toBe(true)
    expect(modeOf(keyPath)).toBe(0o644)
    chmodSync(keyPath, 0o600)
    expect(await cipher.decrypt(blob)).toBe(SECRET)
  })

  it('refuses a key file of the wrong size (and never overwrites it)', async () => {
    const dir = tempDir()
    const keyPath = join(dir, 'vault.key')
    writeFileSync(keyPath, randomBytes(31), { mode: 0o600 })
    const error = await rejection(() => createFileKeyCipher(dir).encrypt(SECRET))
    expect(error.code).toBe('KeyFileInvalid')
    expect(error.message).toMatch(/31 bytes; expected 32/)
    expect(statSync(keyPath).size).toBe(31)
  })

  it.skipIf(!POSIX)('refuses a symlinked key file', async () => {
    const dir = tempDir()
    const real = join(dir, 'real.key')
    writeFileSync(real, randomBytes(32), { mode: 0o600 })
    symlinkSync(real, join(dir, 'vault.key'))
    const error = await rejection(() => createFileKeyCipher(dir).encrypt(SECRET))
    expect(error.code).toBe('KeyFileInvalid')
    expect(error.message).toMatch(/symbolic link/)
  })
})

/** A stand-in for Electron's safeStorage (XOR "encryption", enough to check the adapter). */
function fakeSafeStorage(state: { available: boolean; backend?: string }): SafeStorageLike {
  const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
  return {
    isEncryptionAvailable: () => state.available,
    encryptString: (s) => Buffer.concat([Buffer.from('v10'), mask(Buffer.from(s, 'utf8'))]),
    decryptString: (b) => {
      if (b.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
      return mask(b.subarray(3)).toString('utf8')
    },
    ...(state.backend ? { getSelectedStorageBackend: () => state.backend as string } : {})
  }
}

describe('safeStorage adapter', () => {
  it('encrypts and decrypts through the injected safeStorage', async () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage({ available: true }))
    expect(cipher.kind).toBe(SAFE_STORAGE_CIPHER_KIND)
    const blob = await cipher.encrypt(SECRET)
    expect(blob.includes(Buffer.from(SECRET))).toBe(false)
    expect(await cipher.decrypt(blob)).toBe(SECRET)
  })

  it('unavailable encryption, a weak Linux backend and undecryptable blobs are clear errors', async () => {
    const state = { available: false }
    const cipher = createSafeStorageCipher(fakeSafeStorage(state))
    expect((await rejection(() => cipher.encrypt(SECRET))).code).toBe('EncryptionUnavailable')
    const weak = createSafeStorageCipher(fakeSafeStorage({ available: true, backend: 'basic_text' }))
    const error = await rejection(() => weak.encrypt(SECRET))
    expect(error.code).toBe('EncryptionUnavailable')
    expect(error.message).toMatch(/basic_text/)
    expect(await createSafeStorageCipher(fakeSafeStorage({ available: true, backend: 'basic_text' }), { allowWeakBackend: true }).encrypt('x')).toBeInstanceOf(Buffer)
    state.available = true
    const bad = await rejection(() => cipher.decrypt(Buffer.from('garbage')))
    expect(bad.code).toBe('DecryptFailed')
  })

  it('chooseCipher: safeStorage when usable, else the key file (no keyring, no passphrase)', async () => {
    const dir = tempDir()
    expect((await chooseCipher({ dataDir: dir, safeStorage: fakeSafeStorage({ available: true, backend: 'gnome_libsecret' }), keyring: false, passphrase: undefined })).kind).toBe(SAFE_STORAGE_CIPHER_KIND)
    expect((await chooseCipher({ dataDir: dir, safeStorage: fakeSafeStorage({ available: false }), keyring: false, passphrase: undefined })).kind).toBe(FILE_KEY_CIPHER_KIND)
    expect((await chooseCipher({ dataDir: dir, safeStorage: fakeSafeStorage({ available: true, backend: 'basic_text' }), keyring: false, passphrase: undefined })).kind).toBe(FILE_KEY_CIPHER_KIND)
    expect((await chooseCipher({ dataDir: dir, keyring: false, passphrase: undefined })).kind).toBe(FILE_KEY_CIPHER_KIND)
  })
})
