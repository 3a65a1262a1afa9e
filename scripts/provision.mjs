#!/usr/bin/env node
/**
 * Provisions the system tools a command needs, so README's two commands are enough on a fresh
 * Debian machine:
 *
 *   node scripts/provision.mjs test    run first by `npm test`: Chromium (Playwright drives
 *                                      /usr/bin/chromium), heif-enc (real HEVC HEIC fixtures),
 *                                      dbus-daemon + gnome-keyring (the vault's OS-keyring test), and
 *                                      python3, make, g++ (node-gyp builds better-sqlite3 from source
 *                                      where its prebuilt binary cannot be downloaded, e.g. without
 *                                      GitHub; `npm ci` needs them first on such a machine, README says so)
 *   node scripts/provision.mjs start   run by `npm start`: heif-enc (`format,heic` writes HEVC with it,
 *                                      AV1-in-HEIF without), so a missing one only prints a note
 *
 * A missing tool is installed with apt where this runs as root or with password-less sudo; otherwise
 * it stops at once (for `test`) with the one command to run. No test needs ImageMagick (only
 * `npm run bench` compares against it, and skips it with a reason when absent).
 *
 * The decisions are pure (`planProvision`) so they are unit-tested without running apt.
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Every system tool a command may need: how to find it and which Debian package brings it. */
export const TOOLS = {
  chromium: { pkg: 'chromium', why: 'the e2e suite (Playwright drives Debian’s Chromium)' },
  'heif-enc': { pkg: 'libheif-examples', why: 'HEVC HEIC encoding: real HEIC fixtures, format,heic' },
  'dbus-daemon': { pkg: 'dbus-daemon', why: 'a private session bus for the vault’s OS-keyring test' },
  'gnome-keyring-daemon': { pkg: 'gnome-keyring', why: 'a real Secret Service for the vault’s OS-keyring test' },
  python3: { pkg: 'python3', why: 'node-gyp (better-sqlite3, the job index, built from source)' },
  make: { pkg: 'make', why: 'node-gyp (better-sqlite3, the job index, built from source)' },
  'g++': { pkg: 'g++', why: 'node-gyp (better-sqlite3, the job index, built from source)' }
}

/** What each command needs; `required: false` tools only warn when they cannot be installed. */
export const NEEDS = {
  test: { tools: ['chromium', 'heif-enc', 'dbus-daemon', 'gnome-keyring-daemon', 'python3', 'make', 'g++'], required: true },
  start: { tools: ['heif-enc'], required: false }
}

const APT_INSTALL = ['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends']

/**
 * The decision for one run.
 * @param {{ target: keyof typeof NEEDS, missing: string[], isRoot: boolean, hasSudo: boolean, hasApt: boolean }} facts
 * @returns {{ action: 'none' } | { action: 'install', commands: string[][] } | { action: 'stop' | 'warn', message: string, command?: string }}
 */
export function planProvision({ target, missing, isRoot, hasSudo, hasApt }) {
  const { required } = NEEDS[target]
  if (missing.length === 0) return { action: 'none' }
  const packages = [...new Set(missing.map((tool) => TOOLS[tool].pkg))]
  const what = missing.map((tool) => `${tool} (${TOOLS[tool].why})`).join(' and ')
  const action = required ? 'stop' : 'warn'
  if (!hasApt) {
    return { action, message: `npm ${target} needs ${what}, and this machine has no apt-get: install ${packages.join(', ')} (Debian package names) with your package manager.` }
  }
  if (isRoot || hasSudo) {
    const sudo = isRoot ? [] : ['sudo', '-n']
    return { action: 'install', commands: [[...sudo, 'apt-get', 'update', '-qq'], [...sudo, ...APT_INSTALL, ...packages]] }
  }
  const command = `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`
  return { action, command, message: `npm ${target} needs ${what}, and installing it needs root. Run:\n\n  ${command}\n` }
}

/** Whether `name` is an executable on PATH (or, with a slash, at that path). */
export function onPath(name, env = process.env) {
  const candidates = name.includes('/') ? [name] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name))
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** Whether a tool is present; Chromium is looked for where Playwright will launch it. */
function present(tool, env) {
  if (tool === 'chromium') return onPath(env.CHROMIUM_PATH ?? '/usr/bin/chromium', env)
  if (tool === 'heif-enc') return onPath(env.OSS_IMG_HEIF_ENC || 'heif-enc', env)
  return onPath(tool, env)
}

/** Runs the plan for `target`; returns the process exit code (0 when the command may go on). */
export function provision(target, env = process.env) {
  const missing = NEEDS[target].tools.filter((tool) => !present(tool, env))
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const hasSudo = !isRoot && onPath('sudo', env) && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0
  const plan = planProvision({ target, missing, isRoot, hasSudo, hasApt: onPath('apt-get', env) })
  if (plan.action === 'none') return 0
  if (plan.action === 'install') {
    process.stderr.write(`Installing ${missing.join(', ')} for npm ${target}…\n`)
    for (const [command, ...args] of plan.commands) {
      process.stderr.write(`$ ${command} ${args.join(' ')}\n`)
      const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } })
      if (run.status !== 0) {
        process.stderr.write(`"${command} ${args.join(' ')}" failed (exit ${run.status ?? run.signal}).\n`)
        return NEEDS[target].required ? 1 : 0
      }
    }
    const still = missing.filter((tool) => !present(tool, env))
    if (still.length > 0 && NEEDS[target].required) {
      process.stderr.write(`Still missing after apt-get: ${still.join(', ')}.\n`)
      return 1
    }
    return 0
  }
  process.stderr.write(`${plan.message}\n`)
  return plan.action === 'stop' ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = process.argv[2]
  if (!(target in NEEDS)) {
    process.stderr.write(`usage: node scripts/provision.mjs ${Object.keys(NEEDS).join('|')}\n`)
    process.exit(2)
  }
  process.exit(provision(target))
}
