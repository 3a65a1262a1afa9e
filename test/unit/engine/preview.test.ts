/**
 * engine/preview.ts: the LRU, the proxy chain rewrite (geometry at full resolution, picture on the
 * proxy), the source / result caches with revalidation, interactive vs final quality, engine slots
 * and cancellation, and the difference measure used by "Compare with OSS".
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { processImage } from '../../../src-main/engine/executor'
import { heicEncoder } from '../../../src-main/engine/codecs/heic'
import { buildProxy, createPreviewEngine, Lru, measureDifference, previewStats, proxySteps, resetPreviewStats, transportImage, type PreviewSource } from '../../../src-main/engine/preview'
import { inspectSource } from '../../../src-main/engine/decode'
import { isImgError } from '../../../src-shared/img/errors'
import { parseProcess } from '../../../src-shared/img/process'
import { expectSimilar } from '../../support/phash'
import { makeImage, pngHeaderOnly, withOrientation } from '../../support/images'

const PROXY_SIDE = 800
const LANDSCAPE = readFileSync(join(import.meta.dirname, '../../../resources/samples/landscape.jpg'))

/** A source whose loads and checks are counted; `version` can be changed to simulate a replaced object. */
function countingSource(id: string, bytes: () => Buffer, state = { version: 'v1', loads: 0, checks: 0 }): PreviewSource & { state: typeof state } {
  return {
    id,
    state,
    async load() {
      state.loads += 1
      return { bytes: bytes(), version: state.version }
    },
    async check() {
      state.checks += 1
      return state.version
    }
  }
}

async function size(bytes: Buffer): Promise<[number, number]> {
  const meta = await sharp(bytes).metadata()
  return [meta.width!, meta.height!]
}

describe('Lru', () => {
  it('evicts the least recently used entries over the entry and cost budgets, never the new one', () => {
    const lru = new Lru<string>(3, 100)
    lru.set('a', 'A', 10)
    lru.set('b', 'B', 10)
    lru.set('c', 'C', 10)
    expect(lru.get('a')).toBe('A') // a is now the most recent
    lru.set('d', 'D', 10)
    expect(lru.keys()).toEqual(['c', 'a', 'd'])
    lru.set('big', 'X', 95)
    expect(lru.keys()).toEqual(['big'])
    expect(lru.cost).toBe(95)
    lru.set('huge', 'Y', 500)
    expect(lru.keys()).toEqual(['huge'])
    lru.setCost('huge', 20)
    lru.set('e', 'E', 10)
    expect(lru.keys()).toEqual(['huge', 'e'])
    expect(lru.cost).toBe(30)
    lru.delete('huge')
    expect(lru.cost).toBe(10)
  })
})

describe('proxySteps', () => {
  let large: Buffer
  let oriented: Buffer
  beforeAll(async () => {
    // A textured picture (the landscape sample, enlarged): a pHash needs structure to compare.
    large = await sharp(LANDSCAPE).resize(2400, 1600).jpeg({ quality: 90 }).toBuffer()
    oriented = await withOrientation(large, 6)
  })

  /**
   * The plan's size is exactly the full result's; the proxy result has the same aspect (±1 px of
   * rounding) at most the full size, and looks the same.
   */
  async function expectFaithful(source: Buffer, process: string): Promise<void> {
    const info = await inspectSource(source, false)
    const proxy = await buildProxy(info, PROXY_SIDE)
    const parsed = parseProcess(process)
    if (parsed.kind !== 'image') throw new Error('image chain expected')
    const plan = proxySteps(parsed.steps, { full: info, proxy }, { proxySide: PROXY_SIDE })
    expect(plan, process).toBeDefined()
    const full = await processImage(source, parsed)
    const onProxy = await processImage(proxy.bytes, { kind: 'image', steps: plan!.steps })
    if (full.kind !== 'image' || onProxy.kind !== 'image') throw new Error('images expected')
    expect([plan!.width, plan!.height], `${process}: planned size`).toEqual([full.width, full.height])
    const k = onProxy.width / full.width
    expect(k).toBeLessThanOrEqual(1)
    expect(Math.abs(onProxy.height - full.height * k), `${process}: ${onProxy.width}×${onProxy.height} vs ${full.width}×${full.height}`).toBeLessThanOrEqual(1.5)
    expect(onProxy.format).toBe(full.format)
    await expectSimilar(onProxy.data, await sharp(full.data).resize(onProxy.width, onProxy.height, { fit: 'fill' }).toBuffer(), 8)
  }

  it.each([
    'image/bright,20/contrast,-10',
    'image/resize,w_600/sharpen,100',
    'image/resize,w_1800/quality,q_80',
    'image/resize,m_fill,w_500,h_500',
    'image/resize,m_pad,w_900,h_300,color_FF0000',
    'image/resize,p_50',
    'image/resize,l_3000,limit_0',
    'image/crop,x_100,y_200,w_1500,h_900/resize,w_400',
    'image/crop,g_se,w_1000,h_1000',
    'image/indexcrop,x_700,i_1',
    'image/circle,r_600/format,png',
    'image/rounded-corners,r_300/format,png',
    'image/rotate,30/format,png',
    'image/blur,r_10,s_10',
    'image/watermark,text_T1NTIElNRw,size_200,g_center,x_40,y_40',
    'image/resize,w_400/rotate,45/circle,r_100/format,png',
    'image/rotate,90/crop,w_1000,h_800,g_center/resize,l_600/rounded-corners,r_40/format,webp'
  ])('%s: same aspect and look on the proxy', async (process) => {
    await expectFaithful(large, process)
  })

  it('keeps EXIF orientation as a tag: implicit auto-orient and auto-orient,0 both match', async () => {
    const info = await inspectSource(oriented, false)
    const proxy = await buildProxy(info, PROXY_SIDE)
    expect((await sharp(proxy.bytes).metadata()).orientation).toBe(6)
    await expectFaithful(oriented, 'image/resize,w_400')
    await expectFaithful(oriented, 'image/auto-orient,0/resize,w_400')
    await expectFaithful(oriented, 'image/crop,w_500,h_1000')
    await expectFaithful(oriented, 'image/auto-orient,0/crop,w_500,h_1000')
  })

  it('leaves out what a proxy cannot show faithfully, and chains that fail (the full render reports the error)', async () => {
    const info = await inspectSource(large, false)
    const proxy = { width: 800, height: 533 }
    const steps = (process: string) => {
      const parsed = parseProcess(process)
      return parsed.kind === 'image' ? proxySteps(parsed.steps, { full: info, proxy }, { proxySide: PROXY_SIDE }) : undefined
    }
    expect(steps('image/info')).toBeUndefined()
    expect(steps('image/average-hue')).toBeUndefined()
    expect(steps(`image/watermark,image_${Buffer.from('logo.png').toString('base64url')}`)).toBeUndefined()
    // Once a resize brings the image within the proxy's size, an image watermark is exact again.
    expect(steps(`image/resize,w_400/watermark,image_${Buffer.from('logo.png').toString('base64url')}`)?.steps).toHaveLength(2)
    // OSS's errors: crop outside the image, too large to rotate, a too-large output.
    expect(steps('image/crop,x_5000,y_0')).toBeUndefined()
    expect(steps('image/resize,w_5000,limit_0/rotate,90')).toBeUndefined()
    expect(steps('image/resize,m_fixed,w_16000,h_16000,limit_0')).toBeUndefined()
    // Project decision §3.6: rotate's limit is on its input, so a 5100-px photo resized first has a plan.
    const photo = { ...info, width: 5100, height: 3400 }
    const onPhoto = parseProcess('image/auto-orient,0/resize,m_lfit,h_2000,w_2000,limit_1/rotate,90')
    const plan = onPhoto.kind === 'image' ? proxySteps(onPhoto.steps, { full: photo, proxy: { width: 800, height: 533 } }, { proxySide: PROXY_SIDE }) : undefined
    expect(plan && [plan.width, plan.height]).toEqual([1333, 2000])
    const unresized = parseProcess('image/rotate,90')
    expect(unresized.kind === 'image' && proxySteps(unresized.steps, { full: photo, proxy: { width: 800, height: 533 } }, { proxySide: PROXY_SIDE })).toBeUndefined()
    // A no-op resize (limit_1 on a smaller source) is dropped.
    expect(steps('image/resize,w_5000/bright,10')!.steps.map((s) => s.action)).toEqual(['bright'])
  })
})

describe('createPreviewEngine', () => {
  let large: Buffer
  let small: Buffer
  beforeAll(async () => {
    large = await makeImage(2400, 1600, 'jpg')
    small = await makeImage(600, 400, 'png')
  })

  it('loads a source once, renders interactive frames on the proxy and final ones at full resolution, and caches results', async () => {
    resetPreviewStats()
    const preview = createPreviewEngine({ proxySide: PROXY_SIDE })
    const source = countingSource('upload:a', () => large)
    const first = await preview.render({ source, process: 'image/bright,10', quality: 'interactive', maxSide: 1000 })
    expect(first.quality).toBe('interactive')
    expect(await size(first.transport!.data)).toEqual([800, 533])
    const second = await preview.render({ source, process: 'image/bright,20', quality: 'interactive', maxSide: 1000 })
    expect(second.quality).toBe('interactive')
    expect(source.state.loads).toBe(1)
    expect(previewStats).toMatchObject({ proxiesBuilt: 1, proxyRuns: 2, fullRuns: 0 })

    const final = await preview.render({ source, process: 'image/bright,20', quality: 'final', maxSide: 1000 })
    expect(final).toMatchObject({ quality: 'final', cached: false })
    expect(final.result).toMatchObject({ kind: 'image', width: 2400, height: 1600, format: 'jpg' })
    expect(await size(final.transport!.data)).toEqual([1000, 667])
    const again = await preview.render({ source, process: 'image/bright,20', quality: 'final', maxSide: 1000 })
    expect(again).toMatchObject({ quality: 'final', cached: true, renderMs: final.renderMs })
    expect(again.transport!.data).toBe(final.transport!.data)
    expect(previewStats).toMatchObject({ fullRuns: 1, resultHits: 1, sourceLoads: 1 })

    // Small sources, and chains a proxy cannot show, answer final at once.
    const tiny = await preview.render({ source: countingSource('upload:b', () => small), process: 'image/bright,10', quality: 'interactive' })
    expect(tiny.quality).toBe('final')
    const info = await preview.render({ source, process: 'image/info', quality: 'interactive' })
    expect(info).toMatchObject({ quality: 'final', result: { kind: 'json' } })
    // An interactive chain that fails reports OSS's error from the full-resolution run, span included.
    const failure = await preview.render({ source, process: 'image/bright,10/crop,x_5000', quality: 'interactive' }).catch((e: unknown) => e)
    expect(isImgError(failure) && failure.code).toBe('BadRequest')
    expect(isImgError(failure) && failure.span).toEqual({ start: 16, end: 27 })
  })

  it('revalidates a cached source after revalidateMs and downloads it again when its version changed', async () => {
    let clock = 0
    const preview = createPreviewEngine({ proxySide: PROXY_SIDE, revalidateMs: 1000, now: () => clock })
    let bytes = small
    const source = countingSource('object:p\0b\0k', () => bytes)
    await preview.render({ source, process: 'image/resize,w_100' })
    clock = 500
    await preview.render({ source, process: 'image/resize,w_100' })
    expect(source.state).toMatchObject({ loads: 1, checks: 0 })
    clock = 1500
    const unchanged = await preview.render({ source, process: 'image/resize,w_100' })
    expect(source.state).toMatchObject({ loads: 1, checks: 1 })
    expect(unchanged.cached).toBe(true)
    bytes = await makeImage(300, 300, 'png')
    source.state.version = 'v2'
    clock = 3000
    const replaced = await preview.render({ source, process: 'image/resize,w_100' })
    expect(source.state).toMatchObject({ loads: 2, checks: 2 })
    expect(replaced).toMatchObject({ cached: false, result: { width: 100, height: 100 } })
  })

  it('a source failing OSS’s header checks gets the engine’s own error, with the EC of the chain (resize or not)', async () => {
    const preview = createPreviewEngine()
    const source = countingSource('upload:huge', () => pngHeaderOnly(40_000, 100))
    for (const quality of ['interactive', 'final'] as const) {
      await expect(preview.render({ source, process: 'image/resize,w_100', quality })).rejects.toMatchObject({ code: 'ImageTooLarge', ec: '0040-00000009' })
      await expect(preview.render({ source, process: 'image/bright,10', quality })).rejects.toMatchObject({ code: 'ImageTooLarge', ec: '0040-00000012' })
    }
    expect(source.state.loads).toBe(1)
  })

  it('store: false uses the caches but adds nothing to them (one-off renders such as thumbnails)', async () => {
    const preview = createPreviewEngine()
    const source = countingSource('upload:once', () => small)
    await preview.render({ source, process: 'image/resize,w_50', store: false })
    await preview.render({ source, process: 'image/resize,w_50', store: false })
    expect(source.state.loads).toBe(2)
    expect(preview.stats).toMatchObject({ sources: 0, results: 0 })
    await preview.render({ source, process: 'image/resize,w_50' })
    const reused = await preview.render({ source, process: 'image/resize,w_50', store: false })
    expect(reused.cached).toBe(true)
    expect(source.state.loads).toBe(3)
  })

  it('does not cache a failed load', async () => {
    const preview = createPreviewEngine()
    let fail = true
    const source: PreviewSource = {
      id: 'object:x',
      load: async () => {
        if (fail) throw new Error('network down')
        return { bytes: small, version: '1' }
      }
    }
    await expect(preview.render({ source, process: 'image/resize,w_10' })).rejects.toThrow('network down')
    fail = false
    await expect(preview.render({ source, process: 'image/resize,w_10' })).resolves.toMatchObject({ quality: 'final' })
  })

  it('cancels: a queued render never starts, a running one answers at once and its slot is held until the engine stops', async () => {
    resetPreviewStats()
    const preview = createPreviewEngine({ concurrency: 1 })
    const source = countingSource('upload:c', () => large)
    await preview.source(source)
    const heavy = 'image/blur,r_50,s_50/rotate,33/sharpen,399/blur,r_40,s_40/format,png'

    const running = new AbortController()
    const first = preview.render({ source, process: heavy, signal: running.signal })
    const queued = new AbortController()
    const second = preview.render({ source, process: 'image/resize,w_10', signal: queued.signal })
    await expect.poll(() => preview.stats.queued).toBe(1)
    queued.abort()
    await expect(second).rejects.toMatchObject({ name: 'AbortError' })
    expect(previewStats.cancelledQueued).toBe(1)

    await expect.poll(() => preview.stats.running).toBe(1)
    const abortedAt = performance.now()
    running.abort()
    await expect(first).rejects.toMatchObject({ name: 'AbortError' })
    expect(performance.now() - abortedAt).toBeLessThan(50)
    // The engine is still finishing its current step: the slot stays taken until it stops.
    await expect.poll(() => preview.stats.running, { timeout: 20_000 }).toBe(0)
    expect(previewStats).toMatchObject({ cancelled: 2, cancelledQueued: 1, cancelledStopped: 1, completed: 0 })

    // An already aborted signal is refused before any work.
    await expect(preview.render({ source, process: 'image/resize,w_10', signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    // Interactive renders go before final ones waiting for a slot (the proxy built beforehand).
    await preview.render({ source, process: 'image/resize,w_40', quality: 'interactive' })
    const order: string[] = []
    const blocker = preview.render({ source, process: 'image/blur,r_20,s_20' }).then(() => order.push('blocker'))
    const finalRender = preview.render({ source, process: 'image/resize,w_20' }).then(() => order.push('final'))
    const interactive = preview.render({ source, process: 'image/resize,w_30', quality: 'interactive' }).then(() => order.push('interactive'))
    await Promise.all([blocker, finalRender, interactive])
    expect(order).toEqual(['blocker', 'interactive', 'final'])
  })
})

describe('measureDifference', () => {
  it('is zero for identical pixels, grows with the difference, and notes a size mismatch', async () => {
    const a = await sharp(LANDSCAPE).resize(320, 200).png().toBuffer()
    const same = await measureDifference(a, await sharp(a).png({ compressionLevel: 9 }).toBuffer())
    expect(same).toMatchObject({ sameSize: true, mae: 0, psnr: null, maxDelta: 0, changedShare: 0, phashDistance: 0, comparedWidth: 320, comparedHeight: 200 })

    const jpeg = await sharp(a).jpeg({ quality: 60 }).toBuffer()
    const lossy = await measureDifference(a, jpeg)
    expect(lossy.mae).toBeGreaterThan(0)
    expect(lossy.psnr).toBeGreaterThan(25)
    expect(lossy.phashDistance).toBeLessThanOrEqual(6)

    const inverted = await measureDifference(a, await sharp(a).negate({ alpha: false }).png().toBuffer())
    expect(inverted.mae).toBeGreaterThan(50)
    expect(inverted.psnr!).toBeLessThan(lossy.psnr!)
    expect(inverted.phashDistance).toBeGreaterThan(20)

    const smaller = await measureDifference(a, await sharp(a).resize(160, 100).png().toBuffer())
    expect(smaller.sameSize).toBe(false)
    expect(smaller.comparedWidth).toBe(320)
  })
})

const HEVC_HERE = (await heicEncoder()).compression === 'hevc'

describe('HEVC HEIC results in the window (issue 17 §4)', () => {
  it.skipIf(!HEVC_HERE)('are sent as PNG, which browsers show, scaled or not; and compare with the local render', async () => {
    const source = await makeImage(120, 80, 'jpg')
    const result = await processImage(source, 'image/format,heic')
    if (result.kind !== 'image') throw new Error('expected an image')
    expect(result.data.toString('latin1', 4, 12)).toBe('ftypheic')
    for (const maxSide of [undefined, 60]) {
      const shown = await transportImage(result.data, result.format, result.contentType, result.width, result.height, maxSide)
      expect(shown.contentType).toBe('image/png')
      const meta = await sharp(shown.data).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['png', maxSide ? 60 : 120, maxSide ? 40 : 80])
      await expectSimilar(shown.data, source, 8)
    }
    const difference = await measureDifference(source, result.data)
    expect(difference.sameSize).toBe(true)
    expect(difference.mae).toBeLessThan(12)
  })
})
