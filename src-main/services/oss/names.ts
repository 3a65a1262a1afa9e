/**
 * OSS naming rules, checked before any request so that a bad name fails fast with OSS's own
 * status and code instead of a round trip (or, worse, ali-oss silently rewriting it: it strips
 * leading slashes from keys).
 */
import { STYLE_NAME } from '../../../src-shared/img/process'
import { clientError } from './errors'

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/
const MAX_KEY_BYTES = 1023
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// XML 1.0 cannot carry C0 controls other than tab/newline/CR; such keys cannot be listed back.
// eslint-disable-next-line no-control-regex
const XML_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

/** OSS bucket naming: 3–63 chars, lower-case letters, digits and hyphens, no hyphen at either end. */
export function assertBucketName(name: unknown, param = 'bucket'): asserts name is string {
  if (typeof name !== 'string' || !BUCKET_NAME.test(name)) {
    throw clientError({
      code: 'InvalidBucketName',
      status: 400,
      message: `${param}: expected 3-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen, but received ${JSON.stringify(name)}`
    })
  }
}

/**
 * OSS object naming: 1–1023 UTF-8 bytes, not starting with `/` or `\`. On top, no `.` or `..`
 * path segment: OSS would store `a/../b`, but ali-oss's HTTP client normalises the URL path, so
 * the request would reach another object (or bucket) and fail with a confusing
 * SignatureDoesNotMatch / InvalidBucketName — refused here, naming the key.
 */
export function assertObjectKey(key: unknown, param = 'key'): asserts key is string {
  const fail = (expected: string) =>
    clientError({ code: 'InvalidObjectName', status: 400, message: `${param}: expected ${expected} but received ${JSON.stringify(typeof key === 'string' && key.length > 80 ? `${key.slice(0, 77)}...` : key)}` })
  if (typeof key !== 'string' || key.length === 0) throw fail('a non-empty object key')
  const bytes = Buffer.byteLength(key, 'utf8')
  if (bytes > MAX_KEY_BYTES) throw fail(`an object key of at most ${MAX_KEY_BYTES} UTF-8 bytes (${bytes})`)
  if (key.startsWith('/') || key.startsWith('\\')) throw fail('an object key not starting with "/" or "\\"')
  if (LONE_SURROGATE.test(key)) throw fail('an object key that is valid UTF-16 (no lone surrogates)')
  if (XML_UNSAFE.test(key)) throw fail('an object key without control characters')
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) throw fail('an object key without "." or ".." path segments')
}

/**
 * Style names (spec oss-img.md §7): 1–63 of [A-Za-z0-9_.-]. OSS answers 400 InvalidArgument with
 * EC 0017-00000250 for the length and 0017-00000251 for the character set.
 */
export function assertStyleName(name: unknown): asserts name is string {
  if (typeof name === 'string' && STYLE_NAME.test(name)) return
  const text = typeof name === 'string' ? name : String(name)
  const ec = typeof name !== 'string' || name.length === 0 || name.length > 63 ? '0017-00000250' : '0017-00000251'
  throw clientError({ code: 'InvalidArgument', status: 400, ec, message: `The value: ${text} of parameter: stylename is invalid.` })
}

/** x-oss-meta-* names: ASCII letters, digits and hyphens (case-insensitive on the wire). */
const META_NAME = /^[A-Za-z0-9-]+$/
// Header values must be visible ASCII (plus space/tab): Node refuses anything else.
const HEADER_VALUE = /^[\t\u0020-\u007E]*$/

export function assertUserMeta(meta: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(meta)) {
    if (!META_NAME.test(name)) {
      throw clientError({ code: 'InvalidArgument', status: 400, message: `meta: expected a name of ASCII letters, digits or hyphens but received ${JSON.stringify(name)}` })
    }
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      throw clientError({ code: 'InvalidArgument', status: 400, message: `meta: expected a printable ASCII value for ${name} (URL-encode other text) but received ${JSON.stringify(value)}` })
    }
  }
}

export function assertHeaderValue(name: string, value: string): void {
  if (!HEADER_VALUE.test(value)) {
    throw clientError({ code: 'InvalidArgument', status: 400, message: `${name}: expected a printable ASCII header value but received ${JSON.stringify(value)}` })
  }
}
