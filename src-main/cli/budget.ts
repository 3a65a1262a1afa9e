/**
 * `oss-img budget --process STR --max-kb N [--p95] --format jpg,webp FILE... [--json]`: the
 * byte-budget solver (services/budget) on local files. Exit 0 when every format meets the budget,
 * 1 when one cannot (its row says so), 2 for a usage error or an invalid request.
 */
import { readFile } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { ImgError } from '../../src-shared/img/errors'
import { KB, QUALITY_FORMATS, type BudgetResult, type QualityFormat } from '../../src-shared/model/budget'
import { solveBudget, type BudgetSample } from '../services/budget'
import { ChosenFolder } from '../services/jobs/local-files'
import { fileError } from '../util/file-errors'
import { fail } from './fail'
import { UsageError } from './usage-error'

function budgetKb(value: string | undefined): number {
  if (value === undefined) throw new UsageError('budget needs --max-kb N (the budget in KB of 1024 bytes)')
  const n = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new UsageError(`--max-kb expects a number above 0, got ${JSON.stringify(value)}`)
  return n
}

function formatList(value: string | undefined): QualityFormat[] {
  if (value === undefined) return ['jpg', 'webp']
  const list = value.split(',').map((f) => f.trim().toLowerCase()).map((f) => (f === 'jpeg' ? 'jpg' : f))
  const wrong = list.find((f) => !(QUALITY_FORMATS as readonly string[]).includes(f))
  if (wrong !== undefined || list.length === 0) throw new UsageError(`--format expects a comma-separated list of ${QUALITY_FORMATS.join(', ')}, got ${JSON.stringify(value)}`)
  return [...new Set(list)] as QualityFormat[]
}

async function readSample(path: string): Promise<BudgetSample> {
  try {
    return { name: basename(path), bytes: await readFile(path) }
  } catch (error) {
    throw new ImgError({ code: 'NoSuchKey', ec: '0040-00000024', message: `image: ${(fileError(error, 'read', path) as Error).message}` })
  }
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`

function table(results: readonly BudgetResult[], budgetBytes: number, measure: string, samples: number): string {
  const head = `Budget: ${measure === 'p95' ? 'p95' : 'every sample'} ≤ ${kb(budgetBytes)} (${budgetBytes} bytes), ${samples} sample${samples === 1 ? '' : 's'}`
  const rows = [['format', 'Q', 'max', 'p95', 'median', 'SSIM', 'time'], ...results.map((r) => [
    r.format,
    r.Q === null ? 'not met' : `Q_${r.Q}`,
    kb(r.maxBytes),
    kb(r.p95Bytes),
    kb(r.medianBytes),
    r.score === null ? '—' : r.score.toFixed(4),
    `${r.timeMs} ms`
  ])]
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)))
  const lines = rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd())
  const unmet = results.filter((r) => !r.met).map((r) => `${r.format}: no quality meets the budget; the smallest reached (Q_1) is ${kb(measure === 'p95' ? r.p95Bytes : r.maxBytes)}`)
  return [head, ...lines, ...unmet].join('\n')
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write((await import('./budget-help')).BUDGET_HELP)
    return 0
  }
  let json = false
  try {
    const { values, positionals } = (() => {
      try {
        return parseArgs({
          args: argv,
          allowPositionals: true,
          options: {
            process: { type: 'string', short: 'p' },
            'max-kb': { type: 'string' },
            p95: { type: 'boolean' },
            format: { type: 'string' },
            'bucket-dir': { type: 'string' },
            json: { type: 'boolean' }
          }
        })
      } catch (error) {
        throw new UsageError(`budget: ${(error as Error).message}`)
      }
    })()
    json = values.json === true
    if (!values.process) throw new UsageError('budget needs --process "<image/...>"')
    const maxKb = budgetKb(values['max-kb'])
    const formats = formatList(values.format)
    if (positionals.length === 0) throw new UsageError('budget needs at least one sample FILE')
    const samples = await Promise.all(positionals.map(readSample))
    const budgetBytes = Math.floor(maxKb * KB)
    const measure = values.p95 === true ? 'p95' : 'max'
    const results = await solveBudget({
      process: values.process,
      samples,
      budgetBytes,
      measure,
      formats,
      engine: { objects: new ChosenFolder(values['bucket-dir'] ?? dirname(positionals[0]!)).objects() }
    })
    process.stdout.write(json ? `${JSON.stringify({ results })}\n` : `${table(results, budgetBytes, measure, samples.length)}\n`)
    return results.every((r) => r.met) ? 0 : 1
  } catch (error) {
    return fail(error, json)
  }
}
