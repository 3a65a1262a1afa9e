/** Small helpers of the style library's UI: OSS's checks before sending, action state, downloads. */
import { useCallback, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { isImgError } from '../../../src-shared/img/errors'
import { canonicalStyleProcess, styleNameError } from '../../../src-shared/model/style-rules'
import { errorInfoOf } from '../ipc/client'

function infoOf(error: unknown): ErrorInfo {
  if (!isImgError(error)) return errorInfoOf(error)
  return { code: error.code, status: error.status, message: error.message, ...(error.ec ? { ec: error.ec } : {}), ...(error.span ? { span: error.span } : {}) }
}

/** OSS's answer for a bad style name (1–63 of A–Z a–z 0–9 _ - .), or undefined. */
export function nameProblem(name: string): ErrorInfo | undefined {
  const error = styleNameError(name)
  return error ? infoOf(error) : undefined
}

/** Why a process string cannot be saved as a style (not an `image/…` chain, invalid, saveas), or undefined. */
export function styleProcessProblem(process: string): ErrorInfo | undefined {
  try {
    canonicalStyleProcess(process)
    return undefined
  } catch (error) {
    return infoOf(error)
  }
}

export const NAME_RULE = '1–63 characters: letters, digits, _ - .'

export interface Action {
  /** The label of the action running, if any. */
  readonly busy: string | undefined
  readonly failure: { readonly label: string; readonly error: ErrorInfo } | undefined
  /** Runs `work` unless another action runs; resolves true when it succeeded. */
  run(label: string, work: () => Promise<unknown>): Promise<boolean>
  clear(): void
}

/** One action at a time for a piece of UI, with its failure kept to show next to it. */
export function useAction(): Action {
  const [busy, setBusy] = useState<string | undefined>(undefined)
  const [failure, setFailure] = useState<Action['failure']>(undefined)
  const run = useCallback(async (label: string, work: () => Promise<unknown>) => {
    setBusy(label)
    setFailure(undefined)
    try {
      await work()
      return true
    } catch (error) {
      setFailure({ label, error: errorInfoOf(error) })
      return false
    } finally {
      setBusy(undefined)
    }
  }, [])
  const clear = useCallback(() => setFailure(undefined), [])
  return { busy, failure, run, clear }
}

/** Saves `text` as a file through the browser's download (Blob + anchor). */
export function downloadJson(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = fileName
  anchor.style.display = 'none'
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** `3 min ago`, `yesterday`, or a date: how recent a save is, at a glance. */
export function relativeTime(iso: string, now = Date.now()): string {
  const then = new Date(iso).getTime()
  if (Number.isNaN(then)) return iso
  const seconds = Math.max(0, Math.round((now - then) / 1000))
  if (seconds < 45) return 'just now'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.round(hours / 24)
  if (days === 1) return 'yesterday'
  if (days < 7) return `${days} days ago`
  return new Date(then).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
}
