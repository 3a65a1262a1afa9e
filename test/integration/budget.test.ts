/**
 * `oss-img budget` as scripts use it (the built CLI, real files): the JSON shape, the boundary Q
 * checked with `oss-img process` at Q and Q+1, p95, and an unmeetable budget's exit code 1.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'

const CLI = resolve('out/main/cli.js')
let dir: string
let files: string[]

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

/** Bytes of `oss-img process` for one file at one quality. */
function processedBytes(file: string, chain: string, q: number): number {
  const out = join(dir, `check-${q}.bin`)
  const run = cli('process', file, '-p', `${chain}/quality,Q_${q}`, '-o', out)
  expect(run.code, run.stderr).toBe(0)
  return statSync(out).size
}

beforeAll(async () => {
  if (!existsSync(CLI)) {
    const build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  }
  dir = mkdtempSync(join(tmpdir(), 'oss-img-budget-'))
  files = []
  for (const [i, sigma] of [30, 55].entries()) {
    const file = join(dir, `photo${i}.png`)
    writeFileSync(file, await sharp({ create: { width: 900, height: 600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma } } }).blur(1).png().toBuffer())
    files.push(file)
  }
})

describe('oss-img budget', () => {
  it('prints {"results":[…]} with the boundary Q per format', () => {
    const run = cli('budget', '--process', 'image/resize,w_400', '--max-kb', '30', '--format', 'jpg,webp', ...files, '--json')
    expect(run.code, run.stderr).toBe(0)
    const { results } = JSON.parse(run.stdout) as { results: Record<string, unknown>[] }
    expect(results.map((r) => r.format)).toEqual(['jpg', 'webp'])
    for (const r of results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['format', 'Q', 'maxBytes', 'p95Bytes', 'medianBytes', 'score']))
      expect(r.met).toBe(true)
      const Q = r.Q as number
      expect(Q).toBeGreaterThanOrEqual(1)
      expect(Q).toBeLessThan(100)
      const chain = `image/resize,w_400/format,${r.format as string}`
      const atQ = files.map((f) => processedBytes(f, chain, Q))
      const above = files.map((f) => processedBytes(f, chain, Q + 1))
      expect(Math.max(...atQ)).toBeLessThanOrEqual(30 * 1024)
      expect(Math.max(...above)).toBeGreaterThan(30 * 1024)
      expect(r.maxBytes).toBe(Math.max(...atQ))
      expect(r.score as number).toBeGreaterThan(0)
      expect(r.score as number).toBeLessThanOrEqual(1)
    }
  })

  it('--p95 on two samples: the nearest-rank p95 of two is the larger one, so Q equals the max budget Q', () => {
    const max = JSON.parse(cli('budget', '--process', 'image/resize,w_400', '--max-kb', '30', '--format', 'webp', ...files, '--json').stdout) as { results: { Q: number }[] }
    const p95 = JSON.parse(cli('budget', '--process', 'image/resize,w_400', '--max-kb', '30', '--p95', '--format', 'webp', ...files, '--json').stdout) as { results: { Q: number }[] }
    expect(p95.results[0]!.Q).toBe(max.results[0]!.Q)
  })

  it('reports an unmeetable budget plainly: Q null, met false, the smallest sizes, exit 1', () => {
    const json = cli('budget', '--process', 'image/resize,w_400', '--max-kb', '0.5', '--format', 'jpg', ...files, '--json')
    expect(json.code).toBe(1)
    const [r] = (JSON.parse(json.stdout) as { results: Record<string, unknown>[] }).results
    expect(r).toMatchObject({ format: 'jpg', Q: null, met: false, score: null })
    expect(r!.maxBytes).toBe(Math.max(...files.map((f) => processedBytes(f, 'image/resize,w_400/format,jpg', 1))))
    const text = cli('budget', '--process', 'image/resize,w_400', '--max-kb', '0.5', '--format', 'jpg', ...files)
    expect(text.code).toBe(1)
    expect(text.stdout).toContain('jpg: no quality meets the budget')
  })

  it('answers a missing sample like OSS (404 NoSuchKey, exit 2) and an invalid chain with OSS error JSON', () => {
    const missing = cli('budget', '--process', 'image/resize,w_400', '--max-kb', '30', join(dir, 'nope.jpg'), '--json')
    expect(missing.code).toBe(2)
    expect(JSON.parse(missing.stderr)).toMatchObject({ status: 404, code: 'NoSuchKey' })
    const invalid = cli('budget', '--process', 'image/resize,m_abc,w_400', '--max-kb', '30', ...files, '--json')
    expect(invalid.code).toBe(2)
    expect(JSON.parse(invalid.stderr)).toMatchObject({ status: 400, code: 'InvalidArgument' })
    expect(invalid.stdout).toBe('')
  })
})
