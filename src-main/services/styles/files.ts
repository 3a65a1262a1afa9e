/**
 * Where styles live on disk:
 *
 *   <dataDir>/styles/<stem>.json                 one document per style (history inside)
 *   <dataDir>/styles/.trash/<stem>@<ms>.json      deleted styles, restorable
 *
 * The stem is the style name, except that each capital letter is preceded by `^` and a name that
 * Windows reserves for devices (con, nul, com1, …, with or without an extension) gets a leading
 * `~`: `thumb` → `thumb.json`, `Thumb` → `^Thumb.json`, `con` → `~con.json`. OSS names are
 * case-sensitive but the default macOS and Windows file systems are not; without this `Thumb`
 * and `thumb` would be one file and a save of one would overwrite the other. Neither `^` nor `~`
 * is allowed in an OSS style name, so the mapping is one-to-one and reversible.
 */
import { basename, dirname, join, resolve } from 'node:path'
import { STYLE_NAME } from '../../../src-shared/img/process'

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i

export function styleFileStem(name: string): string {
  const stem = name.replace(/[A-Z]/g, (c) => `^${c}`)
  return WINDOWS_DEVICE.test(stem) ? `~${stem}` : stem
}

/** The style name a stem encodes, or undefined when the stem is not one this module makes. */
export function styleNameFromStem(stem: string): string | undefined {
  const name = stem.replace(/^~/, '').replace(/\^/g, '')
  return STYLE_NAME.test(name) && styleFileStem(name) === stem ? name : undefined
}

export interface StylePaths {
  readonly root: string
  readonly trash: string
  file(name: string): string
}

export function stylePaths(dataDir: string): StylePaths {
  const root = resolve(dataDir, 'styles')
  return {
    root,
    trash: join(root, '.trash'),
    file(name: string): string {
      if (!STYLE_NAME.test(name)) throw new Error(`not a style name: ${JSON.stringify(name)}`)
      const path = join(root, `${styleFileStem(name)}.json`)
      // `.` and `..` are valid OSS names; as `..json` / `...json` they are ordinary files, but
      // never let any name resolve outside the folder.
      if (dirname(path) !== root || basename(path) !== `${styleFileStem(name)}.json`) {
        throw new Error(`style file outside the library: ${JSON.stringify(name)}`)
      }
      return path
    }
  }
}
