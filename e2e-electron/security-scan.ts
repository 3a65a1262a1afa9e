/**
 * Electron security anti-pattern scan (`npm run lint:electron`): runs Doyensec's
 * electronegativity over the main process and the renderer sources together (its global checks,
 * such as "navigation is limited somewhere", need both in one scan) and prints every finding.
 *
 * It fails (`blocking`) on:
 * - any HIGH finding;
 * - any MEDIUM finding that is not marked "review required" by the scanner (those — the preload,
 *   a CSP built from a variable — are printed for a human and do not fail);
 * - any finding of the core webPreferences checks (nodeIntegration, contextIsolation, sandbox,
 *   webSecurity) that is not review-required, whatever its severity: electronegativity rates an
 *   explicit `nodeIntegration: true` only INFORMATIONAL when it cannot see `sandbox`;
 * - any file it could not parse (an unparsed file is an unchecked file).
 *
 * - TypeScript is scanned as written: electronegativity parses .ts/.tsx with Babel's TypeScript
 *   plugin, so findings point at source lines. `.mjs`/`.cjs` files are not scanned by it.
 * - The Electron version comes from node_modules/electron (the scan would otherwise guess).
 * - Offline and deterministic: its translation download is replaced by its bundled en-US strings
 *   (the download has no use here and retries for ~3 s without a network), and
 *   AvailableSecurityFixesGlobalCheck is excluded — it downloads Electron's release list from
 *   GitHub at scan time, which cannot work here and would make the result depend on the day.
 *   Keeping Electron patched is the job of dependency updates, not of this lint.
 *
 * Also used by test/host/electron-security-scan.test.ts, which runs it inside `vitest run`.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** What is scanned, relative to the project root. */
export const SCANNED = ['src-main', 'src-renderer'] as const
/** Checks that need the network (see the file comment). */
export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'] as const

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL'

export interface Finding {
  readonly id: string
  readonly severity: Severity
  readonly confidence: string
  readonly file: string
  readonly line: number
  readonly column: number
  readonly manualReview: boolean
  readonly description: string
  readonly url: string
}

export interface ScanResult {
  readonly electronVersion: string
  readonly checks: number
  readonly findings: readonly Finding[]
  readonly parseErrors: readonly { readonly file: string; readonly message: string }[]
}

interface RawIssue {
  id: string
  file: string
  location: { line: number; column: number }
  severity: { name: Severity }
  confidence: { name: string }
  manualReview?: boolean
  description?: string
  shortenedURL?: string
}

type Runner = (
  options: {
    input: string
    electronVersionOverride: string
    customScan: string[]
    excludeFromScan: string[]
    parserPlugins: string[]
  },
  forCli: false
) => Promise<{ globalChecks: number; atomicChecks: number; issues: RawIssue[]; errors: { file: string; message: string; tolerable: boolean }[] }>

/** Replaces electronegativity's translation download with its bundled strings (en-US). */
function useBundledTranslations(): void {
  const i18nModule = require.resolve('@doyensec/electronegativity/dist/locales/i18n.js')
  if ((require.cache[i18nModule] as { offline?: boolean } | undefined)?.offline === true) return
  const i18n = createRequire(i18nModule)('i18n') as {
    configure(options: Record<string, unknown>): void
    setLocale(locale: string): void
  }
  const offline = (): Promise<void> => {
    i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: dirname(i18nModule), updateFiles: false, objectNotation: true, retryInDefaultLocale: true, register: globalThis })
    i18n.setLocale('en-US')
    return Promise.resolve()
  }
  const Module = require('node:module') as { new (id: string): NodeJS.Module }
  const stub = new Module(i18nModule) as NodeJS.Module & { offline: boolean }
  stub.filename = i18nModule
  stub.loaded = true
  stub.exports = offline
  stub.offline = true
  require.cache[i18nModule] = stub
}

export function installedElectronVersion(root: string = PROJECT_ROOT): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version
}

/**
 * Scans `inputs` (folders, relative to `root`) in one electronegativity run. They are copied
 * side by side into a temp folder first, so the global checks see all of them at once.
 */
export async function scanElectronSecurity(options: { readonly root?: string; readonly inputs?: readonly string[]; readonly electronVersion?: string } = {}): Promise<ScanResult> {
  const root = options.root ?? PROJECT_ROOT
  const inputs = options.inputs ?? SCANNED
  const electronVersion = options.electronVersion ?? installedElectronVersion(PROJECT_ROOT)
  useBundledTranslations()
  const run = require('@doyensec/electronegativity') as Runner
  const workspace = mkdtempSync(join(tmpdir(), 'oss-img-electronegativity-'))
  try {
    for (const input of inputs) {
      const source = join(root, input)
      if (!existsSync(source)) throw new Error(`security scan: ${source} does not exist`)
      cpSync(source, join(workspace, input), { recursive: true, filter: (path) => !path.includes('node_modules') })
    }
    const result = await run(
      { input: workspace, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: EXCLUDED_CHECKS.map((check) => check.toLowerCase()), parserPlugins: [] },
      false
    )
    const where = (file: string): string => (file === 'N/A' || file === '' ? file : relative(workspace, file))
    return {
      electronVersion,
      checks: result.globalChecks + result.atomicChecks,
      findings: result.issues
        .map((issue) => ({
        id: issue.id,
        severity: issue.severity.name,
        confidence: issue.confidence.name,
        file: where(issue.file),
        line: issue.location.line,
        column: issue.location.column,
        manualReview: issue.manualReview === true,
        description: issue.description ?? '',
        url: issue.shortenedURL ?? ''
        }))
        .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.id.localeCompare(b.id)),
      parseErrors: result.errors.filter((error) => !error.tolerable).map((error) => ({ file: where(error.file), message: error.message }))
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true })
  }
}

/** The lines `lint:electron` prints. */
export function formatScan(result: ScanResult): string {
  const lines = [`electronegativity: ${result.checks} checks over ${SCANNED.join(', ')} (Electron ${result.electronVersion}); excluded: ${EXCLUDED_CHECKS.join(', ')}`]
  for (const finding of result.findings) {
    const verdict = isBlocking(finding) ? 'FAIL' : finding.manualReview ? 'review' : 'note'
    lines.push(`  ${verdict.padEnd(6)} ${finding.severity.padEnd(13)} ${finding.confidence.padEnd(9)} ${finding.id}  ${finding.file}:${finding.line}:${finding.column}  ${finding.url}`)
  }
  for (const error of result.parseErrors) lines.push(`  FAIL   unparsed ${error.file}: ${error.message}`)
  const high = result.findings.filter((finding) => finding.severity === 'HIGH').length
  lines.push(`electronegativity: ${result.findings.length} finding(s), ${high} high, ${result.findings.filter(isBlocking).length} blocking, ${result.parseErrors.length} unparsed file(s)`)
  return lines.join('\n')
}

/** Checks whose every definite finding blocks (see the file comment). */
export const CORE_CHECKS: ReadonlySet<string> = new Set(['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK'])

export function isBlocking(finding: Finding): boolean {
  if (finding.severity === 'HIGH') return true
  if (finding.manualReview) return false
  return finding.severity === 'MEDIUM' || CORE_CHECKS.has(finding.id)
}

/** Blocking findings plus unparsed files: `lint:electron` fails when this is above 0. */
export function failures(result: ScanResult): number {
  return result.findings.filter(isBlocking).length + result.parseErrors.length
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  scanElectronSecurity().then(
    (result) => {
      console.log(formatScan(result))
      process.exitCode = failures(result) > 0 ? 1 : 0
    },
    (error: unknown) => {
      console.error(error)
      process.exitCode = 2
    }
  )
}
