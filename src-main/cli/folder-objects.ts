import { readFile } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import type { ObjectResolver } from '../engine/types'

/**
 * Resolves watermark object keys to files under a folder. Keys are OSS keys ('/'-separated);
 * anything that would leave the folder (`..`, absolute paths, backslashes, NUL) is not found.
 */
export function folderObjects(root: string): ObjectResolver {
  const base = resolve(root)
  return {
    async get(key) {
      if (key === '' || key.includes('\0') || key.includes('\\') || key.startsWith('/')) return undefined
      const path = resolve(base, key)
      const inside = relative(base, path)
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined
      try {
        return await readFile(path)
      } catch {
        return undefined
      }
    }
  }
}
