/**
 * Playwright config for the Electron e2e tests (`npm run test:e2e:electron`). They drive the
 * built app through Playwright's `_electron` and need the Electron binary, which cannot be
 * downloaded on this project's machines: there every test is skipped and app.spec.ts prints why
 * (see electron-binary.ts for how the binary is found without triggering a download).
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: resolve(root, 'test-results/e2e-electron')
})
