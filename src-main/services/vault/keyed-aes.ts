/**
 * The one at-rest format of the vault's own ciphers, and the shape every cipher has. A keyed AES
 * blob is AES-256-GCM under a 32-byte key (the file key's or the OS keyring's) that names its key
 * by a fingerprint, so a replaced key reads as "another key", not as tampering.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { VaultError } from './errors'

/**
 * What stands between the profile files and their secrets: the OS keychain through Electron, the OS
 * keyring (Secret Service / Keychain / Credential Manager) directly, a passphrase the user holds, or
 * only a key file beside the profiles (which anyone who can read the profiles can also read).
 */
export type SecretProtection = 'os-keychain' | 'os-keyring' | 'passphrase' | 'key-file'

export interface SecretCipher {
  /** Recorded with each profile, so that a blob is never handed to a cipher that did not make it. */
  readonly kind: string
  readonly protection: SecretProtection
  encrypt(plain: string): Promise<Buffer> | Buffer
  decrypt(blob: Buffer): Promise<string> | string
  /** Ciphers of earlier installs that still decrypt the profiles they wrote (migration). */
  readonly previous?: readonly SecretCipher[]
}

export const AES_KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_ID_BYTES = 8
const BLOB_VERSION = 1
/** version (1) | key id (8) | IV (12) | tag (16) | ciphertext */
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES

/** A fingerprint of the key (not the key). */
function keyIdOf(key: Buffer): Buffer {
  return createHash('sha256').update('oss-img-studio vault key id\0').update(key).digest().subarray(0, KEY_ID_BYTES)
}

export interface LoadedKey {
  readonly key: Buffer
  readonly id: Buffer
}

/** A 32-byte AES key and its fingerprint. */
export function loadedKey(key: Buffer): LoadedKey {
  return { key, id: keyIdOf(key) }
}

/** A cipher over the key `getKey` supplies (creating it when `create`, i.e. on the first encrypt). */
export function keyedAesCipher(kind: string, protection: SecretProtection, getKey: (create: boolean) => Promise<LoadedKey>, otherKey: string): SecretCipher {
  return {
    kind,
    protection,
    async encrypt(plain: string): Promise<Buffer> {
      const { key, id } = await getKey(true)
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([Buffer.of(BLOB_VERSION), id, iv, cipher.getAuthTag(), body])
    },
    async decrypt(blob: Buffer): Promise<string> {
      if (blob.length < HEADER_BYTES || blob[0] !== BLOB_VERSION) {
        throw new VaultError('DecryptFailed', 'The encrypted secret is malformed (truncated or edited)')
      }
      const { key, id } = await getKey(false)
      const blobKeyId = blob.subarray(1, 1 + KEY_ID_BYTES)
      if (!timingSafeEqual(blobKeyId, id)) {
        throw new VaultError('DecryptFailed', `The secret was encrypted with ${otherKey}; re-enter the secret`)
      }
      const iv = blob.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES)
      const tag = blob.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      decipher.setAuthTag(tag)
      try {
        return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        throw new VaultError('DecryptFailed', 'The encrypted secret failed its integrity check (the profile file was edited or corrupted); re-enter the secret')
      }
    }
  }
}
