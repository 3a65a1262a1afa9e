/**
 * Finds the Electron executable WITHOUT triggering Electron's lazy download: `require('electron')`
 * (and Playwright's `_electron.launch()` without `executablePath`) would try to fetch the binary
 * from GitHub, which cannot work on the machines this project is built on. This mirrors
 * node_modules/electron/index.js `getElectronPath()` minus the download.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export type ElectronBinary = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string }

function defaultExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ElectronBinary {
  const packageDir = join(root, 'node_modules', 'electron')
  if (!existsSync(join(packageDir, 'package.json'))) return { found: false, reason: 'the electron package is not installed (run npm ci)' }
  const pathFile = join(packageDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  if (override !== undefined && override !== '') {
    const path = join(override, relative ?? defaultExecutable(platform))
    return existsSync(path) ? { found: true, path } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist` }
  }
  if (relative === undefined) {
    return { found: false, reason: 'Electron binary not installed: node_modules/electron has no path.txt/dist (Electron 45 downloads it lazily from GitHub, which cannot be reached on this machine)' }
  }
  const path = join(packageDir, 'dist', relative)
  return existsSync(path) ? { found: true, path } : { found: false, reason: `Electron binary not installed: ${path} is missing` }
}

/** Electron on Linux needs a display; under CI use `xvfb-run -a npm run test:e2e:electron`. */
export function missingDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux') return undefined
  if ((env.DISPLAY ?? '') !== '' || (env.WAYLAND_DISPLAY ?? '') !== '') return undefined
  return 'no display (DISPLAY/WAYLAND_DISPLAY unset): run under `xvfb-run -a npm run test:e2e:electron`'
}

/** Why the Electron e2e tests cannot run here, or undefined when they can. */
export function electronSkipReason(root: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const binary = findElectronBinary(root, env, platform)
  if (!binary.found) return binary.reason
  return missingDisplay(env, platform)
}
