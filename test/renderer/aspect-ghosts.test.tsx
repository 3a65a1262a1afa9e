/**
 * @vitest-environment happy-dom
 *
 * Aspect ghosts (preview/watermark/AspectGhosts.tsx, ghosts.ts): which image and string each
 * renders (another image of its shape seen this session, else a centre crop of the current image),
 * that they go through preview:render small, and the badges from the reported mark rectangles.
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { invoke } from '../../src-renderer/src/ipc/client'
import { AspectGhosts } from '../../src-renderer/src/preview/watermark/AspectGhosts'
import { centreCrop, ghostBadges, ghostPlans } from '../../src-renderer/src/preview/watermark/ghosts'
import { noteShape, useKnownShapes } from '../../src-renderer/src/preview/watermark/shapes'
import { sourceOfObject } from '../../src-renderer/src/sources/store'

vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(),
  errorInfoOf: (e: unknown) => ({ code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined
}))

const current = sourceOfObject('p1', 'landscape.jpg')
const wide = sourceOfObject('p1', 'banner.jpg')
const PROCESS = 'image/resize,w_800/watermark,text_T1NT,g_se,x_300,y_20'
const mark = (x: number, y: number, width: number, height: number) => ({ step: 2, x, y, width, height, placed: { frameWidth: 0, frameHeight: 0, left: x, top: y, width, height }, turned: false })

beforeEach(() => {
  cleanup()
  useKnownShapes.setState({ shapes: {} })
  vi.mocked(invoke).mockReset()
})
afterEach(() => cleanup())

describe('ghost plans', () => {
  it('centre crops of the current image when no other image of the shape is known', () => {
    expect(centreCrop(1200, 800, 1)).toBe('crop,w_800,h_800,g_center')
    expect(centreCrop(1200, 800, 16 / 9)).toBe('crop,w_1200,h_675,g_center')
    expect(centreCrop(1200, 800, 9 / 16)).toBe('crop,w_450,h_800,g_center')
    const plans = ghostPlans(PROCESS, current, { width: 1200, height: 800 }, {})
    expect(plans.map((p) => [p.frame.label, p.from, p.process])).toEqual([
      ['1:1', 'crop', 'image/crop,w_800,h_800,g_center/resize,w_800/watermark,text_T1NT,g_se,x_300,y_20'],
      ['16:9', 'crop', 'image/crop,w_1200,h_675,g_center/resize,w_800/watermark,text_T1NT,g_se,x_300,y_20'],
      ['9:16', 'crop', 'image/crop,w_450,h_800,g_center/resize,w_800/watermark,text_T1NT,g_se,x_300,y_20']
    ])
  })

  it('another image of the shape when one was seen (not the current one); nothing for a named style', () => {
    noteShape(wide, 1920, 1080)
    noteShape(current, 1200, 800)
    const plans = ghostPlans(PROCESS, current, { width: 1200, height: 800 }, useKnownShapes.getState().shapes)
    expect(plans[1]).toMatchObject({ from: 'image', image: { id: wide.id }, process: PROCESS })
    expect(plans[0]!.from).toBe('crop')
    expect(ghostPlans('style/thumb', current, { width: 1200, height: 800 }, {})).toEqual([])
  })

  it('badges from the mark rectangles: clipped, outside, more than 25 %', () => {
    expect(ghostBadges([mark(10, 10, 50, 20)], { width: 200, height: 200 })).toEqual([])
    expect(ghostBadges([mark(-10, 10, 50, 20)], { width: 200, height: 200 })).toEqual(['clipped'])
    expect(ghostBadges([mark(300, 10, 50, 20), mark(0, 0, 150, 150)], { width: 200, height: 200 })).toEqual(['outside', 'large'])
    expect(ghostBadges(undefined, { width: 200, height: 200 })).toEqual([])
  })
})

describe('AspectGhosts', () => {
  it('renders each ghost small through preview:render and badges the one whose mark is cut off', async () => {
    noteShape(wide, 1600, 900)
    vi.mocked(invoke).mockImplementation(async (_channel, payload) => {
      const { process, maxSide } = payload as { process: string; maxSide: number }
      expect(maxSide).toBeLessThanOrEqual(320)
      const narrow = process.includes('crop,w_450')
      const width = narrow ? 450 : 800
      const height = narrow ? 800 : process.includes('crop,w_800') ? 800 : 450
      return { kind: 'image', data: 'AAAA', contentType: 'image/png', width, height, bytes: 4, sourceBytes: 4, sourceWidth: 1200, sourceHeight: 800, renderMs: 1, quality: 'final', marks: [mark(width - 300 - 380, height - 60, 380, 40)] } as never
    })
    render(<AspectGhosts process={PROCESS} current={current} size={{ width: 1200, height: 800 }} />)
    const ghosts = screen.getByRole('complementary', { name: 'Aspect ghosts' })
    await waitFor(() => expect(within(ghosts).getAllByRole('img')).toHaveLength(3))
    expect(within(ghosts).getByRole('img', { name: 'The style on 16:9: banner.jpg' })).toBeTruthy()
    expect(within(ghosts).getByRole('img', { name: 'The style on 9:16: Centre crop of landscape.jpg' })).toBeTruthy()
    const narrow = within(ghosts).getByRole('figure', { name: '9:16 ghost' })
    expect(within(narrow).getByRole('list', { name: '9:16 ghost warnings' }).textContent).toBe('Clipped')
    expect(within(ghosts).queryByRole('list', { name: '1:1 ghost warnings' })).toBeNull()
    const sent = vi.mocked(invoke).mock.calls.map((c) => (c[1] as { source: { key: string }; process: string }))
    expect(sent.some((r) => r.source.key === 'banner.jpg' && r.process === PROCESS)).toBe(true)
  })
})
