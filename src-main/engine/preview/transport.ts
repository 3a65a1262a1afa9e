/** The image as sent to the window: displayable formats as they are, scaled to the view when asked. */
import sharp from 'sharp'

/** What a browser shows as is; anything else is sent as PNG when it has to be re-encoded. */
const DISPLAYABLE: Readonly<Record<string, 'jpeg' | 'png' | 'webp' | 'gif' | 'avif'>> = { jpg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', avif: 'avif' }
const CONTENT_TYPE = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif' } as const

export interface TransportImage {
  readonly data: Buffer
  readonly contentType: string
}

/** The image as sent to the window: as it is when it fits `maxSide`, else scaled to fit (same format when displayable, else PNG). */
export async function transportImage(data: Buffer, format: string, contentType: string, width: number, height: number, maxSide: number | undefined): Promise<TransportImage> {
  if (maxSide === undefined || Math.max(width, height) <= maxSide) return { data, contentType }
  const target = DISPLAYABLE[format] ?? 'png'
  const animated = target === 'gif' || target === 'webp'
  const scaled = sharp(data, { animated, limitInputPixels: false }).resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
  const out = target === 'jpeg' ? scaled.jpeg({ quality: 90 }) : target === 'webp' ? scaled.webp({ quality: 90 }) : target === 'avif' ? scaled.avif({ quality: 70 }) : target === 'gif' ? scaled.gif() : scaled.png()
  return { data: await out.toBuffer(), contentType: CONTENT_TYPE[target] }
}
