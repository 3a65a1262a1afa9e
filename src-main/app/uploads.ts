/**
 * Images the renderer hands to main for previews (`uploads:add`): kept in memory only (nothing is
 * written to the data dir), bounded by a total byte budget and an entry count, least recently used
 * evicted first. Every upload is checked with the engine's own header inspection before it is
 * kept, so an upload that is not an image the engine reads is refused with the engine's error
 * (400 BadRequest / ImageTooLarge, OSS's EC) at once rather than at the first preview.
 */
import { randomUUID } from 'node:crypto'
import { inspectSource } from '../engine/decode'
import { AppError } from './errors'

export interface Upload {
  readonly id: string
  /** The file name the renderer gave (display only). */
  readonly name: string
  readonly bytes: Buffer
}

export interface UploadStoreOptions {
  /** Total bytes kept (default 256 MiB). */
  readonly maxTotalBytes?: number
  /** Uploads kept (default 64). */
  readonly maxEntries?: number
}

export interface UploadStore {
  /** Validates and keeps the image; evicts the least recently used uploads to make room. */
  add(name: string, bytes: Buffer): Promise<Upload>
  /** Marks the upload as recently used. */
  get(id: string): Upload | undefined
  readonly size: number
  readonly totalBytes: number
  clear(): void
}

export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024
export const DEFAULT_MAX_UPLOADS = 64

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,/

/**
 * Strict Base64 (standard alphabet, optional padding), optionally as a `data:…;base64,` URL.
 * Node's decoder skips invalid characters silently; the renderer's data must not be half-read.
 */
export function decodeBase64(data: string, field = 'data'): Buffer {
  const body = data.replace(DATA_URL, '')
  if (body.length % 4 === 1 || !BASE64.test(body)) throw new AppError('InvalidPayload', `uploads:add: ${field}: expected Base64 image bytes`)
  return Buffer.from(body, 'base64')
}

export function createUploadStore(options: UploadStoreOptions = {}): UploadStore {
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_UPLOAD_BYTES
  const maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_UPLOADS)
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Upload>()
  let total = 0

  const remove = (id: string) => {
    const entry = entries.get(id)
    if (!entry) return
    entries.delete(id)
    total -= entry.bytes.length
  }

  return {
    async add(name, bytes) {
      // The engine's checks: empty, unknown format, damaged header, > 20 MB, > 30,000 px per side, > 250 M pixels.
      await inspectSource(bytes, false)
      if (bytes.length > maxTotalBytes) throw new AppError('InvalidPayload', `uploads:add: expected at most ${maxTotalBytes} bytes but received ${bytes.length}`)
      while (entries.size >= maxEntries || (entries.size > 0 && total + bytes.length > maxTotalBytes)) {
        const oldest = entries.keys().next().value
        if (oldest === undefined) break
        remove(oldest)
      }
      const upload: Upload = { id: randomUUID(), name, bytes }
      entries.set(upload.id, upload)
      total += upload.bytes.length
      return upload
    },
    get(id) {
      const entry = entries.get(id)
      if (!entry) return undefined
      entries.delete(id)
      entries.set(id, entry)
      return entry
    },
    get size() {
      return entries.size
    },
    get totalBytes() {
      return total
    },
    clear() {
      entries.clear()
      total = 0
    }
  }
}
