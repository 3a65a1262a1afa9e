/**
 * Local files for folder sources and targets.
 *
 * `writeFileDurable`: temp file in the same folder (O_EXCL, 0644), write, fdatasync, rename over
 * the target, fsync the folder — so when the journal says `done`, the file is complete and on
 * disk, and a crash at any point leaves either the old file or the whole new one (at worst a
 * `.name.*.tmp` leftover, which folder sources skip as a hidden file).
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { ObjectResolver } from '../../engine/types'

export async function writeFileDurable(path: string, data: Uint8Array, options: { syncDir?: boolean } = {}): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644)
    let written = 0
    while (written < data.length) written += (await handle.write(data, written, data.length - written)).bytesWritten
    await handle.datasync()
    await handle.close()
    handle = undefined
    await rename(temp, path)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw error
  }
  if (options.syncDir !== false) {
    let dirHandle: FileHandle | undefined
    try {
      dirHandle = await open(dir, 'r')
      await dirHandle.sync()
    } catch {
      // Not every file system can fsync a folder.
    } finally {
      await dirHandle?.close()
    }
  }
}

/** Whether a regular file exists at `path` (skip-existing for folder targets). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false
    throw error
  }
}

/** `root` + a relative `/`-separated key, or undefined when it would leave `root`. */
export function pathInside(root: string, key: string): string | undefined {
  if (key === '' || key.includes('\0') || key.includes('\\') || key.startsWith('/')) return undefined
  const base = resolve(root)
  const path = resolve(base, key)
  const inside = relative(base, path)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined
  return path
}

/** Watermark-image objects of a folder source: keys resolve to files under the folder, never outside. */
export function folderObjects(root: string): ObjectResolver {
  return {
    async get(key) {
      const path = pathInside(root, key)
      if (!path) return undefined
      try {
        return await readFile(path)
      } catch {
        return undefined
      }
    }
  }
}
