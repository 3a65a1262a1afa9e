/**
 * VaultError: the one error type of the credential vault. Messages are built only from ids, file
 * names, field names and fixed text — never from secret values (nor from raw file contents, which
 * could hold anything after corruption).
 */

export type VaultErrorCode =
  /** Input failed validation (`issues` says which fields). */
  | 'ValidationError'
  /** No profile with this id (or the id is not a valid profile id). */
  | 'NotFound'
  /** The built-in Local sandbox profile cannot be edited or deleted. */
  | 'ReadOnlyProfile'
  /** The profile file cannot be read as a profile (truncated, edited, wrong version…). */
  | 'CorruptProfile'
  /** A secret could not be decrypted (another key, tampered blob, other cipher). */
  | 'DecryptFailed'
  /** The key file is missing, has the wrong size or type, or permissions broader than 0600. */
  | 'KeyFileInvalid'
  /** The OS-backed encryption (Electron safeStorage) is unavailable or too weak. */
  | 'EncryptionUnavailable'
  /** The Local sandbox could not be started. */
  | 'SandboxFailed'
  /** A file system error while reading or writing the vault. */
  | 'IoError'

export interface VaultIssue {
  /** Dotted field path, e.g. `bucket`. */
  readonly path: string
  readonly message: string
}

export class VaultError extends Error {
  override readonly name = 'VaultError'
  readonly code: VaultErrorCode
  readonly issues: readonly VaultIssue[] | undefined
  readonly profileId: string | undefined

  constructor(code: VaultErrorCode, message: string, extra: { issues?: readonly VaultIssue[]; profileId?: string } = {}) {
    super(message)
    this.code = code
    this.issues = extra.issues
    this.profileId = extra.profileId
  }

  /** What may cross IPC. */
  toJSON(): { code: VaultErrorCode; message: string; issues?: VaultIssue[]; profileId?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: [...this.issues] } : {}),
      ...(this.profileId ? { profileId: this.profileId } : {})
    }
  }
}

export function isVaultError(value: unknown): value is VaultError {
  return value instanceof VaultError
}

/** A file system error as a VaultError naming the operation and the errno code only. */
export function ioError(action: string, error: unknown, profileId?: string): VaultError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return new VaultError('IoError', `${action} failed${code ? ` (${code})` : ''}`, profileId ? { profileId } : {})
}
