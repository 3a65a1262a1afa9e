#!/usr/bin/env node
/**
 * Makes the UI's bundled CJK face: Noto Sans SC (SIL OFL 1.1, from @expo-google-fonts/noto-sans-sc)
 * cut down to the characters of GB2312 — its 6,763 hanzi, which include the 3,500 of the common
 * list, and its punctuation, symbols, kana and full-width forms — plus CJK and general punctuation,
 * as WOFF2. Two weights: Regular for text, Bold for headings and emphasis. The outputs are committed
 * (src-renderer/src/assets/fonts/) so a build needs no subsetting; rerun only to change them.
 *
 *   node scripts/make-ui-font.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import subsetFont from 'subset-font'

const require = createRequire(import.meta.url)
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src-renderer', 'src', 'assets', 'fonts')

/** Every character GB2312 encodes: EUC-CN rows 0xA1–0xF7, cells 0xA1–0xFE, decoded by ICU's GBK (a superset). */
export function gb2312Characters() {
  const decoder = new TextDecoder('gbk', { fatal: true })
  const chars = new Set()
  for (let row = 0xa1; row <= 0xf7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      try {
        chars.add(decoder.decode(Uint8Array.of(row, cell)))
      } catch {
        // An unassigned cell.
      }
    }
  }
  for (const ch of chars) if (ch === '\ufffd' || ch.length !== 1) chars.delete(ch)
  return chars
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i))
const text = [...gb2312Characters(), ...range(0x3000, 0x303f), ...range(0x2000, 0x206f), ...range(0xff00, 0xffef)].join('')

const FACES = { 400: '400Regular/NotoSansSC_400Regular.ttf', 700: '700Bold/NotoSansSC_700Bold.ttf' }
for (const [weight, file] of Object.entries(FACES)) {
  const source = readFileSync(require.resolve(`@expo-google-fonts/noto-sans-sc/${file}`))
  const woff2 = await subsetFont(source, text, { targetFormat: 'woff2' })
  writeFileSync(join(OUT, `noto-sans-sc-gb2312-${weight}.woff2`), woff2)
  process.stdout.write(`noto-sans-sc-gb2312-${weight}.woff2: ${(woff2.length / 1024).toFixed(0)} KiB, ${new Set(text).size} characters asked\n`)
}
