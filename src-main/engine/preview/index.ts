/** Live preview in main: the engine (engine.ts) and the pieces it is made of, one concern per file. */
export { createPreviewEngine, PROXY_MIN_SIDE, PROXY_SIDE, type PreviewEngine, type PreviewEngineOptions, type PreviewQuality, type PreviewRequest, type PreviewResult, type PreviewSource } from './engine'
export { imageFacts, measureDifference, perceptualHash, type Difference } from './compare'
export { Lru } from './lru'
export { buildProxy, type Proxy } from './proxy'
export { proxySteps, type ProxyPlan, type ProxySource, type Size } from './proxy-plan'
export { previewStats, resetPreviewStats, type PreviewStats } from './stats'
export { transportImage, type TransportImage } from './transport'
