/**
 * `oss-img lint "<process or style/NAME>" [--source FILE] [--json] [--data-dir DIR]`: the style
 * linter's findings (src-shared/img/lint). Exit 1 when any finding is an error, 0 otherwise; an
 * invalid process string prints OSS's error and exits 2, as `oss-img process` does.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { ImgError } from '../../src-shared/img/errors'
import { hasErrors, lintPipeline, type LintFinding, type LintSource } from '../../src-shared/img/lint'
import { parseProcess, STYLE_NAME, type Step } from '../../src-shared/img/process'
import { inspectSource } from '../engine/decode'
import { fileError } from '../util/file-errors'
import { fail } from './fail'
import { UsageError } from './usage-error'

/** `style/NAME` from the style library (`--data-dir`, else the default data folder), like `bulk --style`. */
async function stepsOf(processOrStyle: string, dataDir: string | undefined): Promise<readonly Step[]> {
  let parsed = parseProcess(processOrStyle)
  if (parsed.kind === 'style') {
    const name = parsed.name
    const { bulkStyleLookup } = await import('./bulk-connection')
    const content = await bulkStyleLookup(dataDir, undefined, undefined)(name)
    if (content === undefined) throw new ImgError({ code: 'NoSuchStyle', message: `style: no style named ${JSON.stringify(name)} in the style library` })
    parsed = parseProcess(content)
    if (parsed.kind !== 'image') throw new ImgError({ code: 'InvalidArgument', message: `style ${JSON.stringify(name)}: its content is not an image/ chain` })
  }
  return parsed.steps
}

/** The source's size, format, orientation and JPEG quality, from its header (no full decode). */
async function sourceOf(path: string): Promise<LintSource> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new UsageError(`--source: ${(fileError(error, 'read', path) as Error).message}`)
  }
  const info = await inspectSource(bytes, false)
  return { width: info.width, height: info.height, format: info.format, orientation: info.orientation, quality: info.jpegQuality }
}

const SEVERITY_LABEL = { error: 'error  ', warning: 'warning', info: 'info   ' } as const

function describe(findings: readonly LintFinding[], steps: readonly Step[]): string {
  if (findings.length === 0) return 'No findings.\n'
  const lines = findings.flatMap((f) => [
    `${SEVERITY_LABEL[f.severity]} ${f.id}  step ${f.step + 1} (${steps[f.step]?.action ?? '?'}): ${f.message}`,
    `        how to fix: ${f.howToFix}`,
    ...(f.fix ? [`        fixed:      ${f.fix}`] : []),
    `        why:        ${f.doc}`
  ])
  const count = (severity: LintFinding['severity']) => findings.filter((f) => f.severity === severity).length
  const summary = (['error', 'warning', 'info'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}${count(s) === 1 ? '' : 's'}`)
    .join(', ')
  return `${lines.join('\n')}\n${summary}\n`
}

export async function run(argv: string[]): Promise<number> {
  let json = false
  try {
    let parsed
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { source: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } } })
    } catch (error) {
      throw new UsageError(`lint: ${(error as Error).message}`)
    }
    const { values, positionals } = parsed
    json = values.json === true
    const [processOrStyle, ...extra] = positionals
    if (extra.length > 0) throw new UsageError(`lint: unexpected argument ${JSON.stringify(extra[0])}`)
    if (processOrStyle === undefined) throw new UsageError('lint needs a process string (image/...) or style/NAME')
    if (processOrStyle.startsWith('style/') && !STYLE_NAME.test(processOrStyle.slice(6))) {
      throw new UsageError(`lint: ${JSON.stringify(processOrStyle.slice(6))} is not a style name (1-63 of A-Z a-z 0-9 _ . -)`)
    }
    const steps = await stepsOf(processOrStyle, values['data-dir'])
    const source = values.source !== undefined ? await sourceOf(values.source) : undefined
    const findings = lintPipeline({ steps, source })
    if (json) {
      const out = findings.map((f) => ({ id: f.id, severity: f.severity, message: f.message, step: f.step, ...(f.fix ? { fix: f.fix } : {}), doc: f.doc }))
      process.stdout.write(`${JSON.stringify(out)}\n`)
    } else {
      process.stdout.write(describe(findings, steps))
    }
    return hasErrors(findings) ? 1 : 0
  } catch (error) {
    return fail(error, json)
  }
}
