/**
 * XML in and out. Responses are built with a tiny ordered builder (OSS clients care about element
 * names, and people reading responses care about order); request bodies are parsed with
 * fast-xml-parser, values kept as raw strings (a key `0123` must stay a string, spaces kept).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { Err } from './errors'

/** An element's children: text, nested elements, or a list (repeated element). */
export type XmlValue = string | number | boolean | XmlNode | XmlNode[] | null | undefined
export interface XmlNode {
  [name: string]: XmlValue | XmlValue[]
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
}

function render(name: string, value: XmlValue | XmlValue[]): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map((item) => render(name, item)).join('')
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([child, v]) => render(child, v))
      .join('')}</${name}>`
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/** `toXml('Error', { Code: 'NoSuchKey', … })` → a full document with the XML declaration. */
export function toXml(root: string, body: XmlNode): string {
  return XML_DECLARATION + render(root, body)
}

/** A document whose root holds only text: `<LocationConstraint>oss-cn-hangzhou</LocationConstraint>`. */
export function toXmlText(root: string, text: string): string {
  return `${XML_DECLARATION}<${root}>${escapeXml(text)}</${root}>`
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** XML 1.0's Char production: what a character reference may name. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
}

/**
 * The five predefined entities and character references (`&#20013;`, `&#x4E2D;`) in one pass, so
 * `&amp;#65;` stays the text `&#65;`. fast-xml-parser's own entity step leaves character references
 * as they are; a reference to a non-character makes the body malformed, as in OSS.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_match, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED[name]!
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
    if (!isXmlChar(code)) throw Err.malformedXml()
    return String.fromCodePoint(code)
  })
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: false,
  tagValueProcessor: (_name, value) => decodeEntities(value)
})

/** Parse a request body; anything not well-formed → 400 MalformedXML. */
export function parseXml(body: Buffer | string): Record<string, unknown> {
  const text = typeof body === 'string' ? body : body.toString('utf8')
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw Err.malformedXml()
  try {
    const parsed: unknown = parser.parse(text)
    if (parsed === null || typeof parsed !== 'object') throw Err.malformedXml()
    return parsed as Record<string, unknown>
  } catch {
    throw Err.malformedXml()
  }
}

/** A child that may be one element or several, as an array. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** Text of a simple element (`<Quiet>true</Quiet>` → 'true'); '' for `<Key/>`. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as Record<string, unknown>)['#text'])
  if (value && typeof value === 'object' && Object.keys(value).length === 0) return ''
  return undefined
}
