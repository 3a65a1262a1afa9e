/**
 * `oss-img links`: the link matrix (services/links) for a bucket prefix or a key list × styles or
 * process strings, printed as list, CSV, Markdown, HTML or JSON on stdout; `--check` fetches every
 * URL (ranged GET) and exits 1 when any fails. Credentials as `oss-img bulk` takes them.
 */
import { parseArgs } from 'node:util'
import { isStyleDelimiter, STYLE_DELIMITERS, type StyleDelimiter } from '../../src-shared/model/image-settings'
import { formatLinks, isFailedCheck, LINK_FORMATS, LINK_FORMS, type LinkColumn, type LinkFormat, type LinkForm } from '../../src-shared/model/links'
import { assertStyleName, buildLinks, checkLinks, processColumn, styleColumn } from '../services/links'
import { isOssError, MAX_SIGNED_URL_SECONDS, type OssService } from '../services/oss'
import { bulkStyleLookup, openBulkConnection } from './bulk-connection'
import { LINKS_HELP } from './links-help'
import { UsageError } from './usage-error'
import { readKeyFile } from './key-file'

const LABELLED = /^([A-Za-z0-9_.-]{1,63})=(image\/[\s\S]*)$/

type Column = { style: string } | { process: string; label?: string }

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} expects one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
  return value as T
}

function positiveInt(flag: string, value: string | undefined, max: number, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`--${flag} expects an integer between 1 and ${max}, got ${JSON.stringify(value)}`)
  return n
}

async function listKeys(service: OssService, prefix: string): Promise<string[]> {
  const keys: string[] = []
  for await (const page of service.listAllObjects({ prefix, maxKeys: 1000 })) for (const object of page.objects) if (!object.key.endsWith('/')) keys.push(object.key)
  return keys
}

/** A style's content, for its output width: the bucket's style (what the link serves), else the style library's. */
async function styleContent(service: OssService, name: string, library: (name: string) => Promise<string | undefined>): Promise<string | undefined> {
  try {
    return (await service.getStyle(name)).content
  } catch (error) {
    if (!isOssError(error) || error.status !== 404) throw error
  }
  return library(name)
}

export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      tokens: true,
      options: {
        profile: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        'data-dir': { type: 'string' },
        bucket: { type: 'string' },
        prefix: { type: 'string' },
        keys: { type: 'string' },
        style: { type: 'string', multiple: true },
        process: { type: 'string', short: 'p', multiple: true },
        form: { type: 'string' },
        delimiter: { type: 'string' },
        sign: { type: 'string' },
        expires: { type: 'string' },
        domain: { type: 'string' },
        format: { type: 'string' },
        check: { type: 'boolean' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new UsageError(`links: ${(error as Error).message}`)
  }
  const { values } = parsed
  if (values.help) {
    process.stdout.write(LINKS_HELP)
    return 0
  }
  // --style and --process keep their command-line order: it is the order of the columns.
  const columns: Column[] = []
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || (token.name !== 'style' && token.name !== 'process')) continue
    const value = token.value ?? ''
    if (token.name === 'style') columns.push({ style: value })
    else {
      const m = LABELLED.exec(value)
      columns.push(m ? { process: m[2]!, label: m[1]! } : { process: value })
    }
  }
  if (values.profile === undefined && values.endpoint === undefined) throw new UsageError('links needs --profile NAME or --endpoint URL')
  if (values.bucket === undefined) throw new UsageError('links needs --bucket B')
  if ((values.prefix === undefined) === (values.keys === undefined)) throw new UsageError('links needs exactly one of --prefix P (use --prefix "" for the whole bucket) or --keys FILE')
  if (columns.length === 0) throw new UsageError('links needs at least one --style NAME or --process STR')
  const form: LinkForm = oneOf('form', values.form, LINK_FORMS, 'query')
  const format: LinkFormat = oneOf('format', values.format, LINK_FORMATS, 'list')
  if (values.delimiter !== undefined && !isStyleDelimiter(values.delimiter)) throw new UsageError(`--delimiter expects one of ${STYLE_DELIMITERS.join(' ')}, got ${JSON.stringify(values.delimiter)}`)
  const delimiter: StyleDelimiter | undefined = values.delimiter
  if (values.delimiter !== undefined && form !== 'delimiter') throw new UsageError('--delimiter goes with --form delimiter')
  if (form === 'delimiter' && columns.some((c) => !('style' in c))) throw new UsageError('--form delimiter makes <key><delimiter><style> links: it takes --style NAME only, not --process')
  if (values.expires !== undefined && values.sign === undefined) throw new UsageError('--expires goes with --sign v1|v4')
  const sign = values.sign !== undefined ? { version: oneOf('sign', values.sign, ['v1', 'v4'] as const, 'v1'), expiresSeconds: positiveInt('expires', values.expires, MAX_SIGNED_URL_SECONDS, 3600) } : undefined
  const concurrency = positiveInt('concurrency', values.concurrency, 64, 8)
  if (values.concurrency !== undefined && !values.check) throw new UsageError('--concurrency goes with --check')

  const connection = await openBulkConnection({ profile: values.profile, endpoint: values.endpoint, region: values.region, dataDir: values['data-dir'] })
  if (!connection) throw new UsageError('links needs --profile NAME or --endpoint URL')
  try {
    const service = connection.service(values.bucket)
    const keys = values.keys !== undefined ? await readKeyFile(values.keys) : await listKeys(service, values.prefix ?? '')
    if (keys.length === 0) throw new UsageError(values.keys !== undefined ? `--keys ${JSON.stringify(values.keys)} lists no keys` : `no objects under --prefix ${JSON.stringify(values.prefix)} in ${values.bucket}`)
    const library = bulkStyleLookup(values['data-dir'], undefined, undefined)
    const matrix = await (async () => {
      const linkColumns: LinkColumn[] = []
      for (const column of columns) {
        // The name is checked before the bucket is asked for the style's content.
        if ('style' in column) assertStyleName(column.style)
        linkColumns.push('style' in column ? styleColumn(column.style, await styleContent(service, column.style, library)) : processColumn(column.process, column.label))
      }
      return buildLinks(service, {
        keys,
        columns: linkColumns,
        form,
        ...(delimiter !== undefined ? { delimiter } : {}),
        ...(sign ? { sign } : {}),
        ...(values.domain !== undefined ? { domain: values.domain } : {})
      })
    })().catch((error: unknown) => {
      // A value the service refused before any request (a style name, a process string, a domain that is no URL): a usage error.
      throw isOssError(error) && error.origin === 'client' && error.status === 400 ? new UsageError(`links: ${error.message}`) : error
    })
    let failed = 0
    let result = matrix
    if (values.check) {
      const tty = process.stderr.isTTY === true
      const checks = await checkLinks(
        matrix.cells.map((c) => c.url),
        {
          concurrency,
          onChecked: (_, __, done, total) => {
            if (tty) process.stderr.write(`\rlinks: checked ${done}/${total}`)
          }
        }
      )
      if (tty) process.stderr.write('\n')
      result = { ...matrix, cells: matrix.cells.map((cell, i) => ({ ...cell, check: checks[i] })) }
      for (const cell of result.cells) {
        if (!isFailedCheck(cell.check)) continue
        failed += 1
        process.stderr.write(`links: ${cell.check?.status} ${cell.check?.code ?? ''} ${cell.key} ${cell.style} ${cell.url}\n`)
      }
      process.stderr.write(`links: ${result.cells.length - failed} of ${result.cells.length} links answered 2xx\n`)
    }
    process.stdout.write(formatLinks(result, format))
    return failed > 0 ? 1 : 0
  } finally {
    await connection.close()
  }
}
