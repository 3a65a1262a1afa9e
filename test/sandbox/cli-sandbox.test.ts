/**
 * `oss-img sandbox` as a separate process, the way scripts and the app start it: the built CLI
 * (out/main/cli.js, built here when missing or older than the sources) prints exactly one JSON
 * line when ready, which is all a client needs; an empty data folder gets the demo bucket; flags
 * for buckets, credentials, ACL, source-image protection and fault injection; clean SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import OSS from 'ali-oss'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_STYLES } from '../../src-main/sandbox/demo'
import { errorFields, list, rejection, removeDir, tempRoot, type ClientOptions } from './helpers'
import { raw, sample, size } from './img-helpers'

const CLI = resolve('out/main/cli.js')

interface Ready {
  endpoint: string
  buckets: string[]
  accessKeyId: string
  accessKeySecret?: string
}

interface Running {
  child: ChildProcess
  ready: Ready
  /** Everything written to stdout so far. */
  stdout(): string
  exited: Promise<number | null>
}

const running = new Set<ChildProcess>()
let root: string

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (/\.(ts|tsx)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

beforeAll(() => {
  const stale = !existsSync(CLI) || statSync(CLI).mtimeMs < Math.max(newestSource(resolve('src-main')), newestSource(resolve('src-shared')))
  if (stale) {
    // Serialised with other builders in this tree (flock where available).
    const hasFlock = spawnSync('flock', ['--version']).status === 0
    const [cmd, args] = hasFlock ? ['flock', ['/tmp/oss-img-build.lock', 'npx', 'electron-vite', 'build']] : ['npx', ['electron-vite', 'build']]
    const build = spawnSync(cmd as string, args as string[], { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`)
  }
  root = tempRoot('oss-cli-sandbox-')
}, 120_000)

afterEach(async () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
    }
  }
  running.clear()
})

afterAll(() => removeDir(root))

/** Spawn `oss-img sandbox …` and wait for its JSON line. */
function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let out = ''
  let err = ''
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON line within 20 s; stderr: ${err}`)), 20_000)
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const nl = out.indexOf('\n')
      if (nl >= 0 && timer) {
        clearTimeout(timer)
        try {
          resolvePromise({ child, ready: JSON.parse(out.slice(0, nl)) as Ready, stdout: () => out, exited })
        } catch (error) {
          reject(error)
        }
      }
    })
    void exited.then((code) => reject(new Error(`exited with ${code} before ready; stderr: ${err}`)))
  })
}

function ossClient(ready: Ready, bucket: string, creds?: { accessKeyId: string; accessKeySecret: string }): OSS {
  const options: ClientOptions = {
    endpoint: ready.endpoint,
    sldEnable: true,
    bucket,
    accessKeyId: creds?.accessKeyId ?? ready.accessKeyId,
    accessKeySecret: creds?.accessKeySecret ?? (ready.accessKeySecret as string),
    timeout: 10_000
  }
  return new OSS(options)
}

async function stop(run: Running): Promise<number | null> {
  run.child.kill('SIGTERM')
  return run.exited
}

describe('oss-img sandbox', () => {
  it('on an empty folder: one JSON line, the demo bucket with the samples and styles', async () => {
    const data = join(root, 'demo')
    const run = await start(['--port', '0', '--data', data])
    const { ready } = run
    expect(Object.keys(ready)).toEqual(['endpoint', 'buckets', 'accessKeyId', 'accessKeySecret'])
    expect(ready.endpoint).toMatch(/^http:\/\/localhost:\d+$/)
    expect(ready.buckets).toEqual(['demo-bucket'])
    expect(ready.accessKeyId).toMatch(/^LTAI/)

    const oss = ossClient(ready, 'demo-bucket')
    const listed = await list(oss, { 'max-keys': 100 })
    expect(listed.objects.map((o) => o.name)).toEqual(['animated.gif', 'landscape.jpg', 'large.jpg', 'logo.png', 'portrait.jpg'])
    expect(((await oss.get('logo.png')).content as Buffer).equals(sample('logo.png'))).toBe(true)
    const style = await raw(oss)({ method: 'GET', bucket: 'demo-bucket', subres: { style: '', styleName: 'thumb' }, xmlResponse: true, successStatuses: [200] })
    expect(style.data).toMatchObject({ Name: 'thumb', Content: DEMO_STYLES.thumb })
    const styles = await raw(oss)({ method: 'GET', bucket: 'demo-bucket', subres: { style: '' }, xmlResponse: true, successStatuses: [200] })
    expect(((styles.data as { Style: { Name: string }[] }).Style).map((s) => s.Name)).toEqual(['avatar', 'thumb', 'watermarked', 'webp-800'])
    expect(await size((await oss.get('landscape.jpg', { process: 'style/thumb' })).content as Buffer)).toMatchObject({ width: 200, height: 200 })
    expect(await size((await oss.get('portrait.jpg', { process: 'style/watermarked' })).content as Buffer)).toMatchObject({ width: 800, height: 1200 })
    // Private by default: anonymous reads are refused.
    expect((await fetch(`${ready.endpoint}/demo-bucket/landscape.jpg`)).status).toBe(403)

    expect(run.stdout().split('\n').filter((l) => l !== '')).toHaveLength(1)
    expect(await stop(run)).toBe(0)
    expect(existsSync(join(data, '.sandbox.lock'))).toBe(false)

    // A folder that already has buckets is served as it is: nothing deleted comes back.
    const again = await start(['--data', data, '--access-key-id', 'LTAIfixed', '--access-key-secret', 'fixed-secret'])
    expect(again.ready).toEqual({ endpoint: expect.stringMatching(/^http:\/\/localhost:\d+$/), buckets: ['demo-bucket'], accessKeyId: 'LTAIfixed' })
    const fixed = ossClient(again.ready, 'demo-bucket', { accessKeyId: 'LTAIfixed', accessKeySecret: 'fixed-secret' })
    await fixed.delete('large.jpg')
    expect(await stop(again)).toBe(0)
    const third = await start(['--data', data])
    expect((await list(ossClient(third.ready, 'demo-bucket'), {})).objects.map((o) => o.name)).not.toContain('large.jpg')
    expect(await stop(third)).toBe(0)
  })

  it('--bucket, credentials, --acl and --source-protection', async () => {
    const creds = { accessKeyId: 'LTAIcliTest', accessKeySecret: 'cli-secret' }
    const run = await start(['--data', join(root, 'named'), '--bucket', 'first-bucket', '--bucket', 'second-bucket', '--access-key-id', creds.accessKeyId, '--access-key-secret', creds.accessKeySecret, '--acl', 'public-read', '--source-protection'])
    expect(run.ready).toEqual({ endpoint: expect.any(String), buckets: ['first-bucket', 'second-bucket'], accessKeyId: creds.accessKeyId })
    const oss = ossClient(run.ready, 'first-bucket', creds)
    await oss.put('a.jpg', sample('landscape.jpg'))
    const anonRaw = await fetch(`${run.ready.endpoint}/first-bucket/a.jpg`)
    expect(anonRaw.status).toBe(403)
    expect(errorFields(await anonRaw.text()).EC).toBe('0040-00000031')
    await raw(oss)({ method: 'PUT', bucket: 'first-bucket', subres: { style: '', styleName: 'tiny' }, mime: 'xml', content: Buffer.from('<Style><Content>image/resize,w_32</Content></Style>'), successStatuses: [200] })
    const anonStyle = await fetch(`${run.ready.endpoint}/first-bucket/a.jpg?x-oss-process=style%2Ftiny`)
    expect(anonStyle.status).toBe(200)
    expect(await size(Buffer.from(await anonStyle.arrayBuffer()))).toMatchObject({ width: 32 })
    expect(((await oss.get('a.jpg')).content as Buffer).length).toBe(sample('landscape.jpg').length)
    expect(await stop(run)).toBe(0)
  })

  it('--style-delimiter, --protect-rule and --protect-ignore-case', async () => {
    const run = await start(['--data', join(root, 'delim'), '--acl', 'public-read', '--style-delimiter', '!', '--protect-rule', '*.jpg', '--protect-ignore-case'])
    const base = `${run.ready.endpoint}/demo-bucket`
    const styled = await fetch(`${base}/landscape.jpg!thumb`)
    expect(styled.status).toBe(200)
    const thumb = await (await fetch(`${base}/landscape.jpg?x-oss-process=style%2Fthumb`)).arrayBuffer()
    expect(Buffer.from(await styled.arrayBuffer()).equals(Buffer.from(thumb))).toBe(true)
    const guarded = await fetch(`${base}/landscape.jpg`)
    expect(guarded.status).toBe(403)
    expect(errorFields(await guarded.text()).EC).toBe('0040-00000031')
    expect((await fetch(`${base}/logo.png`)).status).toBe(200)
    expect(await stop(run)).toBe(0)
  })

  it('--fail-rate 1: every request fails with 500 or 503', async () => {
    const run = await start(['--data', join(root, 'faulty'), '--bucket', 'fault-bucket', '--fail-rate', '1', '--latency-ms', '5'])
    const oss = ossClient(run.ready, 'fault-bucket')
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await rejection(oss.get('a.jpg'))).status)
    expect(statuses).toEqual([500, 503, 500, 503])
    expect(await stop(run)).toBe(0)
  })

  it('rejects bad flags with exit code 2; --help documents them', () => {
    for (const args of [['--port', 'abc'], ['--fail-rate', '2'], ['--acl', 'open'], ['--bucket', 'Bad_Name'], ['--frobnicate'], ['--style-delimiter', '#'], ['--protect-rule', 'a*b*c'], ['--protect-rule', '*']]) {
      const result = spawnSync(process.execPath, [CLI, 'sandbox', ...args], { encoding: 'utf8' })
      expect(result.status, args.join(' ')).toBe(2)
      expect(result.stdout).toBe('')
    }
    const help = spawnSync(process.execPath, [CLI, 'sandbox', '--help'], { encoding: 'utf8' })
    expect(help.status).toBe(0)
    for (const flag of ['--port', '--data', '--bucket', '--acl', '--source-protection', '--access-key-id', '--access-key-secret', '--fail-rate', '--latency-ms', '--style-delimiter', '--protect-rule', '--protect-ignore-case']) expect(help.stdout).toContain(flag)
    const main = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' })
    expect(main.stdout).toContain('oss-img sandbox')
  })
})
