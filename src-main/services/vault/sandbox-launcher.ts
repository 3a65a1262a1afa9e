/**
 * The Local sandbox behind the built-in profile: started in-process on first use (once, however
 * many callers race), data in `<dataDir>/sandbox`, seeded with the demo bucket (sample images and
 * example styles; seeding only adds what is missing), stopped by `close()`.
 */
import { join } from 'node:path'
import { DEMO_BUCKET, demoBucket, startSandbox, type BucketAcl, type BucketSpec, type ImageSettings, type ImageSettingsPatch, type Sandbox } from '../../sandbox'
import { VaultError } from './errors'
import type { VaultLogger } from './redact'

export { DEMO_BUCKET }

/** How to reach the running sandbox. Main-process only (it carries the sandbox's secret). */
export interface SandboxConnection {
  /** `http://localhost:PORT` */
  readonly endpoint: string
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly buckets: readonly string[]
}

export interface SandboxLauncher {
  ensureStarted(): Promise<SandboxConnection>
}

/** The running sandbox's per-bucket IMG settings and ACL (started on first use). */
export interface SandboxSettingsPort {
  imageSettings(bucket: string): Promise<ImageSettings>
  updateImageSettings(bucket: string, patch: ImageSettingsPatch): Promise<ImageSettings>
  bucketAcl(bucket: string): Promise<BucketAcl>
  setBucketAcl(bucket: string, acl: BucketAcl): Promise<void>
}

export interface SandboxLauncherOptions {
  /**
   * The bucket to start with. Default: the sandbox's demo bucket (`demoBucket()`: sample images
   * from `resources/samples` and example styles); an empty `demo-bucket` if the samples are not found.
   */
  readonly bucket?: string | BucketSpec
  /** Ids, codes and fixed text only. */
  readonly log?: VaultLogger
}

export interface ClosableSandboxLauncher extends SandboxLauncher, SandboxSettingsPort {
  /** Stops the sandbox if it was started (waits for a start in progress). A later `ensureStarted` starts it again. */
  close(): Promise<void>
  /** True once a start has been requested and not closed since. */
  readonly started: boolean
}

export function createSandboxLauncher(dataDir: string, options: SandboxLauncherOptions = {}): ClosableSandboxLauncher {
  let starting: Promise<Sandbox> | undefined

  const bucketSpec = (): string | BucketSpec => {
    if (options.bucket !== undefined) return options.bucket
    try {
      return demoBucket()
    } catch {
      // A packaging problem must not take the offline mode down: the app works with an empty bucket.
      options.log?.('warn', 'sample images not found; the Local sandbox starts with an empty demo bucket')
      return DEMO_BUCKET
    }
  }

  const start = async (): Promise<Sandbox> => {
    try {
      return await startSandbox({ dataDir: join(dataDir, 'sandbox'), port: 0, buckets: [bucketSpec()] })
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code
      throw new VaultError('SandboxFailed', `The Local sandbox could not start${typeof code === 'string' && /^[A-Za-z]+$/.test(code) ? ` (${code})` : ''}`)
    }
  }

  const running = (): Promise<Sandbox> => {
    if (!starting) {
      const attempt = start()
      starting = attempt
      // A failed start is not remembered: the next call tries again.
      attempt.catch(() => {
        if (starting === attempt) starting = undefined
      })
    }
    return starting
  }

  return {
    get started() {
      return starting !== undefined
    },
    async ensureStarted(): Promise<SandboxConnection> {
      const sandbox = await running()
      return { endpoint: sandbox.endpoint, accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret, buckets: [...sandbox.buckets] }
    },
    imageSettings: async (bucket) => (await running()).imageSettings(bucket),
    updateImageSettings: async (bucket, patch) => (await running()).updateImageSettings(bucket, patch),
    bucketAcl: async (bucket) => (await running()).bucketAcl(bucket),
    setBucketAcl: async (bucket, acl) => (await running()).setBucketAcl(bucket, acl),
    async close(): Promise<void> {
      const current = starting
      starting = undefined
      if (!current) return
      const sandbox = await current.catch(() => undefined)
      await sandbox?.close()
    }
  }
}
