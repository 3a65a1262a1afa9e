/**
 * Fault injection (tests only, off by default): deterministic failure and drop rates, latency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src-main/sandbox'
import { client, rejection, removeDir, tempRoot } from './helpers'

const BUCKET = 'fault-bucket'
const CREDS = { accessKeyId: 'LTAIfaults', accessKeySecret: 'fault-secret' }
let root: string

beforeAll(async () => {
  root = tempRoot()
  const setup = await startSandbox({ dataDir: root, buckets: [BUCKET], ...CREDS })
  await client(setup, BUCKET).put('a.txt', Buffer.from('payload'))
  await setup.close()
})

afterAll(() => removeDir(root))

async function withFaults(faults: SandboxOptions['faults'], run: (sandbox: Sandbox) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox({ dataDir: root, ...CREDS, ...(faults ? { faults } : {}) })
  try {
    await run(sandbox)
  } finally {
    await sandbox.close()
  }
}

/** Outcome of n sequential GETs through ali-oss: 200, an HTTP error status, or 'drop'. */
async function outcomes(sandbox: Sandbox, n: number): Promise<(number | string)[]> {
  const oss = client(sandbox, BUCKET, { timeout: 5000 })
  const results: (number | string)[] = []
  for (let i = 0; i < n; i++) {
    try {
      await oss.get('a.txt')
      results.push(200)
    } catch (error) {
      const e = error as { status?: number; code?: string }
      results.push(e.status === undefined || e.status < 0 ? 'drop' : `${e.status} ${e.code}`)
    }
  }
  return results
}

describe('fault injection', () => {
  it('is off by default', async () => {
    await withFaults(undefined, async (sandbox) => {
      expect(await outcomes(sandbox, 20)).toEqual(Array(20).fill(200))
    })
  })

  it('fails exactly failRate of the requests, alternating 500 InternalError and 503 SlowDown', async () => {
    await withFaults({ failRate: 0.5 }, async (sandbox) => {
      const results = await outcomes(sandbox, 12)
      expect(results).toEqual([200, '500 InternalError', 200, '503 SlowDown', 200, '500 InternalError', 200, '503 SlowDown', 200, '500 InternalError', 200, '503 SlowDown'])
      const err = await rejection(client(sandbox, BUCKET).get('a.txt').then(() => client(sandbox, BUCKET).get('a.txt')))
      expect(err.requestId).toMatch(/^[0-9A-F]{24}$/)
    })
  })

  it('drops exactly dropRate of the connections (the client sees a network error)', async () => {
    await withFaults({ dropRate: 0.25 }, async (sandbox) => {
      const results = await outcomes(sandbox, 20)
      expect(results.filter((r) => r === 'drop').length).toBe(5)
      expect(results.filter((r) => r === 200).length).toBe(15)
      expect(results.slice(0, 4)).toEqual([200, 200, 200, 'drop'])
    })
  })

  it('adds latency', async () => {
    await withFaults({ latencyMs: 150 }, async (sandbox) => {
      const started = performance.now()
      await client(sandbox, BUCKET).get('a.txt')
      expect(performance.now() - started).toBeGreaterThanOrEqual(145)
    })
  })

  it('rejects rates outside 0..1', async () => {
    await expect(startSandbox({ dataDir: `${root}/unused`, faults: { failRate: 2 } })).rejects.toThrow(RangeError)
  })
})
