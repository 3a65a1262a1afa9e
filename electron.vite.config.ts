import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    // sharp's CommonJS entry loads much faster than its ES-module one (src-main/util/sharp-cjs.ts).
    resolve: { alias: [{ find: /^sharp$/, replacement: resolve('src-main/util/sharp-cjs.ts') }] },
    build: {
      // sharp is aliased (above), so it must not be externalized before the alias applies.
      externalizeDeps: { exclude: ['sharp'] },
      // The Electron entry, the `oss-img` CLI and browser mode (web) share the engine; dependencies stay external.
      rollupOptions: {
        input: {
          index: resolve('src-main/index.ts'),
          cli: resolve('src-main/cli/oss-img.ts'),
          web: resolve('src-main/host/web-main.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // Electron cannot run an ESM preload in a sandboxed renderer: CommonJS it is.
      rollupOptions: { input: { index: resolve('src-main/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } }
    }
  },
  renderer: {
    root: 'src-renderer',
    build: {
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } }
    },
    plugins: [react()]
  }
})
