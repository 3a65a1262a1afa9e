/**
 * Owner-only files (0600) written atomically: readers see the old content or the whole new one,
 * and the file is never, even briefly, readable by others — the temp file is created with mode
 * 0600 (`wx`, so an existing file is never followed or reused), fsynced, then renamed over.
 *
 * `src-main/util/atomic-write.ts` does the same without modes; this one is the vault's own.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { link, lstat, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export const PRIVATE_FILE_MODE = 0o600
export const PRIVATE_DIR_MODE = 0o700
const POSIX = process.platform !== 'win32'

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
}

async function writeTemp(path: string, data: Uint8Array | string): Promise<string> {
  const temp = tempPath(path)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE)
    // The umask can only narrow the mode; set it exactly anyway.
    if (POSIX) await handle.chmod(PRIVATE_FILE_MODE)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    return temp
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw error
  }
}

async function syncDir(dir: string): Promise<void> {
  if (!POSIX) return
  const handle = await open(dir, 'r').catch(() => undefined)
  if (!handle) return
  await handle.sync().catch(() => undefined)
  await handle.close().catch(() => undefined)
}

/** Creates or replaces `path` atomically with mode 0600. */
export async function writePrivateFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = await writeTemp(path, data)
  try {
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await syncDir(dirname(path))
}

/**
 * Creates `path` atomically with mode 0600 only if it does not exist yet (hard link of a complete
 * temp file: never clobbers, never exposes a partial file). Returns false when it already existed.
 */
export async function createPrivateFileExclusive(path: string, data: Uint8Array | string): Promise<boolean> {
  const temp = await writeTemp(path, data)
  try {
    await link(temp, path)
    await syncDir(dirname(path))
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error
    // File systems without hard links: check-then-rename (a narrow race, but never a partial file).
    const exists = await lstat(path).then(
      () => true,
      () => false
    )
    if (exists) return false
    await rename(temp, path)
    return true
  } finally {
    await rm(temp, { force: true })
  }
}

/** mkdir -p; folders the vault creates are 0700 (existing ones are left as they are). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
}
