/**
 * Inline validation with OSS's own words, before any render. Everything goes through the shared
 * parser, so the messages, ECs and rules are exactly the ones main and OSS apply:
 *
 * 1. each field alone — `image/<action>,<key>_<value>` (range, enum, colour, Base64 rules);
 * 2. each item alone — its whole step (required parameters, cross-parameter rules);
 * 3. the whole chain — rules between steps (`info` alone, at most 3 watermark images).
 */
import { encodeBase64Url } from '../../../src-shared/img/base64url'
import { isImgError, type ImgError, type Span } from '../../../src-shared/img/errors'
import { parseProcess } from '../../../src-shared/img/process'
import { layoutOf, serializeItem, specOf, type EditorDoc, type ParamValue, type PipelineItem } from './model'
import type { ActionName } from '../../../src-shared/img/actions'

export interface FieldError {
  readonly code: string
  readonly ec?: string | undefined
  readonly message: string
}

export interface ItemIssues {
  /** Errors of single parameters, keyed by parameter (`value` for a bare value). */
  readonly fields: Readonly<Record<string, FieldError>>
  /** An error about the item as a whole (a missing combination, a chain rule). */
  readonly item?: FieldError | undefined
}

export interface DocIssues {
  readonly byItem: ReadonlyMap<string, ItemIssues>
  readonly count: number
}

function toFieldError(error: ImgError): FieldError {
  return { code: error.code, ec: error.ec, message: error.message }
}

function parseError(text: string): ImgError | undefined {
  try {
    parseProcess(text)
    return undefined
  } catch (error) {
    if (isImgError(error)) return error
    throw error
  }
}

/** The error OSS gives for this one value, or undefined when the value is fine on its own. */
export function fieldError(action: ActionName, param: string, value: ParamValue | undefined): FieldError | undefined {
  if (value === undefined) return undefined
  const spec = specOf(action, param)
  if (!spec) return undefined
  const raw = spec.type === 'base64' ? encodeBase64Url(String(value)) : String(value)
  const error = parseError(`image/${action},${param === 'value' ? raw : `${param}_${raw}`}`)
  if (!error) return undefined
  // Only the errors about this very parameter: the others come from missing companions.
  const errorParam = error.param === '' ? 'value' : error.param
  return errorParam === param ? toFieldError(error) : undefined
}

/** Errors of one item on its own (whether it is enabled or not). */
export function itemIssues(item: PipelineItem): ItemIssues {
  const fields: Record<string, FieldError> = {}
  for (const [key, value] of Object.entries(item.params)) {
    const error = fieldError(item.action, key, value)
    if (error) fields[key] = error
  }
  const error = parseError(`image/${serializeItem(item)}`)
  if (!error) return { fields }
  const param = error.param === '' ? 'value' : error.param
  if (param !== undefined && specOf(item.action, param)) {
    // e.g. a required parameter left empty: shown at its field.
    if (!fields[param]) fields[param] = toFieldError(error)
    return { fields }
  }
  if (Object.values(fields).some((f) => f.message === error.message)) return { fields }
  return { fields, item: toFieldError(error) }
}

function contains(span: { start: number; end: number }, at: Span): boolean {
  return at.start >= span.start && at.start <= span.end
}

/** Every item's issues, plus the first chain-level error placed at the item it points into. */
export function docIssues(doc: EditorDoc): DocIssues {
  const byItem = new Map<string, ItemIssues>()
  let count = 0
  for (const item of doc.items) {
    const issues = itemIssues(item)
    const n = Object.keys(issues.fields).length + (issues.item ? 1 : 0)
    if (n > 0) {
      byItem.set(item.id, issues)
      count += n
    }
  }
  if (count === 0 && doc.style === undefined) {
    const layout = layoutOf(doc)
    if (layout.text !== '') {
      const error = parseError(layout.text)
      if (error?.span) {
        const hit = [...layout.spans.entries()].find(([, span]) => contains(span, error.span!))
        if (hit) {
          byItem.set(hit[0], { fields: {}, item: toFieldError(error) })
          count += 1
        }
      }
    }
  }
  return { byItem, count }
}
