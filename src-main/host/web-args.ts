/**
 * Browser mode's command line: `--port N|0`, `--data-dir DIR` (or `OSS_IMG_STUDIO_HOME`), and
 * the default data folder — the same per-user folder Electron's `app.getPath('userData')` gives
 * this app, so both modes see the same profiles and styles.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'

export const APP_FOLDER = 'oss-img-studio'

export const WEB_HELP = `OSS IMG Studio — browser mode

Usage: npm start -- --web [--port N] [--data-dir DIR]
       node out/main/web.js [--port N] [--data-dir DIR]

Serves the studio on 127.0.0.1 and prints "Studio URL: http://127.0.0.1:PORT/?token=…";
open that URL in a browser on this machine. Every request needs the per-run token it carries.

Options:
  --port N         Port on 127.0.0.1 (default 0: a free port).
  --data-dir DIR   Where profiles, styles and the Local sandbox live
                   (default: $OSS_IMG_STUDIO_HOME, else the per-user app data folder).
  -h, --help       Show this help.
`

export interface WebArgs {
  readonly port: number
  readonly dataDir: string
  readonly help: boolean
}

export class WebArgsError extends Error {
  override readonly name = 'WebArgsError'
}

interface Environment {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly platform: NodeJS.Platform
  readonly home: string
}

/** `%APPDATA%\oss-img-studio`, `~/Library/Application Support/oss-img-studio`, `$XDG_CONFIG_HOME/oss-img-studio` or `~/.config/oss-img-studio`. */
export function defaultDataDir({ env, platform, home }: Environment): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_FOLDER)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_FOLDER)
}

export function parseWebArgs(argv: readonly string[], environment: Environment): WebArgs {
  let values: { port?: string | undefined; 'data-dir'?: string | undefined; help?: boolean | undefined; web?: boolean | undefined }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        // Accepted so that `npm start -- --web …` can hand its arguments over as they are.
        web: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (error) {
    throw new WebArgsError((error as Error).message)
  }
  let port = 0
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535) throw new WebArgsError(`Expected an integer between 0 and 65535 for --port but received "${values.port}"`)
    port = Number(values.port)
  }
  const fromEnv = environment.env.OSS_IMG_STUDIO_HOME
  const dataDir = values['data-dir'] ?? (fromEnv ? fromEnv : defaultDataDir(environment))
  if (dataDir.trim() === '') throw new WebArgsError('Expected a folder for --data-dir but received an empty string')
  return { port, dataDir, help: values.help === true }
}
