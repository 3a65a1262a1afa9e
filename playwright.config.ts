/**
 * e2e: the studio in browser mode (scripts/start.mjs --web, via e2e/serve.mjs) driven in Debian's
 * Chromium (`apt-get install chromium`; Playwright's own browser download is not reachable here).
 * The port, token, data folder and server log are chosen once here and handed to the web server
 * and the workers through the environment (workers inherit it; a re-evaluated config keeps them).
 */
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'

process.env.E2E_PORT ??= '4317'
process.env.E2E_TOKEN ??= randomBytes(32).toString('base64url')
process.env.E2E_DATA_DIR ??= join(tmpdir(), `oss-img-studio-e2e-${process.pid}-${Date.now()}`)
process.env.E2E_SERVER_LOG ??= join(import.meta.dirname, '.tmp', 'e2e', 'server.log')

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    viewport: { width: 1400, height: 860 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    }
  },
  webServer: {
    command: 'node e2e/serve.mjs',
    // Ready when the server answers (401 without the token counts as an answer).
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    // The studio under test keeps its vault out of the developer's OS keyring (so it shows the key-file warning).
    env: { OSS_IMG_STUDIO_TOKEN: process.env.E2E_TOKEN, OSS_IMG_STUDIO_KEYRING: '0' }
  }
})
