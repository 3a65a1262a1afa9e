/**
 * @vitest-environment happy-dom
 *
 * The message catalogs (src-renderer/src/i18n/locales): both hold the same keys with the same
 * {{placeholders}}, every key the sources use exists, every key exists because a source uses it;
 * the language follows the browser until the user picks one, switches live and names itself in <html lang>.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import en from '../../src-renderer/src/i18n/locales/en.json'
import zhCN from '../../src-renderer/src/i18n/locales/zh-CN.json'
import { LANGUAGE_STORAGE_KEY, i18n, setLanguage, toLanguage } from '../../src-renderer/src/i18n'
import { formatBytes, formatMs } from '../../src-renderer/src/i18n/format'
import { ErrorCallout } from '../../src-renderer/src/ui/ErrorCallout'
import { TopBar } from '../../src-renderer/src/app/TopBar'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(() => new Promise(() => undefined)),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

const SOURCES = join(import.meta.dirname, '../../src-renderer/src')
const PLURAL = /_(zero|one|two|few|many|other)$/

function flatten(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value)
    else for (const [k, v] of flatten(value as object, `${prefix}${key}.`)) out.set(k, v)
  }
  return out
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sourceFiles(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort()
const catalogs = { en: flatten(en), 'zh-CN': flatten(zhCN) }
const code = sourceFiles(SOURCES).map((file) => readFileSync(file, 'utf8')).join('\n')

describe('catalogs', () => {
  it('hold the same keys, none empty, with the same placeholders', () => {
    expect([...catalogs['zh-CN'].keys()].sort()).toEqual([...catalogs.en.keys()].sort())
    for (const [key, text] of catalogs.en) {
      const zh = catalogs['zh-CN'].get(key)!
      expect(text.trim(), key).not.toBe('')
      expect(zh.trim(), key).not.toBe('')
      expect(placeholders(zh), key).toEqual(placeholders(text))
    }
  })

  it('have every key the sources ask for: t("…"), i18n.t("…"), i18nKey="…"', () => {
    const asked = [...code.matchAll(/\b(?:t|i18n\.t)\(\s*(['"])([\w.-]+)\1|i18nKey=(['"])([\w.-]+)\3/g)].map((m) => m[2] ?? m[4]!)
    expect(asked.length).toBeGreaterThan(10)
    const known = new Set([...catalogs.en.keys()].map((k) => k.replace(PLURAL, '')))
    expect(asked.filter((key) => !known.has(key))).toEqual([])
  })

  it('have no key that no source uses (keys are always written out whole, also in tables)', () => {
    const unused = [...catalogs.en.keys()].map((k) => k.replace(PLURAL, '')).filter((key) => !code.includes(`'${key}'`) && !code.includes(`"${key}"`))
    expect([...new Set(unused)]).toEqual([])
  })
})

describe('language', () => {
  afterEach(async () => {
    cleanup()
    localStorage.clear()
    await i18n.changeLanguage('en')
  })

  it('maps any Chinese locale to zh-CN and everything else to English', () => {
    expect(['zh-CN', 'zh', 'zh-TW', 'ZH-hans'].map(toLanguage)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN'])
    expect(['en-US', 'de-DE', '', undefined].map(toLanguage)).toEqual(['en', 'en', 'en', 'en'])
  })

  it('switches the shown text and <html lang> without a reload, and remembers the choice', async () => {
    render(<TopBar />)
    expect(screen.getByRole('tab', { name: 'Studio' })).toBeTruthy()
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'zh-CN')
    expect(await screen.findByRole('tab', { name: '工作室' })).toBeTruthy()
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh-CN')
    await setLanguage('en')
    expect(await screen.findByRole('tab', { name: 'Studio' })).toBeTruthy()
    expect(document.documentElement.lang).toBe('en')
  })

  it('formats sizes and durations in the language shown', async () => {
    expect([formatBytes(1536), formatBytes(12_345_678), formatMs(850)]).toEqual(['1.5 KB', '11.8 MB', '850 ms'])
    await i18n.changeLanguage('zh-CN')
    expect(formatMs(850)).toBe('850毫秒')
  })
})

describe('OSS errors', () => {
  afterEach(async () => {
    cleanup()
    await i18n.changeLanguage('en')
  })

  it('keep OSS’s Code, EC and message and add what to change, in the language shown', async () => {
    const error = { code: 'InvalidArgument', message: 'resize: expected an integer between 1 and 16384 for w but received "0"', status: 400, ec: '0040-00000312' }
    await i18n.changeLanguage('zh-CN')
    render(<ErrorCallout error={error} />)
    const alert = screen.getByRole('alert')
    expect(alert.textContent).toContain('InvalidArgument')
    expect(alert.textContent).toContain(error.message)
    expect(alert.querySelector('[data-field="EC"]')?.textContent).toBe('0040-00000312')
    expect(screen.getByTestId('error-help').textContent).toBe(zhCN.errors.help.ec0040)
  })

  it('explain by Code when the EC class is unknown, and say nothing for an unknown error', () => {
    render(<ErrorCallout error={{ code: 'NoSuchBucket', message: 'The specified bucket does not exist.', status: 404, ec: '0015-00000101' }} />)
    expect(screen.getByTestId('error-help').textContent).toBe(en.errors.help.NoSuchBucket)
    cleanup()
    render(<ErrorCallout error={{ code: 'SomethingNew', message: 'x' }} />)
    expect(screen.queryByTestId('error-help')).toBeNull()
  })
})
