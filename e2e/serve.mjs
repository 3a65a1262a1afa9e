#!/usr/bin/env node
/**
 * Playwright's web server for the e2e suite: `npm start -- --web` (scripts/start.mjs → browser
 * mode) on a fresh data folder, with the token the suite chose (OSS_IMG_STUDIO_TOKEN), its output
 * copied to E2E_SERVER_LOG so the specs can check the server's logs (e.g. for secrets).
 * Stops the studio on SIGTERM/SIGINT and removes the data folder.
 */
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const { E2E_PORT, E2E_DATA_DIR, E2E_SERVER_LOG } = process.env
if (!E2E_PORT || !E2E_DATA_DIR || !E2E_SERVER_LOG || !process.env.OSS_IMG_STUDIO_TOKEN) {
  process.stderr.write('e2e/serve.mjs: run through playwright.config.ts (E2E_PORT, E2E_DATA_DIR, E2E_SERVER_LOG, OSS_IMG_STUDIO_TOKEN)\n')
  process.exit(2)
}

mkdirSync(dirname(E2E_SERVER_LOG), { recursive: true })
mkdirSync(E2E_DATA_DIR, { recursive: true })
const log = createWriteStream(E2E_SERVER_LOG, { flags: 'w' })

const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--web', '--port', E2E_PORT, '--data-dir', E2E_DATA_DIR], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'pipe']
})
child.stdout.on('data', (chunk) => {
  log.write(chunk)
  process.stdout.write(chunk)
})
child.stderr.on('data', (chunk) => {
  log.write(chunk)
  process.stderr.write(chunk)
})

const stop = (signal) => {
  if (child.exitCode === null) child.kill(signal)
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))
child.on('exit', (code, signal) => {
  log.end(() => {
    rmSync(E2E_DATA_DIR, { recursive: true, force: true })
    process.exit(code ?? (signal ? 0 : 1))
  })
})
