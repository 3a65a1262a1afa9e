/**
 * Hostile payloads on every channel (fast-check): random values, wrong types, missing fields,
 * strings over the limits, deep nesting, `__proto__` / `constructor` / `prototype` keys, arrays
 * where objects belong, NaN / ±Infinity. Each gets InvalidPayload when the contract refuses it, and
 * a proper (never Internal) error otherwise; nothing changes (profiles, styles, the data dir's
 * files, Object.prototype), no event is sent, the process stays up. Also: unknown channels →
 * UnknownChannel, and a slow preview cancelled through its AbortSignal → Cancelled.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS, type Channel, type Envelope } from '../../src-shared/ipc/contract'
import { err, listing, makeBed, makeJpeg, ok, removeTempDirs, type Bed } from './helpers'

let bed: Bed
let before: { profiles: unknown; styles: unknown; files: string[] }

const dispatch = (channel: unknown, payload: unknown, signal?: AbortSignal): Promise<Envelope<unknown>> => bed.services.router.dispatch(channel, payload, signal)

async function snapshot() {
  return {
    profiles: ok(await dispatch('profiles:list', {})),
    styles: ok(await dispatch('styles:list', {})),
    files: listing(bed.dataDir)
  }
}

beforeAll(async () => {
  bed = await makeBed()
  // Start the Local sandbox (it seeds its folder) and put a style and a profile in place first.
  expect(ok<{ ok: boolean }>(await dispatch('profiles:test', { id: 'local-sandbox' })).ok).toBe(true)
  ok(await dispatch('styles:save', { name: 'keep', process: 'image/resize,w_100' }))
  ok(await dispatch('profiles:create', { name: 'Kept', endpoint: 'http://localhost:9', bucket: 'kept-bucket', accessKeyId: 'LTAIkeptkeptkept', accessKeySecret: 'kept-secret-value' }))
  before = await snapshot()
})

afterAll(async () => {
  await bed?.services.close()
  removeTempDirs()
})

/** A valid payload per channel, aimed at nothing that exists (so a valid variant changes nothing). */
const BASES: { readonly [C in Channel]: Record<string, unknown> } = {
  'app:info': {},
  'profiles:list': {},
  'profiles:create': { name: 'Fuzz', endpoint: 'http://localhost:1', bucket: 'fuzz-bucket', accessKeyId: 'LTAIfuzzfuzzfuzz', accessKeySecret: 'fuzz-secret' },
  'profiles:update': { id: 'no-such-profile', patch: { name: 'x', stsToken: null } },
  'profiles:delete': { id: 'no-such-profile' },
  'profiles:setActive': { id: 'no-such-profile' },
  'profiles:test': { id: 'no-such-profile' },
  'objects:list': { profileId: 'no-such-profile', bucket: 'some-bucket', prefix: 'a/', delimiter: '/', continuationToken: 't', maxKeys: 10 },
  'uploads:add': { name: 'a.png', data: 'AAAA' },
  'preview:render': { source: { kind: 'object', profileId: 'no-such-profile', bucket: 'some-bucket', key: 'a.jpg' }, process: 'image/resize,w_10', maxSide: 100 },
  'styles:list': {},
  'styles:save': { name: 'fuzz', process: 'image/resize,w_10', description: 'd' },
  'styles:rename': { from: 'nope-a', to: 'nope-b' },
  'styles:duplicate': { name: 'nope-a', as: 'nope-b' },
  'styles:delete': { name: 'nope-a' },
  'styles:history': { name: 'nope-a' },
  'styles:revert': { name: 'nope-a', version: 1 },
  'styles:export': { names: ['nope-a'] },
  'styles:import': { json: '{}', onConflict: 'skip' },
  'styles:diff': { profileId: 'no-such-profile', bucket: 'some-bucket' },
  'styles:push': { profileId: 'no-such-profile', names: ['nope-a'] },
  'styles:pull': { profileId: 'no-such-profile', names: ['nope-a'] },
  'styles:deleteRemote': { profileId: 'no-such-profile', names: ['nope-a'] },
  'sign:url': { profileId: 'no-such-profile', key: 'a.jpg', process: 'image/resize,w_10', expiresSeconds: 60, version: 'v4', contentDisposition: 'inline' },
  'sign:check': { profileId: 'no-such-profile', bucket: 'some-bucket', key: 'a.jpg' },
  'clipboard:write': { text: 'x' },
  'jobs:list': {},
  'jobs:create': { profileId: 'no-such-profile', name: 'fuzz', source: { kind: 'bucket', bucket: 'some-bucket', prefix: 'a/', suffixes: ['.jpg'], pattern: 'a' }, styles: [{ process: 'image/resize,w_10', label: 'x' }], target: { kind: 'bucket', bucket: 'other-bucket' }, template: '{name}.{format}', conflict: 'overwrite', concurrency: 2 },
  'jobs:dryRun': { job: { profileId: 'no-such-profile', source: { kind: 'keys', bucket: 'some-bucket', keys: ['a.jpg'] }, styles: [{ style: 'nope-a' }], target: { kind: 'folder', dir: '/nonexistent/fuzz' }, template: '{name}.{format}' } },
  'jobs:example': { profileId: 'no-such-profile', source: { kind: 'bucket', prefix: 'a/' }, styles: [{ process: 'image/resize,w_10' }], target: { kind: 'bucket' }, template: '{dir}/{name}.{format}', conflict: 'skip-existing' },
  'jobs:start': { id: 'no-such-job', retryFailed: true, concurrency: 4 },
  'jobs:pause': { id: 'no-such-job' },
  'jobs:resume': { id: 'no-such-job' },
  'jobs:cancel': { id: 'no-such-job' },
  'jobs:setConcurrency': { id: 'no-such-job', concurrency: 3 },
  'jobs:report': { id: 'no-such-job', csv: true, failedOnly: true },
  'jobs:remove': { id: 'no-such-job' },
  'links:build': { profileId: 'no-such-profile', keys: ['a.jpg'], columns: [{ style: 'thumb' }], form: 'query' },
  'links:check': { checkId: 'fuzz', urls: ['http://127.0.0.1:1/a.jpg'] },
  'budget:solve': { solveId: 'fuzz', process: 'image/resize,w_10', samples: { kind: 'sources', sources: [{ kind: 'upload', uploadId: 'no-such-upload' }] }, budgetBytes: 1000, measure: 'max', formats: ['jpg'] },
  'sandbox:settings': { bucket: 'no-such-bucket' },
  'sandbox:updateSettings': { bucket: 'no-such-bucket', sourceProtection: true }
}

/** Valid payloads of these would create or change something (a profile, a style, a job, sandbox settings) or send events (a link check): they are refused only if invalid, so they are sent only then. */
const CREATES = new Set<Channel>(['profiles:create', 'styles:save', 'jobs:create', 'links:check', 'sandbox:updateSettings'])

const HUGE = ['x'.repeat(4097), 'y'.repeat(65_537), 'z'.repeat(1024 * 1024 + 1)]

function deep(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value }
  return value
}
const DEEP = [deep(2_000, 'array'), deep(2_000, 'object'), deep(50_000, 'object')]

/** An own property even for `__proto__` (as JSON.parse makes one). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, Number.NaN, Infinity, -Infinity, -0, -1, 0, 1.5, 2 ** 53, Number.MAX_VALUE, true, false, '', ' ', '\u0000', '__proto__', 'constructor', '../../../etc/passwd', 'image/', 'style/'),
  fc.constantFrom(...HUGE),
  fc.constantFrom(...DEEP),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 257, max: 20_000 }).map((n) => 'w'.repeat(n)),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.date(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.object({ maxDepth: 2 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 })).map((d) => JSON.parse(JSON.stringify(d)) as unknown),
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown)
)

type Path = readonly (string | number)[]

/** Every path into a base payload: fields, nested fields, array items. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])])
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])])
  return []
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  return node
}

function valueAt(root: unknown, path: Path): unknown {
  return path.length === 0 ? root : parentOf(root, path)[path[path.length - 1]!]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Hostile payloads for one channel, derived from its base and from nothing. */
function payloads(channel: Channel): fc.Arbitrary<unknown> {
  const base = BASES[channel]
  const paths = pathsOf(base)
  const objectPaths: Path[] = [[], ...paths.filter((p) => isPlainObject(valueAt(base, p)))]
  const variants: fc.Arbitrary<unknown>[] = [
    // Anything at all, JSON or not.
    fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withObjectString: true }),
    fc.jsonValue({ maxDepth: 4 }),
    // The whole payload as an array, a string, a number.
    fc.constantFrom<unknown>([base], [], 'payload', 42, Number.NaN, true),
    // Extra keys, including prototype-pollution keys, at any object level.
    fc.tuple(fc.constantFrom(...objectPaths), fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'toString', 'k'.repeat(100_000)), hostileValue).map(([path, key, value]) => {
      const out = clone(base) as Record<string, unknown>
      setOwn(valueAt(out, path) as Record<string, unknown>, key, value)
      return out
    })
  ]
  if (paths.length > 0) {
    variants.push(
      // One field (or nested field, or item) replaced by a hostile value.
      fc.tuple(fc.constantFrom(...paths), hostileValue).map(([path, value]) => {
        const out = clone(base)
        parentOf(out, path)[path[path.length - 1]!] = value
        return out
      }),
      // One field removed.
      fc.constantFrom(...paths).map((path) => {
        const out = clone(base)
        const parent = parentOf(out, path)
        if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1)
        else delete parent[path[path.length - 1]!]
        return out
      }),
      // Objects as arrays.
      fc.constantFrom(...paths).map((path) => {
        const out = clone(base)
        const parent = parentOf(out, path)
        const key = path[path.length - 1]!
        parent[key] = [parent[key]]
        return out
      })
    )
  }
  return fc.oneof(...variants)
}

const seenCodes = new Map<string, number>()

describe('hostile payloads on every channel', () => {
  for (const channel of Object.keys(CHANNELS) as Channel[]) {
    it(channel, async () => {
      await fc.assert(
        fc.asyncProperty(payloads(channel), async (payload) => {
          const valid = CHANNELS[channel].request.safeParse(payload ?? {}).success
          if (valid && CREATES.has(channel)) return
          const envelope = await dispatch(channel, payload)
          expect(typeof envelope.ok).toBe('boolean')
          if (!valid) {
            expect(envelope.ok).toBe(false)
            expect(err(envelope).code).toBe('InvalidPayload')
          }
          if (!envelope.ok) {
            expect(envelope.error.code).not.toBe('InternalError')
            expect(envelope.error.message.length).toBeLessThanOrEqual(2048)
            seenCodes.set(envelope.error.code, (seenCodes.get(envelope.error.code) ?? 0) + 1)
          }
        }),
        { numRuns: 120 }
      )
    })
  }

  it('limits that need big inputs: 30 MB of image data, 10 MB of style JSON, 4 KB process strings, 50,000-deep nesting', async () => {
    expect(err(await dispatch('uploads:add', { name: 'big.png', data: 'A'.repeat(30 * 1024 * 1024 + 4) })).code).toBe('InvalidPayload')
    expect(err(await dispatch('styles:import', { json: ' '.repeat(10 * 1024 * 1024 + 1), onConflict: 'skip' })).code).toBe('InvalidPayload')
    expect(err(await dispatch('preview:render', { source: { kind: 'upload', uploadId: 'x' }, process: `image/${'a'.repeat(4096)}` })).code).toBe('InvalidPayload')
    expect(err(await dispatch('styles:save', { name: 'n', process: DEEP[2] })).code).toBe('InvalidPayload')
    expect(err(await dispatch('profiles:update', { id: 'a', patch: DEEP[2] })).code).toBe('InvalidPayload')
    expect(err(await dispatch('profiles:list', DEEP[2])).code).toBe('InvalidPayload')
  })

  it('unknown channels → UnknownChannel', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.constantFrom<unknown>('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'app:Info', 'app:info ', ' app:info', 'APP:INFO', 'styles:', ''), fc.anything({ maxDepth: 2 })),
        fc.anything({ maxDepth: 2 }),
        async (channel, payload) => {
          fc.pre(!(typeof channel === 'string' && Object.hasOwn(CHANNELS, channel)))
          const envelope = await dispatch(channel, payload)
          expect(err(envelope).code).toBe('UnknownChannel')
          expect(envelope.ok ? '' : envelope.error.message.length).toBeLessThanOrEqual(2048)
        }
      ),
      { numRuns: 300 }
    )
    // Channel "names" whose conversion to a string fails or runs code (found by the property above).
    const trap = {
      toString() {
        throw new Error('ran the caller’s toString')
      }
    }
    for (const channel of [{ toString: [] }, trap, Object.create(null) as unknown, Symbol('app:info'), 10n, ['app:info']]) {
      expect(err(await dispatch(channel, {})).code).toBe('UnknownChannel')
    }
  })

  it('nothing changed: profiles, styles, files, events, Object.prototype; the router still answers', async () => {
    expect(await snapshot()).toEqual(before)
    expect(bed.events).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(bed.logs.filter((line) => line.startsWith('ipc:'))).toEqual([])
    expect(ok<{ version: string }>(await dispatch('app:info', {})).version).toBe('9.9.9-test')
    // What the valid-but-pointless payloads got (for the curious): codes only.
    console.info(`fuzz: error codes seen: ${[...seenCodes].map(([code, n]) => `${code}×${n}`).join(', ')}`)
  })
})

describe('cancellation', () => {
  it('a slow preview cancelled through its AbortSignal → Cancelled, promptly; the router still answers', async () => {
    const big = await makeJpeg(3000, 2400, 95)
    const { uploadId } = ok<{ uploadId: string }>(await dispatch('uploads:add', { name: 'big.jpg', data: big.toString('base64') }))
    const process = 'image/blur,r_50,s_50/rotate,33/sharpen,399/format,png'

    const controller = new AbortController()
    const started = performance.now()
    const pending = dispatch('preview:render', { source: { kind: 'upload', uploadId }, process }, controller.signal)
    setTimeout(() => controller.abort(), 25)
    expect(err(await pending).code).toBe('Cancelled')
    expect(performance.now() - started).toBeLessThan(1000)

    // Already aborted before it starts.
    const aborted = new AbortController()
    aborted.abort()
    expect(err(await dispatch('preview:render', { source: { kind: 'upload', uploadId }, process: 'image/resize,w_10' }, aborted.signal)).code).toBe('Cancelled')
    // And an uncancelled render of the same upload still works.
    expect(ok<{ width: number }>(await dispatch('preview:render', { source: { kind: 'upload', uploadId }, process: 'image/resize,w_64' })).width).toBe(64)
  })
})
