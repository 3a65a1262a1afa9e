/**
 * The Electron security anti-pattern scan (electronegativity; e2e-electron/security-scan.ts, also
 * `npm run lint:electron`) as part of `vitest run`: no HIGH finding and no unparsed file in
 * src-main + src-renderer. A canary proves the scanner really flags what it should, so a scan
 * that silently checks nothing cannot pass.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { failures, formatScan, isBlocking, scanElectronSecurity } from '../../e2e-electron/security-scan'

const temps: string[] = []
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

describe('Electron security scan (electronegativity)', () => {
  it('finds no high-severity issue and parses every file of src-main and src-renderer', async () => {
    const result = await scanElectronSecurity()
    console.log(formatScan(result))
    expect(result.checks).toBeGreaterThan(30)
    expect(result.parseErrors).toEqual([])
    expect(result.findings.filter((finding) => finding.severity === 'HIGH')).toEqual([])
    expect(result.findings.filter(isBlocking)).toEqual([])
    expect(failures(result)).toBe(0)
    // It read the window: the preload is always listed for review, at the BrowserWindow.
    expect(result.findings).toContainEqual(expect.objectContaining({ id: 'PRELOAD_JS_CHECK', file: 'src-main/host/electron.ts', manualReview: true }))
    // The global checks found the navigation limits and the permission handler.
    const ids = result.findings.map((finding) => finding.id)
    expect(ids).not.toContain('LIMIT_NAVIGATION_GLOBAL_CHECK')
    expect(ids).not.toContain('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK')
  }, 60_000)

  it('flags an insecure window (canary: the scanner is really checking)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'oss-img-scan-canary-'))
    temps.push(root)
    mkdirSync(join(root, 'bad'))
    writeFileSync(
      join(root, 'bad', 'main.ts'),
      [
        "import { BrowserWindow } from 'electron'",
        'export function open(url: string): BrowserWindow {',
        '  const win: BrowserWindow = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } })',
        '  void win.loadURL(url)',
        '  return win',
        '}'
      ].join('\n')
    )
    const result = await scanElectronSecurity({ root, inputs: ['bad'] })
    const high = result.findings.filter((finding) => finding.severity === 'HIGH').map((finding) => finding.id)
    expect(high).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']))
    const blocking = result.findings.filter(isBlocking).map((finding) => finding.id)
    expect(blocking).toEqual(expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']))
    expect(failures(result)).toBeGreaterThan(0)
  }, 60_000)
})
