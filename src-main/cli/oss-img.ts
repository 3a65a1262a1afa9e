#!/usr/bin/env node
/**
 * `oss-img`: the studio's engine for scripts and checks. Exit codes: 0 success, 2 invalid
 * request (OSS 4xx: nothing written), 1 any other failure.
 */
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { ImgError, isImgError } from '../../src-shared/img/errors'
import { processImage } from '../engine/executor'
import { writeFileAtomic } from '../util/atomic-write'
import { BULK_HELP, runBulk } from './bulk'
import { folderObjects } from './folder-objects'
import { runSandbox, SANDBOX_HELP } from './sandbox'
import { UsageError } from './usage-error'

const HELP = `oss-img — Alibaba Cloud OSS image processing, reproduced locally

Usage:
  oss-img process <input> --process "<x-oss-process>" -o <output> [--bucket-dir DIR] [--json]
  oss-img info <input>
  oss-img sandbox [--port N] [--data DIR] [--bucket NAME]... [options]
  oss-img bulk (--profile NAME | --endpoint URL) --bucket B (--prefix P | --keys FILE) | --from-dir DIR
               (--style NAME | --process STR)... (--target-bucket B2 | --to-dir DIR) --target TEMPLATE
               [--concurrency N] [--journal FILE] [--overwrite] [--dry-run] [--json]
  oss-img --help

Commands:
  process   Apply an x-oss-process string (image/...) to a local image and write the result:
            the image, or OSS's JSON body for image/info and image/average-hue.
  info      Print OSS's image/info JSON for a local image.
  sandbox   Serve a local OSS sandbox (REST + IMG: processing, styles, saveas) for ali-oss
            and other clients, until interrupted. Options below.
  bulk      Save derivatives in bulk (bucket prefix, key list or folder; server-side or local),
            resumable with --journal; options below.

Options:
  -p, --process STRING   The process string, e.g. "image/resize,w_720/quality,q_80".
  -o, --output FILE      Where to write the result (written atomically; nothing on failure).
  --bucket-dir DIR       Folder where image-watermark object keys resolve (default: the input's folder).
  --no-auto-orient       Do not apply EXIF orientation unless the chain says auto-orient,1.
  --json                 Print one JSON line: {"width":W,"height":H,"format":"jpg","bytes":N};
                         on an invalid request print {"status","code","ec","message"} on stderr.
  -h, --help             Show this help.

${SANDBOX_HELP}
${BULK_HELP}
Exit codes: 0 success; 2 invalid request (OSS 4xx error, nothing written) or usage error; 1 other failures.

Examples:
  oss-img process photo.jpg -p "image/resize,m_fill,w_300,h_300/format,webp" -o thumb.webp
  oss-img process photo.jpg -p "image/watermark,image_bG9nby5wbmc,g_se,t_60" -o marked.jpg --bucket-dir ./assets
  oss-img info photo.jpg
  oss-img sandbox --port 9000 --data ./oss-data
`

function fail(error: unknown, json: boolean): number {
  if (error instanceof UsageError) {
    process.stderr.write(`oss-img: ${error.message}\nRun "oss-img --help" for usage.\n`)
    return 2
  }
  const imgError = isImgError(error) ? error : undefined
  if (json && imgError) process.stderr.write(`${JSON.stringify(imgError.toJSON())}\n`)
  else process.stderr.write(`oss-img: ${imgError ? `${imgError.status} ${imgError.code}${imgError.ec ? ` ${imgError.ec}` : ''}: ` : ''}${(error as Error)?.message ?? String(error)}\n`)
  return imgError && imgError.status >= 400 && imgError.status < 500 ? 2 : 1
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw new ImgError({ code: 'NoSuchKey', ec: '0040-00000024', message: `image: expected a readable source file but received ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` })
  }
}

async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'bulk') {
    try {
      return await runBulk(argv.slice(1))
    } catch (error) {
      return fail(error, false)
    }
  }
  if (argv[0] === 'sandbox') {
    try {
      return await runSandbox(argv.slice(1))
    } catch (error) {
      return fail(error, false)
    }
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      process: { type: 'string', short: 'p' },
      output: { type: 'string', short: 'o' },
      'bucket-dir': { type: 'string' },
      'no-auto-orient': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  const [command, input, ...extra] = positionals
  if (values.help || command === undefined || command === 'help') {
    const { heicEncoder } = await import('../engine/codecs/heic')
    process.stdout.write(`${HELP}\nformat,heic on this machine writes ${(await heicEncoder()).description}.\n`)
    return 0
  }
  const json = values.json === true
  try {
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
    if (!input) throw new UsageError(`"${command}" needs an input file`)
    if (command === 'info') {
      const result = await processImage(await readInput(input), 'image/info')
      process.stdout.write(`${result.kind === 'json' ? result.body : ''}\n`)
      return 0
    }
    if (command !== 'process') throw new UsageError(`unknown command ${JSON.stringify(command)}`)
    if (!values.process) throw new UsageError('process needs --process "<x-oss-process>"')
    if (!values.output) throw new UsageError('process needs -o <output>')
    const bytes = await readInput(input)
    const result = await processImage(bytes, values.process, {
      objects: folderObjects(values['bucket-dir'] ?? dirname(input)),
      implicitAutoOrient: values['no-auto-orient'] !== true
    })
    const data = result.kind === 'json' ? Buffer.from(result.body) : result.data
    await writeFileAtomic(values.output, data)
    if (json) {
      const line = result.kind === 'json' ? { format: 'json', bytes: data.length } : { width: result.width, height: result.height, format: result.format, bytes: data.length }
      process.stdout.write(`${JSON.stringify(line)}\n`)
    }
    return 0
  } catch (error) {
    return fail(error, json)
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.exitCode = fail(error, false)
  }
)
