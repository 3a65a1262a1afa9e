/**
 * Redaction for anything that leaves the vault as text (error messages, log lines): every known
 * secret is replaced wherever it appears, however the text was built.
 */

const MASK = '***'

/** Replaces each secret (4+ characters) in `text` with `***`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text
  // Longest first, so that a secret containing another is masked whole.
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length)
  for (const secret of list) out = out.split(secret).join(MASK)
  return out
}

/**
 * `LTAI5tAbCdEfGh1234abcd` → `LTAI****abcd`: an access key id is not a secret, but it is shown only
 * masked. Short ids keep fewer characters; very short ones are fully masked.
 */
export function maskAccessKeyId(accessKeyId: string): string {
  const id = accessKeyId.trim()
  const keep = id.length >= 12 ? 4 : id.length >= 8 ? 2 : 0
  return keep === 0 ? '****' : `${id.slice(0, keep)}****${id.slice(-keep)}`
}

export type VaultLogLevel = 'info' | 'warn' | 'error'
/** Receives only ids, error codes and fixed text — never profile contents. */
export type VaultLogger = (level: VaultLogLevel, message: string) => void
