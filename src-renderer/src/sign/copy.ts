/** One "copy signed URLs" action, shared by the button and its panel. */
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { errorInfoOf } from '../ipc/client'
import { useStudio } from '../state/store'
import { copyText } from '../ui/clipboard'
import { toCsv, toList, type SignedRow } from './model'
import { checkProtection, loadBucketStyles, signAll } from './state'
import { currentSignTarget } from './useSignTarget'

export type CopyFormat = 'list' | 'csv'

export interface Feedback {
  readonly text: string
  readonly tone: 'ok' | 'warn'
}

function copiedText(rows: readonly SignedRow[], format: CopyFormat): string {
  if (format === 'csv') return `Copied ${rows.length === 1 ? '1 row' : `${rows.length} rows`} as CSV`
  return rows.length === 1 ? 'Copied signed URL' : `Copied ${rows.length} URLs`
}

/**
 * Signs what the stores hold now (after fresh bucket styles, so a just-pushed style is offered)
 * and copies it. Returns the rows, or the error to show.
 */
export async function signAndCopy(format: CopyFormat, signal?: AbortSignal): Promise<{ rows: SignedRow[]; feedback: Feedback } | { error: ErrorInfo }> {
  const profileId = useStudio.getState().activeId
  if (!profileId) return { error: { code: 'NoProfile', message: 'No active profile.' } }
  await loadBucketStyles(profileId, true)
  const target = currentSignTarget()
  if (target.keys.length === 0) return { error: { code: 'NoObject', message: 'Choose an object in the bucket browser first.' } }
  if (!target.settings) return { error: target.problem ?? { code: 'NotReady', message: 'The signed URL options are incomplete.' } }
  let rows: SignedRow[]
  try {
    rows = await signAll(target.keys, target.settings, signal)
  } catch (error) {
    return { error: errorInfoOf(error) }
  }
  if (!(await copyText(format === 'csv' ? toCsv(rows) : toList(rows)))) return { error: { code: 'ClipboardError', message: 'The clipboard refused the text; copy it from the panel instead.' } }
  // Asked after the copy (it never delays it); the answer is cached per object.
  const probe = await checkProtection(profileId, target.keys[0]!)
  const refused = probe.sourceProtection === 'on' && currentSignTarget().protectionWarning
  return { rows, feedback: { text: refused ? `${copiedText(rows, format)} · source protection is on` : copiedText(rows, format), tone: refused ? 'warn' : 'ok' } }
}
