/**
 * The live-preview path (issue §9), through the real transport: the main-process services and the
 * browser-mode web host started in-process, and a WebSocket client speaking the renderer's protocol
 * (`{t:'req'}` / `{t:'cancel'}`), driven by the renderer's own scheduler
 * (src-renderer/src/preview/scheduler.ts) exactly as the preview panel drives it.
 *
 * Source: a photo-like 6000×4000 (24 MP) JPEG, added as an upload. Scenario: a brightness slider —
 * 60 changes of `image/bright,V/contrast,10`, one every 16 ms. Figures:
 *
 * - change → frame shown: for each change, the time until the client has a frame for that change
 *   or a newer one (answer received, Base64 decoded and the picture decoded with sharp, standing in
 *   for the browser's image decode); p50 / p95 / max (goal p95 < 100 ms);
 * - first open: a source never seen before, from the request to the first frame (interactive), and
 *   to the full-resolution final frame;
 * - after release: last change → final frame at full resolution;
 * - cancellation: renders superseded before they answered, and the share of those cancelled
 *   (client side), with main's own count of cancelled renders and of those whose engine stopped early;
 * - for reference, the same slider with every render at full resolution (no proxy, final only).
 *
 *   npx tsx bench/preview.ts          # this scenario alone
 *   npm run bench                     # all scenarios (run.ts calls runPreviewBench)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import WebSocket from 'ws'
import { createMainServices } from '../src-main/app/main-services'
import { previewStats, resetPreviewStats, type PreviewStats } from '../src-main/engine/preview'
import { startWebHost } from '../src-main/host/web'
import { createPreviewScheduler, type RenderQuality, type SchedulerStats } from '../src-renderer/src/preview/scheduler'
import type { Envelope, ErrorInfo, ResponseOf } from '../src-shared/ipc/contract'
import { photoLikePixels } from './image'
import { quantile, round, table } from './stats'

type Rendered = ResponseOf<'preview:render'>

export const PREVIEW_SOURCE = { width: 6000, height: 4000, quality: 90 }
const CHANGES = 60
const INTERVAL_MS = 16
const MAX_SIDE = 1600
const GOAL_P95_MS = 100

export interface PreviewBenchResult {
  readonly source: { width: number; height: number; bytes: number }
  readonly changes: number
  readonly intervalMs: number
  readonly firstOpen: { readonly firstFrameMs: number; readonly finalFrameMs: number; readonly firstFrameQuality: string }
  readonly changeToFrame: { readonly p50Ms: number; readonly p95Ms: number; readonly maxMs: number; readonly framesDuringDrag: number }
  readonly releaseToFinalMs: number
  readonly finalMatchesCli: { width: number; height: number; format: string }
  readonly cancellation: {
    readonly superseded: number
    readonly cancelled: number
    readonly share: number
    /** Answers outdated by a newer change when they arrived, but still the newest frame: shown on purpose. */
    readonly outdatedShown: number
    readonly client: SchedulerStats
    readonly clientBursts: SchedulerStats
    readonly main: PreviewStats
  }
  readonly fullResolutionOnly: { readonly p50Ms: number; readonly p95Ms: number; readonly maxMs: number; readonly framesDuringDrag: number }
  readonly goalP95Met: boolean
}

/** `invoke` over the browser-mode WebSocket, with cancellation (the renderer's client protocol). */
async function connect(port: number, token: string): Promise<{ invoke: (channel: string, payload: unknown, signal?: AbortSignal) => Promise<unknown>; close(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${encodeURIComponent(token)}`, { origin: `http://127.0.0.1:${port}`, maxPayload: 64 * 1024 * 1024 })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const pending = new Map<string, { resolve(value: unknown): void; reject(error: unknown): void }>()
  let next = 0
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { t: string; id?: string } & Envelope<unknown>
    if (message.t !== 'res' || !message.id) return
    const request = pending.get(message.id)
    if (!request) return
    pending.delete(message.id)
    if (message.ok) request.resolve(message.result)
    else request.reject(Object.assign(new Error(message.error.message), { info: message.error }))
  })
  return {
    invoke(channel, payload, signal) {
      const id = `b${(next += 1)}`
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(Object.assign(new Error('cancelled'), { info: { code: 'Cancelled', message: 'cancelled' } }))
        pending.set(id, { resolve, reject })
        socket.send(JSON.stringify({ t: 'req', id, channel, payload }))
        signal?.addEventListener(
          'abort',
          () => {
            if (!pending.delete(id)) return
            socket.send(JSON.stringify({ t: 'cancel', id }))
            reject(Object.assign(new Error('cancelled'), { info: { code: 'Cancelled', message: 'cancelled' } }))
          },
          { once: true }
        )
      })
    },
    close: () => socket.close()
  }
}

const isCancelled = (error: unknown) => (error as { info?: ErrorInfo })?.info?.code === 'Cancelled'

/** What the browser does with a frame: Base64 → bytes → decoded picture. */
async function show(result: Rendered): Promise<void> {
  if (result.kind !== 'image') return
  await sharp(Buffer.from(result.data, 'base64')).raw().toBuffer()
}

interface SliderRun {
  readonly latencies: number[]
  readonly framesDuringDrag: number
  readonly releaseToFinalMs: number
  readonly client: SchedulerStats
  readonly final: Rendered | undefined
}

/**
 * `count` changes through the scheduler, `gapAfter(i)` ms apart (16 ms: a slider being dragged);
 * `finalOnly` renders every request at full resolution. Resolves once the last change's
 * full-resolution frame is shown.
 */
async function slider(
  invoke: (channel: string, payload: unknown, signal?: AbortSignal) => Promise<unknown>,
  uploadId: string,
  processOf: (i: number) => string,
  options: { finalOnly: boolean; count?: number; gapAfter?: (i: number) => number }
): Promise<SliderRun> {
  const count = options.count ?? CHANGES
  const gapAfter = options.gapAfter ?? (() => INTERVAL_MS)
  const finalOnly = options.finalOnly
  const changedAt: number[] = []
  const latencies: number[] = []
  let covered = 0
  let framesDuringDrag = 0
  let dragging = true
  let lastFinal: Rendered | undefined
  let finalAt = 0
  let settledResolve: () => void = () => undefined
  const settled = new Promise<void>((resolve) => (settledResolve = resolve))
  const scheduler = createPreviewScheduler<{ process: string; index: number }, Rendered>({
    render: async (payload, quality: RenderQuality, signal) => {
      const result = (await invoke('preview:render', { source: { kind: 'upload', uploadId }, process: payload.process, maxSide: MAX_SIDE, quality: finalOnly ? 'final' : quality }, signal)) as Rendered
      // The frame is "shown" once the picture is decoded (latest-wins check is the scheduler's).
      await show(result)
      return result
    },
    qualityOf: (result) => result.quality ?? 'final',
    isCancelled,
    onFrame: (frame) => {
      const now = performance.now()
      const index = frame.request.payload.index
      for (; covered <= index && covered < changedAt.length; covered++) latencies.push(now - changedAt[covered]!)
      if (dragging) framesDuringDrag += 1
      if (frame.quality === 'final' && index === count - 1) {
        lastFinal = frame.result
        finalAt = now
        settledResolve()
      }
    },
    onError: (error) => {
      throw error
    }
  })
  for (let i = 0; i < count; i++) {
    const target = performance.now() + (i === count - 1 ? 0 : gapAfter(i))
    changedAt.push(performance.now())
    const text = processOf(i)
    scheduler.update({ payload: { process: text, index: i }, sourceKey: uploadId, key: text })
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, target - performance.now())))
  }
  dragging = false
  const releasedAt = changedAt[count - 1]!
  await settled
  const client = { ...scheduler.stats }
  scheduler.dispose()
  return { latencies, framesDuringDrag, releaseToFinalMs: finalAt - releasedAt, client, final: lastFinal }
}

const summary = (values: readonly number[]) => ({ p50Ms: round(quantile(values, 0.5), 1), p95Ms: round(quantile(values, 0.95), 1), maxMs: round(Math.max(...values), 1) })

export async function runPreviewBench(options: { say?: (line?: string) => void } = {}): Promise<PreviewBenchResult> {
  const say = options.say ?? ((line = '') => process.stdout.write(`${line}\n`))
  const dir = mkdtempSync(join(tmpdir(), 'oss-img-bench-preview-'))
  const services = await createMainServices({ dataDir: join(dir, 'data'), mode: 'web', version: 'bench', log: () => undefined })
  const host = await startWebHost({ services, rendererDir: dir, port: 0, log: () => undefined, heartbeatMs: 0 })
  const client = await connect(host.port, host.token)
  try {
    const generated = performance.now()
    const bytes = await sharp(photoLikePixels(PREVIEW_SOURCE.width, PREVIEW_SOURCE.height, 24_000_000), { raw: { width: PREVIEW_SOURCE.width, height: PREVIEW_SOURCE.height, channels: 3 } })
      .jpeg({ quality: PREVIEW_SOURCE.quality })
      .toBuffer()
    say(`load average (1 min) before the preview scenario: ${loadavg()[0]!.toFixed(2)}${loadavg()[0]! > 0.5 ? ' — other work is running: latencies are noisy' : ''}`)
    say(`preview source: ${PREVIEW_SOURCE.width}x${PREVIEW_SOURCE.height} JPEG q${PREVIEW_SOURCE.quality}, ${(bytes.length / 1048576).toFixed(2)} MiB (made in ${((performance.now() - generated) / 1000).toFixed(1)} s); transport: WebSocket (host/web.ts) on 127.0.0.1`)
    const { uploadId } = (await client.invoke('uploads:add', { name: 'bench-24mp.jpg', data: bytes.toString('base64') })) as { uploadId: string }

    // ---- first open: nothing cached for this source yet.
    resetPreviewStats()
    const opened = performance.now()
    let firstFrameMs = 0
    let firstFrameQuality = ''
    let finalFrameMs = 0
    await new Promise<void>((resolve, reject) => {
      const scheduler = createPreviewScheduler<string, Rendered>({
        settleMs: 0,
        render: async (process, quality, signal) => {
          const result = (await client.invoke('preview:render', { source: { kind: 'upload', uploadId }, process, maxSide: MAX_SIDE, quality }, signal)) as Rendered
          await show(result)
          return result
        },
        qualityOf: (result) => result.quality ?? 'final',
        isCancelled,
        onFrame: (frame) => {
          if (!firstFrameMs) {
            firstFrameMs = performance.now() - opened
            firstFrameQuality = frame.quality
          }
          if (frame.quality === 'final') {
            finalFrameMs = performance.now() - opened
            scheduler.dispose()
            resolve()
          }
        },
        onError: reject
      })
      scheduler.update({ payload: 'image/auto-orient,1', sourceKey: uploadId, key: 'open' })
    })

    // ---- (c) the slider, proxy + final (what the studio does): 60 changes, 16 ms apart.
    const process = (i: number) => `image/bright,${i - 30}/contrast,10`
    resetPreviewStats()
    const live = await slider(client.invoke, uploadId, process, { finalOnly: false })
    const mainLive = { ...previewStats }
    // ---- (c2) drag, hold, drag: three bursts of 20 changes with 400 ms holds, so the full-resolution
    // render starts (after the debounce) and is then superseded by the next burst.
    resetPreviewStats()
    const bursts = await slider(client.invoke, uploadId, (i) => `image/bright,${i - 25}/contrast,12`, { finalOnly: false, gapAfter: (i) => (i % 20 === 19 ? 400 : INTERVAL_MS) })
    const mainBursts = { ...previewStats }
    // ---- for reference, the same slider with every render at full resolution.
    const fullOnly = await slider(client.invoke, uploadId, (i) => `image/bright,${i - 29}/contrast,11`, { finalOnly: true })

    const change = summary(live.latencies)
    const full = summary(fullOnly.latencies)
    const client2 = bursts.client
    const superseded = live.client.superseded + client2.superseded
    const cancelled = live.client.cancelled + client2.cancelled
    const share = superseded === 0 ? 1 : cancelled / superseded
    const main = { ...mainBursts }
    for (const key of Object.keys(main) as (keyof PreviewStats)[]) main[key] += mainLive[key]
    const final = live.final!
    const result: PreviewBenchResult = {
      source: { width: PREVIEW_SOURCE.width, height: PREVIEW_SOURCE.height, bytes: bytes.length },
      changes: CHANGES,
      intervalMs: INTERVAL_MS,
      firstOpen: { firstFrameMs: round(firstFrameMs, 1), finalFrameMs: round(finalFrameMs, 1), firstFrameQuality },
      changeToFrame: { ...change, framesDuringDrag: live.framesDuringDrag },
      releaseToFinalMs: round(live.releaseToFinalMs, 1),
      finalMatchesCli: { width: final.width ?? 0, height: final.height ?? 0, format: final.format ?? '' },
      cancellation: { superseded, cancelled, share: round(share, 3), outdatedShown: live.client.outdated + client2.outdated, client: live.client, clientBursts: client2, main },
      fullResolutionOnly: { ...full, framesDuringDrag: fullOnly.framesDuringDrag },
      goalP95Met: change.p95Ms < GOAL_P95_MS
    }
    if (result.finalMatchesCli.width !== PREVIEW_SOURCE.width || result.finalMatchesCli.height !== PREVIEW_SOURCE.height) {
      throw new Error(`preview: the final frame reports ${result.finalMatchesCli.width}x${result.finalMatchesCli.height}, expected the full ${PREVIEW_SOURCE.width}x${PREVIEW_SOURCE.height}`)
    }

    say()
    say(`(c) live preview — ${CHANGES} changes of image/bright,V/contrast,10 at ${INTERVAL_MS} ms intervals on a ${PREVIEW_SOURCE.width}x${PREVIEW_SOURCE.height} JPEG, through the WebSocket transport and the renderer's scheduler`)
    say(
      table(
        ['figure', 'studio (proxy + final)', 'full resolution only'],
        [
          ['change → frame shown, p50', `${change.p50Ms.toFixed(1)} ms`, `${full.p50Ms.toFixed(1)} ms`],
          ['change → frame shown, p95', `${change.p95Ms.toFixed(1)} ms`, `${full.p95Ms.toFixed(1)} ms`],
          ['change → frame shown, max', `${change.maxMs.toFixed(1)} ms`, `${full.maxMs.toFixed(1)} ms`],
          ['frames shown while dragging (960 ms)', String(live.framesDuringDrag), String(fullOnly.framesDuringDrag)],
          ['release → full-resolution frame', `${result.releaseToFinalMs.toFixed(1)} ms`, `${round(fullOnly.releaseToFinalMs, 1).toFixed(1)} ms`]
        ]
      )
    )
    say(`first open (nothing cached): first frame ${result.firstOpen.firstFrameMs.toFixed(1)} ms (${firstFrameQuality}), full-resolution frame ${result.firstOpen.finalFrameMs.toFixed(1)} ms`)
    say(
      `cancellation (the 60-change drag + three 20-change bursts with 400 ms holds): ${superseded} renders superseded (their answer could no longer be shown), ` +
        `${cancelled} of them cancelled before answering (${(share * 100).toFixed(0)}%); ${result.cancellation.outdatedShown} answers arrived after a newer change but were the newest frame and were shown (kept on purpose: one render in flight, the newest change waits for it)`
    )
    say(
      `  client sent ${live.client.interactiveSent + client2.interactiveSent} interactive + ${live.client.finalSent + client2.finalSent} final renders for ${live.client.changes + client2.changes} changes; ` +
        `main: ${main.completed} completed, ${main.cancelled} cancelled (${main.cancelledQueued} before starting, ${main.cancelledStopped} stopped early by the engine, ${main.cancelled - main.cancelledQueued - main.cancelledStopped} finished their current sharp step in the background), ` +
        `${main.proxyRuns} proxy runs, ${main.fullRuns} full-resolution runs; after a hold: release → full-resolution frame ${round(bursts.releaseToFinalMs, 1).toFixed(1)} ms`
    )
    say(`load average (1 min) after: ${loadavg()[0]!.toFixed(2)}`)
    say(`goal: change → frame p95 < ${GOAL_P95_MS} ms: ${result.goalP95Met ? 'met' : 'NOT MET'} (${change.p95Ms.toFixed(1)} ms); final frame ${result.finalMatchesCli.width}x${result.finalMatchesCli.height} ${result.finalMatchesCli.format}`)
    return result
  } finally {
    client.close()
    // A close that never settles would otherwise let the event loop drain and end the whole bench
    // silently: bound each one and say which did not finish.
    await settleWithin(host.close(), 'web host', say)
    await settleWithin(services.close(), 'main services', say)
    rmSync(dir, { recursive: true, force: true })
  }
}

async function settleWithin(closing: Promise<unknown>, what: string, say: (line: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 5000)
  })
  const outcome = await Promise.race([closing.then(() => 'closed' as const, () => 'closed' as const), late])
  clearTimeout(timer)
  if (outcome === 'late') say(`  note: closing the ${what} did not finish within 5 s`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runPreviewBench().then(
    (result) => process.stdout.write(`${JSON.stringify({ bench: 'oss-img-studio/preview', ...result })}\n`),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`)
      process.exitCode = 1
    }
  )
}
