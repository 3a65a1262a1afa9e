/**
 * Local files for folder sources and targets. Targets are written with util/atomic-write (durable:
 * when the journal says `done`, the file is complete and on disk; a crash leaves at worst a
 * `.name.*.tmp` leftover, which folder sources skip as a hidden file).
 */
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import type { ObjectResolver } from '../../engine/types'

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
