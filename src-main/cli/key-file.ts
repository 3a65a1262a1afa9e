/** `--keys FILE` of `bulk` and `links`: one object key per line; blank lines and `#` comments skipped. */
import { readFile } from 'node:fs/promises'
import { fileError } from '../util/file-errors'
import { UsageError } from './usage-error'

export async function readKeyFile(path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`--keys: ${(fileError(error, 'read', path) as Error).message}`)
  }
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
}
