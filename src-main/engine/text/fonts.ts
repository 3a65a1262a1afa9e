import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, parse } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * OSS watermark fonts (spec §3.15.3) mapped to freely licensed faces that ship with the app, so text renders
 * the same on any OS without system CJK fonts (sharp loads them through `text.fontfile`).
 *
 * | OSS `type`         | OSS face                 | our face                    | why                                   |
 * |--------------------|--------------------------|-----------------------------|---------------------------------------|
 * | wqy-zenhei         | WenQuanYi Zen Hei        | Noto Sans SC Regular        | closest free hei; Zen Hei is 16 MB    |
 * | wqy-microhei       | WenQuanYi Micro Hei      | Droid Sans Fallback         | Micro Hei's CJK outlines derive from it |
 * | fangzhengshusong   | 方正书宋 (proprietary)   | Noto Serif SC Regular       | free song/serif face                  |
 * | fangzhengkaiti     | 方正楷体 (proprietary)   | AR PL KaitiM GB             | free kai face, GB2312 like the original |
 * | fangzhengheiti     | 方正黑体 (proprietary)   | Noto Sans SC Regular        | free hei/sans face                    |
 * | fangzhengfangsong  | 方正仿宋 (proprietary)   | Noto Serif SC Regular       | no free simplified fangsong available |
 * | droidsansfallback  | DroidSansFallback        | Droid Sans Fallback (Full)  | the same font                         |
 *
 * Glyphs a face lacks (Droid Sans Fallback has no Latin, AR PL KaitiM GB only GB2312) come from fallbackFont().
 */

interface Face {
  readonly family: string
  /** `npm:<package>/<file>` or a path under the repository's resources/fonts/. */
  readonly source: string
}

const NOTO_SANS: Face = { family: 'Noto Sans SC', source: 'npm:@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf' }
const NOTO_SERIF: Face = { family: 'Noto Serif SC', source: 'npm:@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf' }
const AR_PL_KAI: Face = { family: 'AR PL KaitiM GB', source: 'arphic-gkai00mp/gkai00mp.ttf' }
const DROID: Face = { family: 'Droid Sans Fallback', source: 'droid-sans-fallback/DroidSansFallbackFull.ttf' }

const FACES = {
  'wqy-zenhei': NOTO_SANS,
  'wqy-microhei': DROID,
  fangzhengshusong: NOTO_SERIF,
  fangzhengkaiti: AR_PL_KAI,
  fangzhengheiti: NOTO_SANS,
  fangzhengfangsong: NOTO_SERIF,
  droidsansfallback: DROID
} as const satisfies Record<string, Face>

export type OssFont = keyof typeof FACES

export const OSS_FONTS: readonly OssFont[] = Object.freeze(Object.keys(FACES) as OssFont[])

export interface ResolvedFont {
  family: string
  file: string
}

const localRequire = createRequire(import.meta.url)

/** Widest coverage (CJK + Latin): used for any glyph the chosen face lacks. */
export function fallbackFont(): ResolvedFont {
  return { family: NOTO_SANS.family, file: locate(NOTO_SANS.source) }
}

export function resolveFont(ossName: string): ResolvedFont {
  if (!Object.hasOwn(FACES, ossName)) throw new Error(`Expected one of ${OSS_FONTS.join(', ')} for font but received ${ossName}`)
  const face = FACES[ossName as OssFont]
  return { family: face.family, file: locate(face.source) }
}

function locate(source: string): string {
  if (source.startsWith('npm:')) return unpacked(localRequire.resolve(source.slice(4)))
  return unpacked(findResource(join('resources', 'fonts', source)))
}

/** Walks up from this module: it sits at different depths in src-main/ and in the bundled out/main/. */
function findResource(relative: string): string {
  const { root } = parse(fileURLToPath(import.meta.url))
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, relative)
    if (existsSync(candidate)) return candidate
    if (dir === root) throw new Error(`Font file ${relative} not found above ${fileURLToPath(import.meta.url)}`)
  }
}

/** libvips opens font files natively and cannot read inside Electron's app.asar; packaging unpacks them beside it. */
function unpacked(file: string): string {
  return file.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked')
}
