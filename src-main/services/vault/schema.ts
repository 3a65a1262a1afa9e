/**
 * Validation (zod) of profile input, patches and the stored profile file. Error texts name the
 * field and the rule, never the value received (it might be a secret typed in the wrong field).
 */
import { z } from 'zod'
import { resolveAddressing } from '../oss'
import { VaultError, type VaultIssue } from './errors'

export const PROFILE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/
const REGION = /^(?:oss-)?[a-z]{2,}(?:-[a-z0-9]+)+$/
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
// Printable ASCII without spaces: what access key ids, secrets and STS tokens are made of.
const TOKEN = /^[\x21-\x7E]+$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/

const name = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .refine((v) => !CONTROL.test(v), 'must not contain control characters')

function isHostName(host: string): boolean {
  if (host.length > 253) return false
  const labels = host.split('.')
  return labels.length >= 2 && labels.every((l) => HOST_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] ?? '')
}

/** http(s) origin; `https://` is assumed without a scheme. Normalized to `scheme://host[:port]`. */
const endpoint = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255, 'must be at most 255 characters')
  .transform((raw, ctx) => {
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw)
    let url: URL
    try {
      url = new URL(hasScheme ? raw : `https://${raw}`)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL such as https://oss-cn-hangzhou.aliyuncs.com' })
      return z.NEVER
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must use http or https' })
      return z.NEVER
    }
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'must be an origin only (no user, path or query)' })
      return z.NEVER
    }
    return url.origin
  })

/** `oss-cn-hangzhou` or `cn-hangzhou`, stored as `oss-cn-hangzhou`. */
const region = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => REGION.test(v) && v.length <= 64, 'must be a region id such as oss-cn-hangzhou')
  .transform((v) => (v.startsWith('oss-') ? v : `oss-${v}`))

const bucket = z
  .string()
  .trim()
  .refine((v) => BUCKET_NAME.test(v), 'must be 3-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen')

const accessKeyId = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters')
  .refine((v) => TOKEN.test(v), 'must be printable ASCII without spaces')

const secret = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => TOKEN.test(v), 'must be printable ASCII without spaces')

const accessKeySecret = secret(256)
const stsToken = secret(16384)

const customDomain = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => isHostName(v), 'must be a host name such as img.example.com (no scheme or path)')

export const profileInputSchema = z.strictObject({
  name,
  endpoint: endpoint.optional(),
  region: region.optional(),
  bucket,
  accessKeyId,
  accessKeySecret,
  stsToken: stsToken.optional(),
  customDomain: customDomain.optional()
})

export const profilePatchSchema = z.strictObject({
  name: name.optional(),
  endpoint: endpoint.nullable().optional(),
  region: region.nullable().optional(),
  bucket: bucket.optional(),
  accessKeyId: accessKeyId.optional(),
  accessKeySecret: accessKeySecret.optional(),
  stsToken: stsToken.nullable().optional(),
  customDomain: customDomain.nullable().optional()
})

export type ValidProfileInput = z.output<typeof profileInputSchema>
export type ValidProfilePatch = z.output<typeof profilePatchSchema>

/** The connection part of a profile, after a patch is applied: checked as a whole. */
export interface ConnectionFields {
  readonly endpoint?: string | undefined
  readonly region?: string | undefined
}

/** Endpoint/region combinations the OSS service accepts (the same rules, checked before saving). */
export function connectionIssues(fields: ConnectionFields): VaultIssue[] {
  if (!fields.endpoint && !fields.region) return [{ path: 'endpoint', message: 'an endpoint or a region is required' }]
  try {
    resolveAddressing({ endpoint: fields.endpoint, region: fields.region })
    return []
  } catch (error) {
    // The OSS service's messages name the field and echo the endpoint/region only.
    const message = error instanceof Error ? error.message : 'is invalid'
    const match = /^(endpoint|region|cname): (.*)$/s.exec(message)
    return [{ path: match?.[1] === 'region' ? 'region' : 'endpoint', message: match?.[2] ?? message }]
  }
}

function issuesOf(error: z.ZodError): VaultIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return { path: '', message: `unknown field(s): ${issue.keys.join(', ')}` }
    if (issue.code === 'invalid_type') return { path: issue.path.map(String).join('.'), message: `must be a ${issue.expected}` }
    return { path: issue.path.map(String).join('.'), message: issue.message }
  })
}

export function validationError(issues: readonly VaultIssue[], what = 'Invalid profile'): VaultError {
  const text = issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ')
  return new VaultError('ValidationError', `${what}: ${text}`, { issues })
}

/** Parses or throws a ValidationError (messages never echo values). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what?: string): z.output<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw validationError(issuesOf(result.error), what)
  return result.data
}

// ---------------------------------------------------------------------------------------------
// The profile file

export const PROFILE_FORMAT_VERSION = 1
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const blob = z.string().min(1).max(65536).regex(BASE64, 'must be Base64')

export const storedProfileSchema = z.object({
  version: z.literal(PROFILE_FORMAT_VERSION),
  id: z.string().regex(PROFILE_ID),
  name,
  endpoint: endpoint.optional(),
  region: region.optional(),
  bucket,
  accessKeyId,
  customDomain: customDomain.optional(),
  /** `SecretCipher.kind` that made the blobs. */
  cipher: z.string().min(1).max(64),
  secrets: z.object({ accessKeySecret: blob, stsToken: blob.optional() }),
  createdAt: z.string().max(64),
  updatedAt: z.string().max(64)
})

export type StoredProfile = z.output<typeof storedProfileSchema>

/** Problems with a stored profile, as one line naming the fields (never their values). */
export function describeStoredIssues(error: z.ZodError): string {
  return issuesOf(error)
    .slice(0, 3)
    .map((i) => (i.path ? `${i.path} ${i.message}` : i.message))
    .join('; ')
}
