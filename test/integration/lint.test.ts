/**
 * `oss-img lint` as scripts use it (the built CLI): the JSON array's exact shape, exit 1 on an
 * error finding and 0 otherwise, OSS's error and exit 2 for an invalid process string, `--source`
 * read from a real image (size, format, EXIF orientation, JPEG quality), and `style/NAME` from the
 * style library of `--data-dir`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { createStyleLibrary } from '../../src-main/services/styles'

const CLI = resolve('out/main/cli.js')
const dir = mkdtempSync(join(tmpdir(), 'oss-img-lint-'))
const photo = join(dir, 'photo.jpg')
const portrait = join(dir, 'rotated.jpg')
const logo = join(dir, 'logo.png')

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, 'lint', ...args], { encoding: 'utf8' })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}
const json = (...args: string[]) => {
  const run = cli(...args, '--json')
  return { ...run, findings: JSON.parse(run.stdout || 'null') as Record<string, unknown>[] }
}

beforeAll(async () => {
  if (!existsSync(CLI)) {
    const build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  }
  const base = sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6ea5' } })
  writeFileSync(photo, await base.clone().jpeg({ quality: 85 }).toBuffer())
  writeFileSync(portrait, await base.clone().jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer())
  writeFileSync(logo, await sharp({ create: { width: 300, height: 200, channels: 4, background: '#ff000080' } }).png().toBuffer())
  await createStyleLibrary({ dataDir: dir }).save({ name: 'avatar', process: 'image/resize,m_fill,w_2400,h_2400/circle,r_100' })
})

describe('oss-img lint', () => {
  it('--json prints exactly {id, severity, message, step, fix?, doc} per finding; warnings exit 0', () => {
    const run = json('image/resize,w_300/quality,q_80/format,png')
    expect(run.code, run.stderr).toBe(0)
    expect(run.findings.map((f) => f.id)).toEqual(['quality-no-effect', 'relative-quality'])
    for (const finding of run.findings) {
      expect(Object.keys(finding).sort()).toEqual(['doc', 'fix', 'id', 'message', 'severity', 'step'])
      expect(finding).toMatchObject({ severity: 'warning', step: 1 })
      expect(finding.doc).toBe('../shared/spec/oss-img.md#313-quality')
    }
    expect(run.findings[0]!.fix).toBe('image/resize,w_300/format,png')
  })

  it('exits 1 when a finding is an error; a finding without a safe fix has no fix key', () => {
    const run = json('image/crop,x_1300,w_10', '--source', photo)
    expect(run.code).toBe(1)
    expect(run.findings).toEqual([
      { id: 'crop-outside', severity: 'error', message: expect.stringContaining('outside the 1200x800 image'), step: 0, doc: '../shared/spec/oss-img.md#32-crop-自定义裁剪' }
    ])
  })

  it('reads the source: format, size, EXIF orientation and JPEG quality', () => {
    // A JPEG of known quality: q_ is meant, no relative-quality; circle on it gets JPG's white corners.
    expect(json('image/circle,r_100/quality,q_90', '--source', photo).findings.map((f) => f.id)).toEqual(['circle-on-jpeg'])
    // Orientation 6: the 1200x800 stored image is 800x1200 when the chain runs.
    expect(json('image/resize,w_1000', '--source', portrait).findings.map((f) => f.id)).toEqual(['upscale-blocked'])
    expect(json('image/resize,w_1000', '--source', photo).findings).toEqual([])
    // A PNG source: quality does nothing.
    expect(json('image/quality,Q_50', '--source', logo).findings.map((f) => f.id)).toEqual(['quality-no-effect'])
  })

  it('style/NAME comes from the style library of --data-dir', () => {
    const run = json('style/avatar', '--source', photo, '--data-dir', dir)
    expect(run.findings.map((f) => `${f.id}@${f.step}`)).toEqual(['upscale-blocked@0', 'circle-on-jpeg@1'])
    const missing = cli('style/nope', '--data-dir', dir)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('NoSuchStyle')
  })

  it("an invalid process string prints OSS's error and exits 2", () => {
    const run = cli('image/rotate,400')
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('400 InvalidArgument 0040-00000217')
  })

  it('prints readable lines without --json', () => {
    const run = cli('image/format,png/format,webp/interlace,1')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('warning overridden-step  step 1 (format)')
    expect(run.stdout).toContain('fixed:      image/format,webp/interlace,1')
    expect(run.stdout).toContain('why:        ../shared/spec/oss-img.md#4-chaining-and-evaluation-model')
    expect(run.stdout.trim().split('\n').at(-1)).toBe('2 warnings')
    expect(cli('image/resize,w_100').stdout).toBe('No findings.\n')
  })
})
