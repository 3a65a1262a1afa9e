/**
 * `oss-img links` end to end: the built CLI as a child process against a sandbox started here,
 * credentials from the environment (`--endpoint`), each URL fetched anonymously or signed the way a
 * browser would, `--check` answers (status, type, bytes, OSS's Code) and exit codes.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { checkLink } from '../../src-main/services/links'
import { client, removeDir, tempRoot } from '../sandbox/helpers'
import { sample } from '../sandbox/img-helpers'

const CLI = resolve('out/main/cli.js')
const PUBLIC = 'links-public'
const PRIVATE = 'links-private'
const styles = { thumb: 'image/resize,m_fill,w_200,h_200', w320: 'image/resize,w_320', w720: 'image/resize,w_720/format,webp' }

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (/\.(ts|tsx)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let root: string
let sandbox: Sandbox
let env: NodeJS.ProcessEnv

function links(...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [CLI, 'links', '--endpoint', sandbox.endpoint, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolvePromise) => child.on('close', (code) => resolvePromise({ code, stdout, stderr })))
}

interface JsonCell {
  key: string
  style: string
  form: string
  url: string
  expires?: string
  check?: { status: number; contentType: string; bytes: number; code?: string }
}

const json = (run: Run) => JSON.parse(run.stdout) as JsonCell[]

async function fetched(url: string) {
  const res = await fetch(url)
  const body = Buffer.from(await res.arrayBuffer())
  return { status: res.status, type: res.headers.get('content-type'), body }
}

beforeAll(async () => {
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < Math.max(newestSource(resolve('src-main')), newestSource(resolve('src-shared')))) {
    const hasFlock = spawnSync('flock', ['--version']).status === 0
    const [cmd, args] = hasFlock ? ['flock', ['/tmp/oss-img-build.lock', 'npx', 'electron-vite', 'build']] : ['npx', ['electron-vite', 'build']]
    const build = spawnSync(cmd as string, args as string[], { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  }
  root = tempRoot('oss-links-')
  const jpg = { data: sample('landscape.jpg') }
  sandbox = await startSandbox({
    dataDir: join(root, 'data'),
    buckets: [
      { name: PUBLIC, acl: 'public-read', styleDelimiter: '!', styles, objects: { 'photos/a.jpg': jpg, 'photos/b c.jpg': jpg, 'photos/sub/': { data: Buffer.alloc(0) }, 'other/x.jpg': jpg } },
      { name: PRIVATE, acl: 'private', styles, objects: { 'a.jpg': jpg } }
    ]
  })
  env = { ...process.env, OSS_ACCESS_KEY_ID: sandbox.accessKeyId, OSS_ACCESS_KEY_SECRET: sandbox.accessKeySecret, OSS_IMG_STUDIO_HOME: join(root, 'home') }
}, 120_000)

afterAll(async () => {
  await sandbox.close()
  removeDir(root)
})

describe('oss-img links', () => {
  it('public query form for a prefix × styles and a process: JSON, every URL serves the style, --check agrees', async () => {
    const run = await links('--bucket', PUBLIC, '--prefix', 'photos/', '--style', 'thumb', '--style', 'w320', '--process', 'image/resize,w_100', '--format', 'json', '--check')
    expect(run.code, run.stderr).toBe(0)
    const cells = json(run)
    expect(cells.map((c) => [c.key, c.style, c.form])).toEqual([
      ['photos/a.jpg', 'thumb', 'query'],
      ['photos/a.jpg', 'w320', 'query'],
      ['photos/a.jpg', 'image/resize,w_100', 'query'],
      ['photos/b c.jpg', 'thumb', 'query'],
      ['photos/b c.jpg', 'w320', 'query'],
      ['photos/b c.jpg', 'image/resize,w_100', 'query']
    ])
    expect(cells[0]!.url).toBe(`${sandbox.endpoint}/${PUBLIC}/photos/a.jpg?x-oss-process=style%2Fthumb`)
    expect(cells[3]!.url).toContain('/photos/b%20c.jpg?')
    const widths = [200, 320, 100]
    for (const [i, cell] of cells.entries()) {
      expect(cell.expires).toBeUndefined()
      const got = await fetched(cell.url)
      expect(got.status).toBe(200)
      expect((await sharp(got.body).metadata()).width).toBe(widths[i % 3])
      expect(cell.check).toEqual({ status: 200, contentType: 'image/jpeg', bytes: got.body.length })
    }
  })

  it('--check: a missing style, a private object and a missing key fail with OSS codes; exit 1', async () => {
    const keys = join(root, 'keys.txt')
    writeFileSync(keys, '# keys\nphotos/a.jpg\n\nphotos/missing.jpg\n')
    const run = await links('--bucket', PUBLIC, '--keys', keys, '--style', 'thumb', '--style', 'nosuch', '--format', 'json', '--check')
    expect(run.code).toBe(1)
    const checks = json(run).map((c) => [c.key, c.style, c.check?.status, c.check?.code])
    expect(checks).toEqual([
      ['photos/a.jpg', 'thumb', 200, undefined],
      ['photos/a.jpg', 'nosuch', 404, 'NoSuchStyle'],
      ['photos/missing.jpg', 'thumb', 404, 'NoSuchKey'],
      ['photos/missing.jpg', 'nosuch', 404, 'NoSuchKey']
    ])
    expect(run.stderr).toContain('NoSuchStyle')
    const denied = await links('--bucket', PRIVATE, '--prefix', '', '--style', 'thumb', '--format', 'json', '--check')
    expect(denied.code).toBe(1)
    expect(json(denied)[0]!.check).toMatchObject({ status: 403, code: 'AccessDenied' })
  })

  it('--form delimiter: <key>!<style> links the sandbox serves', async () => {
    const run = await links('--bucket', PUBLIC, '--prefix', 'photos/a', '--style', 'thumb', '--form', 'delimiter', '--check')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe(`${sandbox.endpoint}/${PUBLIC}/photos/a.jpg!thumb\n`)
    expect((await sharp((await fetched(run.stdout.trim())).body).metadata()).width).toBe(200)
  })

  it('--sign v4 and v1 on a private bucket: signed URLs that work, with their expiry', async () => {
    for (const version of ['v4', 'v1']) {
      const before = Date.now()
      const run = await links('--bucket', PRIVATE, '--prefix', '', '--style', 'thumb', '--sign', version, '--expires', '120', '--format', 'json', '--check')
      expect(run.code, run.stderr).toBe(0)
      const [cell] = json(run)
      expect(cell!.url).toContain(version === 'v4' ? 'x-oss-signature=' : 'Signature=')
      expect(cell!.check?.status).toBe(200)
      const expires = Date.parse(cell!.expires ?? '')
      expect(expires).toBeGreaterThanOrEqual(before + 119_000)
      expect(expires).toBeLessThanOrEqual(Date.now() + 121_000)
      expect((await fetched(cell!.url)).status).toBe(200)
      expect(run.stdout).not.toContain(sandbox.accessKeySecret)
    }
    const delimited = await links('--bucket', PUBLIC, '--prefix', 'photos/a', '--style', 'w320', '--form', 'delimiter', '--sign', 'v1', '--expires', '60', '--check')
    expect(delimited.code, delimited.stderr).toBe(0)
    expect(delimited.stdout).toContain('/photos/a.jpg!w320?OSSAccessKeyId=')
  })

  it('an expired signature is reported as AccessDenied by the check', async () => {
    const expired = client(sandbox, PRIVATE).signatureUrl('a.jpg', { expires: -60 })
    expect(await checkLink(expired)).toMatchObject({ status: 403, code: 'AccessDenied' })
  })

  it('--domain, CSV, Markdown and HTML with srcset over width-based styles', async () => {
    const base = ['--bucket', PUBLIC, '--prefix', 'photos/', '--style', 'w320', '--style', 'w720', '--style', 'thumb', '--domain', 'https://img.example.com']
    const csv = await links(...base, '--format', 'csv')
    expect(csv.code, csv.stderr).toBe(0)
    const lines = csv.stdout.trimEnd().split('\r\n')
    expect(lines[0]).toBe('key,style,form,url,expires')
    expect(lines[1]).toBe('photos/a.jpg,w320,query,https://img.example.com/photos/a.jpg?x-oss-process=style%2Fw320,')
    expect(lines).toHaveLength(7)
    const md = await links(...base, '--format', 'md')
    expect(md.stdout.split('\n').slice(0, 3)).toEqual([
      '| key | w320 | w720 | thumb |',
      '|---|---|---|---|',
      '| photos/a.jpg | [w320](https://img.example.com/photos/a.jpg?x-oss-process=style%2Fw320) | [w720](https://img.example.com/photos/a.jpg?x-oss-process=style%2Fw720) | [thumb](https://img.example.com/photos/a.jpg?x-oss-process=style%2Fthumb) |'
    ])
    const html = await links(...base, '--format', 'html')
    expect(html.stdout).toContain('<img src="https://img.example.com/photos/a.jpg?x-oss-process=style%2Fthumb" alt="photos/a.jpg thumb" loading="lazy">')
    expect(html.stdout).toContain(
      '<img srcset="https://img.example.com/photos/a.jpg?x-oss-process=style%2Fw320 320w, https://img.example.com/photos/a.jpg?x-oss-process=style%2Fw720 720w" sizes="(max-width: 720px) 100vw, 720px" src="https://img.example.com/photos/a.jpg?x-oss-process=style%2Fw720" alt="photos/a.jpg" loading="lazy">'
    )
    expect(html.stdout.match(/srcset=/g)).toHaveLength(2)
    // A bare host name is an https base.
    const bare = await links('--bucket', PUBLIC, '--prefix', 'photos/a', '--style', 'thumb', '--domain', 'img.example.com')
    expect(bare.stdout).toBe('https://img.example.com/photos/a.jpg?x-oss-process=style%2Fthumb\n')
  })

  it('label=image/... names a process column', async () => {
    const run = await links('--bucket', PUBLIC, '--prefix', 'photos/a', '--process', 'w100=image/resize,w_100', '--format', 'json')
    expect(run.code, run.stderr).toBe(0)
    expect(json(run).map((c) => [c.style, c.url])).toEqual([['w100', `${sandbox.endpoint}/${PUBLIC}/photos/a.jpg?x-oss-process=image%2Fresize%2Cw_100`]])
  })

  it('--help documents every option; oss-img --help lists the command', () => {
    const help = spawnSync(process.execPath, [CLI, 'links', '--help'], { encoding: 'utf8' })
    expect(help.status).toBe(0)
    for (const flag of ['--profile', '--endpoint', '--bucket', '--prefix', '--keys', '--style', '--process', '--form', '--delimiter', '--sign', '--expires', '--domain', '--format', '--check', '--concurrency', '--region', '--data-dir']) {
      expect(help.stdout).toContain(flag)
    }
    expect(spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout).toContain('oss-img links (--profile NAME | --endpoint URL) --bucket B (--prefix P | --keys FILE)')
  })

  it('usage errors exit 2 and print nothing on stdout', async () => {
    for (const args of [
      ['--prefix', ''],
      ['--bucket', PUBLIC, '--style', 'thumb'],
      ['--bucket', PUBLIC, '--prefix', '', '--style', 'thumb', '--form', 'delimiter', '--process', 'image/resize,w_10'],
      ['--bucket', PUBLIC, '--prefix', '', '--style', 'thumb', '--format', 'xml'],
      ['--bucket', PUBLIC, '--prefix', '', '--style', 'thumb', '--expires', '60'],
      ['--bucket', PUBLIC, '--prefix', '', '--style', 'thumb', '--sign', 'v4', '--expires', '604801'],
      ['--bucket', PUBLIC, '--prefix', '', '--style', 'thumb', '--domain', 'ftp://img.example.com'],
      ['--bucket', PUBLIC, '--prefix', '', '--style', 'bad name']
    ]) {
      const run = await links(...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stdout).toBe('')
    }
  })
})
