/**
 * Buckets a sandbox starts with (`SandboxOptions.buckets`): a name, or a spec with the ACL,
 * source-image protection, styles and objects to seed. Applied on every start over the same data
 * folder, without clobbering what clients changed since:
 *
 * - a missing bucket is created (ACL `acl`, default private);
 * - an explicit `acl` / `sourceProtection` is applied to an existing bucket too (desired state);
 * - styles and objects are added only when missing — an existing one is never replaced.
 */
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { assertStyleContent, assertStyleName, putStyle } from './handlers/styles'
import type { ProtectionRule, StyleDelimiter } from '../../src-shared/model/image-settings'
import { imageSettingsProblems } from '../../src-shared/model/image-settings'
import { updateImageSettings } from './img-settings'
import { assertBucketName, assertObjectKey } from './names'
import type { BucketAcl, Storage } from './storage'

export type SeedObject = ({ file: string } | { data: Uint8Array }) & { contentType?: string }

export interface BucketSpec {
  name: string
  /** ACL on creation; when given, also applied to an existing bucket. */
  acl?: BucketAcl
  /** Source-image protection (anonymous requests may use styles only); when given, applied as is. */
  sourceProtection?: boolean
  /** Protection rules (prefix/suffix, up to 10) and their case-insensitivity; when given, applied as is. */
  protectionRules?: ProtectionRule[]
  protectionIgnoreCase?: boolean
  /** The style delimiter (`photo.jpg!thumb`); when given, applied as is. */
  styleDelimiter?: StyleDelimiter
  /** Style name → content (`image/…`), added when missing. */
  styles?: Record<string, string>
  /** Object key → file or bytes, added when missing. */
  objects?: Record<string, SeedObject>
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.avif': 'image/avif',
  '.json': 'application/json',
  '.txt': 'text/plain'
}

export function guessContentType(key: string): string {
  return MIME[extname(key).toLowerCase()] ?? 'application/octet-stream'
}

export function toBucketSpec(entry: string | BucketSpec): BucketSpec {
  return typeof entry === 'string' ? { name: entry } : entry
}

export async function seedBuckets(storage: Storage, entries: readonly (string | BucketSpec)[]): Promise<void> {
  const specs = entries.map(toBucketSpec)
  // Validate everything first: an invalid seed fails the start before anything is changed.
  for (const spec of specs) {
    assertBucketName(spec.name)
    for (const [name, content] of Object.entries(spec.styles ?? {})) {
      assertStyleName(name)
      assertStyleContent(content)
    }
    for (const key of Object.keys(spec.objects ?? {})) assertObjectKey(key)
    const problems = imageSettingsProblems(spec)
    if (problems.length > 0) throw new Error(`bucket ${spec.name}: ${problems.join('; ')}`)
  }
  for (const spec of specs) {
    const record = storage.getBucket(spec.name)
    if (!record) await storage.createBucket(spec.name, spec.acl ? { acl: spec.acl } : {})
    else if (spec.acl && record.acl !== spec.acl) await storage.setBucketAcl(spec.name, spec.acl)
    const { sourceProtection, protectionRules, protectionIgnoreCase, styleDelimiter } = spec
    const settings = { sourceProtection, protectionRules, protectionIgnoreCase, styleDelimiter }
    if (Object.values(settings).some((v) => v !== undefined)) await updateImageSettings(storage, spec.name, settings)
    for (const [name, content] of Object.entries(spec.styles ?? {})) await putStyle(storage, spec.name, name, content, { onlyIfMissing: true })
    for (const [key, object] of Object.entries(spec.objects ?? {})) {
      if (storage.headObject(spec.name, key)) continue
      const data = 'file' in object ? await readFile(object.file) : object.data
      await storage.putObject(spec.name, key, data, { contentType: object.contentType ?? guessContentType(key) })
    }
  }
}
