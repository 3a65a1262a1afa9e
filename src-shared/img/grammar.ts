/**
 * Process-string syntax: text <-> syntax tree with source spans. This layer knows the shape of
 * the language (spec §1.2, §13) but not the actions; `validate.ts` gives tokens their meaning.
 *
 *   process   := chain ( "|" "sys/saveas," options )?
 *   chain     := "image/" action ( ("/" | "|image/") action )*  |  "style/" NAME
 *   action    := NAME ( "," token )*
 *   token     := KEY "_" VALUE  |  VALUE            (split on the FIRST "_": Base64 values contain "_")
 *
 * Empty pieces at the END of a list are dropped (Project decision, issue 17 §3): `resize,w_100,`,
 * `quality,q_99,Q_77,,` and `image/resize,w_100/` mean what they would without them. ali-oss's own
 * processObjectSave test sends `…,color_ff6a00,|sys/saveas,…` to real OSS and expects 200, and the
 * peer implementations checked against OSS split the same way (a Java-style `split(",")`, which
 * drops trailing empties only). An empty piece followed by a non-empty one has no such evidence and
 * stays an error (`resize,w_100,,h_100` → 0040-00000213, `image/resize,w_100//rotate,90` → 212).
 */
import { ecOf } from './error-codes'
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

/** `text.split(separator)` without its trailing empty pieces (see the module comment). */
function splitDroppingTrailingEmpties(text: string, separator: string): string[] {
  const pieces = text.split(separator)
  while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop()
  return pieces
}

function tokenize(text: string, offset: number): Token[] {
  const tokens: Token[] = []
  let start = 0
  for (const piece of splitDroppingTrailingEmpties(text, ',')) {
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
  if (name === '') {
    const span = { start: offset, end: offset + text.length }
    throw new ImgError({ code: 'InvalidArgument', ec: ecOf('*', '', 'missing'), span, message: 'image: expected an operator name after "/" but received nothing' })
  }
  const tokens = comma === -1 ? [] : tokenize(text.slice(comma + 1), offset + comma + 1)
  // The action ends with its last kept token: dropped trailing commas are not part of it.
  const span = { start: offset, end: tokens.length === 0 ? nameSpan.end : tokens[tokens.length - 1]!.span.end }
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
  const tokens = rest === '' ? [] : tokenize(rest.slice(1), offset + SAVEAS_PREFIX.length + 1)
  const end = tokens.length === 0 ? offset + SAVEAS_PREFIX.length : tokens[tokens.length - 1]!.span.end
  return { tokens, span: { start: offset, end } }
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
        ec: ecOf('*', '', 'invalid'),
        span: { start: part.offset, end: part.offset + part.text.length },
        message: `process: expected "image/..." or "style/..." but received ${quote(part.text)}`
      })
    }
    let at = part.offset + 'image/'.length
    const texts = splitDroppingTrailingEmpties(part.text.slice('image/'.length), '/')
    // `image/` alone still names no operator: 0040-00000212.
    for (const text of texts.length === 0 ? [''] : texts) {
      actions.push(parseAction(text, at))
      at += text.length + 1
    }
  }
  return { kind: 'image', actions, saveAs }
}
