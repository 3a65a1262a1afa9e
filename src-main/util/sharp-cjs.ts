/**
 * sharp through its CommonJS entry. The main-process bundles resolve `import sharp from 'sharp'` here
 * (electron.vite.config.ts): on Node 20 sharp's ES-module entry (dist/index.mjs and the modules it
 * imports) costs about 0.2 s of CPU and 15 MB of RSS more at start-up than `require('sharp')` — more
 * than every other module of `oss-img process` together (bench/README.md, cold start). Same library,
 * same native binding; only the loader differs.
 */
import { createRequire } from 'node:module'
import type sharpModule from 'sharp'

const sharp = createRequire(import.meta.url)('sharp') as typeof sharpModule
export default sharp
