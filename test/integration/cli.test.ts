/**
 * The built `oss-img` CLI as scripts use it: real files, exit codes, JSON lines, and nothing
 * written when a request fails.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeBase64Url } from '../../src-shared/img/base64url'
import { makeImage, pngHeaderOnly } from '../support/images'

const CLI = resolve('out/main/cli.js')
let dir: string

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

beforeAll(async () => {
  if (!existsSync(CLI)) {
    const build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  }
  dir = mkdtempSync(join(tmpdir(), 'oss-img-cli-'))
  writeFileSync(join(dir, 'photo.jpg'), await makeImage(800, 600))
  writeFileSync(join(dir, 'logo.png'), await sharp({ create: { width: 60, height: 30, channels: 4, background: '#ff0000' } }).png().toBuffer())
})

describe('oss-img', () => {
  it('documents every command and option in --help', () => {
    const { code, stdout } = cli('--help')
    expect(code).toBe(0)
    for (const word of ['process', 'info', '--process', '--output', '--bucket-dir', '--json', 'Exit codes']) expect(stdout).toContain(word)
    // issue 17 §4: which HEIC encoder this build uses.
    expect(stdout).toContain('format,heic writes HEVC HEIC')
  })

  it('processes an image and reports it as one JSON line', async () => {
    const out = join(dir, 'thumb.webp')
    const { code, stdout } = cli('process', join(dir, 'photo.jpg'), '--process', 'image/resize,m_fill,w_300,h_200/format,webp', '-o', out, '--json')
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({ width: 300, height: 200, format: 'webp', bytes: statSync(out).size })
    expect(await sharp(out).metadata()).toMatchObject({ width: 300, height: 200, format: 'webp' })
  })

  it('writes OSS JSON bodies for info and average-hue', () => {
    const out = join(dir, 'info.json')
    expect(cli('process', join(dir, 'photo.jpg'), '-p', 'image/info', '-o', out).code).toBe(0)
    const info = cli('info', join(dir, 'photo.jpg'))
    expect(info.code).toBe(0)
    expect(JSON.parse(info.stdout)).toMatchObject({ ImageWidth: { value: '800' }, ImageHeight: { value: '600' }, Format: { value: 'jpg' } })
  })

  it('resolves image watermarks in --bucket-dir', async () => {
    const out = join(dir, 'marked.png')
    const { code } = cli('process', join(dir, 'photo.jpg'), '-p', `image/watermark,image_${encodeBase64Url('logo.png')},g_nw,x_0,y_0/format,png`, '-o', out)
    expect(code).toBe(0)
    const { data } = await sharp(out).raw().toBuffer({ resolveWithObject: true })
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0])
  })

  it('answers an invalid request with exit 2, the OSS error on stderr and no file', () => {
    const out = join(dir, 'bad.jpg')
    const { code, stderr } = cli('process', join(dir, 'photo.jpg'), '-p', 'image/resize,m_abc,w_100', '-o', out, '--json')
    expect(code).toBe(2)
    const error = JSON.parse(stderr) as Record<string, string>
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0040-00000311' })
    expect(error.message).toContain('m')
    expect(error.message).toContain('abc')
    expect(existsSync(out)).toBe(false)
  })

  it('answers a missing source like OSS: 404, EC 0040-00000024 (conformance example)', () => {
    const { code, stderr } = cli('process', join(dir, 'nope.jpg'), '-p', 'image/format,jpg', '-o', join(dir, 'x.jpg'), '--json')
    expect(code).toBe(2)
    expect(JSON.parse(stderr)).toMatchObject({ status: 404, code: 'NoSuchKey', ec: '0040-00000024' })
  })

  it('leaves no file behind for a bomb, a damaged file or a watermark key outside the bucket dir', async () => {
    writeFileSync(join(dir, 'bomb.png'), pngHeaderOnly(20_000, 20_000))
    const jpeg = await makeImage(300, 200)
    writeFileSync(join(dir, 'cut.jpg'), jpeg.subarray(0, jpeg.length / 2))
    const cases: [string, string][] = [
      ['bomb.png', 'image/resize,w_10'],
      ['cut.jpg', 'image/resize,w_10'],
      ['photo.jpg', `image/watermark,image_${encodeBase64Url('../../etc/passwd')}`]
    ]
    for (const [input, process] of cases) {
      const before = readdirSync(dir).length
      const { code, stderr } = cli('process', join(dir, input), '-p', process, '-o', join(dir, 'never.jpg'), '--json')
      expect(code, `${input} ${process}: ${stderr}`).toBe(2)
      expect(JSON.parse(stderr).status).toBeGreaterThanOrEqual(400)
      expect(readdirSync(dir).length).toBe(before)
    }
  })

  it('refuses a watermark in --bucket-dir that is a symbolic link to a file outside it (exit 2, no file)', () => {
    const bucket = join(dir, 'bucket-with-link')
    mkdirSync(bucket)
    symlinkSync(join(dir, 'logo.png'), join(bucket, 'logo.png'))
    const out = join(dir, 'linked.png')
    const { code, stderr } = cli('process', join(dir, 'photo.jpg'), '-p', `image/watermark,image_${encodeBase64Url('logo.png')}`, '-o', out, '--bucket-dir', bucket, '--json')
    expect(code, stderr).toBe(2)
    const error = JSON.parse(stderr) as Record<string, string>
    expect(error).toMatchObject({ status: 403, code: 'AccessDenied' })
    expect(error.message).toBe(`watermark: refused ${JSON.stringify(join(bucket, 'logo.png'))}: it leads out of the folder ${JSON.stringify(bucket)} (through a symbolic link, to ${JSON.stringify(join(realpathSync(dir), 'logo.png'))})`)
    expect(existsSync(out)).toBe(false)
  })

  it('reports file-system failures as one sentence naming the path given, never an errno or a temp name', () => {
    const file = join(dir, 'photo.jpg')
    const resize = ['-p', 'image/resize,w_10']
    const cases: [string[], number, string][] = [
      [['process', file, ...resize, '-o', join(dir, 'no-such-dir', 'out.jpg')], 1, `oss-img: cannot write ${JSON.stringify(join(dir, 'no-such-dir', 'out.jpg'))}: the folder ${JSON.stringify(join(dir, 'no-such-dir'))} does not exist`],
      [['process', file, ...resize, '-o', dir], 1, `oss-img: cannot write ${JSON.stringify(dir)}: it is a folder, not a file`],
      [['process', file, ...resize, '-o', join(file, 'out.jpg')], 1, `oss-img: cannot write ${JSON.stringify(join(file, 'out.jpg'))}: ${JSON.stringify(file)} is a file, not a folder`],
      [['process', dir, ...resize, '-o', join(dir, 'never.jpg')], 2, `oss-img: 404 NoSuchKey 0040-00000024: image: cannot read ${JSON.stringify(dir)}: it is a folder, not a file`],
      [['info', join(dir, 'nope.jpg')], 2, `oss-img: 404 NoSuchKey 0040-00000024: image: cannot read ${JSON.stringify(join(dir, 'nope.jpg'))}: no such file`],
      [['bulk', '--from-dir', file, '--to-dir', join(dir, 'bulk-out'), '--process', 'image/resize,w_10', '--target', '{key}'], 2, `oss-img bulk: InvalidJob: source folder: cannot list ${JSON.stringify(file)}: it is a file, not a folder`],
      [['bulk', '--from-dir', dir, '--suffix', '.none', '--to-dir', join(dir, 'bulk-out'), '--process', 'image/resize,w_10', '--target', '{key}', '--journal', dir], 1, `oss-img bulk: cannot use the journal ${JSON.stringify(dir)}: it is a folder, not a file`],
      [['bulk', '--from-dir', dir, '--suffix', '.none', '--to-dir', file, '--process', 'image/resize,w_10', '--target', '{key}', '--journal', join(dir, 'never.jsonl')], 1, `oss-img bulk: cannot use the target folder ${JSON.stringify(file)}: it is a file, not a folder`],
      [['sandbox', '--data', file], 1, `oss-img: cannot use the data folder ${JSON.stringify(file)}: it is a file, not a folder`]
    ]
    for (const [args, exit, message] of cases) {
      const before = readdirSync(dir).sort()
      const { code, stderr } = cli(...args)
      expect(stderr.split('\n'), args.join(' ')).toContain(message)
      expect(code, args.join(' ')).toBe(exit)
      expect(stderr).not.toMatch(/\.tmp\b|\bE(NOENT|ISDIR|NOTDIR|EXIST|ACCES)\b|scandir|rename|open '/)
      expect(readdirSync(dir).sort()).toEqual(before)
    }
  })

  it('reports usage mistakes and other failures with their own exit codes', () => {
    expect(cli('process', join(dir, 'photo.jpg')).code).toBe(2)
    expect(cli('frobnicate', 'x').code).toBe(2)
    const unwritable = cli('process', join(dir, 'photo.jpg'), '-p', 'image/resize,w_10', '-o', join(dir, 'no-such-dir', 'out.jpg'))
    expect(unwritable.code).toBe(1)
  })
})
