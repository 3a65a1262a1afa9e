/** Shared set-up for the style library tests: a temp data dir, a fake clock, an in-memory bucket. */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStyleLibrary, type BucketStyle, type BucketStyles, type StyleLibrary, type StyleLibraryOptions } from '../../../src-main/services/styles'

export interface Bed {
  readonly dataDir: string
  readonly library: StyleLibrary
  /** Advances the fake clock by one second per call. */
  readonly clock: () => Date
  /** Another library instance on the same data dir (e.g. after a "restart"). */
  reopen(options?: Partial<StyleLibraryOptions>): StyleLibrary
  close(): Promise<void>
}

export async function makeBed(options: Partial<StyleLibraryOptions> = {}): Promise<Bed> {
  const dataDir = await mkdtemp(join(tmpdir(), 'styles-'))
  let t = Date.parse('2026-01-01T00:00:00.000Z')
  const clock = () => new Date((t += 1000))
  let ids = 0
  const newId = () => `id-${++ids}`
  const make = (extra: Partial<StyleLibraryOptions> = {}) => createStyleLibrary({ dataDir, now: clock, newId, ...options, ...extra })
  return { dataDir, library: make(), clock, reopen: make, close: () => rm(dataDir, { recursive: true, force: true }) }
}

/** Every file under a folder, relative, sorted (dot files included). */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
      .sort()
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return []
    throw error
  }
}

/** An OSS-like error, as the OSS service throws them. */
export class FakeOssError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/** An in-memory bucket that counts calls. */
export class FakeBucket implements BucketStyles {
  readonly styles = new Map<string, BucketStyle>()
  readonly calls: string[] = []
  /** Makes the next call of that kind fail. */
  failNext: { op: 'list' | 'get' | 'put' | 'delete'; error: Error } | undefined

  constructor(initial: Record<string, string> = {}) {
    for (const [name, content] of Object.entries(initial)) this.styles.set(name, { name, content, lastModifyTime: '2025-12-01T00:00:00.000Z' })
  }

  private check(op: 'list' | 'get' | 'put' | 'delete', name?: string): void {
    this.calls.push(name === undefined ? op : `${op} ${name}`)
    if (this.failNext?.op === op) {
      const { error } = this.failNext
      this.failNext = undefined
      throw error
    }
  }

  async list(): Promise<BucketStyle[]> {
    this.check('list')
    return [...this.styles.values()]
  }

  async get(name: string): Promise<BucketStyle> {
    this.check('get', name)
    const style = this.styles.get(name)
    if (!style) throw new FakeOssError('NoSuchStyle', 404, 'The specified style does not exist.')
    return style
  }

  async put(name: string, content: string): Promise<void> {
    this.check('put', name)
    this.styles.set(name, { name, content, lastModifyTime: new Date().toISOString() })
  }

  async delete(name: string): Promise<void> {
    this.check('delete', name)
    if (!this.styles.delete(name)) throw new FakeOssError('NoSuchStyle', 404, 'The specified style does not exist.')
  }
}

/** Runs a promise that must fail and returns its error. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the operation to fail')
}
