/**
 * Renders `docs/error-codes.md` from the error-code table (src-shared/img/error-codes.ts). The
 * message column is what the parser answers for the row's example, so the page shows our words.
 * Rewrite the page with `UPDATE_DOCS=1 npx vitest run test/unit/shared/img/error-codes.test.ts`.
 */
import { EC_TABLE, type EcRow } from '../../src-shared/img/error-codes'
import { isImgError, statusOf } from '../../src-shared/img/errors'
import { parseProcess } from '../../src-shared/img/process'

/** The ImgError a row's example raises; throws if it parses. */
export function errorOfExample(row: EcRow): Error & { ec?: string | undefined; message: string } {
  try {
    parseProcess(row.example)
  } catch (error) {
    if (isImgError(error)) return error
    throw error
  }
  throw new Error(`${row.ec}: ${row.example} parses without error`)
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``

export function renderErrorCodeDoc(): string {
  const lines = [
    '# IMG error codes (EC)',
    '',
    '<!-- Generated from src-shared/img/error-codes.ts by test/support/error-codes-doc.ts; do not edit by hand. -->',
    '',
    'Every validation error of the IMG language carries the HTTP status, `Code` and `EC` OSS documents for its',
    "cause, one row per action, parameter and cause, taken from OSS's help pages (one page per EC). The engine,",
    'the sandbox, the CLI and the editor all raise these from the same table; a test runs every example below.',
    'Where no page gives a cause, or two pages disagree, the **Decision** column says what we answer and why.',
    '`value` is the bare value of a single-value action; `—` is the action as a whole; `*` is any action.',
    '',
    '| EC | Action | Parameter | Cause | HTTP | Code | Example | Message (ours) | Page | Decision |',
    '|---|---|---|---|---|---|---|---|---|---|'
  ]
  for (const row of EC_TABLE) {
    const message = errorOfExample(row).message
    lines.push(
      `| ${row.ec} | ${row.action} | ${row.param === '' ? '—' : row.param} | ${cell(row.cause)} | ${statusOf(row.code)} | ${row.code} | ${code(cell(row.example))} | ${cell(message)} | [${row.url.slice(row.url.lastIndexOf("/") + 1)}](${row.url}) | ${cell(row.decision ?? '')} |`
    )
  }
  lines.push('')
  return lines.join('\n')
}
