/**
 * The one way main writes a whole file: a temp file in the same folder (created exclusively, 0644),
 * written, then renamed over the target, so readers see either the old content or the whole new
 * one, never a partial file; a failure removes the temp file. Durable by default: the data is
 * fdatasync'd before the rename and the folder fsync'd after, so once this resolves the new file
 * survives a crash or a power loss (a bulk job's journal says `done` only then). Owner-only files
 * (the vault) have their own writer, services/vault/private-file.ts. Failures are FileErrors about
 * `path` (the temp file's name never reaches the user).
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileError } from './file-errors'

export interface AtomicWriteOptions {
  /** fdatasync the file and fsync its folder (default true). */
  readonly durable?: boolean
  /** Create the folder (and its parents) first. */
  readonly mkdir?: boolean
}

export async function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  try {
    await throughTemp(path, options, async (handle) => {
      let written = 0
      while (written < bytes.length) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten
    })
  } catch (error) {
    throw fileError(error, 'write', path)
  }
}

/**
 * The same guarantees when something else writes the file: `produce(temp)` fills the temp file by
 * its path (e.g. the engine's encoder, `processImageToFile`, so the output never sits whole in JS
 * memory), then it is fdatasync'd and renamed like any other. A failure of `produce` is rethrown as
 * it is (an ImgError stays one); file-system failures become FileErrors about `path`.
 */
export async function writeFileAtomicWith<T>(path: string, produce: (temp: string) => Promise<T>, options: AtomicWriteOptions = {}): Promise<T> {
  let produced: { value: T } | undefined
  try {
    // The writer opens the file by its path; the handle stays open for the fdatasync (of the inode: what the writer wrote).
    await throughTemp(path, options, async (_handle, temp) => {
      produced = { value: await produce(temp).catch((error: unknown) => Promise.reject(new ProduceFailure(error))) }
    })
  } catch (error) {
    if (error instanceof ProduceFailure) throw error.cause
    throw fileError(error, 'write', path)
  }
  return produced!.value
}

/** Marks a failure of `produce` so it is not mistaken for the writer's own. */
class ProduceFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('produce failed')
  }
}

/** Creates the temp file exclusively (0644), lets `fill` write it, syncs, renames; on failure removes it. */
async function throughTemp(path: string, options: AtomicWriteOptions, fill: (handle: FileHandle, temp: string) => Promise<void>): Promise<void> {
  const durable = options.durable !== false
  const dir = dirname(path)
  if (options.mkdir) await mkdir(dir, { recursive: true })
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644)
    await fill(handle, temp)
    if (durable) await handle.datasync()
    await handle.close()
    handle = undefined
    await rename(temp, path)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw error
  }
  if (durable) await syncFolder(dir)
}

/** Makes a rename (or a new file) in `dir` durable; not every file system can fsync a folder, which is fine. */
export async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // EISDIR/EINVAL/EPERM on some platforms and file systems: the file's own sync still holds.
  } finally {
    await handle?.close().catch(() => undefined)
  }
}
