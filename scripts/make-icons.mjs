#!/usr/bin/env node
/**
 * Renders the app icon (resources/icons/icon.svg, the studio's favicon) into the PNG sizes that
 * packaging uses: resources/icons/<N>x<N>.png (16–512) for Linux, icon.png (1024 px) from which
 * electron-builder makes the macOS .icns and the Windows .ico. The outputs are committed; rerun
 * only after changing the SVG.
 *
 *   node scripts/make-icons.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons')
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512]

const svg = readFileSync(join(DIR, 'icon.svg'))
// librsvg renders the vector at the target size (density scales the 32-unit viewBox), never an upscaled bitmap.
const render = (size) => sharp(svg, { density: (72 * size) / 32 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer()
for (const size of LINUX_SIZES) writeFileSync(join(DIR, `${size}x${size}.png`), await render(size))
writeFileSync(join(DIR, 'icon.png'), await render(1024))
