import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Renderer component tests (test/renderer/*.test.tsx) compile JSX with React's automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    // Component tests pick their DOM per file (`@vitest-environment happy-dom`).
    include: ['test/**/*.test.ts', 'test/renderer/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests never touch the developer's own OS keyring (the vault's keyring test brings a private one).
    env: { OSS_IMG_STUDIO_KEYRING: '0' },
    // fast-check's seed: fixed unless FC_SEED says otherwise (test/support/fast-check-seed.ts).
    setupFiles: ['test/support/fast-check-seed.ts']
  }
})
