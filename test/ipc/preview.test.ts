/**
 * preview:render through the real transports (router.dispatch and browser mode's WebSocket):
 * interactive renders on the proxy (picture + the full-resolution size), final ones with OSS's
 * numbers, the source cache, cancellation counted by the preview engine, and `via: 'oss'` (Compare
 * with OSS) against the Local sandbox and against a fake OSS whose processed answer differs.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { previewStats, resetPreviewStats } from '../../src-main/engine/preview'
import { CHANNELS } from '../../src-shared/ipc/contract'
import { directTransport, err, makeBed, makeJpeg, ok, removeTempDirs, webSocketTransport, type Bed, type Transport } from './helpers'

afterAll(() => removeTempDirs())

type Rendered = {
  kind: string
  data: string
  contentType: string
  width?: number
  height?: number
  format?: string
  bytes: number
  sourceWidth: number
  sourceHeight: number
  sourceFormat?: string
  renderMs: number
  quality?: string
  marks?: { step: number; x: number; y: number; width: number; height: number; placed: { frameWidth: number; frameHeight: number; left: number; top: number; width: number; height: number }; turned: boolean }[]
  comparison?: { local: { width: number; height: number; format: string; bytes: number }; sameSize: boolean; mae: number; psnr: number | null; phashDistance: number; maxDelta: number; changedShare: number }
}

/** A minimal OSS stand-in: plain GET/HEAD answer `source`, a processed GET answers `processed` (or an OSS error). */
async function fakeOss(source: Buffer, processed: () => { status: number; body: Buffer; type: string }): Promise<{ server: Server; endpoint: string; processedGets: string[] }> {
  const processedGets: string[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.searchParams.has('x-oss-process')) {
      processedGets.push(url.searchParams.get('x-oss-process')!)
      const answer = processed()
      res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.length, 'x-oss-request-id': '5F0000000000000000000001' })
      res.end(answer.body)
      return
    }
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': source.length, etag: '"ABC123"', 'last-modified': new Date(0).toUTCString() })
    res.end(req.method === 'HEAD' ? undefined : source)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, endpoint: `http://localhost:${(server.address() as AddressInfo).port}`, processedGets }
}

for (const mode of ['router.dispatch', 'WebSocket'] as const) {
  describe(`preview:render over ${mode}`, () => {
    let bed: Bed
    let transport: Transport
    const call = async (payload: unknown, signal?: AbortSignal) => {
      const envelope = await transport.call('preview:render', payload, signal)
      if (envelope.ok) expect(CHANNELS['preview:render'].response.safeParse(envelope.result).success).toBe(true)
      return envelope
    }
    const large = { kind: 'object', profileId: 'local-sandbox', key: 'large.jpg' }

    beforeAll(async () => {
      bed = await makeBed({ mode: mode === 'WebSocket' ? 'web' : 'electron', ...(mode === 'WebSocket' ? { clipboard: undefined } : {}) })
      transport = mode === 'WebSocket' ? await webSocketTransport(bed.services) : directTransport(bed.services)
    })

    afterAll(async () => {
      await transport?.close()
      await bed?.services.close()
    })

    it('interactive: a proxy picture with the full-resolution size; final: OSS’s numbers; the source is fetched once', async () => {
      resetPreviewStats()
      const process = 'image/crop,x_100,y_100,w_2000,h_1200/resize,w_900/bright,10'
      const interactive = ok<Rendered>(await call({ source: large, process, quality: 'interactive', maxSide: 1600 }))
      expect(interactive).toMatchObject({ kind: 'image', quality: 'interactive', bytes: 0, sourceWidth: 2400, sourceHeight: 1600, sourceFormat: 'jpg', width: 900, height: 540 })
      expect(interactive.format).toBeUndefined()
      const picture = await sharp(Buffer.from(interactive.data, 'base64')).metadata()
      expect([picture.width, picture.height]).toEqual([900, 540])

      const final = ok<Rendered>(await call({ source: large, process, quality: 'final', maxSide: 1600 }))
      expect(final).toMatchObject({ kind: 'image', quality: 'final', width: 900, height: 540, format: 'jpg', sourceFormat: 'jpg' })
      expect(Buffer.from(final.data, 'base64').length).toBe(final.bytes)
      expect(previewStats).toMatchObject({ sourceLoads: 1, proxiesBuilt: 1, proxyRuns: 1, fullRuns: 1 })

      // Without quality: final (what older callers get). The same chain again comes from the results cache.
      const again = ok<Rendered>(await call({ source: large, process }))
      expect(again).toMatchObject({ quality: 'final', width: 900, bytes: final.bytes, renderMs: final.renderMs })
      expect(previewStats).toMatchObject({ sourceLoads: 1, fullRuns: 1, resultHits: 1 })

      // A small source is rendered at full resolution even when asked for interactive: the answer is final.
      const small = ok<Rendered>(await call({ source: { kind: 'object', profileId: 'local-sandbox', key: 'landscape.jpg' }, process: 'image/resize,w_300', quality: 'interactive' }))
      expect(small).toMatchObject({ quality: 'final', width: 300, height: 200, format: 'jpg' })
      expect(small.bytes).toBeGreaterThan(0)
    })

    it('marks: the watermark’s placed box in full-resolution pixels, from the proxy (scaled up) and the final render alike', async () => {
      // 2400 × 1600 source: the interactive answer renders on the 1024-px proxy.
      const process = 'image/watermark,text_T1NTIElNRyBTdHVkaW8,size_80,g_se,x_60,y_40,color_FFFFFF'
      const interactive = ok<Rendered>(await call({ source: large, process, quality: 'interactive' }))
      const final = ok<Rendered>(await call({ source: large, process, quality: 'final' }))
      expect(interactive.quality).toBe('interactive')
      const [mark] = final.marks!
      expect(mark).toMatchObject({ step: 0, turned: false, placed: { frameWidth: 2400, frameHeight: 1600 } })
      // se, x_60, y_40: the block's right edge 60 px from the right, its bottom 40 px from the bottom.
      expect(mark!.x + mark!.width).toBe(2400 - 60)
      expect(mark!.y + mark!.height).toBe(1600 - 40)
      const [rough] = interactive.marks!
      expect(rough!.placed).toMatchObject({ frameWidth: 2400, frameHeight: 1600 })
      for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(rough![key] - mark![key]), key).toBeLessThanOrEqual(Math.max(6, mark![key] * 0.06))
    })

    it('interactive chains that fail answer OSS’s error (code, EC, span) from the full-resolution run', async () => {
      const process = 'image/resize,w_600/crop,x_900,y_0'
      const error = err(await call({ source: large, process, quality: 'interactive' }))
      expect(error).toMatchObject({ code: 'BadRequest', status: 400 })
      expect(process.slice(error.span!.start, error.span!.end)).toBe('crop,x_900,y_0')
      const typo = err(await call({ source: large, process: 'image/resize,w_0', quality: 'interactive' }))
      expect(typo).toMatchObject({ code: 'InvalidArgument', ec: '0040-00000312' })
    })

    it('a superseded render is cancelled through the transport and counted', async () => {
      resetPreviewStats()
      const heavy = 'image/blur,r_50,s_50/rotate,33/sharpen,399/format,png'
      const controller = new AbortController()
      const pending = call({ source: large, process: heavy, quality: 'final' }, controller.signal)
      await new Promise((resolve) => setTimeout(resolve, 60))
      controller.abort()
      expect(err(await pending).code).toBe('Cancelled')
      await expect.poll(() => previewStats.cancelled).toBe(1)
      expect(previewStats.completed).toBe(0)
    })

    it('Compare with OSS on the Local sandbox: OSS’s own result through a signed URL, identical pixels', async () => {
      const process = 'image/resize,w_500/rotate,90/format,png'
      const compared = ok<Rendered>(await call({ source: { kind: 'object', profileId: 'local-sandbox', key: 'landscape.jpg' }, process, via: 'oss', maxSide: 1600 }))
      expect(compared).toMatchObject({ kind: 'image', width: 333, height: 500, format: 'png', quality: 'final' })
      expect(compared.comparison).toMatchObject({ local: { width: 333, height: 500, format: 'png' }, sameSize: true, mae: 0, psnr: null, maxDelta: 0, phashDistance: 0 })
      expect(compared.comparison!.local.bytes).toBe(compared.bytes)

      expect(err(await call({ source: { kind: 'object', profileId: 'local-sandbox', key: 'landscape.jpg' }, process: 'image/info', via: 'oss' })).code).toBe('NotSupported')
      const upload = ok<{ uploadId: string }>(await transport.call('uploads:add', { name: 'a.jpg', data: (await makeJpeg(64, 64)).toString('base64') }))
      expect(err(await call({ source: { kind: 'upload', uploadId: upload.uploadId }, process: 'image/resize,w_10', via: 'oss' })).code).toBe('NotSupported')
    })

    it('Compare with OSS against an OSS whose answer differs: a non-zero measure; OSS’s errors keep code and request id', async () => {
      const source = await makeJpeg(800, 600)
      let answer: () => { status: number; body: Buffer; type: string } = () => ({ status: 200, body: Buffer.alloc(0), type: 'image/jpeg' })
      const oss = await fakeOss(source, () => answer())
      try {
        const profile = ok<{ id: string }>(await transport.call('profiles:create', { name: 'Fake OSS', endpoint: oss.endpoint, bucket: 'fake-bucket', accessKeyId: 'LTAI5tFakeOssKey000001', accessKeySecret: 'fake-secret-value' }))
        const local = ok<Rendered>(await call({ source: { kind: 'object', profileId: profile.id, key: 'photo.jpg' }, process: 'image/resize,w_400' }))
        expect(local).toMatchObject({ width: 400, height: 300 })
        const theirs = await sharp(source).resize(400, 300).modulate({ brightness: 1.3 }).jpeg({ quality: 70 }).toBuffer()
        answer = () => ({ status: 200, body: theirs, type: 'image/jpeg' })
        const compared = ok<Rendered>(await call({ source: { kind: 'object', profileId: profile.id, key: 'photo.jpg' }, process: 'image/resize,w_400', via: 'oss' }))
        expect(oss.processedGets).toEqual(['image/resize,w_400'])
        expect(compared).toMatchObject({ width: 400, height: 300, format: 'jpg', bytes: theirs.length })
        expect(compared.comparison!.sameSize).toBe(true)
        expect(compared.comparison!.mae).toBeGreaterThan(5)
        expect(compared.comparison!.psnr).toBeGreaterThan(5)

        const smaller = await sharp(source).resize(200, 150).jpeg().toBuffer()
        answer = () => ({ status: 200, body: smaller, type: 'image/jpeg' })
        const resized = ok<Rendered>(await call({ source: { kind: 'object', profileId: profile.id, key: 'photo.jpg' }, process: 'image/resize,w_400', via: 'oss' }))
        expect(resized).toMatchObject({ width: 200, height: 150 })
        expect(resized.comparison).toMatchObject({ sameSize: false, local: { width: 400, height: 300 } })

        const xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>Parameter w is invalid.</Message><RequestId>5F00000000000000000000AB</RequestId><EC>0040-00000312</EC></Error>'
        answer = () => ({ status: 400, body: Buffer.from(xml), type: 'application/xml' })
        const failed = err(await call({ source: { kind: 'object', profileId: profile.id, key: 'photo.jpg' }, process: 'image/resize,w_400', via: 'oss' }))
        expect(failed).toMatchObject({ code: 'InvalidArgument', status: 400, requestId: '5F00000000000000000000AB', ec: '0040-00000312' })
      } finally {
        await new Promise((resolve) => oss.server.close(resolve))
      }
    })
  })
}
