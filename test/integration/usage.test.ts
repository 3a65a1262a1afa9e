/**
 * Usage errors exit 2 in every command of `oss-img` (commands.ts): an unknown option, a missing
 * required option or argument, a bad value, a stray argument. Each is reported as one line on
 * stderr naming what was wrong, with nothing on stdout and no network or file touched (the
 * endpoint given is a closed port). Spawns the built CLI (out/main/cli.js).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src-main/cli/commands'

const CLI = resolve('out/main/cli.js')
const CLOSED = 'http://127.0.0.1:1'
const dir = mkdtempSync(join(tmpdir(), 'oss-img-usage-'))

beforeAll(() => {
  if (!existsSync(CLI)) {
    const build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  }
  writeFileSync(join(dir, 'in.jpg'), 'not read: the command line is refused first')
})

/** Per command: [arguments, a text the one-line message must contain]. */
function cases(): Record<string, [string[], string][]> {
  const input = join(dir, 'in.jpg')
  const out = join(dir, 'out.jpg')
  const bulkBase = ['--from-dir', dir, '--process', 'image/resize,w_10', '--to-dir', join(dir, 'bulk-out'), '--target', '{key}']
  const linksBase = ['--endpoint', CLOSED, '--bucket', 'b', '--prefix', '', '--process', 'image/resize,w_10']
  return {
    process: [
      [['process', input, '-p', 'image/resize,w_10', '-o', out, '--frob'], "process: Unknown option '--frob'"],
      [['process', input, '-o', out], '--process'],
      [['process', input, '-p', 'image/resize,w_10'], '-o <output>'],
      [['process', '-p', 'image/resize,w_10', '-o', out], 'needs an input file'],
      [['process', input, '-p'], "Option '-p, --process <value>' argument missing"],
      [['process', input, '-p', 'image/resize,w_10', '-o', out, '--json=yes'], "Option '--json' does not take an argument"],
      [['process', input, input, '-p', 'image/resize,w_10', '-o', out], `unexpected argument ${JSON.stringify(input)}`]
    ],
    info: [
      [['info', input, '--frob'], "info: Unknown option '--frob'"],
      [['info'], 'needs an input file'],
      [['info', input, input], `unexpected argument ${JSON.stringify(input)}`]
    ],
    sandbox: [
      [['sandbox', '--frob'], "sandbox: Unknown option '--frob'"],
      [['sandbox', '--port', 'abc'], '--port expects an integer between 0 and 65535, got "abc"'],
      [['sandbox', '--acl', 'open'], '--acl expects one of private, public-read, public-read-write, got "open"'],
      [['sandbox', '--fail-rate', '2'], '--fail-rate expects a number between 0 and 1, got "2"'],
      [['sandbox', '--data'], "Option '--data <value>' argument missing"],
      [['sandbox', 'extra'], "Unexpected argument 'extra'"]
    ],
    bulk: [
      [['bulk', ...bulkBase, '--frob'], "bulk: Unknown option '--frob'"],
      [['bulk', '--process', 'image/resize,w_10', '--to-dir', dir, '--target', '{key}'], 'bulk needs a source'],
      [['bulk', '--from-dir', dir, '--process', 'image/resize,w_10', '--to-dir', dir], 'bulk needs --target TEMPLATE'],
      [['bulk', '--from-dir', dir, '--to-dir', dir, '--target', '{key}'], 'bulk needs at least one --style NAME or --process STR'],
      [['bulk', ...bulkBase, '--concurrency', '0'], '--concurrency expects an integer between 1 and 256, got "0"'],
      [['bulk', ...bulkBase, '--target', '{nope}'], '{nope}'],
      [['bulk', ...bulkBase, 'extra'], "Unexpected argument 'extra'"]
    ],
    links: [
      [['links', ...linksBase, '--frob'], "links: Unknown option '--frob'"],
      [['links', '--bucket', 'b', '--prefix', '', '--process', 'image/resize,w_10'], 'links needs --profile NAME or --endpoint URL'],
      [['links', ...linksBase, '--format', 'xml'], '--format expects one of list, csv, md, html, json, got "xml"'],
      [['links', ...linksBase, '--sign', 'v9'], '--sign expects one of v1, v4, got "v9"'],
      [['links', ...linksBase, 'extra'], "Unexpected argument 'extra'"]
    ],
    budget: [
      [['budget', '--process', 'image/resize,w_10', '--max-kb', '60', input, '--frob'], "budget: Unknown option '--frob'"],
      [['budget', '--max-kb', '60', input], 'budget needs --process'],
      [['budget', '--process', 'image/resize,w_10', input], 'budget needs --max-kb N'],
      [['budget', '--process', 'image/resize,w_10', '--max-kb', 'lots', input], '--max-kb expects a number above 0, got "lots"'],
      [['budget', '--process', 'image/resize,w_10', '--max-kb', '0', input], '--max-kb expects a number above 0, got "0"'],
      [['budget', '--process', 'image/resize,w_10', '--max-kb', '60', '--format', 'jpg,png', input], '--format expects a comma-separated list of jpg, webp, avif, heic, got "jpg,png"'],
      [['budget', '--process', 'image/resize,w_10', '--max-kb', '60'], 'budget needs at least one sample FILE'],
      [['budget', '--process', 'image/resize,w_10', '--max-kb', '60', '--p95=yes', input], "Option '--p95' does not take an argument"]
    ],
    lint: [
      [['lint', 'image/resize,w_10', '--frob'], "lint: Unknown option '--frob'"],
      [['lint'], 'lint needs a process string (image/...) or style/NAME'],
      [['lint', 'image/resize,w_10', 'extra'], 'unexpected argument "extra"'],
      [['lint', 'style/no good'], '"no good" is not a style name'],
      [['lint', 'image/resize,w_10', '--source'], "Option '--source <value>' argument missing"],
      [['lint', 'image/resize,w_10', '--json=yes'], "Option '--json' does not take an argument"]
    ],
    '': [
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['--frob'], 'unknown option "--frob" before a command']
    ]
  }
}

describe('usage errors', () => {
  it('covers every command', () => {
    expect(Object.keys(cases()).filter((name) => name !== '').sort()).toEqual(COMMANDS.map((c) => c.name).sort())
  })

  for (const [command, list] of Object.entries(cases())) {
    it(`${command || 'the entry'}: exit 2 with a one-line message naming the mistake`, () => {
      for (const [args, names] of list) {
        const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 })
        const label = args.join(' ')
        expect(run.status, `${label}: ${run.stderr}`).toBe(2)
        expect(run.stdout, label).toBe('')
        const lines = run.stderr.split('\n').filter((line) => line !== '')
        expect(lines, label).toHaveLength(1)
        expect(lines[0], label).toMatch(/^oss-img( bulk)?: /)
        expect(lines[0], label).toContain(names)
        expect(lines[0], label).not.toContain('To specify a positional argument')
      }
    })
  }
})
