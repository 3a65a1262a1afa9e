import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fallbackFont, OSS_FONTS, resolveFont } from '../../../../src-main/engine/text/fonts'

/** Family names (name IDs 1 and 16) from a TrueType/OpenType file's `name` table. */
function familyNames(file: string): string[] {
  const buf = readFileSync(file)
  const numTables = buf.readUInt16BE(4)
  let name = -1
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16
    if (buf.toString('latin1', rec, rec + 4) === 'name') name = buf.readUInt32BE(rec + 8)
  }
  expect(name, `${file} has a name table`).toBeGreaterThan(0)
  const count = buf.readUInt16BE(name + 2)
  const strings = name + buf.readUInt16BE(name + 4)
  const names = new Set<string>()
  for (let i = 0; i < count; i++) {
    const rec = name + 6 + i * 12
    const [platform, , , id, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => buf.readUInt16BE(rec + o)) as number[]
    if (id !== 1 && id !== 16) continue
    const raw = buf.subarray(strings + offset!, strings + offset! + length!)
    names.add(platform === 1 ? raw.toString('latin1') : Buffer.from(raw).swap16().toString('utf16le'))
  }
  return [...names]
}

describe('OSS fonts', () => {
  it('lists the seven OSS font names (spec §3.15.3)', () => {
    expect([...OSS_FONTS].sort()).toEqual(
      ['droidsansfallback', 'fangzhengfangsong', 'fangzhengheiti', 'fangzhengkaiti', 'fangzhengshusong', 'wqy-microhei', 'wqy-zenhei'].sort()
    )
  })

  it.each([...OSS_FONTS])('%s resolves to a shipped file whose family is the one asked of Pango', (name) => {
    const { family, file } = resolveFont(name)
    expect(isAbsolute(file)).toBe(true)
    // A wrong family would make Pango silently pick another face.
    expect(familyNames(file)).toContain(family)
  })

  it('has a fallback face with Latin and CJK', () => {
    const { family, file } = fallbackFont()
    expect(familyNames(file)).toContain(family)
  })

  it('keeps committed font files small and licensed', () => {
    const committed = OSS_FONTS.map((n) => resolveFont(n).file).filter((f) => f.includes(join('resources', 'fonts')))
    expect(committed.length).toBeGreaterThan(0)
    for (const file of new Set(committed)) {
      expect(statSync(file).size, basename(file)).toBeLessThan(5_000_000)
      expect(readdirSync(dirname(file)).some((f) => /licen[cs]e|pl\.txt$/i.test(f)), `licence beside ${file}`).toBe(true)
    }
  })

  it('rejects names OSS does not know', () => {
    expect(() => resolveFont('simsun')).toThrow(/simsun/)
    expect(() => resolveFont('toString')).toThrow()
  })
})
