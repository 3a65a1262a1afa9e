/**
 * Perceptual comparison helpers for tests: a 64-bit DCT pHash (sharp-phash: greyscale 32×32, top-left 8×8 DCT
 * coefficients against their mean) and mean colours.
 *
 * Both look at the stored pixels, flattened on white: EXIF orientation is NOT applied (so tests can tell an
 * auto-oriented output from one that only carries the tag), and transparent areas compare as they look on a
 * white page. Animated inputs contribute their first frame.
 */
import sharp, { type Raw, type Sharp } from 'sharp'
import sharpPhash from 'sharp-phash'
import sharpPhashDistance from 'sharp-phash/distance'
import { expect } from 'vitest'

export type ImageInput = Buffer | Sharp

const HASH_BITS = 64
// A flat image has no structure to hash: its DCT is floating-point noise and two identical-looking flat images
// could land ~30 bits apart. Below this standard deviation (of 255) every channel counts as flat.
const FLAT_STDEV = 1

async function pixels(input: ImageInput): Promise<{ data: Buffer; raw: Raw }> {
  const image = Buffer.isBuffer(input) ? sharp(input) : input.clone()
  const { data, info } = await image
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, raw: { width: info.width, height: info.height, channels: info.channels } }
}

/** 64 '0'/'1' characters; flat images hash to all zeros. */
export async function phash(input: ImageInput): Promise<string> {
  const { data, raw } = await pixels(input)
  const { channels } = await sharp(data, { raw }).stats()
  if (channels.every((c) => c.stdev < FLAT_STDEV)) return '0'.repeat(HASH_BITS)
  return sharpPhash(data, { raw })
}

export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new Error(`Expected hashes of equal length but received ${a.length} and ${b.length}`)
  return sharpPhashDistance(a, b)
}

/** Fails the test (showing both hashes) when the pHash distance exceeds `maxDistance` of 64 bits. */
export async function expectSimilar(a: ImageInput, b: ImageInput, maxDistance = 6): Promise<void> {
  const [hashA, hashB] = await Promise.all([phash(a), phash(b)])
  const distance = hammingDistance(hashA, hashB)
  expect(distance, `pHash distance ${distance} > ${maxDistance}:\n  ${hashA}\n  ${hashB}`).toBeLessThanOrEqual(
    maxDistance
  )
}

/** Mean sRGB colour [r, g, b] (unrounded) of the stored pixels flattened on white. */
export async function meanColour(input: ImageInput): Promise<[number, number, number]> {
  const { data, raw } = await pixels(input)
  const { channels } = await sharp(data, { raw }).stats()
  const [r, g, b] = channels.map((c) => c.mean)
  return [r!, g!, b!]
}
