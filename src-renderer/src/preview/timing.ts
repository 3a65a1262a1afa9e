/**
 * User Timing of the live preview, measured where the user sees it (issue 11 §4; `npm run bench`
 * reads them in Chromium):
 *
 * - `preview:frame` — for every change of the process string (a slider tick, a keystroke): from the
 *   input event that made it to the moment a frame for it, or for a newer change, is decoded and
 *   painted (`img.decode()`, then the next animation frame). Changes a newer frame overtook end there.
 * - `preview:final` — from the last change to the moment its full-resolution frame is painted.
 *
 * The change's time is the input event's own timestamp when a change happens while one is being
 * dispatched (React handles input events synchronously), else the time of the change.
 */
import { subscribeProcessString } from '../state/process'

interface Change {
  readonly process: string
  readonly at: number
  finalMeasured: boolean
}

/** Changes not yet overtaken by a painted frame, oldest first (bounded: a stalled preview keeps none forever). */
const pending: Change[] = []
const MAX_PENDING = 512
let last: Change | undefined

function eventTime(): number {
  const event = (globalThis as { event?: Event }).event
  return event && event.timeStamp > 0 ? event.timeStamp : performance.now()
}

subscribeProcessString((process) => {
  last = { process, at: eventTime(), finalMeasured: false }
  pending.push(last)
  if (pending.length > MAX_PENDING) pending.shift()
})

/** The processed picture for `process` is on screen (decoded, in the frame being painted). */
export function notePainted(process: string, quality: 'interactive' | 'final'): void {
  const now = performance.now()
  let newest = -1
  for (let i = pending.length - 1; i >= 0; i--) {
    if (pending[i]!.process === process) {
      newest = i
      break
    }
  }
  for (const change of pending.splice(0, newest + 1)) performance.measure('preview:frame', { start: change.at, end: now, detail: { quality } })
  if (quality === 'final' && last && last.process === process && !last.finalMeasured) {
    last.finalMeasured = true
    performance.measure('preview:final', { start: last.at, end: now })
  }
}
