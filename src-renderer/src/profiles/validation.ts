/**
 * Instant checks for the profile form, worded like the rest of the studio. Main (the vault)
 * checks everything again; its answer is shown as it is.
 */
import { i18n } from '../i18n'

export interface ProfileDraft {
  name: string
  endpoint: string
  region: string
  bucket: string
  accessKeyId: string
  accessKeySecret: string
  stsToken: string
  customDomain: string
}

export type DraftErrors = Partial<Record<keyof ProfileDraft, string>>

export const EMPTY_DRAFT: ProfileDraft = { name: '', endpoint: '', region: '', bucket: '', accessKeyId: '', accessKeySecret: '', stsToken: '', customDomain: '' }

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/
const ENDPOINT = /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?\/?$/
const REGION = /^(oss-)?[a-z]{2,}-[a-z0-9-]+$/
const HOST = /^(?=.{1,253}$)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/

/** `editing`: secrets may stay blank (kept), unless the access key id changes. */
export function validateDraft(draft: ProfileDraft, editing: boolean): DraftErrors {
  const errors: DraftErrors = {}
  const name = draft.name.trim()
  if (!name) errors.name = i18n.t('profiles.validation.name')
  else if (name.length > 64) errors.name = i18n.t('profiles.validation.max', { count: 64 })

  const endpoint = draft.endpoint.trim()
  const region = draft.region.trim()
  if (!endpoint && !region) {
    errors.endpoint = i18n.t('profiles.validation.endpointOrRegion')
    errors.region = i18n.t('profiles.validation.regionOrEndpoint')
  }
  if (endpoint && !ENDPOINT.test(endpoint)) errors.endpoint = i18n.t('profiles.validation.endpoint')
  if (region && !REGION.test(region)) errors.region = i18n.t('profiles.validation.region')

  const bucket = draft.bucket.trim()
  if (!bucket) errors.bucket = i18n.t('profiles.validation.bucketMissing')
  else if (!BUCKET.test(bucket)) errors.bucket = i18n.t('profiles.validation.bucket')

  const keyId = draft.accessKeyId.trim()
  if (!editing && !keyId) errors.accessKeyId = i18n.t('profiles.validation.keyId')
  else if (keyId.length > 128) errors.accessKeyId = i18n.t('profiles.validation.max', { count: 128 })

  if ((!editing || keyId) && !draft.accessKeySecret) errors.accessKeySecret = editing ? i18n.t('profiles.validation.newKeySecret') : i18n.t('profiles.validation.secret')
  else if (draft.accessKeySecret.length > 256) errors.accessKeySecret = i18n.t('profiles.validation.max', { count: 256 })

  if (draft.stsToken.length > 4096) errors.stsToken = i18n.t('profiles.validation.max', { count: 4096 })
  const domain = draft.customDomain.trim()
  if (domain && !HOST.test(domain)) errors.customDomain = i18n.t('profiles.validation.domain')
  return errors
}
