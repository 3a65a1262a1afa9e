/**
 * Native open/save dialogs as host functions, ready for the menu and the editor to call.
 *
 * The contract has no dialog channel (the renderer opens images with a drop or an
 * `<input type=file>`, which work the same in browser mode, and sends them through
 * `uploads:add`). The File menu's "Open Image…" runs `openImagesAsUploads` (dialog → read →
 * `uploads:add` through the router, so the same limits and validation apply); the host then
 * tells the renderer which uploads to show with the `uploads:added` event.
 * `saveBytesWithDialog` is for "Save rendered image as…" once the renderer can ask for it.
 */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { BaseWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron'
import { LIMITS } from '../../../src-shared/img/limits'
import type { Router } from '../../ipc/router'
import { writeFileAtomic } from '../../util/atomic-write'

export type DialogLike = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>

/** What sharp can decode here (toolchain.md), as the open dialog's filter. */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif', 'tif', 'tiff', 'svg', 'heic', 'heif', 'bmp'] as const

export interface OpenedImage {
  readonly name: string
  readonly path: string
  /** Base64, as `uploads:add` takes it. */
  readonly data: string
  readonly bytes: number
}

export interface OpenFailure {
  readonly name: string
  readonly path: string
  readonly message: string
}

export interface OpenResult {
  readonly images: readonly OpenedImage[]
  readonly failures: readonly OpenFailure[]
}

/** Shows the native open dialog and reads the chosen images (each at most OSS's 20 MB source limit). */
export async function openImagesWithDialog(dialog: DialogLike, window: BaseWindow | undefined, options: { readonly multiple?: boolean } = {}): Promise<OpenResult> {
  const dialogOptions: OpenDialogOptions = {
    title: 'Open Image',
    properties: options.multiple === false ? ['openFile'] : ['openFile', 'multiSelections'],
    filters: [
      { name: 'Images', extensions: [...IMAGE_EXTENSIONS] },
      { name: 'All Files', extensions: ['*'] }
    ]
  }
  const chosen = window === undefined ? await dialog.showOpenDialog(dialogOptions) : await dialog.showOpenDialog(window, dialogOptions)
  if (chosen.canceled) return { images: [], failures: [] }
  const images: OpenedImage[] = []
  const failures: OpenFailure[] = []
  for (const path of chosen.filePaths) {
    const name = basename(path)
    try {
      const info = await stat(path)
      if (!info.isFile()) throw new Error('not a regular file')
      if (info.size > LIMITS.maxSourceBytes) throw new Error(`${info.size} bytes is over the ${LIMITS.maxSourceBytes}-byte source limit`)
      const content = await readFile(path)
      images.push({ name, path, data: content.toString('base64'), bytes: content.byteLength })
    } catch (error) {
      failures.push({ name, path, message: `Could not open ${name}: ${(error as Error).message}` })
    }
  }
  return { images, failures }
}

export interface UploadedImage {
  readonly name: string
  readonly uploadId: string
  readonly bytes: number
}

/** Dialog → read → `uploads:add` through the router (validated and limited like any request). */
export async function openImagesAsUploads(dialog: DialogLike, window: BaseWindow | undefined, router: Router): Promise<{ readonly uploaded: readonly UploadedImage[]; readonly failures: readonly OpenFailure[] }> {
  const opened = await openImagesWithDialog(dialog, window)
  const uploaded: UploadedImage[] = []
  const failures: OpenFailure[] = [...opened.failures]
  for (const image of opened.images) {
    const envelope = await router.dispatch('uploads:add', { name: image.name.slice(0, 255), data: image.data })
    if (envelope.ok) {
      const result = envelope.result as { uploadId: string; bytes: number }
      uploaded.push({ name: image.name, uploadId: result.uploadId, bytes: result.bytes })
    } else {
      failures.push({ name: image.name, path: image.path, message: envelope.error.message })
    }
  }
  return { uploaded, failures }
}

/** Shows the native save dialog and writes `data` atomically; undefined when cancelled. */
export async function saveBytesWithDialog(
  dialog: DialogLike,
  window: BaseWindow | undefined,
  options: { readonly defaultName: string; readonly data: Uint8Array; readonly extensions?: readonly string[] }
): Promise<string | undefined> {
  const dialogOptions: SaveDialogOptions = {
    title: 'Save Image',
    defaultPath: basename(options.defaultName),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
    ...(options.extensions !== undefined && options.extensions.length > 0 ? { filters: [{ name: 'Image', extensions: [...options.extensions] }] } : {})
  }
  const chosen = window === undefined ? await dialog.showSaveDialog(dialogOptions) : await dialog.showSaveDialog(window, dialogOptions)
  if (chosen.canceled || chosen.filePath === undefined || chosen.filePath === '') return undefined
  await writeFileAtomic(chosen.filePath, options.data)
  return chosen.filePath
}
