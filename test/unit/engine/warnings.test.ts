/**
 * Engine warnings: what a result does not show at a glance — an enlargement OSS performs or
 * refuses, a single watermark partly or wholly outside the image. The studio's sample grid turns
 * them into badges, so each one must appear exactly when it applies; a watermark is followed through
 * the steps after it.
 */
import { describe, expect, it } from 'vitest'
import { run } from '../../support/engine'
import { makeImage } from '../../support/images'

const codes = async (bytes: Buffer, process: string) => ((await run(bytes, process)).warnings ?? []).map((w) => w.code)

describe('engine warnings', () => {
  it('resize: a refused enlargement (limit_1, the default) and a performed one (limit_0)', async () => {
    const jpg = await makeImage(400, 267, 'jpg')
    expect(await codes(jpg, 'image/resize,w_300')).toEqual([])
    expect(await codes(jpg, 'image/resize,w_800')).toEqual(['NotEnlarged'])
    const upscaled = await run(jpg, 'image/resize,w_800,limit_0')
    expect([upscaled.width, upscaled.height]).toEqual([800, 534])
    expect(upscaled.warnings).toEqual([expect.objectContaining({ code: 'Upscaled', action: 'resize', message: expect.stringContaining('400 × 267 → 800 × 534') })])
    // Shrinking one side while growing the other (m_fixed) still enlarges.
    expect(await codes(jpg, 'image/resize,m_fixed,w_600,h_100,limit_0')).toEqual(['Upscaled'])
    expect(await codes(jpg, 'image/resize,p_50')).toEqual([])
  })

  it('resize: GIFs are never enlarged, whatever limit says', async () => {
    const gif = await makeImage(100, 80, 'gif')
    const result = await run(gif, 'image/resize,w_300,limit_0')
    expect([result.width, result.height]).toEqual([100, 80])
    expect(result.warnings?.map((w) => [w.code, w.message.includes('GIF')])).toEqual([['NotEnlarged', true]])
  })

  it('watermark: clipped when it does not fit, outside when nothing of it is drawn, silent when tiled', async () => {
    const jpg = await makeImage(300, 200, 'jpg')
    const text = 'text_SGVsbG8' // "Hello"
    expect(await codes(jpg, `image/watermark,${text},g_se,x_10,y_10`)).toEqual([])
    // Offsets push the bottom-right watermark towards the top-left; a huge font does not fit.
    expect(await codes(jpg, `image/watermark,${text},size_400,g_center`)).toEqual(['WatermarkClipped'])
    expect(await codes(jpg, `image/watermark,${text},size_400,g_center,fill_1`)).toEqual([])
    expect(await codes(jpg, `image/watermark,${text},g_nw,x_1000`)).toEqual(['WatermarkOutside'])
  })

  it('watermark: followed through later crops, scaling, padding and rotation', async () => {
    const jpg = await makeImage(300, 200, 'jpg')
    const mark = 'image/watermark,text_SGVsbG8,g_se,x_10,y_10' // bottom right, well inside
    const warnings = async (rest: string) => ((await run(jpg, `${mark}/${rest}`)).warnings ?? []).map((w) => [w.code, w.message])
    // A crop elsewhere cuts it away; one that keeps the bottom right keeps it.
    expect(await warnings('crop,w_100,h_100')).toEqual([['WatermarkOutside', expect.stringContaining('the crop step cut it away')]])
    expect(await warnings('crop,x_150,y_100,w_150,h_100')).toEqual([])
    expect(await warnings('crop,w_270,h_200')).toEqual([['WatermarkClipped', expect.stringMatching(/only \d+% of the \d+ × \d+ watermark is visible: the crop step cut the rest away/)]])
    // m_fill's centred cut and circle's square cut are crops too; m_pad only moves it.
    expect(await warnings('resize,m_fill,w_100,h_100')).toEqual([['WatermarkClipped', expect.stringContaining('the resize step')]])
    expect(await warnings('circle,r_100')).toEqual([['WatermarkClipped', expect.stringContaining('the circle step')]])
    expect((await warnings('resize,m_pad,w_600,h_600,limit_0/crop,x_300,y_300,w_300,h_300')).map(([code]) => code)).toEqual(['Upscaled'])
    // rotate,90 moves the bottom right to the bottom left: a crop there keeps it, one at the top does not.
    expect(await warnings('rotate,90/crop,x_0,y_150,w_100,h_150')).toEqual([])
    expect(await warnings('rotate,90/crop,w_100,h_100')).toEqual([['WatermarkOutside', expect.stringContaining('crop')]])
    expect(await warnings('rotate,45')).toEqual([])
    // Not fitting in the first place and a later crop: both reasons.
    const big = ((await run(jpg, 'image/watermark,text_SGVsbG8,size_300,g_center/crop,w_100,h_100')).warnings ?? [])[0]
    expect(big?.message).toMatch(/does not fit the 300 × 200 image; the crop step cut the rest away/)
  })

  it('the same note from two steps is reported once', async () => {
    const jpg = await makeImage(400, 267, 'jpg')
    expect(await codes(jpg, 'image/resize,w_800/resize,w_800')).toEqual(['NotEnlarged'])
  })
})
