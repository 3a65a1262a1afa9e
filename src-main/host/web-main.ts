#!/usr/bin/env node
/**
 * Browser mode's entry (`out/main/web.js`; `npm start -- --web`): the main-process services
 * behind the web host on 127.0.0.1, serving the built renderer. Prints exactly one line,
 * `Studio URL: http://127.0.0.1:PORT/?token=…`, and stops cleanly on SIGINT/SIGTERM.
 *
 * `OSS_IMG_STUDIO_TOKEN` (≥ 32 characters of [A-Za-z0-9_-]) fixes the token instead of a random
 * one: for the e2e suite only, which needs to know it before the server starts.
 */
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { version } from '../../package.json'
import { createMainServices } from '../app/main-services'
import { startWebHost } from './web'
import { parseWebArgs, WEB_HELP, WebArgsError } from './web-args'

async function main(): Promise<number> {
  let args
  try {
    args = parseWebArgs(process.argv.slice(2), { env: process.env, platform: process.platform, home: homedir() })
  } catch (error) {
    if (error instanceof WebArgsError) {
      process.stderr.write(`oss-img-studio: ${error.message}\nRun with --help for usage.\n`)
      return 2
    }
    throw error
  }
  if (args.help) {
    process.stdout.write(WEB_HELP)
    return 0
  }

  const dataDir = resolve(args.dataDir)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const services = await createMainServices({ dataDir, mode: 'web', version })
  let host
  try {
    host = await startWebHost({
      services,
      rendererDir: join(import.meta.dirname, '..', 'renderer'),
      port: args.port,
      host: '127.0.0.1',
      ...(process.env.OSS_IMG_STUDIO_TOKEN ? { token: process.env.OSS_IMG_STUDIO_TOKEN } : {})
    })
  } catch (error) {
    await services.close()
    const code = (error as { code?: unknown }).code
    process.stderr.write(`oss-img-studio: could not serve on 127.0.0.1${args.port ? `:${args.port}` : ''}${code === 'EADDRINUSE' ? ' (the port is in use; try --port 0)' : `: ${(error as Error).message}`}\n`)
    return 1
  }
  process.stdout.write(`Studio URL: ${host.url}\n`)

  return new Promise<number>((resolveExit) => {
    let stoppingSince: number | undefined
    const stop = (signal: NodeJS.Signals) => {
      if (stoppingSince !== undefined) {
        // The same Ctrl+C often arrives twice (terminal + `npm start` forwarding it): only a
        // later, separate one means "do not wait any longer".
        if (Date.now() - stoppingSince > 1000) process.exit(130)
        return
      }
      stoppingSince = Date.now()
      process.stderr.write(`oss-img-studio: ${signal}, stopping…\n`)
      Promise.allSettled([host.close()])
        .then(() => services.close())
        .then(
          () => resolveExit(0),
          () => resolveExit(1)
        )
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`oss-img-studio: ${(error as Error)?.message ?? String(error)}\n`)
    process.exit(1)
  }
)
