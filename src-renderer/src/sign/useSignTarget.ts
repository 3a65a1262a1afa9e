/**
 * Everything a signed URL is made of right now: the objects (the checked ones, else the current
 * object), the process value (the matching bucket style, the string, another style or nothing),
 * the expiry and options, and the source-image protection of the first object. Shared by the
 * "Copy signed URL" button and its options panel so both sign exactly the same thing.
 */
import { useEffect, useMemo } from 'react'
import type { ErrorInfo, ProfileSummary, ResponseOf } from '../../../src-shared/ipc/contract'
import { getCheckedKeys, useCheckedKeys } from '../oss/selection'
import { getProcessString, useProcessString } from '../state/process'
import { useStudio } from '../state/store'
import type { Studio } from '../state/types'
import { i18n, useTranslation } from '../i18n'
import { effectiveApply, expirySeconds, isAdHoc, matchingStyle, processFor, styleNameOf, type Apply, type BucketStyle, type SignSettings } from './model'
import { loadBucketStyles, protectionKey, useSignOptions, useSignRemote, type BucketStyles, type SignOptions } from './state'

export interface SignTarget {
  readonly profile: ProfileSummary | undefined
  readonly keys: readonly string[]
  /** True when the keys are the checked set (not just the current object). */
  readonly fromChecked: boolean
  readonly styles: BucketStyles | undefined
  readonly match: string | undefined
  readonly apply: Apply
  readonly process: string
  /** Settings ready to sign with, or why not (expiry out of range, a style missing from the bucket). */
  readonly settings: SignSettings | undefined
  readonly problem: ErrorInfo | undefined
  readonly protection: 'on' | 'off' | 'unknown' | undefined
  /** Source-image protection is on and the URL carries an ad-hoc `image/…` string. */
  readonly protectionWarning: boolean
}

const NO_STYLES: readonly BucketStyle[] = []

/** The bucket style a `style/NAME` value needs, when the bucket's styles are known and lack it. */
function missingStyle(process: string, styles: BucketStyles | undefined, bucket: string | undefined): ErrorInfo | undefined {
  const name = styleNameOf(process)
  if (name === undefined || styles?.status !== 'ready' || styles.styles.some((s) => s.name === name)) return undefined
  return {
    code: 'NoSuchStyle',
    status: 404,
    message: bucket ? i18n.t('sign.errors.noSuchStyleIn', { name, bucket }) : i18n.t('sign.errors.noSuchStyle', { name })
  }
}

interface Inputs {
  readonly activeId: string | undefined
  readonly profile: ProfileSummary | undefined
  readonly selectedKey: string | undefined
  readonly current: string
  readonly checked: readonly string[]
  readonly options: SignOptions
  readonly styles: BucketStyles | undefined
  readonly protection: Readonly<Record<string, ResponseOf<'sign:check'>>>
}

function targetOf({ activeId, profile, selectedKey, current, checked, options, styles, protection: probes }: Inputs): SignTarget {
  const fromChecked = checked.length > 0
  const keys = fromChecked ? checked : selectedKey ? [selectedKey] : []
  const match = matchingStyle(current, styles?.status === 'ready' ? styles.styles : NO_STYLES)
  const apply = effectiveApply(options.apply, match)
  const process = processFor(apply, current)
  const expiry = expirySeconds(options.expiry)
  const problem: ErrorInfo | undefined = 'error' in expiry ? { code: 'InvalidExpiry', message: i18n.t('sign.expiry.problem', { reason: i18n.t(expiry.error) }) } : missingStyle(process, styles, profile?.bucket)
  const settings: SignSettings | undefined =
    activeId && !problem && 'seconds' in expiry
      ? {
          profileId: activeId,
          process,
          expiresSeconds: expiry.seconds,
          version: options.version,
          useCustomDomain: profile?.customDomain ? options.useCustomDomain : undefined,
          fileName: keys.length === 1 ? options.fileName : ''
        }
      : undefined
  const protection = activeId && keys[0] !== undefined ? probes[protectionKey(activeId, keys[0])]?.sourceProtection : undefined
  return { profile, keys, fromChecked, styles, match, apply, process, settings, problem, protection, protectionWarning: protection === 'on' && isAdHoc(process) }
}

function activeProfile(profiles: Studio['profiles'], activeId: string | undefined): ProfileSummary | undefined {
  return 'data' in profiles && profiles.data ? profiles.data.list.find((p) => p.id === activeId) : undefined
}

/** The target as the stores hold it now (for event handlers that awaited fresher styles). */
export function currentSignTarget(): SignTarget {
  const studio = useStudio.getState()
  const remote = useSignRemote.getState()
  return targetOf({
    activeId: studio.activeId,
    profile: activeProfile(studio.profiles, studio.activeId),
    selectedKey: studio.selectedKey,
    current: getProcessString(),
    checked: getCheckedKeys(),
    options: useSignOptions.getState(),
    styles: studio.activeId ? remote.styles[studio.activeId] : undefined,
    protection: remote.protection
  })
}

export function useSignTarget(): SignTarget {
  const activeId = useStudio((s) => s.activeId)
  const profiles = useStudio((s) => s.profiles)
  const selectedKey = useStudio((s) => s.selectedKey)
  const current = useProcessString()
  const checked = useCheckedKeys()
  const options = useSignOptions()
  const styles = useSignRemote((s) => (activeId ? s.styles[activeId] : undefined))
  const protection = useSignRemote((s) => s.protection)
  // The problem's message is in the language shown: a switch builds the target again.
  const { language } = useTranslation().i18n

  useEffect(() => {
    if (activeId) void loadBucketStyles(activeId)
  }, [activeId])

  return useMemo(
    () => targetOf({ activeId, profile: activeProfile(profiles, activeId), selectedKey, current, checked, options, styles, protection }),
    [activeId, profiles, selectedKey, current, checked, options, styles, protection, language]
  )
}
