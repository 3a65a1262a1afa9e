/**
 * HEVC-coded HEIC. The prebuilt sharp has no HEVC codec (toolchain §5): it reads the header but cannot decode
 * the pixels, and cannot encode HEVC at all. Decoding uses heic-decode (wasm); encoding uses libheif's
 * `heif-enc` process where installed. AV1-coded HEIF/AVIF sources need none of this: sharp reads them.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Sharp } from 'sharp'
import sharp from 'sharp'
import { LIMITS } from '../../../src-shared/img/limits'

export interface DecodedHeic {
  data: Buffer
  width: number
  height: number
  channels: 4
}

/** Decodes the primary image of an HEVC HEIC to RGBA with heic-decode (libheif + libde265 in wasm). */
export async function decodeHeic(buf: Uint8Array): Promise<DecodedHeic> {
  // sharp parses the HEIF header without the codec; use it to refuse oversized images before libheif
  // allocates the frame in wasm memory, which never shrinks.
  const { width, height } = await sharp(buf).metadata()
  if (width > LIMITS.maxSourceSide || height > LIMITS.maxSourceSide || width * height > LIMITS.maxSourcePixels) {
    throw new Error(`HEIC is ${width}×${height} px; the limits are ${LIMITS.maxSourceSide} px per side and ${LIMITS.maxSourcePixels} pixels`)
  }
  // Loaded on first use: the module embeds a multi-megabyte wasm binary that most requests never need.
  const { default: decode } = await import('heic-decode')
  const image = await decode({ buffer: buf })
  const data = image.data
  return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width: image.width, height: image.height, channels: 4 }
}

/** How this build writes `format,heic`: real HEVC through libheif's encoder, or the AV1 stand-in. */
export interface HeicEncoderInfo {
  readonly compression: 'hevc' | 'av1'
  /** For `oss-img --help` and the README: what writes the file. */
  readonly description: string
}

/** libheif's command-line encoder (Debian `libheif-examples`); `OSS_IMG_HEIF_ENC` points elsewhere. */
function heifEncPath(): string {
  return process.env.OSS_IMG_HEIF_ENC || 'heif-enc'
}

let probed: Promise<HeicEncoderInfo> | undefined

/**
 * Whether an HEVC encoder is present: `heif-enc --list-encoders` lists x265 (or another) under
 * "HEIC encoders". Asked once per process; a missing program means the AV1 fallback.
 */
export function heicEncoder(): Promise<HeicEncoderInfo> {
  probed ??= new Promise((resolve) => {
    execFile(heifEncPath(), ['--list-encoders'], { timeout: 10_000 }, (error, stdout) => {
      const section = /HEIC encoders:\n((?:[ \t]*-[^\n]*\n?)*)/.exec(String(stdout))?.[1] ?? ''
      const hevc = /^\s*-\s*(\S+)/m.exec(section)?.[1]
      resolve(
        !error && hevc
          ? { compression: 'hevc', description: `HEVC (libheif heif-enc, ${hevc} encoder)` }
          : { compression: 'av1', description: 'AV1-in-HEIF (sharp; no HEVC encoder found: install heif-enc from libheif-examples)' }
      )
    })
  })
  return probed
}

/** Forgets the probe (tests switch OSS_IMG_HEIF_ENC). */
export function resetHeicEncoderProbe(): void {
  probed = undefined
}

/**
 * Encodes `format,heic` output as OSS does: HEVC-coded HEIC (`ftyp` major brand `heic`), written by
 * libheif's `heif-enc` with x265 wherever it is installed. sharp's prebuilt libvips has no HEVC
 * encoder (`heif({ compression: 'hevc' })` fails with "Unsupported compression") and no maintained npm
 * binding encodes HEVC, so the encoder runs as a process. heif-enc 1.15 reads and writes named files
 * only (it picks the reader by file suffix, so stdin will not do): the PNG goes into a private
 * temporary folder (mode 0700) that is removed in `finally`, on success, failure and cancel alike.
 *
 * Without an HEVC encoder the fallback is AV1-coded HEIF, which libheif labels AVIF (major brand
 * `avif`): valid, but not what OSS writes (README, known differences).
 */
export async function encodeHeic(image: Sharp, quality: number, signal?: AbortSignal): Promise<Buffer> {
  const encoder = await heicEncoder()
  if (encoder.compression === 'av1') return image.heif({ compression: 'av1', quality }).toBuffer()
  // Lossless and quick: heif-enc converts it to YCbCr 4:2:0 itself, alpha included.
  const png = await image.png({ compressionLevel: 1 }).toBuffer()
  signal?.throwIfAborted()
  const dir = await mkdtemp(join(tmpdir(), 'oss-img-heic-'))
  try {
    const input = join(dir, 'in.png')
    const output = join(dir, 'out.heic')
    await writeFile(input, png, { mode: 0o600 })
    await run(heifEncPath(), ['-q', String(Math.max(1, Math.min(100, Math.round(quality)))), '-o', output, input], signal)
    return await readFile(output)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function run(file: string, args: readonly string[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { signal, timeout: 120_000, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve()
      if (error.name === 'AbortError') return reject(error)
      reject(new Error(`heif-enc failed: ${String(stderr).trim().split('\n')[0] || error.message}`))
    })
  })
}
