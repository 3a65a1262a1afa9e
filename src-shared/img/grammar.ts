/**
 * Process-string syntax: text <-> syntax tree with source spans. This layer knows the shape of
 * the language (spec §1.2, §13) but not the actions; `validate.ts` gives tokens their meaning.
 *
 *   process   := chain ( "|" "sys/saveas," options )?
 *   chain     := "image/" action ( ("/" | "|image/") action )*  |  "style/" NAME
 *   action    := NAME ( "," token )*
 *   token     := KEY "_" VALUE  |  VALUE            (split on the FIRST "_": Base64 values contain "_")
 */
import { ImgError, quote, type Span } from './errors'
import { LIMITS } from './limits'

export interface Token {
  /** The text before the first `_`, or undefined for a bare token (`rotate,90`). */
  readonly key: string | undefined
  /** The text after the first `_`, or the whole token when bare. */
  readonly value: string
  /** The token exactly as written. */
  readonly text: string
  readonly span: Span
}

export interface SyntaxAction {
  readonly name: string
  readonly nameSpan: Span
  readonly tokens: readonly Token[]
  readonly span: Span
}

export interface SyntaxSaveAs {
  readonly tokens: readonly Token[]
  readonly span: Span
}

export type SyntaxTree =
  | { readonly kind: 'image'; readonly actions: readonly SyntaxAction[]; readonly saveAs?: SyntaxSaveAs | undefined }
  | { readonly kind: 'style'; readonly name: string; readonly nameSpan: Span; readonly extra?: Span | undefined; readonly saveAs?: SyntaxSaveAs | undefined }

const SAVEAS_PREFIX = 'sys/saveas'

function tokenize(text: string, offset: number): Token[] {
  const tokens: Token[] = []
  let start = 0
  for (const piece of text.split(',')) {
    const underscore = piece.indexOf('_')
    tokens.push({
      key: underscore === -1 ? undefined : piece.slice(0, underscore),
      value: underscore === -1 ? piece : piece.slice(underscore + 1),
      text: piece,
      span: { start: offset + start, end: offset + start + piece.length }
    })
    start += piece.length + 1
  }
  return tokens
}

function parseAction(text: string, offset: number): SyntaxAction {
  const comma = text.indexOf(',')
  const name = comma === -1 ? text : text.slice(0, comma)
  const nameSpan = { start: offset, end: offset + name.length }
  const span = { start: offset, end: offset + text.length }
  if (name === '') {
    throw new ImgError({ code: 'InvalidArgument', ec: '0040-00000212', span, message: 'image: expected an operator name after "/" but received nothing' })
  }
  const tokens = comma === -1 ? [] : tokenize(text.slice(comma + 1), offset + comma + 1)
  return { name, nameSpan, tokens, span }
}

function parseSaveAs(text: string, offset: number): SyntaxSaveAs {
  const span = { start: offset, end: offset + text.length }
  if (!text.startsWith(SAVEAS_PREFIX)) {
    throw new ImgError({ code: 'InvalidArgument', span, message: `process: expected "sys/saveas,o_..." after "|" but received ${quote(text)}` })
  }
  const rest = text.slice(SAVEAS_PREFIX.length)
  if (rest !== '' && !rest.startsWith(',')) {
    throw new ImgError({ code: 'InvalidArgument', span, message: `process: expected "sys/saveas,o_..." after "|" but received ${quote(text)}` })
  }
  return { tokens: rest === '' ? [] : tokenize(rest.slice(1), offset + SAVEAS_PREFIX.length + 1), span }
}

/** Splits the top level on "|": the chain, optional "|image/" continuations, then "sys/saveas". */
export function parseSyntax(input: string): SyntaxTree {
  if (input.length > LIMITS.maxProcessLength) {
    throw new ImgError({
      code: 'InvalidArgument',
      ec: '0017-00000288',
      span: { start: LIMITS.maxProcessLength, end: input.length },
      message: `process: expected at most ${LIMITS.maxProcessLength} characters for x-oss-process but received ${input.length}`
    })
  }
  const parts: { text: string; offset: number }[] = []
  let offset = 0
  for (const text of input.split('|')) {
    parts.push({ text, offset })
    offset += text.length + 1
  }
  let saveAs: SyntaxSaveAs | undefined
  const last = parts[parts.length - 1]!
  if (parts.length > 1 && last.text.startsWith('sys/')) {
    saveAs = parseSaveAs(last.text, last.offset)
    parts.pop()
  }
  const first = parts[0]!
  if (first.text.startsWith('style/')) {
    const body = first.text.slice('style/'.length)
    const slash = body.indexOf('/')
    const name = slash === -1 ? body : body.slice(0, slash)
    const nameStart = first.offset + 'style/'.length
    const extraStart = nameStart + name.length
    const extra = slash !== -1 || parts.length > 1 ? { start: extraStart, end: (parts[parts.length - 1]!.offset + parts[parts.length - 1]!.text.length) } : undefined
    return { kind: 'style', name, nameSpan: { start: nameStart, end: extraStart }, extra, saveAs }
  }
  const actions: SyntaxAction[] = []
  for (const part of parts) {
    if (!part.text.startsWith('image/')) {
      throw new ImgError({
        code: 'InvalidArgument',
        ec: '0040-00000212',
        span: { start: part.offset, end: part.offset + part.text.length },
        message: `process: expected "image/..." or "style/..." but received ${quote(part.text)}`
      })
    }
    let at = part.offset + 'image/'.length
    for (const text of part.text.slice('image/'.length).split('/')) {
      actions.push(parseAction(text, at))
      at += text.length + 1
    }
  }
  return { kind: 'image', actions, saveAs }
}
