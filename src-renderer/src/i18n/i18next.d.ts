/** Typed keys: `t('no.such.key')` is a type error; the English catalog is the source of the key set. */
import 'i18next'
import type en from './locales/en.json'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: typeof en }
    returnNull: false
  }
}
