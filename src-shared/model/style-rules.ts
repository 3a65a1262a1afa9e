/**
 * OSS's rules for styles (spec oss-img.md §7), as ImgError with OSS's EC and message. Kept apart
 * from the documents (style.ts, which re-exports them) so the renderer can check names and
 * contents before sending without bundling zod (whose eval probe trips the page's CSP).
 */
import { ImgError, quote } from '../img/errors'
import { parseProcess, serializeProcess, STYLE_NAME } from '../img/process'

/** OSS's answer for a bad style name, or undefined when the name is valid. */
export function styleNameError(name: unknown): ImgError | undefined {
  if (typeof name === 'string' && STYLE_NAME.test(name)) return undefined
  const text = typeof name === 'string' ? name : String(name)
  const ec = typeof name !== 'string' || name.length === 0 || name.length > 63 ? '0017-00000250' : '0017-00000251'
  return new ImgError({ code: 'InvalidArgument', ec, param: 'stylename', message: `The value: ${text} of parameter: stylename is invalid.` })
}

/** Throws OSS's InvalidArgument (EC 0017-00000250 length, 0017-00000251 charset) for a bad name. */
export function assertStyleName(name: unknown): asserts name is string {
  const error = styleNameError(name)
  if (error) throw error
}

/**
 * Validates a style's content and returns its canonical form (`serializeProcess`): an `image/...`
 * chain (not `style/...`), without `sys/saveas`. Throws the parser's ImgError (status, EC, span)
 * for an invalid chain.
 */
export function canonicalStyleProcess(process: unknown): string {
  if (typeof process !== 'string' || !process.startsWith('image/')) {
    const received = typeof process === 'string' ? quote(process) : String(process)
    throw new ImgError({
      code: 'InvalidArgument',
      span: typeof process === 'string' ? { start: 0, end: process.length } : undefined,
      message: `style: expected a process string starting with "image/" but received ${received}`
    })
  }
  const parsed = parseProcess(process)
  if (parsed.saveAs) {
    const at = process.indexOf('|')
    throw new ImgError({
      code: 'InvalidArgument',
      span: at === -1 ? undefined : { start: at, end: process.length },
      message: `style: expected no sys/saveas in a style but received ${quote(process.slice(Math.max(at, 0)))}`
    })
  }
  return serializeProcess(parsed)
}

/** The canonical form when the content is a valid style, else undefined (never throws). */
export function tryCanonicalStyleProcess(process: unknown): string | undefined {
  try {
    return canonicalStyleProcess(process)
  } catch {
    return undefined
  }
}

/** Equal as styles: equal canonical forms, or equal text when either side does not parse. */
export function sameStyleProcess(a: string, b: string): boolean {
  if (a === b) return true
  const ca = tryCanonicalStyleProcess(a)
  return ca !== undefined && ca === tryCanonicalStyleProcess(b)
}
