/** Process-wide preview counters (for the benchmark and the logs). */
export interface PreviewStats {
  /** Renders asked for (each `render` call). */
  requests: number
  /** Answered with a result. */
  completed: number
  /** Answered `Cancelled` because their signal aborted. */
  cancelled: number
  /** …of which were still waiting for a slot: no engine work done at all. */
  cancelledQueued: number
  /** …of which the engine stopped early (at a step boundary) rather than finishing in the background. */
  cancelledStopped: number
  /** Answered with an error. */
  failed: number
  /** Engine runs on a proxy / at full resolution. */
  proxyRuns: number
  fullRuns: number
  /** Full-resolution results served from the results cache. */
  resultHits: number
  /** Source loads (downloads) and cache hits; proxies built. */
  sourceLoads: number
  sourceHits: number
  proxiesBuilt: number
}

const emptyStats = (): PreviewStats => ({
  requests: 0,
  completed: 0,
  cancelled: 0,
  cancelledQueued: 0,
  cancelledStopped: 0,
  failed: 0,
  proxyRuns: 0,
  fullRuns: 0,
  resultHits: 0,
  sourceLoads: 0,
  sourceHits: 0,
  proxiesBuilt: 0
})

/** Process-wide counters over every preview engine (there is one per set of main services). */
export const previewStats: PreviewStats = emptyStats()

export function resetPreviewStats(): void {
  Object.assign(previewStats, emptyStats())
}
