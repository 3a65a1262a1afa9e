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

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  processEntities: true,
  htmlEntities: false
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
