/**
 * Without an OS keyring (here: a session bus address where no bus listens, as on a server or in
 * CI), the vault falls back to the passphrase, then to the key file — and the cipher says which, so
 * the studio can warn. A file of its own: the keyring binding keeps its first connection per process.
 */
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chooseCipher, FILE_KEY_CIPHER_KIND, PASSPHRASE_CIPHER_KIND } from '../../../src-main/services/vault'
import { removeTempDirs, tempDir } from './helpers'

process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(tempDir(), 'no-bus-here')}`
afterAll(removeTempDirs)

describe('OS keyring absent', () => {
  it('falls back to the passphrase, then the key file', async () => {
    const dataDir = tempDir()
    expect(await chooseCipher({ dataDir, keyring: true, passphrase: 'p' })).toMatchObject({ kind: PASSPHRASE_CIPHER_KIND, protection: 'passphrase' })
    const fallback = await chooseCipher({ dataDir, keyring: true, passphrase: undefined })
    expect(fallback).toMatchObject({ kind: FILE_KEY_CIPHER_KIND, protection: 'key-file' })
    expect(fallback.previous).toBeUndefined()
  })
})
