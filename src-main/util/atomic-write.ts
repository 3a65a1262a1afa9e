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
  try {
    await writeThroughTemp(path, data, options)
  } catch (error) {
    throw fileError(error, 'write', path)
  }
}

async function writeThroughTemp(path: string, data: Uint8Array | string, options: AtomicWriteOptions): Promise<void> {
  const durable = options.durable !== false
  const dir = dirname(path)
  if (options.mkdir) await mkdir(dir, { recursive: true })
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644)
    let written = 0
    while (written < bytes.length) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten
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
