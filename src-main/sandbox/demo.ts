/**
 * The demo bucket `oss-img sandbox` seeds into an empty data folder: the sample images shipped in
 * `resources/samples/` (made by scripts/make-samples.mjs) and a few example styles.
 */
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, parse } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeBase64Url } from '../../src-shared/img/base64url'
import type { BucketSpec, SeedObject } from './seed'

/** 3+ characters, as ali-oss's bucket-name check requires. */
export const DEMO_BUCKET = 'demo-bucket'

export const DEMO_STYLES: Readonly<Record<string, string>> = {
  thumb: 'image/resize,m_fill,w_200,h_200',
  // logo.png, scaled to 25 % of the main image's width (watermark `P`, spec §3.15.2), bottom right.
  watermarked: `image/resize,w_800/watermark,image_${encodeBase64Url('logo.png?x-oss-process=image/resize,P_25')},g_se,x_20,y_20,t_85`,
  'webp-800': 'image/resize,w_800/format,webp/quality,q_80',
  avatar: 'image/resize,m_fill,w_240,h_240/circle,r_120/format,png'
}

const SAMPLE_FILE = /\.(jpe?g|png|gif|webp|bmp|tiff?|heic|avif)$/i

/**
 * `resources/samples`, found by walking up from this module: it sits at different depths in
 * src-main/ (tests, tsx) and in the bundled out/main/ (the CLI), as the fonts do (engine/text/fonts.ts).
 */
export function samplesDir(): string {
  const here = fileURLToPath(import.meta.url)
  const { root } = parse(here)
  for (let dir = dirname(here); ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'samples')
    if (existsSync(candidate)) return candidate
    if (dir === root) throw new Error(`resources/samples not found above ${here}`)
  }
}

/** The sample images as seed objects, keyed by file name (`landscape.jpg`, `logo.png`, …). */
export function sampleObjects(dir = samplesDir()): Record<string, SeedObject> {
  const objects: Record<string, SeedObject> = {}
  for (const name of readdirSync(dir).sort()) if (SAMPLE_FILE.test(name)) objects[name] = { file: join(dir, name) }
  return objects
}

export function demoBucket(options: Partial<Omit<BucketSpec, 'name' | 'styles' | 'objects'>> = {}): BucketSpec {
  return { name: DEMO_BUCKET, ...options, styles: { ...DEMO_STYLES }, objects: sampleObjects() }
}
