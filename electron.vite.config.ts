import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // The Electron entry and the `oss-img` CLI share the engine; dependencies stay external.
      rollupOptions: {
        input: {
          index: resolve('src-main/index.ts'),
          cli: resolve('src-main/cli/oss-img.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve('src-main/preload/index.ts') } }
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
