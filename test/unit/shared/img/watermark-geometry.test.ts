/** Badges for a watermark on an image (src-shared/img/geometry/watermark.ts markProblems). */
import { describe, expect, it } from 'vitest'
import { markProblems, visiblePart, watermarkImagePercent, withWatermarkImagePercent } from '../../../../src-shared/img/geometry/watermark'
import { parseWatermarkImage } from '../../../../src-shared/img/process'

const frame = { width: 200, height: 100 }

describe('markProblems', () => {
  it('a mark wholly inside and small: nothing to say', () => {
    expect(markProblems({ left: 150, top: 60, width: 40, height: 30 }, frame)).toEqual([])
  })
  it('part of it over an edge: clipped', () => {
    expect(markProblems({ left: 170, top: 60, width: 40, height: 30 }, frame)).toEqual(['clipped'])
    expect(markProblems({ left: -5, top: -5, width: 40, height: 30 }, frame)).toEqual(['clipped'])
  })
  it('none of it on the image: outside', () => {
    expect(markProblems({ left: 200, top: 10, width: 40, height: 30 }, frame)).toEqual(['outside'])
    expect(markProblems({ left: 10, top: -30, width: 40, height: 30 }, frame)).toEqual(['outside'])
  })
  it('more than 25 % of the image covered: large (exactly 25 % is not)', () => {
    expect(markProblems({ left: 0, top: 0, width: 100, height: 50 }, frame)).toEqual([])
    expect(markProblems({ left: 0, top: 0, width: 101, height: 50 }, frame)).toEqual(['large'])
    expect(markProblems({ left: 150, top: -20, width: 150, height: 100 }, frame)).toEqual(['clipped'])
    expect(markProblems({ left: 20, top: -20, width: 300, height: 100 }, frame)).toEqual(['clipped', 'large'])
  })
  it('visiblePart is the intersection', () => {
    expect(visiblePart({ left: 190, top: 90, width: 40, height: 30 }, frame)).toEqual({ left: 190, top: 90, width: 10, height: 10 })
  })
})

describe('watermark image P (the handle of an image watermark)', () => {
  it('reads the nested resize P', () => {
    expect(watermarkImagePercent('panda.png?x-oss-process=image/resize,P_30')).toBe(30)
    expect(watermarkImagePercent('panda.png?x-oss-process=image/rotate,90/resize,w_20,P_7')).toBe(7)
    expect(watermarkImagePercent('panda.png')).toBeUndefined()
    expect(watermarkImagePercent('panda.png?x-oss-process=image/resize,w_20')).toBeUndefined()
  })
  it('writes P into the first nested resize, or adds one first', () => {
    expect(withWatermarkImagePercent('panda.png', 25)).toBe('panda.png?x-oss-process=image/resize,P_25')
    expect(withWatermarkImagePercent('panda.png?x-oss-process=image/resize,P_30', 45.4)).toBe('panda.png?x-oss-process=image/resize,P_45')
    expect(withWatermarkImagePercent('a/b.png?x-oss-process=image/rotate,90', 140)).toBe('a/b.png?x-oss-process=image/resize,P_100/rotate,90')
    expect(withWatermarkImagePercent('b.png?x-oss-process=image/crop,w_10/resize,w_20,P_3', 0)).toBe('b.png?x-oss-process=image/crop,w_10/resize,w_20,P_1')
  })
  it('the result parses as OSS would read it', () => {
    const ref = parseWatermarkImage(withWatermarkImagePercent('a.png?x-oss-process=image/rounded-corners,r_10', 20), { start: 0, end: 0 })
    expect(ref).toMatchObject({ key: 'a.png', steps: [{ action: 'resize', params: { P: 20 } }, { action: 'rounded-corners', params: { r: 10 } }] })
  })
})
