/** One "copy signed URLs" action, shared by the button and its panel. */
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { i18n } from '../i18n'
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
  if (format === 'csv') return i18n.t('sign.copied.csv', { count: rows.length })
  return rows.length === 1 ? i18n.t('sign.copied.url') : i18n.t('sign.copied.urls', { count: rows.length })
}

/**
 * Signs what the stores hold now (after fresh bucket styles, so a just-pushed style is offered)
 * and copies it. Returns the rows, or the error to show.
 */
export async function signAndCopy(format: CopyFormat, signal?: AbortSignal): Promise<{ rows: SignedRow[]; feedback: Feedback } | { error: ErrorInfo }> {
  const profileId = useStudio.getState().activeId
  if (!profileId) return { error: { code: 'NoProfile', message: i18n.t('sign.errors.noProfile') } }
  await loadBucketStyles(profileId, true)
  const target = currentSignTarget()
  if (target.keys.length === 0) return { error: { code: 'NoObject', message: i18n.t('sign.errors.noObject') } }
  if (!target.settings) return { error: target.problem ?? { code: 'NotReady', message: i18n.t('sign.errors.notReady') } }
  let rows: SignedRow[]
  try {
    rows = await signAll(target.keys, target.settings, signal)
  } catch (error) {
    return { error: errorInfoOf(error) }
  }
  if (!(await copyText(format === 'csv' ? toCsv(rows) : toList(rows)))) return { error: { code: 'ClipboardError', message: i18n.t('sign.errors.clipboard') } }
  // Asked after the copy (it never delays it); the answer is cached per object.
  const probe = await checkProtection(profileId, target.keys[0]!)
  const refused = probe.sourceProtection === 'on' && currentSignTarget().protectionWarning
  return { rows, feedback: { text: refused ? i18n.t('sign.copied.protectionOn', { text: copiedText(rows, format) }) : copiedText(rows, format), tone: refused ? 'warn' : 'ok' } }
}
