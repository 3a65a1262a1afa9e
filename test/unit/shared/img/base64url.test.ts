/**
 * URL-safe Base64 as OSS uses it (spec §1.3, Project decision 11): encode URL-safe without padding;
 * decode padded and unpadded input in the URL-safe and the standard alphabet; anything that is not
 * Base64 of UTF-8 decodes to `undefined`.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from '../../../../src-shared/img/base64url'

/** The four spellings of the same bytes that OSS clients send. */
function variants(text: string): { name: string; encoded: string }[] {
  const standard = Buffer.from(text, 'utf8').toString('base64')
  const urlSafe = Buffer.from(text, 'utf8').toString('base64url')
  return [
    { name: 'standard, padded', encoded: standard },
    { name: 'standard, unpadded', encoded: standard.replace(/=+$/, '') },
    { name: 'URL-safe, padded', encoded: urlSafe + '='.repeat((4 - (urlSafe.length % 4)) % 4) },
    { name: 'URL-safe, unpadded', encoded: urlSafe }
  ]
}

describe('encodeBase64Url', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy']
  ])('encodes the RFC 4648 vector %j as %j (no padding)', (text, encoded) => {
    expect(encodeBase64Url(text)).toBe(encoded)
  })

  it.each([
    // Spec §3.15.3 font table.
    ['wqy-zenhei', 'd3F5LXplbmhlaQ'],
    ['wqy-microhei', 'd3F5LW1pY3JvaGVp'],
    ['fangzhengshusong', 'ZmFuZ3poZW5nc2h1c29uZw'],
    ['fangzhengkaiti', 'ZmFuZ3poZW5na2FpdGk'],
    ['fangzhengheiti', 'ZmFuZ3poZW5naGVpdGk'],
    ['fangzhengfangsong', 'ZmFuZ3poZW5nZmFuZ3Nvbmc'],
    ['droidsansfallback', 'ZHJvaWRzYW5zZmFsbGJhY2s'],
    // Spec §3.15.2 watermark image keys.
    ['image/panda.png', 'aW1hZ2UvcGFuZGEucG5n'],
    ['panda.png', 'cGFuZGEucG5n'],
    ['panda.png?x-oss-process=image/resize,P_30', 'cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMzA'],
    ['Hello World', 'SGVsbG8gV29ybGQ'],
    // Spec §8.1 saveas.
    ['test.jpg', 'dGVzdC5qcGc'],
    ['test', 'dGVzdA'],
    // URL-safe alphabet: "-" and "_" instead of "+" and "/".
    ['out/缩略图.jpg', 'b3V0L-e8qeeVpeWbvi5qcGc'],
    ['???', 'Pz8_'],
    ['>>>', 'Pj4-']
  ])('encodes the documented value %j as %j', (text, encoded) => {
    expect(encodeBase64Url(text)).toBe(encoded)
  })

  it('agrees with Node\'s base64url for any well-formed string and never emits +, / or =', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const encoded = encodeBase64Url(text)
        expect(encoded).toBe(Buffer.from(text, 'utf8').toString('base64url'))
        expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/)
      }),
      { numRuns: 300 }
    )
  })

  it('encodes a lone surrogate as U+FFFD (TextEncoder semantics) instead of throwing', () => {
    expect(decodeBase64Url(encodeBase64Url('a\uD800b'))).toBe('a\uFFFDb')
  })
})

describe('decodeBase64Url', () => {
  const samples: [string, string][] = [
    ['ASCII', 'Hello World'],
    ['ASCII with every length mod 3', 'ab'],
    ['CJK', '阿里云图片处理'],
    ['CJK object key', 'out/缩略图.jpg'],
    ['emoji (surrogate pairs)', '😀👍🏽'],
    ['ZWJ emoji sequence', '👨‍👩‍👧‍👦'],
    ['mixed scripts', 'Ünïcödé ✓ 中文 한국어 العربية'],
    ['a leading byte-order mark', '\uFEFFBOM'],
    ['NUL and control characters', 'a\u0000b\u0001\n'],
    ['characters whose Base64 holds + and /', '???>>>'],
    ['the largest code point', '\u{10FFFF}']
  ]

  describe.each(samples)('round trips %s', (_label, text) => {
    it('through encodeBase64Url', () => {
      expect(decodeBase64Url(encodeBase64Url(text))).toBe(text)
    })
    it.each(variants(text))('from $name', ({ encoded }) => {
      expect(decodeBase64Url(encoded)).toBe(text)
    })
  })

  it('decodes the empty string to the empty text', () => {
    expect(decodeBase64Url('')).toBe('')
  })

  it.each([
    ['Zg==', 'f'],
    ['Zg', 'f'],
    ['Zm8=', 'fo'],
    ['Zm8', 'fo'],
    ['b3V0L+e8qeeVpeWbvi5qcGc=', 'out/缩略图.jpg'],
    ['b3V0L-e8qeeVpeWbvi5qcGc', 'out/缩略图.jpg'],
    ['Pz8/', '???'],
    ['Pz8_', '???'],
    ['LHdfNTA=', ',w_50']
  ])('decodes %j to %j', (encoded, text) => {
    expect(decodeBase64Url(encoded)).toBe(text)
  })

  it('accepts a mix of both alphabets in one value', () => {
    // "+" and "-" are both 62, "/" and "_" both 63.
    expect(decodeBase64Url('Pz8/Pj4-')).toBe('???>>>')
    expect(decodeBase64Url('Pz8_Pj4+')).toBe('???>>>')
  })

  it.each([
    ['a single character (length ≡ 1 mod 4)', 'a'],
    ['length ≡ 1 mod 4 after padding is removed', 'abcde=='],
    ['characters outside both alphabets', '!!!!'],
    ['a space', 'ab cd'],
    ['a percent-encoded character', 'YQ%3D'],
    ['padding in the middle', 'Zg==Zg'],
    ['a dot', 'Zm9v.YmFy'],
    ['CJK characters', '中文'],
    ['a non-BMP character', '😀😀'],
    ['invalid UTF-8 (0xFF)', '_w'],
    ['truncated UTF-8 multibyte sequence (0xE0)', '4A'],
    ['an overlong UTF-8 encoding (0xC0 0xAF)', 'wK8'],
    ['an encoded UTF-16 surrogate (0xED 0xA0 0x80)', '7aCA'],
    ['a lone continuation byte (0x80)', 'gA']
  ])('returns undefined for %s', (_label, encoded) => {
    expect(decodeBase64Url(encoded)).toBeUndefined()
  })

  it('round trips any well-formed string in all four spellings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        for (const { encoded } of variants(text)) expect(decodeBase64Url(encoded)).toBe(text)
      }),
      { numRuns: 300 }
    )
  })

  it('never throws, whatever the input', () => {
    const anyUnit = fc.oneof(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_='.split('')),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
    )
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 40 }), (encoded) => {
        const text = decodeBase64Url(encoded)
        expect(text === undefined || typeof text === 'string').toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  it('agrees with Node\'s decoder on every valid Base64 of UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const buffer = Buffer.from(bytes)
        const utf8 = buffer.toString('utf8')
        const valid = Buffer.from(utf8, 'utf8').equals(buffer)
        const decoded = decodeBase64Url(buffer.toString('base64url'))
        expect(decoded).toBe(valid ? utf8 : undefined)
      }),
      { numRuns: 500 }
    )
  })
})
