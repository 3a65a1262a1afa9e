/**
 * budget:solve over the router against a real sandbox: uploads and a bucket prefix as samples,
 * budget:progress events, cancellation through the request's signal, and payloads the contract refuses.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { CHANNELS } from '../../src-shared/ipc/contract'
import { directTransport, err, makeBed, ok, removeTempDirs, tempDir, type Bed, type Transport } from './helpers'

const BUCKET = 'budget-bucket'
let sandbox: Sandbox
let bed: Bed
let transport: Transport
let profileId: string
let uploadIds: string[]

function texture(width: number, height: number, sigma: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma } } }).blur(0.8).png().toBuffer()
}

type Solved = { results: { format: string; Q: number | null; met: boolean; maxBytes: number; p95Bytes: number; medianBytes: number; score: number | null; timeMs: number }[]; samples: number }

async function solve(payload: Record<string, unknown>, signal?: AbortSignal) {
  const envelope = await transport.call('budget:solve', { solveId: 'run1', process: 'image/resize,w_200', budgetBytes: 12_000, measure: 'max', formats: ['jpg', 'webp'], ...payload }, signal)
  if (envelope.ok) expect(CHANNELS['budget:solve'].response.safeParse(envelope.result).success).toBe(true)
  return envelope
}

beforeAll(async () => {
  const [a, b] = await Promise.all([texture(400, 300, 30), texture(300, 300, 50)])
  sandbox = await startSandbox({
    dataDir: tempDir('budget-sandbox-'),
    buckets: [{ name: BUCKET, acl: 'private', objects: { 'thumbs/a.png': { data: a! }, 'thumbs/b.png': { data: b! }, 'thumbs/notes.txt': { data: Buffer.from('not an image') }, 'other/c.png': { data: a! } } }],
    accessKeyId: 'LTAI5tBudgetTestKey01',
    accessKeySecret: 'budget-test-secret'
  })
  bed = await makeBed()
  transport = directTransport(bed.services)
  profileId = ok<{ id: string }>(await transport.call('profiles:create', { name: 'Budget', endpoint: sandbox.endpoint, bucket: BUCKET, accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret })).id
  uploadIds = []
  for (const [name, data] of [['a.png', a!], ['b.png', b!]] as const) uploadIds.push(ok<{ uploadId: string }>(await transport.call('uploads:add', { name, data: data.toString('base64') })).uploadId)
})

afterAll(async () => {
  await transport?.close()
  await bed?.services.close()
  await sandbox?.close()
  removeTempDirs()
})

describe('budget:solve', () => {
  it('solves uploads per format and reports progress to the end', async () => {
    transport.events.length = 0
    const solved = ok<Solved>(await solve({ samples: { kind: 'sources', sources: uploadIds.map((uploadId) => ({ kind: 'upload', uploadId })) } }))
    expect(solved.samples).toBe(2)
    expect(solved.results.map((r) => r.format)).toEqual(['jpg', 'webp'])
    for (const r of solved.results) {
      expect(r.met).toBe(true)
      expect(r.maxBytes).toBeLessThanOrEqual(12_000)
      expect(r.Q).toBeGreaterThanOrEqual(1)
    }
    const progress = transport.events.filter((e) => e.event === 'budget:progress').map((e) => e.payload as { solveId: string; done: number; total: number })
    expect(progress.length).toBeGreaterThan(2)
    expect(progress.every((p) => p.solveId === 'run1')).toBe(true)
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total)
  })

  it('takes the images under a bucket prefix as samples (by extension: notes.txt is left out)', async () => {
    const solved = ok<Solved>(await solve({ samples: { kind: 'prefix', profileId, prefix: 'thumbs/' }, formats: ['webp'] }))
    expect(solved.samples).toBe(2)
    const fromUploads = ok<Solved>(await solve({ samples: { kind: 'sources', sources: uploadIds.map((uploadId) => ({ kind: 'upload', uploadId })) }, formats: ['webp'] }))
    // Same bytes, same answer.
    expect(solved.results[0]).toMatchObject({ Q: fromUploads.results[0]!.Q, maxBytes: fromUploads.results[0]!.maxBytes })
  })

  it('is cancelled by the request signal', async () => {
    const controller = new AbortController()
    const off = bed.services.onEvent((event) => {
      if (event === 'budget:progress') controller.abort()
    })
    const envelope = await solve({ samples: { kind: 'sources', sources: uploadIds.map((uploadId) => ({ kind: 'upload', uploadId })) } }, controller.signal)
    off()
    expect(err(envelope).code).toBe('Cancelled')
  })

  it('refuses formats without a quality, an empty sample list and a missing upload', async () => {
    expect(err(await solve({ samples: { kind: 'sources', sources: [{ kind: 'upload', uploadId: uploadIds[0] }] }, formats: ['png'] })).code).toBe('InvalidPayload')
    expect(err(await solve({ samples: { kind: 'sources', sources: [] } })).code).toBe('InvalidPayload')
    expect(err(await solve({ samples: { kind: 'sources', sources: [{ kind: 'upload', uploadId: 'gone' }] } })).code).toBe('NoSuchUpload')
    expect(err(await solve({ samples: { kind: 'prefix', profileId, prefix: 'nothing-here/' } })).code).toBe('NoSamples')
  })
})
