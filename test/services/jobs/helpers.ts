/**
 * Shared set-up for the job tests: a real sandbox over HTTP (the real ali-oss client underneath
 * OssService) whose routes count, per object, every write that reached storage (PutObject and
 * saveas) and every saveas request that reached its handler — so "nothing written twice" and "no
 * retry of a 4xx" are checked where they happen, independently of the runner's own bookkeeping.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { BucketSpec, FaultOptions, Sandbox } from '../../../src-main/sandbox'
import type { Route } from '../../../src-main/sandbox/router'
import { SANDBOX_ROUTES } from '../../../src-main/sandbox/routes'
import { startSandboxServer } from '../../../src-main/sandbox/server'
import type { Storage } from '../../../src-main/sandbox/storage'
import { OssService, type OssConnectionConfig } from '../../../src-main/services/oss'

export interface CountingSandbox {
  readonly sandbox: Sandbox
  readonly dataDir: string
  /** `bucket/key` → objects stored under that key through the HTTP API (PutObject, saveas). */
  readonly writes: Map<string, number>
  /** `bucket/key` of the source → saveas requests that reached the handler. */
  readonly saveasRequests: Map<string, number>
  service(bucket: string, overrides?: Partial<OssConnectionConfig>): OssService
  connect(bucket: string): OssService
  close(): Promise<void>
}

function countingStorage(storage: Storage, writes: Map<string, number>): Storage {
  return new Proxy(storage, {
    get(target, prop) {
      if (prop === 'putObject') {
        return async (...args: Parameters<Storage['putObject']>) => {
          const meta = await target.putObject(...args)
          const id = `${args[0]}/${args[1]}`
          writes.set(id, (writes.get(id) ?? 0) + 1)
          return meta
        }
      }
      const value = Reflect.get(target, prop) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    }
  })
}

export async function startCountingSandbox(buckets: (string | BucketSpec)[], faults?: FaultOptions): Promise<CountingSandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-sandbox-'))
  const writes = new Map<string, number>()
  const saveasRequests = new Map<string, number>()
  const routes: Route[] = SANDBOX_ROUTES.map((route) => ({
    ...route,
    handler: async (ctx) => {
      if (route.name === 'PostProcessTask') {
        const id = `${ctx.bucket}/${ctx.key}`
        saveasRequests.set(id, (saveasRequests.get(id) ?? 0) + 1)
      }
      return route.handler({ ...ctx, storage: countingStorage(ctx.storage, writes) })
    }
  }))
  const sandbox = await startSandboxServer({ dataDir, port: 0, buckets, routes, ...(faults ? { faults } : {}) })
  const services = new Map<string, OssService>()
  const service = (bucket: string, overrides: Partial<OssConnectionConfig> = {}) =>
    new OssService({ endpoint: sandbox.endpoint, bucket, accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...overrides })
  return {
    sandbox,
    dataDir,
    writes,
    saveasRequests,
    service,
    connect(bucket) {
      let s = services.get(bucket)
      if (!s) {
        s = service(bucket)
        services.set(bucket, s)
      }
      return s
    },
    async close() {
      await sandbox.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** A small JPEG of one colour (fast to process: the jobs are the subject, not the engine). */
export async function tinyJpeg(width = 32, height = 24, color = '#336699'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).jpeg({ quality: 80 }).toBuffer()
}

export function tempDir(prefix = 'jobs-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Faster item retries for tests (same policy shape: exponential backoff, full jitter). */
export const FAST_RETRY = { maxAttempts: 8, baseDelayMs: 2, maxDelayMs: 20 }
