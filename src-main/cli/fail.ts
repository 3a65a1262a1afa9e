import { isImgError } from '../../src-shared/img/errors'
import { isFileError, OUTSIDE_FOLDER } from '../util/file-errors'
import { UsageError } from './usage-error'

/** node:util parseArgs' own mistakes (unknown option, missing value…) are usage errors too. */
function isParseArgsError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException)?.code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS_')
}

/**
 * A usage mistake in one line: parseArgs' advice on positionals that start with `-` is dropped (it
 * is about quoting, not about the mistake) and any line break is folded.
 */
function usageLine(message: string): string {
  return message
    .replace(/\. To specify a positional argument starting with a '-'.*$/s, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
}

/**
 * Reports a command's failure on stderr and gives its exit code: 2 for a usage error (one line) or an invalid
 * request (any OSS 4xx, or a path refused for leading out of its folder: nothing was written), 1
 * for anything else (a file-system failure is one sentence about the user's path). With `json`, an OSS error is
 * one JSON line `{"status","code","ec","message"}`.
 */
export function fail(error: unknown, json: boolean): number {
  if (error instanceof UsageError || isParseArgsError(error)) {
    process.stderr.write(`oss-img: ${usageLine((error as Error).message)} (run "oss-img --help" for usage)\n`)
    return 2
  }
  if (isFileError(error)) {
    process.stderr.write(`oss-img: ${error.message}\n`)
    return error.code === OUTSIDE_FOLDER ? 2 : 1
  }
  const imgError = isImgError(error) ? error : undefined
  if (json && imgError) process.stderr.write(`${JSON.stringify(imgError.toJSON())}\n`)
  else process.stderr.write(`oss-img: ${imgError ? `${imgError.status} ${imgError.code}${imgError.ec ? ` ${imgError.ec}` : ''}: ` : ''}${(error as Error)?.message ?? String(error)}\n`)
  return imgError && imgError.status >= 400 && imgError.status < 500 ? 2 : 1
}
