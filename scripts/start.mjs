#!/usr/bin/env node
/**
 * `npm start`: builds when `out/` is missing or older than the sources, then runs the studio.
 *
 *   npm start                         the Electron app; browser mode when the Electron binary is not installed
 *   npm start -- --web [--port N] [--data-dir DIR]
 *                                     browser mode: prints "Studio URL: http://127.0.0.1:PORT/?token=…"
 *   npm start -- cli <command> …      the `oss-img` CLI (same as `node out/main/cli.js …`); its commands
 *                                     (`process`, `info`, `sandbox`) also work without `cli`
 *
 * Whether Electron is available is checked WITHOUT `require('electron')`: that call downloads
 * the binary when it is missing (impossible on machines without access to its host). We look
 * for `node_modules/electron/path.txt` and the binary it names, or `ELECTRON_OVERRIDE_DIST_PATH`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { provision } from './provision.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUTPUTS = ['out/main/index.js', 'out/main/web.js', 'out/main/cli.js', 'out/renderer/index.html']
const SOURCES = ['src-main', 'src-shared', 'src-renderer', 'electron.vite.config.ts', 'package.json', 'tsconfig.base.json']

/** Newest modification time under `path` (files only; node_modules and dot folders skipped). */
function newest(path) {
  if (!existsSync(path)) return 0
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let max = 0
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    max = Math.max(max, newest(join(path, entry.name)))
  }
  return max
}

function needsBuild() {
  const outputs = OUTPUTS.map((file) => join(ROOT, file))
  if (outputs.some((file) => !existsSync(file))) return true
  // The preload's file name follows its build format; any output will do.
  const preload = join(ROOT, 'out', 'preload')
  if (!existsSync(preload) || readdirSync(preload).length === 0) return true
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  return Math.max(...SOURCES.map((source) => newest(join(ROOT, source)))) > oldestOutput
}

function electronBinary() {
  const pkg = join(ROOT, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const binary = join(override, relative || 'electron')
    return existsSync(binary) ? binary : undefined
  }
  if (!relative) return undefined
  const binary = join(pkg, 'dist', relative)
  return existsSync(binary) ? binary : undefined
}

/** Runs a child with the terminal; Ctrl+C reaches it directly (same process group), so we only wait. */
function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: ROOT })
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal)
  }
  process.on('SIGINT', () => forward('SIGINT'))
  process.on('SIGTERM', () => forward('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)))
}

const args = process.argv.slice(2)

// heif-enc (HEVC HEIC output) is installed where possible; without it the studio still runs (AV1-in-HEIF).
provision('start')

if (needsBuild()) {
  process.stderr.write('Building (electron-vite build)…\n')
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { stdio: ['ignore', 2, 2], cwd: ROOT })
  if (build.status !== 0) {
    process.stderr.write('The build failed; run "npx electron-vite build" to see why.\n')
    process.exit(build.status ?? 1)
  }
}

const CLI_COMMANDS = new Set(['process', 'info', 'sandbox'])
if (args[0] === 'cli' || CLI_COMMANDS.has(args[0])) {
  run(process.execPath, [join(ROOT, 'out/main/cli.js'), ...(args[0] === 'cli' ? args.slice(1) : args)])
} else {
  const binary = args.includes('--web') ? undefined : electronBinary()
  if (binary) {
    run(binary, [join(ROOT, 'out/main/index.js'), ...args])
  } else {
    if (!args.includes('--web') && !args.includes('--help') && !args.includes('-h')) {
      process.stderr.write('The Electron binary is not installed: starting browser mode (open the Studio URL below).\n')
    }
    run(process.execPath, [join(ROOT, 'out/main/web.js'), ...args.filter((arg) => arg !== '--web')])
  }
}
