/**
 * The packaging configuration (electron-builder.json). The Electron binary cannot be downloaded on
 * the build machines, so `npm run dist` cannot run here: this checks what can be checked without it —
 * the configuration against electron-builder's own JSON schema, every file it references, the icons'
 * sizes, and the app's name in both languages on each platform.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const require = createRequire(import.meta.url)
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

interface Config {
  appId: string
  productName: string
  directories: { buildResources: string }
  files: string[]
  asarUnpack: string[]
  linux: { target: string[]; icon: string; desktop: { entry: Record<string, string> } }
  mac: { target: string[]; icon: string; extraResources: { from: string; to: string; filter: string[] }[] }
  win: { target: string[]; icon: string }
  nsis: { installerLanguages: string[]; multiLanguageInstaller: boolean }
}

const config = JSON.parse(read('electron-builder.json')) as Config
const pkg = JSON.parse(read('package.json')) as { main: string; scripts: Record<string, string>; author?: string; devDependencies: Record<string, string> }

async function size(path: string): Promise<[number, number]> {
  const meta = await sharp(join(ROOT, path)).metadata()
  return [meta.width, meta.height]
}

describe('electron-builder configuration', () => {
  it("validates against electron-builder's own schema", () => {
    // `typeof` is a keyword of electron-builder's generator (function-valued options): not ours to check.
    const ajv = new Ajv({ strict: false, allErrors: true })
    const validate = ajv.compile(JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object)
    const { $schema: _schema, ...rest } = config as unknown as Record<string, unknown>
    expect(validate(rest), JSON.stringify(validate.errors, null, 2)).toBe(true)
  })

  it('builds every target the README names, through npm run dist', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(pkg.scripts.dist).toMatch(/electron-vite build && electron-builder --config electron-builder\.json$/)
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/)
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/)
    // deb needs a maintainer: package.json's author.
    expect(pkg.author).toBeTruthy()
  })

  it('packs the bundle, the samples and the fonts the app looks up at run time, and unpacks what native code reads', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/samples/**', 'resources/fonts/**', 'package.json']))
    expect(pkg.main.startsWith('out/')).toBe(true)
    for (const dir of ['resources/samples', 'resources/fonts']) expect(readdirSync(join(ROOT, dir)).length, dir).toBeGreaterThan(0)
    // libvips opens font files and sharp loads its addon natively: neither can read inside app.asar
    // (engine/text/fonts.ts maps the paths to app.asar.unpacked).
    for (const dir of ['node_modules/sharp/**', 'node_modules/@img/**', 'node_modules/@expo-google-fonts/**', 'resources/fonts/**']) expect(config.asarUnpack).toContain(dir)
  })

  it('has the icons each platform needs, at their sizes', async () => {
    expect(await size(config.mac.icon)).toEqual([1024, 1024])
    expect(config.win.icon).toBe(config.mac.icon)
    for (const n of [16, 32, 48, 64, 128, 256, 512]) expect(await size(join(config.linux.icon, `${n}x${n}.png`))).toEqual([n, n])
    expect(existsSync(join(ROOT, 'resources/icons/icon.svg'))).toBe(true)
  })

  it('names the app in English and Chinese on every platform', () => {
    expect(config.productName).toBe('OSS IMG Studio')
    expect(config.linux.desktop.entry).toMatchObject({ Name: 'OSS IMG Studio', 'Name[zh_CN]': 'OSS 图片处理工作室' })
    expect(config.nsis.multiLanguageInstaller).toBe(true)
    expect(config.nsis.installerLanguages).toEqual(['en_US', 'zh_CN'])
    const [resources] = config.mac.extraResources
    expect(resources!.from).toBe(`${config.directories.buildResources}/mac`)
    expect(read(`${resources!.from}/zh_CN.lproj/InfoPlist.strings`)).toContain('"CFBundleDisplayName" = "OSS 图片处理工作室";')
    expect(read(`${resources!.from}/en.lproj/InfoPlist.strings`)).toContain('"CFBundleDisplayName" = "OSS IMG Studio";')
  })
})
