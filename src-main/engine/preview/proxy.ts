/** The reduced-resolution copy of a large still source that interactive renders run on. */
import { openSource } from '../decode'
import type { SourceInfo } from '../op'

export interface Proxy {
  readonly bytes: Buffer
  /** Stored (not oriented) size. */
  readonly width: number
  readonly height: number
}


/** Builds the reduced-resolution copy: the orientation stays a tag, the format stays the source's where it can. */
export async function buildProxy(info: SourceInfo, proxySide: number): Promise<Proxy> {
  const opened = await openSource(info, { animated: false, orient: false })
  let pipeline = opened.pipeline.resize({ width: proxySide, height: proxySide, fit: 'inside', withoutEnlargement: true })
  if ((info.orientation ?? 1) > 1) pipeline = pipeline.withMetadata({ orientation: info.orientation! })
  const out =
    info.format === 'jpg'
      ? pipeline.jpeg({ quality: Math.max(80, info.jpegQuality ?? 90), chromaSubsampling: '4:4:4' })
      : info.format === 'webp'
        ? pipeline.webp({ quality: 90 })
        : pipeline.png({ compressionLevel: 1 })
  const { data, info: written } = await out.toBuffer({ resolveWithObject: true })
  return { bytes: data, width: written.width, height: written.height }
}
