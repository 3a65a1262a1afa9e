/**
 * Sources besides the bucket: images added from this computer (dropped on the window or picked
 * with "Add images", sent to main with `uploads:add`) and the sample set the grid view renders
 * the style on (uploads plus objects pinned from the bucket: one set per style, and one for when no
 * style is open).
 *
 * Uploads live in main's memory (never written to the data folder); the renderer remembers their
 * ids for the session (sessionStorage) so a page reload keeps them. Pinned objects are remembered
 * per profile (localStorage). Files are checked here first (type, OSS's 20 MB source limit) so a
 * wrong file gets its reason at once; main re-checks everything with the engine.
 */
import { create } from 'zustand'
import type { ErrorInfo, RequestOf } from '../../../src-shared/ipc/contract'
import { LIMITS } from '../../../src-shared/img/limits'
import { errorInfoOf, invoke } from '../ipc/client'
import { useStudio } from '../state/store'
import { base64FromBytes, formatBytes } from '../ui/format'

export type ImageSource = RequestOf<'preview:render'>['source']

export interface UploadEntry {
  readonly uploadId: string
  readonly name: string
  readonly bytes: number
}

export interface AddFailure {
  readonly name: string
  readonly error: ErrorInfo
}

export interface SourcesState {
  readonly uploads: readonly UploadEntry[]
  /** Files being read and sent. */
  readonly adding: number
  /** Files refused by the last add (type, size, or the engine's answer). */
  readonly failures: readonly AddFailure[]
  /** Object keys pinned as samples, per sample set (`sampleSetKey`). */
  readonly pinned: Readonly<Record<string, readonly string[]>>
  /** Uploads main no longer has (evicted, or the studio restarted). */
  readonly missing: readonly string[]
  addFiles(files: readonly File[]): Promise<void>
  /** Uploads main added itself (Electron's File → Open Image…): listed and the first one shown. */
  received(uploads: readonly UploadEntry[], failures: readonly { readonly name: string; readonly message: string }[]): void
  removeUpload(uploadId: string): void
  markMissing(uploadId: string): void
  dismissFailures(): void
  togglePin(setKey: string, key: string): void
}

/** A profile's sample set for a style (its own), or for no style (the profile's general set). */
export function sampleSetKey(profileId: string, style?: string): string {
  return style ? `${profileId}\nstyle:${style}` : profileId
}

const UPLOADS_KEY = 'oss-img-studio.uploads'
const PINNED_KEY = 'oss-img-studio.samples'

/** What the engine reads (spec oss-img.md §2 formats), by extension when the browser gives no type. */
const ACCEPTED = /\.(jpe?g|png|gif|webp|bmp|tiff?|heic|heif|avif)$/i
export const ACCEPT_ATTRIBUTE = 'image/*,.heic,.heif,.avif,.tif,.tiff,.bmp'

function load<T>(storage: Storage | undefined, key: string, fallback: T): T {
  try {
    const text = storage?.getItem(key)
    return text ? (JSON.parse(text) as T) : fallback
  } catch {
    return fallback
  }
}

function save(storage: Storage | undefined, key: string, value: unknown): void {
  try {
    storage?.setItem(key, JSON.stringify(value))
  } catch {
    // Storage full or disabled: the lists just do not survive a reload.
  }
}

const session = typeof sessionStorage === 'undefined' ? undefined : sessionStorage
const local = typeof localStorage === 'undefined' ? undefined : localStorage

function isUploadEntry(value: unknown): value is UploadEntry {
  const v = value as UploadEntry
  return typeof v === 'object' && v !== null && typeof v.uploadId === 'string' && typeof v.name === 'string' && typeof v.bytes === 'number'
}

/** Why a file is refused before it is sent, or undefined. */
export function precheck(file: File): ErrorInfo | undefined {
  if (!(file.type.startsWith('image/') || ACCEPTED.test(file.name))) {
    return { code: 'BadRequest', message: `${file.name}: expected an image (JPEG, PNG, GIF, WebP, BMP, TIFF, HEIC or AVIF) but received ${file.type || 'a file of unknown type'}` }
  }
  if (file.size === 0) return { code: 'BadRequest', message: `${file.name}: the file is empty` }
  if (file.size > LIMITS.maxSourceBytes) {
    return { code: 'ImageTooLarge', message: `${file.name}: OSS processes source images of at most ${formatBytes(LIMITS.maxSourceBytes)} but this one is ${formatBytes(file.size)}` }
  }
  return undefined
}

export const useSources = create<SourcesState>()((set, get) => {
  const append = (entries: readonly UploadEntry[]) => {
    const uploads = [...get().uploads, ...entries]
    set({ uploads })
    save(session, UPLOADS_KEY, uploads)
  }
  return {
    uploads: load<unknown[]>(session, UPLOADS_KEY, []).filter(isUploadEntry),
    adding: 0,
    failures: [],
    pinned: load<Record<string, string[]>>(local, PINNED_KEY, {}),
    missing: [],

    async addFiles(files) {
      set({ failures: [], adding: get().adding + files.length })
      const failures: AddFailure[] = []
      let first: string | undefined
      for (const file of files) {
        try {
          const refused = precheck(file)
          if (refused) {
            failures.push({ name: file.name, error: refused })
            continue
          }
          const data = base64FromBytes(new Uint8Array(await file.arrayBuffer()))
          const { uploadId, bytes } = await invoke('uploads:add', { name: file.name.slice(0, 255), data })
          append([{ uploadId, name: file.name, bytes }])
          first ??= uploadId
        } catch (error) {
          failures.push({ name: file.name, error: errorInfoOf(error) })
        } finally {
          set({ adding: get().adding - 1 })
        }
      }
      set({ failures })
      // Show what was just added.
      if (first) useStudio.getState().selectUpload(first)
    },

    removeUpload(uploadId) {
      const uploads = get().uploads.filter((u) => u.uploadId !== uploadId)
      set({ uploads, missing: get().missing.filter((id) => id !== uploadId) })
      save(session, UPLOADS_KEY, uploads)
      const studio = useStudio.getState()
      if (studio.selectedUploadId === uploadId) {
        const next = uploads[0]
        if (next) studio.selectUpload(next.uploadId)
        else studio.select(undefined)
      }
    },

    markMissing(uploadId) {
      if (!get().missing.includes(uploadId)) set({ missing: [...get().missing, uploadId] })
    },

    received(uploads, failures) {
      append(uploads)
      set({ failures: failures.map((f) => ({ name: f.name, error: { code: 'OpenFailed', message: f.message } })) })
      const first = uploads[0]
      if (first) useStudio.getState().selectUpload(first.uploadId)
    },

    dismissFailures: () => set({ failures: [] }),

    togglePin(setKey, key) {
      const current = get().pinned[setKey] ?? []
      const next = current.includes(key) ? current.filter((k) => k !== key) : [...current, key]
      const pinned = { ...get().pinned, [setKey]: next }
      set({ pinned })
      save(local, PINNED_KEY, pinned)
    }
  }
})

export interface CurrentSource {
  /** Identity for caches and schedulers. */
  readonly id: string
  readonly source: ImageSource
  readonly label: string
  readonly kind: 'object' | 'upload'
}

/** The image the preview shows: an upload when one is selected, else the bucket's selected object. */
export function useCurrentSource(): CurrentSource | undefined {
  const activeId = useStudio((s) => s.activeId)
  const selectedKey = useStudio((s) => s.selectedKey)
  const selectedUploadId = useStudio((s) => s.selectedUploadId)
  const upload = useSources((s) => (selectedUploadId ? s.uploads.find((u) => u.uploadId === selectedUploadId) : undefined))
  if (selectedUploadId) {
    return upload ? sourceOfUpload(upload) : undefined
  }
  if (!activeId || !selectedKey) return undefined
  return sourceOfObject(activeId, selectedKey)
}

export function sourceOfUpload(upload: UploadEntry): CurrentSource {
  return { id: `upload\n${upload.uploadId}`, source: { kind: 'upload', uploadId: upload.uploadId }, label: upload.name, kind: 'upload' }
}

export function sourceOfObject(profileId: string, key: string): CurrentSource {
  return { id: `object\n${profileId}\n${key}`, source: { kind: 'object', profileId, key }, label: key, kind: 'object' }
}
