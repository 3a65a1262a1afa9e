import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
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
