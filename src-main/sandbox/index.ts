/**
 * `src-main/sandbox`: a folder on disk served over the OSS REST protocol on 127.0.0.1, for tests
 * and offline work with the real `ali-oss` client:
 *
 *   const sandbox = await startSandbox({ dataDir, buckets: ['demo-bucket'] })
 *   const client = new OSS({ endpoint: sandbox.endpoint, sldEnable: true, bucket: 'demo-bucket',
 *     accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret })
 *
 * Use `endpoint` as given (`http://localhost:PORT`) with `sldEnable: true` (path style): an IP
 * endpoint makes ali-oss drop the bucket from the URL. Buckets are folders under `dataDir`
 * (layout in storage.ts); operations in routes.ts; auth (V1/V4, header/URL, STS) in auth.ts.
 * Never imports Electron.
 */
import type { ImageSettings, ImageSettingsPatch } from '../../src-shared/model/image-settings'
import type { FaultOptions } from './faults'
import type { BucketAcl } from './storage'
import type { BucketSpec } from './seed'
import { startSandboxServer } from './server'

export interface SandboxOptions {
  dataDir: string
  /** 0 or absent = a random free port. */
  port?: number
  /**
   * Buckets to start with: a name (created private if missing) or a spec with the ACL, source-image
   * protection, styles and objects to seed (seed.ts: missing ones are added, nothing is replaced).
   */
  buckets?: (string | BucketSpec)[]
  accessKeyId?: string
  /** Generated if absent. */
  accessKeySecret?: string
  /** Fault injection for tests; off unless given (see faults.ts: deterministic rates). */
  faults?: FaultOptions
}

export interface Sandbox {
  /** `http://localhost:PORT` */
  readonly endpoint: string
  readonly port: number
  readonly accessKeyId: string
  readonly accessKeySecret: string
  /** Current bucket names. */
  readonly buckets: readonly string[]
  /** Mint STS-style temporary credentials (default 3600 s); expired or unknown tokens get 403. */
  /** A bucket's IMG settings: style delimiter, source-image protection and its rules. */
  imageSettings(bucket: string): Promise<ImageSettings>
  /** Merge into a bucket's IMG settings (absent fields are kept, `null` clears one); rejects invalid settings. */
  updateImageSettings(bucket: string, patch: ImageSettingsPatch): Promise<ImageSettings>
  /** A bucket's ACL, and PutBucketACL's effect without a request. */
  bucketAcl(bucket: string): BucketAcl
  setBucketAcl(bucket: string, acl: BucketAcl): Promise<void>
  issueStsCredentials(opts?: { expiresInSeconds?: number }): { accessKeyId: string; accessKeySecret: string; securityToken: string; expiration: string }
  close(): Promise<void>
}

export function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  return startSandboxServer(options)
}

export type { FaultOptions } from './faults'
export type { BucketAcl } from './storage'
export type { BucketSpec, SeedObject } from './seed'
export type { ImageSettings, ImageSettingsPatch } from '../../src-shared/model/image-settings'
export { DEMO_BUCKET, DEMO_STYLES, demoBucket } from './demo'
