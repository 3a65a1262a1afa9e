/**
 * Local files for folder sources and targets. Targets are written with util/atomic-write (durable:
 * when the journal says `done`, the file is complete and on disk; a crash leaves at worst a
 * `.name.*.tmp` leftover, which folder sources skip as a hidden file).
 *
 * Containment is by real paths, not text: a key is first checked as text (`pathInside`), then its
 * real location (symbolic links followed) must be inside the folder's real path, so a symlinked
 * subfolder or file cannot lead a write or a watermark read out of the folder the user chose.
 */
import { constants } from 'node:fs'
import { mkdir, readFile, realpath, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { ImgError } from '../../../src-shared/img/errors'
import type { ObjectResolver } from '../../engine/types'
import { fileError, isFileError, outsideFolderError } from '../../util/file-errors'

/** Whether a regular file exists at `path` (skip-existing for folder targets). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false
    throw error
  }
}

function within(base: string, path: string): boolean {
  const inside = relative(base, path)
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))
}

/** `root` + a relative `/`-separated key, or undefined when it would leave `root` (as text). */
export function pathInside(root: string, key: string): string | undefined {
  if (key === '' || key.includes('\0') || key.includes('\\') || key.startsWith('/')) return undefined
  const path = resolve(root, key)
  return path !== resolve(root) && within(resolve(root), path) ? path : undefined
}

/**
 * A folder the user chose, with its real path resolved once. Paths are reported as the user gave
 * them (the folder + the key), never as their real locations alone.
 */
export class ChosenFolder {
  private real: Promise<string> | undefined

  constructor(readonly dir: string) {}

  private realRoot(create: boolean): Promise<string> {
    this.real ??= (async () => {
      try {
        if (create) await mkdir(this.dir, { recursive: true })
        return await realpath(this.dir)
      } catch (error) {
        throw fileError(error, create ? 'write' : 'list', this.dir)
      }
    })()
    this.real.catch(() => (this.real = undefined))
    return this.real
  }

  /** The user's spelling of `key` in this folder. */
  private shown(key: string): string {
    return join(this.dir, ...key.split('/'))
  }

  private ensureInside(key: string, real: string, root: string): void {
    if (!within(root, real)) throw outsideFolderError(this.shown(key), this.dir, real)
  }

  /**
   * The real path to read `key` from, or undefined when there is no such file (or the key leaves
   * the folder as text); throws a FileError when a symbolic link leads out of the folder.
   */
  async readable(key: string): Promise<string | undefined> {
    const path = pathInside(this.dir, key)
    if (!path) return undefined
    const root = await this.realRoot(false)
    let real: string
    try {
      real = await realpath(path)
    } catch {
      return undefined
    }
    this.ensureInside(key, real, root)
    return real
  }

  /**
   * The path to write `key` to: its folders are created inside this folder's real path only (the
   * deepest existing one is resolved before anything is created, the parent again after, so a
   * symlinked subfolder cannot lead the write out); the file itself is replaced by rename, which
   * never follows a link at the last component.
   */
  async writable(key: string): Promise<string | undefined> {
    const path = pathInside(this.dir, key)
    if (!path) return undefined
    const root = await this.realRoot(true)
    const missing: string[] = []
    let existing = dirname(path)
    let real: string
    for (;;) {
      try {
        real = await realpath(existing)
        break
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'ENOENT' || !within(resolve(this.dir), dirname(existing))) throw fileError(error, 'write', this.shown(key))
        missing.unshift(basename(existing))
        existing = dirname(existing)
      }
    }
    this.ensureInside(key, real, root)
    const parent = join(real, ...missing)
    try {
      if (missing.length > 0) await mkdir(parent, { recursive: true })
      real = await realpath(parent)
    } catch (error) {
      throw fileError(error, 'write', this.shown(key))
    }
    this.ensureInside(key, real, root)
    return join(real, basename(path))
  }

  /**
   * Watermark-image objects of a folder: keys resolve to files under the folder, never outside. A
   * symlink out of it is the engine's 403 AccessDenied (the engine reports only ImgErrors as such).
   */
  objects(): ObjectResolver {
    return {
      get: async (key) => {
        let path: string | undefined
        try {
          path = await this.readable(key)
        } catch (error) {
          if (!isFileError(error)) throw error
          throw new ImgError({ code: 'AccessDenied', action: 'watermark', param: 'image', message: `watermark: ${error.message}` })
        }
        if (!path) return undefined
        try {
          // The real path ends in no link; O_NOFOLLOW refuses one swapped in since the check.
          return await readFile(path, { flag: constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) })
        } catch {
          return undefined
        }
      }
    }
  }
}

const chosen = new WeakMap<object, ChosenFolder>()

/** The one ChosenFolder of a job's folder source or target (its real path resolved once per job). */
export function chosenFolder(side: { readonly dir: string }): ChosenFolder {
  let folder = chosen.get(side)
  if (!folder) chosen.set(side, (folder = new ChosenFolder(side.dir)))
  return folder
}
