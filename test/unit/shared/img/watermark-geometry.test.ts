/** Badges for a watermark on an image (src-shared/img/geometry/watermark.ts markProblems). */
import { describe, expect, it } from 'vitest'
import { markProblems, visiblePart } from '../../../../src-shared/img/geometry/watermark'

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
