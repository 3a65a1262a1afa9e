/**
 * AES-256-GCM under a key derived from a passphrase (`OSS_IMG_STUDIO_PASSPHRASE`) with scrypt, for
 * browser mode and the CLI where Electron's safeStorage is absent: unlike `vault.key`, nothing on
 * disk is enough to decrypt. Each blob carries its scrypt salt (not secret), so no key file or salt
 * file exists; one salt per process means one derivation for every encrypt, and a derived key is
 * cached per salt for decrypts.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto'
import { VaultError } from './errors'
import type { SecretCipher } from './keyed-aes'

export const PASSPHRASE_CIPHER_KIND = 'aes-256-gcm-scrypt'
export const PASSPHRASE_ENV = 'OSS_IMG_STUDIO_PASSPHRASE'
/** scrypt cost (OWASP's minimum for scrypt: N=2^17, r=8, p=1); 128 MiB of memory per derivation. */
const SCRYPT: ScryptOptions = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 }
const KEY_BYTES = 32
const SALT_BYTES = 16
const IV_BYTES = 12
const TAG_BYTES = 16
const BLOB_VERSION = 1
/** version (1) | salt (16) | IV (12) | tag (16) | ciphertext */
const HEADER_BYTES = 1 + SALT_BYTES + IV_BYTES + TAG_BYTES

function derive(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, SCRYPT, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

export function createPassphraseCipher(passphrase: string): SecretCipher {
  if (passphrase.length === 0) throw new VaultError('EncryptionUnavailable', `${PASSPHRASE_ENV} is empty; set a passphrase or unset it`)
  const keys = new Map<string, Promise<Buffer>>()
  const keyFor = (salt: Buffer): Promise<Buffer> => {
    const id = salt.toString('hex')
    let key = keys.get(id)
    if (!key) keys.set(id, (key = derive(passphrase, salt)))
    return key
  }
  const ownSalt = randomBytes(SALT_BYTES)
  return {
    kind: PASSPHRASE_CIPHER_KIND,
    protection: 'passphrase',
    async encrypt(plain: string): Promise<Buffer> {
      const key = await keyFor(ownSalt)
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([Buffer.of(BLOB_VERSION), ownSalt, iv, cipher.getAuthTag(), body])
    },
    async decrypt(blob: Buffer): Promise<string> {
      if (blob.length < HEADER_BYTES || blob[0] !== BLOB_VERSION) throw new VaultError('DecryptFailed', 'The encrypted secret is malformed (truncated or edited)')
      const salt = blob.subarray(1, 1 + SALT_BYTES)
      const iv = blob.subarray(1 + SALT_BYTES, 1 + SALT_BYTES + IV_BYTES)
      const tag = blob.subarray(1 + SALT_BYTES + IV_BYTES, HEADER_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', await keyFor(Buffer.from(salt)), iv, { authTagLength: TAG_BYTES })
      decipher.setAuthTag(tag)
      try {
        return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        throw new VaultError('DecryptFailed', `The secret cannot be decrypted with this ${PASSPHRASE_ENV} (another passphrase, or the profile was edited); set the passphrase it was saved with, or re-enter the secret`)
      }
    }
  }
}
