import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { OSS_FONTS } from '../../../../src-main/engine/text/fonts'
import { renderText, type TextOptions } from '../../../../src-main/engine/text/render-text'
import { DISTINCT, dissimilarity, inkGrid, TOFU_TEXT } from './ink'

// Fontconfig reads this on first use, which in this test file's own worker process is below: it then sees no
// system fonts at all, as on a fresh Windows/macOS/Linux machine.
const dir = mkdtempSync(join(tmpdir(), 'oss-img-fontconfig-'))
writeFileSync(join(dir, 'fonts.conf'), '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n')
process.env.FONTCONFIG_FILE = join(dir, 'fonts.conf')

const base: TextOptions = { text: '水印中文', font: 'wqy-zenhei', size: 40, color: '000000', shadow: 0, rotate: 0 }

describe('renderText with no system fonts', () => {
  it('really sees no system font (else this file shared a process that already loaded fontconfig)', async () => {
    const { info } = await sharp({ text: { text: 'abc', font: 'DejaVu Sans 40', dpi: 72 } }).raw().toBuffer({ resolveWithObject: true })
    // With no font at all Pango cannot honour the size; DejaVu would give ~30 px.
    expect(info.height).toBeLessThan(20)
  })

  it('draws Latin with a CJK-only face even before any other face was used', async () => {
    const latin = await inkGrid(await renderText({ ...base, font: 'droidsansfallback', text: 'Logo' }), 64, 16)
    const tofu = await inkGrid(await renderText({ ...base, font: 'droidsansfallback', text: TOFU_TEXT }), 64, 16)
    expect(dissimilarity(latin, tofu)).toBeGreaterThan(DISTINCT)
  })

  it.each([...OSS_FONTS])('%s still draws CJK and Latin glyphs from the shipped fonts', async (font) => {
    for (const text of ['水印中文', 'Logo']) {
      const glyphs = await inkGrid(await renderText({ ...base, font, text }), 64, 16)
      const tofu = await inkGrid(await renderText({ ...base, font, text: TOFU_TEXT }), 64, 16)
      expect(dissimilarity(glyphs, tofu), text).toBeGreaterThan(DISTINCT)
    }
  })
})
