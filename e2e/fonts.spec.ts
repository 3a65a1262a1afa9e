/**
 * The bundled CJK UI face (issue 14 §2): Chinese renders on a machine without CJK system fonts, from
 * the app itself. This machine's Chromium has no CJK font of its own, so the boxes would show here.
 */
import { expect, ORIGIN, test } from './fixtures'

const FAMILY = 'Noto Sans SC Studio'

test('the UI loads its own CJK face from the app, never the network, and Chinese text gets real glyphs', async ({ studio: page, consoleErrors }) => {
  const fontRequests: string[] = []
  page.on('request', (request) => {
    if (request.resourceType() === 'font') fontRequests.push(request.url())
  })
  await page.reload()
  // Page scripts as strings: the e2e suite is type-checked without DOM types.
  await expect.poll(() => page.evaluate<boolean>(`document.fonts.check('14px "${FAMILY}"', '图片样式')`)).toBe(true)
  expect(fontRequests.length).toBeGreaterThan(0)
  for (const url of fontRequests) expect(new URL(url).origin).toBe(ORIGIN)

  // Glyphs, not boxes: each character is drawn with its own shape, so four different characters give
  // four different bitmaps (a missing glyph draws the same box for all of them).
  const distinct = await page.evaluate<number>(`(async () => {
    await document.fonts.load('32px "${FAMILY}"', '图片样式')
    const shapes = new Set()
    for (const ch of '图片样式') {
      const canvas = document.createElement('canvas')
      canvas.width = 40
      canvas.height = 40
      const ctx = canvas.getContext('2d')
      ctx.font = '32px "${FAMILY}", sans-serif'
      ctx.fillText(ch, 2, 32)
      shapes.add(canvas.toDataURL())
    }
    return shapes.size
  })()`)
  expect(distinct).toBe(4)
  expect(consoleErrors).toEqual([])
})
