/**
 * AES-256-GCM under a vault key kept in the OS keyring — the Secret Service on Linux (GNOME Keyring,
 * KWallet), the macOS Keychain, the Windows Credential Manager — through `@napi-rs/keyring`, for
 * browser mode and the CLI where Electron's safeStorage is absent. Unlike `vault.key`, nothing in
 * the data folder decrypts the profiles: the key lives with the user's login session.
 *
 * One key per data folder (the keyring entry's account is a fingerprint of the folder's real path),
 * created on the first save. The binding is loaded only when a vault is opened, and every keyring
 * call has a deadline: a keyring that hangs (a locked collection waiting for a prompt nobody sees)
 * counts as unavailable instead of stalling start-up.
 */
import { createHash, randomBytes } from 'node:crypto'
import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { AES_KEY_BYTES, keyedAesCipher, loadedKey, type LoadedKey, type SecretCipher } from './keyed-aes'
import { VaultError } from './errors'
import type { AsyncEntry } from '@napi-rs/keyring'

export const KEYRING_CIPHER_KIND = 'aes-256-gcm-os-keyring'
/** Set to `0` (or `off`) to keep the vault out of the OS keyring. */
export const KEYRING_ENV = 'OSS_IMG_STUDIO_KEYRING'
export const KEYRING_SERVICE = 'OSS IMG Studio'
const DEADLINE_MS = 5000

/** The entry's account for a data folder: its real path's fingerprint (the path itself is not stored). */
export function keyringAccount(dataDir: string): string {
  let path = resolve(dataDir)
  try {
    path = realpathSync(path)
  } catch {
    // Not created yet: the resolved path is what it will be.
  }
  return `vault ${createHash('sha256').update(path).digest('hex').slice(0, 32)}`
}

async function withDeadline<T>(what: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new Error(`the OS keyring did not answer within ${DEADLINE_MS / 1000} s`))
    }, DEADLINE_MS)
  })
  try {
    return await Promise.race([what(controller.signal), deadline])
  } finally {
    clearTimeout(timer)
  }
}

function decodeKey(stored: string): Buffer {
  const key = Buffer.from(stored, 'base64')
  if (key.length !== AES_KEY_BYTES || key.toString('base64') !== stored) {
    throw new VaultError('KeyFileInvalid', `The OS keyring's entry "${KEYRING_SERVICE}" for this data folder is not a vault key (edited by another program?); delete it and re-enter the secrets`)
  }
  return key
}

/**
 * The keyring cipher for `dataDir`, or `undefined` when no OS keyring answers (no Secret Service on
 * the session bus, no session bus, access refused, or no answer before the deadline). Asking once
 * here means the vault knows which cipher it uses before the first profile is read.
 */
export async function openKeyringCipher(dataDir: string): Promise<SecretCipher | undefined> {
  let entry: AsyncEntry
  let stored: string | undefined | null
  try {
    const { AsyncEntry } = await import('@napi-rs/keyring')
    // On Linux the Secret Service only: the binding's fallback, the kernel keyring, forgets the key
    // at the next reboot — and with it every secret.
    entry = new AsyncEntry(KEYRING_SERVICE, keyringAccount(dataDir), { linux: { store: 'secret-service' } })
    stored = await withDeadline((signal) => entry.getPassword(signal))
  } catch {
    return undefined
  }
  let loaded: LoadedKey | undefined = stored ? loadedKey(decodeKey(stored)) : undefined
  let creating: Promise<LoadedKey> | undefined

  const getKey = async (create: boolean): Promise<LoadedKey> => {
    if (loaded) return loaded
    if (!create) {
      throw new VaultError('DecryptFailed', `The OS keyring has no vault key for this data folder (the entry "${KEYRING_SERVICE}" was deleted, or the folder moved); re-enter the secrets`)
    }
    creating ??= (async () => {
      const key = randomBytes(AES_KEY_BYTES)
      try {
        await withDeadline((signal) => entry.setPassword(key.toString('base64'), signal))
      } catch (error) {
        creating = undefined
        throw new VaultError('EncryptionUnavailable', `Cannot store the vault key in the OS keyring: ${error instanceof Error ? error.message : String(error)}`)
      }
      loaded = loadedKey(key)
      return loaded
    })()
    return creating
  }

  return keyedAesCipher(KEYRING_CIPHER_KIND, 'os-keyring', getKey, 'another vault key than the one the OS keyring holds for this data folder (the entry was replaced)')
}
