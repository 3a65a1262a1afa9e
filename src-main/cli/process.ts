/** `oss-img process` and `oss-img info`: the engine on one local image. */
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { ImgError } from '../../src-shared/img/errors'
import { processImage, processImageToFile } from '../engine/executor'
import { ChosenFolder } from '../services/jobs/local-files'
import { writeFileAtomicWith } from '../util/atomic-write'
import { fileError } from '../util/file-errors'
import { fail } from './fail'
import { UsageError } from './usage-error'

/** parseArgs' own mistakes (unknown option, missing value) as usage errors naming the command. */
function parseCommandLine<T>(command: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`)
  }
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw new ImgError({ code: 'NoSuchKey', ec: '0040-00000024', message: `image: ${(fileError(error, 'read', path) as Error).message}` })
  }
}

/** `oss-img info <input>`: OSS's image/info JSON body on stdout. */
export async function runInfo(argv: string[]): Promise<number> {
  try {
    const { positionals } = parseCommandLine('info', () => parseArgs({ args: argv, allowPositionals: true, options: {} }))
    const [input, ...extra] = positionals
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
    if (!input) throw new UsageError('"info" needs an input file')
    const result = await processImage(await readInput(input), 'image/info')
    process.stdout.write(`${result.kind === 'json' ? result.body : ''}\n`)
    return 0
  } catch (error) {
    return fail(error, false)
  }
}

/** `oss-img process <input> -p "<x-oss-process>" -o <output>`: the result written atomically (streamed by the encoder into a temp file, fdatasync'd, renamed). */
export async function runProcess(argv: string[]): Promise<number> {
  let json = false
  try {
    const { values, positionals } = parseCommandLine('process', () => parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        process: { type: 'string', short: 'p' },
        output: { type: 'string', short: 'o' },
        'bucket-dir': { type: 'string' },
        'no-auto-orient': { type: 'boolean' },
        json: { type: 'boolean' }
      }
    }))
    json = values.json === true
    const [input, ...extra] = positionals
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
    if (!input) throw new UsageError('"process" needs an input file')
    if (!values.process) throw new UsageError('process needs --process "<x-oss-process>"')
    if (!values.output) throw new UsageError('process needs -o <output>')
    const bytes = await readInput(input)
    const options = { objects: new ChosenFolder(values['bucket-dir'] ?? dirname(input)).objects(), implicitAutoOrient: values['no-auto-orient'] !== true }
    // The encoder writes the temp file itself (no whole output Buffer in JS); then fdatasync and rename.
    const result = await writeFileAtomicWith(values.output, (temp) => processImageToFile(bytes, values.process!, temp, options))
    if (json) {
      const line = result.kind === 'json' ? { format: 'json', bytes: result.bytes } : { width: result.width, height: result.height, format: result.format, bytes: result.bytes }
      process.stdout.write(`${JSON.stringify(line)}\n`)
    }
    return 0
  } catch (error) {
    return fail(error, json)
  }
}
