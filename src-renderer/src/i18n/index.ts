/**
 * The renderer's one i18next instance. Resources are bundled (two small JSON catalogs), so it is
 * initialised synchronously on import: the first render is already in the right language.
 *
 * Language: a choice the user made in the UI (localStorage, like the studio's other UI settings)
 * wins; otherwise the OS/browser locale (navigator.languages — Electron reports the OS locale there).
 * Any `zh*` locale gets zh-CN, everything else English. Detection is never cached, so until the user
 * picks one the studio keeps following the system.
 */
import i18next from 'i18next'
import LanguageDetector from 'i18next-browser-languagedetector'
import { initReactI18next } from 'react-i18next'
import en from './locales/en.json'
import zhCN from './locales/zh-CN.json'

export const LANGUAGES = ['en', 'zh-CN'] as const
export type Language = (typeof LANGUAGES)[number]

/** Where the user's explicit choice is kept. */
export const LANGUAGE_STORAGE_KEY = 'oss-img-studio.language'

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const

/** Any locale tag → the catalog that serves it. */
export function toLanguage(tag: string | undefined): Language {
  return tag?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

function applyToDocument(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = toLanguage(language)
}

export const i18n = i18next.createInstance()
i18n.on('languageChanged', applyToDocument)

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    supportedLngs: [...LANGUAGES],
    fallbackLng: 'en',
    load: 'currentOnly',
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: [],
      convertDetectedLanguage: (tag: string) => toLanguage(tag)
    }
  })

/** The language shown now (always one of LANGUAGES). */
export function currentLanguage(): Language {
  return toLanguage(i18n.resolvedLanguage ?? i18n.language)
}

/** Switches the whole UI without a reload and remembers the choice. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language)
  } catch {
    // Storage disabled: the choice holds for this session only.
  }
  await i18n.changeLanguage(language)
}

export { useTranslation, Trans } from 'react-i18next'
