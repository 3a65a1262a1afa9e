#!/usr/bin/env node
/**
 * `oss-img`: the studio's engine for scripts and checks. Exit codes: 0 success, 2 invalid
 * request (OSS 4xx: nothing written) or usage error, 1 any other failure. This entry imports
 * nothing heavy: it finds the command and loads its module (commands.ts).
 */
import { BUDGET_HELP } from './budget-help'
import { BULK_HELP } from './bulk-help'
import { COMMANDS } from './commands'
import { fail } from './fail'
import { LINKS_HELP } from './links-help'
import { LINT_HELP } from './lint-help'
import { SANDBOX_HELP } from './sandbox-help'
import { UsageError } from './usage-error'

const indent = (text: string, by: string) => text.replaceAll('\n', `\n${by}`)

const HELP = `oss-img — Alibaba Cloud OSS image processing, reproduced locally

Usage:
${COMMANDS.map((c) => `  ${indent(c.usage, '  ')}`).join('\n')}
  oss-img --help

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${indent(c.summary, ' '.repeat(12))}`).join('\n')}

Options (process):
  -p, --process STRING   The process string, e.g. "image/resize,w_720/quality,q_80".
  -o, --output FILE      Where to write the result (written atomically; nothing on failure).
  --bucket-dir DIR       Folder where image-watermark object keys resolve (default: the input's folder).
  --no-auto-orient       Do not apply EXIF orientation unless the chain says auto-orient,1.
  --json                 Print one JSON line: {"width":W,"height":H,"format":"jpg","bytes":N};
                         on an invalid request print {"status","code","ec","message"} on stderr.
  -h, --help             Show this help.

${SANDBOX_HELP}
${BULK_HELP}
${LINKS_HELP}
${BUDGET_HELP}
${LINT_HELP}
HEIC: format,heic writes HEVC HEIC (brand heic, as OSS) through libheif's heif-enc with x265 when it is
installed (Debian libheif-examples; OSS_IMG_HEIF_ENC names another binary), else AV1-in-HEIF (brand avif).

Exit codes: 0 success; 2 invalid request (OSS 4xx error, nothing written) or usage error; 1 other failures.

Examples:
  oss-img process photo.jpg -p "image/resize,m_fill,w_300,h_300/format,webp" -o thumb.webp
  oss-img process photo.jpg -p "image/watermark,image_bG9nby5wbmc,g_se,t_60" -o marked.jpg --bucket-dir ./assets
  oss-img info photo.jpg
  oss-img sandbox --port 9000 --data ./oss-data
  oss-img budget --process "image/resize,w_720" --max-kb 60 --format jpg,webp photos/*.jpg --json
  oss-img lint "image/circle,r_200/quality,q_80" --source photo.jpg --json
`

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP)
    return 0
  }
  try {
    const command = COMMANDS.find((c) => c.name === name)
    if (command === undefined) throw new UsageError(name.startsWith('-') ? `unknown option ${JSON.stringify(name)} before a command` : `unknown command ${JSON.stringify(name)}`)
    // `oss-img process --help` and the like: the overview, without loading the command.
    if ((name === 'process' || name === 'info' || name === 'lint') && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(HELP)
      return 0
    }
    return await (await command.load()).run(rest)
  } catch (error) {
    return fail(error, false)
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
