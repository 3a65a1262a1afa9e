/** Every catalog key as a type (`'app.views.studio' | …`), from the English catalog, for tables of keys. */
import type en from './locales/en.json'

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>
}[keyof T & string]

/** Plural forms (`…_one`, `…_other`) are addressed by their base key. */
type Base<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K

export type MessageKey = Base<Leaves<typeof en>>
