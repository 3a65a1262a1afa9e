/**
 * File-system failures as sentences about the path the user gave: `cannot write "out/x.jpg": the
 * folder "out" does not exist`, never Node's `ENOENT: …, open 'out/.x.jpg.863bad2499c8.tmp'` with
 * an internal temp name or a syscall (`EISDIR rename`, `ENOTDIR scandir`). Every module that
 * touches the user's files (atomic writes, folder sources and targets, `--bucket-dir`, the CLI's
 * inputs, the sandbox's data folder, the vault) reports through `fileError`. The errno stays in
 * `code`, so callers still tell transient failures (EMFILE, EBUSY) from permanent ones.
 */
import { lstatSync } from 'node:fs'
import { dirname } from 'node:path'

/** What was being done to the path. */
export type FileAction = 'read' | 'write' | 'list' | 'use' | 'use the data folder' | 'use the journal' | 'use the target folder'

export class FileError extends Error {
  override readonly name = 'FileError'
  /** The errno (`ENOENT`, `EACCES`, …), or `OutsideFolder` for a containment refusal. */
  readonly code: string
  /** The path as the user gave it (or as the folder they gave + the key). */
  readonly path: string

  constructor(code: string, path: string, message: string) {
    super(message)
    this.code = code
    this.path = path
  }
}

export function isFileError(value: unknown): value is FileError {
  return value instanceof FileError
}

const q = (path: string) => JSON.stringify(path)

/** The code of a containment refusal: a request to refuse, not a failing disk. */
export const OUTSIDE_FOLDER = 'OutsideFolder'

/** The first ancestor of `path` (itself included) that exists but is not a folder. */
function fileInTheWay(path: string, includeSelf: boolean): string | undefined {
  const chain: string[] = []
  for (let p = includeSelf ? path : dirname(path); ; p = dirname(p)) {
    chain.unshift(p)
    if (dirname(p) === p) break
  }
  for (const p of chain) {
    try {
      const entry = lstatSync(p)
      if (!entry.isDirectory() && !entry.isSymbolicLink()) return p
    } catch {
      return undefined
    }
  }
  return undefined
}

/** The outermost missing folder on the way to `path`. */
function firstMissing(path: string): string {
  let missing = dirname(path)
  for (let p = dirname(path); dirname(p) !== p; p = dirname(p)) {
    try {
      lstatSync(p)
      break
    } catch {
      missing = p
    }
  }
  return missing
}

function notAFolder(blocker: string | undefined, path: string): string | undefined {
  if (blocker === undefined) return undefined
  return blocker === path ? 'it is a file, not a folder' : `${q(blocker)} is a file, not a folder`
}

function reason(code: string, action: FileAction, path: string): string {
  switch (code) {
    case 'ENOENT':
      if (action === 'write') return `the folder ${q(firstMissing(path))} does not exist`
      return action === 'read' ? 'no such file' : 'no such folder'
    case 'ENOTDIR':
      return notAFolder(fileInTheWay(path, action !== 'read' && action !== 'write'), path) ?? 'a part of the path is a file, not a folder'
    case 'EEXIST':
      // mkdir of a folder (or of a parent) where a file is.
      return notAFolder(fileInTheWay(path, true), path) ?? 'it already exists'
    case 'EISDIR':
      return 'it is a folder, not a file'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ENOSPC':
      return 'no space is left on the device'
    case 'EDQUOT':
      return 'the disk quota is exhausted'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ELOOP':
      return 'it is a symbolic link, or a loop of symbolic links'
    case 'ENAMETOOLONG':
      return 'the name is too long'
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open (try again with less concurrency)'
    case 'EBUSY':
      return 'it is busy (in use by another program)'
    case 'EIO':
      return 'an input/output error occurred (a failing disk or a disconnected drive?)'
    default:
      return `error ${code}`
  }
}

/** A Node file-system error (an errno code and the path it was about), not a socket's or a parser's. */
export function isFsError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  const e = error as NodeJS.ErrnoException | undefined
  return typeof e?.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.path === 'string'
}

/**
 * `error` as a FileError about `path` when it is a Node file-system error; anything else (an
 * ImgError, an abort, an existing FileError) is returned as is.
 */
export function fileError(error: unknown, action: FileAction, path: string): unknown {
  if (error instanceof FileError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return error
  return new FileError(code, path, `cannot ${action} ${q(path)}: ${reason(code, action, path)}`)
}

/** A path inside a chosen folder whose real location is outside it (through a symbolic link). */
export function outsideFolderError(path: string, folder: string, real: string): FileError {
  return new FileError(OUTSIDE_FOLDER, path, `refused ${q(path)}: it leads out of the folder ${q(folder)} (through a symbolic link, to ${q(real)})`)
}
