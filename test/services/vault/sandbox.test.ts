/**
 * The built-in Local sandbox profile: default and active on first launch, the sandbox started
 * in-process once (however many callers race), its data under `<dataDir>/sandbox`, and its
 * credentials good for the real ali-oss client.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import OSS from 'ali-oss'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as sandboxModule from '../../../src-main/sandbox'
import { createFileKeyCipher, createSandboxLauncher, createVault, DEMO_BUCKET, LOCAL_SANDBOX_ID, VaultError, type SandboxLauncher } from '../../../src-main/services/vault'
import { removeTempDirs, tempDir } from './helpers'

vi.mock('../../../src-main/sandbox', async (importOriginal) => {
  const original = await importOriginal<typeof sandboxModule>()
  return { ...original, startSandbox: vi.fn(original.startSandbox) }
})

const startSandbox = vi.mocked(sandboxModule.startSandbox)

beforeEach(() => {
  startSandbox.mockClear()
})

afterAll(removeTempDirs)

describe('createSandboxLauncher', () => {
  it('starts lazily, once for concurrent callers, with its data in <dataDir>/sandbox; close stops it', async () => {
    const dataDir = tempDir()
    const launcher = createSandboxLauncher(dataDir)
    expect(startSandbox).not.toHaveBeenCalled()
    expect(launcher.started).toBe(false)
    const all = await Promise.all(Array.from({ length: 10 }, () => launcher.ensureStarted()))
    expect(startSandbox).toHaveBeenCalledTimes(1)
    expect(startSandbox).toHaveBeenCalledWith({ dataDir: join(dataDir, 'sandbox'), port: 0, buckets: [expect.objectContaining({ name: DEMO_BUCKET })] })
    expect(new Set(all.map((c) => c.endpoint)).size).toBe(1)
    expect(all[0]?.buckets).toContain(DEMO_BUCKET)
    expect(existsSync(join(dataDir, 'sandbox'))).toBe(true)
    await launcher.ensureStarted()
    expect(startSandbox).toHaveBeenCalledTimes(1)

    const endpoint = all[0]?.endpoint as string
    await launcher.close()
    expect(launcher.started).toBe(false)
    await expect(fetch(`${endpoint}/`)).rejects.toThrow()
    // Started again on the next use.
    const again = await launcher.ensureStarted()
    expect(startSandbox).toHaveBeenCalledTimes(2)
    await launcher.close()
    await launcher.close() // idempotent
    expect(again.endpoint).toMatch(/^http:\/\/localhost:\d+$/)
  })

  it('a failed start is reported clearly and retried on the next use', async () => {
    const dataDir = tempDir()
    startSandbox.mockRejectedValueOnce(Object.assign(new Error('listen EACCES'), { code: 'EACCES' }))
    const launcher = createSandboxLauncher(dataDir, { bucket: 'plain-bucket' })
    await expect(launcher.ensureStarted()).rejects.toMatchObject({ code: 'SandboxFailed', message: 'The Local sandbox could not start (EACCES)' })
    const [a, b] = await Promise.all([launcher.ensureStarted(), launcher.ensureStarted()])
    expect(startSandbox).toHaveBeenCalledTimes(2)
    expect(a?.endpoint).toBe(b?.endpoint)
    expect(a?.buckets).toEqual(['plain-bucket'])
    await launcher.close()
  })
})

describe('the Local sandbox profile', () => {
  it('exists by default, is active on first launch, starts the sandbox once, and its credentials work with ali-oss', async () => {
    const dataDir = tempDir()
    const launcher = createSandboxLauncher(dataDir)
    try {
      const vault = await createVault({ dataDir, cipher: createFileKeyCipher(dataDir), sandbox: launcher })
      expect(vault.activeId).toBe(LOCAL_SANDBOX_ID)
      const [first] = await vault.list()
      expect(first).toEqual({ id: LOCAL_SANDBOX_ID, name: 'Local sandbox', kind: 'sandbox', bucket: DEMO_BUCKET, hasStsToken: false })
      // Listing does not start it.
      expect(startSandbox).not.toHaveBeenCalled()

      const [a, b, test, c] = await Promise.all([vault.credentialsFor(LOCAL_SANDBOX_ID), vault.credentialsFor(LOCAL_SANDBOX_ID), vault.testConnection(LOCAL_SANDBOX_ID), vault.credentialsFor(vault.activeId)])
      expect(startSandbox).toHaveBeenCalledTimes(1)
      expect(test).toEqual({ ok: true, latencyMs: expect.any(Number) })
      expect(a?.endpoint).toBe(b?.endpoint)
      expect(c).toMatchObject({ profileId: LOCAL_SANDBOX_ID, kind: 'sandbox', bucket: DEMO_BUCKET })
      expect((await vault.get(LOCAL_SANDBOX_ID)).endpoint).toBe(a.endpoint)

      const client = new OSS({ endpoint: a.endpoint as string, sldEnable: true, bucket: a.bucket, accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret } as OSS.Options)
      await client.put('hello.txt', Buffer.from('hi'))
      expect((await client.get('hello.txt')).content.toString()).toBe('hi')
      const listed = await client.listV2({ 'max-keys': '100' }, {})
      // Seeded with the demo bucket: the sample images are there.
      expect(listed.objects.map((o) => o.name)).toEqual(expect.arrayContaining(['hello.txt', 'landscape.jpg', 'logo.png']))
      // The sandbox keeps its data under <dataDir>/sandbox.
      expect(existsSync(join(dataDir, 'sandbox', DEMO_BUCKET))).toBe(true)
    } finally {
      await launcher.close()
    }
  })

  it('a sandbox that cannot start is a clear testConnection failure, not a crash', async () => {
    const failing: SandboxLauncher = { ensureStarted: () => Promise.reject(new VaultError('SandboxFailed', 'The Local sandbox could not start (EADDRINUSE)')) }
    const dataDir = tempDir()
    const vault = await createVault({ dataDir, cipher: createFileKeyCipher(dataDir), sandbox: failing })
    expect(await vault.testConnection(LOCAL_SANDBOX_ID)).toEqual({ ok: false, error: { code: 'SandboxFailed', status: 0, message: 'The Local sandbox could not start (EADDRINUSE)' } })
  })
})
