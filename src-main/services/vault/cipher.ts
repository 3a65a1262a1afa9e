/**
 * How secrets are encrypted at rest. The vault stores, per profile, the `kind` of the cipher that
 * encrypted its secrets and the blobs as Base64; it never stores a secret in clear.
 *
 * - Desktop app: Electron `safeStorage` (OS keychain / DPAPI / libsecret), injected by the Electron
 *   host through `SafeStorageLike` — services never import Electron.
 * - Browser mode and the CLI: AES-256-GCM under a key in the OS keyring (keyring-cipher.ts), else
 *   under a passphrase (passphrase-cipher.ts), else — the weak last resort — under a random
 *   32-byte key kept in `<dataDir>/vault.key`, mode 0600.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { VaultError } from './errors'
import { AES_KEY_BYTES, keyedAesCipher, loadedKey, type LoadedKey, type SecretCipher } from './keyed-aes'
import { KEYRING_ENV, openKeyringCipher } from './keyring-cipher'
import { createPassphraseCipher, PASSPHRASE_ENV } from './passphrase-cipher'
import { createPrivateFileExclusive, ensurePrivateDir } from './private-file'

export type { SecretCipher, SecretProtection } from './keyed-aes'

// ---------------------------------------------------------------------------------------------
// AES-256-GCM with a key file

export const FILE_KEY_CIPHER_KIND = 'aes-256-gcm-file-key'
export const KEY_FILE_NAME = 'vault.key'
const KEY_BYTES = AES_KEY_BYTES
const POSIX = process.platform !== 'win32'

export interface FileKeyCipher extends SecretCipher {
  readonly keyPath: string
}

function keyFileError(keyPath: string, problem: string): VaultError {
  return new VaultError('KeyFileInvalid', `Vault key file ${keyPath} ${problem}`)
}

/** Opens without following symlinks and checks type, owner, permissions and size on the open handle. */
async function readKeyFile(keyPath: string): Promise<Buffer | undefined> {
  let handle
  try {
    handle = await open(keyPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'ELOOP') throw keyFileError(keyPath, 'is a symbolic link; expected a regular file')
    throw keyFileError(keyPath, `cannot be opened (${code ?? 'unknown error'})`)
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw keyFileError(keyPath, 'is not a regular file')
    if (POSIX) {
      if ((stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(4, '0')
        throw keyFileError(keyPath, `has permissions ${mode}; it must be readable only by you (0600). Fix it with: chmod 600 "${keyPath}"`)
      }
      const uid = process.getuid?.()
      if (uid !== undefined && stat.uid !== uid) throw keyFileError(keyPath, `is owned by another user (uid ${stat.uid})`)
    }
    if (stat.size !== KEY_BYTES) throw keyFileError(keyPath, `has ${stat.size} bytes; expected ${KEY_BYTES} (truncated, or not a vault key)`)
    const key = await handle.readFile()
    if (key.length !== KEY_BYTES) throw keyFileError(keyPath, `has ${key.length} bytes; expected ${KEY_BYTES}`)
    return key
  } finally {
    await handle.close()
  }
}

/**
 * AES-256-GCM under `<dataDir>/vault.key`: created on the first `encrypt` (random, 0600, atomically,
 * never overwriting an existing key), refused if it has the wrong size or broader permissions.
 * `decrypt` never creates a key: without the file, the secrets are gone and the error says so.
 */
export function createFileKeyCipher(dataDir: string): FileKeyCipher {
  const keyPath = join(dataDir, KEY_FILE_NAME)
  let loaded: Promise<LoadedKey> | undefined

  const load = async (create: boolean): Promise<LoadedKey> => {
    let key = await readKeyFile(keyPath)
    if (!key && create) {
      await ensurePrivateDir(dataDir)
      const fresh = randomBytes(KEY_BYTES)
      // Lost a race with another process: use the key it wrote.
      key = (await createPrivateFileExclusive(keyPath, fresh)) ? fresh : await readKeyFile(keyPath)
    }
    if (!key) throw keyFileError(keyPath, 'is missing, so secrets encrypted with it cannot be decrypted; re-enter them (or restore the key file)')
    return loadedKey(key)
  }

  const getKey = (create: boolean): Promise<LoadedKey> => {
    if (!loaded) {
      const attempt = load(create)
      loaded = attempt
      // Failures are not cached: the user can fix the permissions and retry.
      attempt.catch(() => {
        if (loaded === attempt) loaded = undefined
      })
    }
    return loaded
  }

  return { ...keyedAesCipher(FILE_KEY_CIPHER_KIND, 'key-file', getKey, `a different vault key than ${keyPath} (the key file was replaced, or the profile comes from another installation)`), keyPath }
}

// ---------------------------------------------------------------------------------------------
// Electron safeStorage (injected)

export const SAFE_STORAGE_CIPHER_KIND = 'electron-safe-storage'

/** The part of Electron's `safeStorage` the vault uses; the Electron host passes `safeStorage` itself. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: `basic_text` means a hard-coded password, i.e. no real protection. */
  getSelectedStorageBackend?(): string
}

export interface SafeStorageCipherOptions {
  /** Accept Linux's `basic_text` backend (no keyring). Default false: refused as too weak. */
  readonly allowWeakBackend?: boolean
}

/** True when `safeStorage` can encrypt with an OS-protected key (what `chooseCipher` checks). */
export function isSafeStorageUsable(safeStorage: SafeStorageLike, options: SafeStorageCipherOptions = {}): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false
  return options.allowWeakBackend === true || safeStorage.getSelectedStorageBackend?.() !== 'basic_text'
}

export function createSafeStorageCipher(safeStorage: SafeStorageLike, options: SafeStorageCipherOptions = {}): SecretCipher {
  const check = (action: string): void => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new VaultError('EncryptionUnavailable', `Cannot ${action} secrets: the operating system's secure storage (Electron safeStorage) is not available`)
    }
    if (options.allowWeakBackend !== true && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new VaultError('EncryptionUnavailable', `Cannot ${action} secrets: no keyring is available (safeStorage backend "basic_text" offers no protection)`)
    }
  }
  return {
    kind: SAFE_STORAGE_CIPHER_KIND,
    protection: 'os-keychain',
    encrypt(plain: string): Buffer {
      check('encrypt')
      try {
        return safeStorage.encryptString(plain)
      } catch {
        throw new VaultError('EncryptionUnavailable', 'The operating system\'s secure storage failed to encrypt the secret')
      }
    },
    decrypt(blob: Buffer): string {
      check('decrypt')
      try {
        return safeStorage.decryptString(blob)
      } catch {
        // Electron's own message carries nothing useful and is not passed on.
        throw new VaultError('DecryptFailed', 'The operating system\'s secure storage could not decrypt the secret (the keychain entry changed, or the profile was edited); re-enter the secret')
      }
    }
  }
}

/**
 * What the hosts use, strongest first: safeStorage when it is given and usable (desktop); else the
 * OS keyring (browser mode, the CLI; unless `OSS_IMG_STUDIO_KEYRING=0`); else a key derived from
 * `OSS_IMG_STUDIO_PASSPHRASE`; only without any of them the key file, whose key lies beside the
 * profiles (README: Security; the studio warns). The other ciphers that can still read stay as
 * readers (`previous`), so profiles saved under them open and move to the chosen cipher when they
 * are next saved.
 */
export async function chooseCipher(
  options: {
    dataDir: string
    safeStorage?: SafeStorageLike | undefined
    passphrase?: string | undefined
    /** Ask the OS keyring (default: unless `OSS_IMG_STUDIO_KEYRING` is `0`/`off`/`false`). */
    keyring?: boolean | undefined
  } & SafeStorageCipherOptions
): Promise<SecretCipher> {
  const passphrase = 'passphrase' in options ? options.passphrase : process.env[PASSPHRASE_ENV]
  const keyringWanted = options.keyring ?? !/^(0|off|false|no)$/i.test(process.env[KEYRING_ENV] ?? '')
  const candidates: SecretCipher[] = []
  if (options.safeStorage && isSafeStorageUsable(options.safeStorage, options)) candidates.push(createSafeStorageCipher(options.safeStorage, options))
  const keyring = keyringWanted ? await openKeyringCipher(options.dataDir) : undefined
  if (keyring) candidates.push(keyring)
  if (passphrase !== undefined && passphrase !== '') candidates.push(createPassphraseCipher(passphrase))
  candidates.push(createFileKeyCipher(options.dataDir))
  const [chosen, ...previous] = candidates as [SecretCipher, ...SecretCipher[]]
  return previous.length > 0 ? { ...chosen, previous } : chosen
}
