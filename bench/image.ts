/**
 * The benchmark's input, made in code (nothing is downloaded): a photo-like 2725×2225 JPEG saved at
 * quality 90 — smooth colour gradients, a few soft low-frequency shapes and per-pixel noise, so the
 * encoder and the resampler see texture rather than flat areas. Deterministic (seeded PRNG).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { prng } from '../scripts/prng.mjs'

export const SOURCE_WIDTH = 2725
export const SOURCE_HEIGHT = 2225
export const SOURCE_QUALITY = 90

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v)

export function photoLikePixels(width = SOURCE_WIDTH, height = SOURCE_HEIGHT, seed = 20_261_128): Buffer {
  const random = prng(seed)
  const data = Buffer.alloc(width * height * 3)
  // Soft "objects": a few wide Gaussian blobs of random colour.
  const blobs = Array.from({ length: 9 }, () => ({
    x: random() * width,
    y: random() * height,
    r: (0.08 + random() * 0.2) * Math.min(width, height),
    c: [random() * 160 - 80, random() * 160 - 80, random() * 160 - 80] as const
  }))
  const noise = new Float32Array(4096)
  for (let i = 0; i < noise.length; i++) noise[i] = (random() + random() + random() - 1.5) * 18
  let n = 0
  for (let y = 0; y < height; y++) {
    const fy = y / height
    for (let x = 0; x < width; x++) {
      const fx = x / width
      let r = 40 + 150 * fx + 25 * Math.sin(fy * 7 + fx * 3)
      let g = 60 + 120 * fy + 20 * Math.sin(fx * 11)
      let b = 170 - 110 * fx * fy + 15 * Math.cos((fx + fy) * 9)
      for (const blob of blobs) {
        const dx = x - blob.x
        const dy = y - blob.y
        const w = Math.exp(-(dx * dx + dy * dy) / (2 * blob.r * blob.r))
        if (w > 0.01) {
          r += blob.c[0] * w
          g += blob.c[1] * w
          b += blob.c[2] * w
        }
      }
      // Luma-correlated noise plus a little per-channel noise, like sensor grain.
      const grain = noise[(n = (n + 1 + ((random() * 7) | 0)) & 4095)]!
      const i = (y * width + x) * 3
      data[i] = clamp(r + grain + noise[(n * 3) & 4095]! * 0.3)
      data[i + 1] = clamp(g + grain)
      data[i + 2] = clamp(b + grain + noise[(n * 5) & 4095]! * 0.3)
    }
  }
  return data
}

/** Writes the source JPEG into a fresh temp dir; returns its path and bytes. */
export async function makeSourceJpeg(): Promise<{ dir: string; path: string; bytes: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), 'oss-img-bench-'))
  const pixels = photoLikePixels()
  const bytes = await sharp(pixels, { raw: { width: SOURCE_WIDTH, height: SOURCE_HEIGHT, channels: 3 } })
    .jpeg({ quality: SOURCE_QUALITY, mozjpeg: false })
    .toBuffer()
  const path = join(dir, 'source.jpg')
  writeFileSync(path, bytes)
  return { dir, path, bytes }
}
