/**
 * Bucket and object naming rules. Storage never maps a key to a path (objects live under hashed
 * file names), so these checks are about OSS conformance and defence in depth, not the only wall.
 */
import { Err } from './errors'

/** OSS: 3–63 characters, lower-case letters, digits and '-', starting and ending alphanumeric. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name)
}

export function assertBucketName(name: string): void {
  if (!isValidBucketName(name)) throw Err.invalidBucketName(name)
}

export const MAX_KEY_BYTES = 1023
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Throws 400 InvalidObjectName for keys OSS rejects (empty, > 1023 UTF-8 bytes, leading '/' or
 * '\') and for the ones the sandbox refuses on top: NUL, lone surrogates and `..` segments.
 * Backslashes elsewhere are stored as OSS stores them (`a\b.txt`): keys never become paths.
 */
export function assertObjectKey(key: string): void {
  if (key === '') throw Err.invalidObjectName('The Object name can not be empty', '0016-00000001')
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw Err.invalidObjectName('The Length of Object name must be less than 1024', '0016-00000002')
  if (LONE_SURROGATE.test(key)) throw Err.invalidObjectName('The specified object is not valid.', '0016-00000002')
  if (key.startsWith('/') || key.startsWith('\\') || key.includes('\0')) throw Err.invalidObjectName('The specified object is not valid.')
  if (key.split('/').includes('..')) throw Err.invalidObjectName('The specified object is not valid.')
}

export function isValidObjectKey(key: string): boolean {
  try {
    assertObjectKey(key)
    return true
  } catch {
    return false
  }
}

/** Compare two keys the way OSS lists them: by UTF-8 bytes (= by code point). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (0xD800–0xDFFF) encode code points above 0xFFFF: they sort after 0xE000–0xFFFF.
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx !== sy) return sx ? 1 : -1
    return x - y
  }
  return a.length - b.length
}
