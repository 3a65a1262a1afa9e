/**
 * ImageMagick `convert` as the comparison: spawned processes, as a script or a server shelling out
 * would use it. Only a real ImageMagick binary counts: some machines put a stand-in script named
 * `convert` on the PATH (this project's dev machines have one in /usr/local/bin), so the binary must
 * be an ELF executable whose `-version` names ImageMagick.
 */
import { execFile } from 'node:child_process'
import { existsSync, openSync, readFileSync, readSync, closeSync, realpathSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface ImageMagick {
  readonly path: string
  readonly version: string
  /** ImageMagick's own thread limit (`-list resource`), OpenMP across cores. */
  readonly threads: string
}

export type Detection = { readonly found: ImageMagick } | { readonly skip: string }

function isElf(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(4)
    readSync(fd, head, 0, 4, 0)
    return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))
  } finally {
    closeSync(fd)
  }
}

export async function detectImageMagick(): Promise<Detection> {
  const reasons: string[] = []
  for (const candidate of ['/usr/bin/convert', '/usr/local/bin/convert', '/usr/bin/convert-im6.q16']) {
    if (!existsSync(candidate)) {
      reasons.push(`${candidate}: missing`)
      continue
    }
    const real = realpathSync(candidate)
    if (!isElf(real)) {
      const text = readFileSync(real).subarray(0, 4096).toString('latin1')
      reasons.push(`${candidate}: not an ImageMagick binary (${/Stands in for ImageMagick/.test(text) ? 'a stand-in script' : 'a script'})`)
      continue
    }
    try {
      const { stdout } = await run(candidate, ['-version'])
      const version = /^Version: ImageMagick (\S+)/m.exec(stdout)?.[1]
      if (!version) {
        reasons.push(`${candidate}: -version does not name ImageMagick`)
        continue
      }
      const { stdout: resources } = await run(candidate, ['-list', 'resource'])
      const threads = /Thread:\s*(\S+)/.exec(resources)?.[1] ?? '?'
      return { found: { path: candidate, version, threads } }
    } catch (error) {
      reasons.push(`${candidate}: ${(error as Error).message.split('\n')[0]}`)
    }
  }
  return { skip: `no real ImageMagick convert (${reasons.join('; ')}); install it with apt-get install -y imagemagick` }
}

/** `convert` arguments doing RESIZE_PROCESS (quality computed like the engine's). */
export function resizeArgs(source: string, out: string, quality: number): string[] {
  return [source, '-resize', '720x', '-quality', String(quality), out]
}

/**
 * `convert` arguments doing MULTI_PROCESS: bright,10 = +10 % of the range (the engine's linear(1, 25.5)),
 * sharpen,100 = unsharp mask with sigma 1 (the engine's sharpen({sigma: 1})), quality 90 (no quality op).
 */
export function multiArgs(source: string, out: string): string[] {
  return [source, '-resize', '1200x', '-rotate', '90', '-gravity', 'center', '-crop', '600x600+0+0', '+repage', '-evaluate', 'add', '10%', '-unsharp', '0x1', '-quality', '90', out]
}

export async function convert(im: ImageMagick, args: readonly string[]): Promise<void> {
  await run(im.path, [...args])
}

/**
 * Peak RSS (KiB) of one `convert` run: GNU time's %M where /usr/bin/time exists, else Python's
 * getrusage(RUSAGE_CHILDREN) around the run; undefined (with the reason) when neither is there.
 */
export async function convertPeakRss(im: ImageMagick, args: readonly string[], dir: string): Promise<{ kib?: number; how: string }> {
  if (existsSync('/usr/bin/time')) {
    const report = join(dir, 'time.txt')
    await run('/usr/bin/time', ['-f', '%M', '-o', report, im.path, ...args])
    const kib = Number(readFileSync(report, 'utf8').trim().split('\n').pop())
    rmSync(report, { force: true })
    if (Number.isFinite(kib) && kib > 0) return { kib, how: '/usr/bin/time %M' }
  }
  for (const python of ['/usr/bin/python3', '/usr/local/bin/python3']) {
    if (!existsSync(python)) continue
    const code = 'import resource,subprocess,sys; subprocess.run(sys.argv[1:],check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)'
    const { stdout } = await run(python, ['-c', code, im.path, ...args])
    return { kib: Number(stdout.trim()), how: 'getrusage(RUSAGE_CHILDREN) via python3' }
  }
  return { how: 'not measured: neither /usr/bin/time nor python3 is available' }
}
