/**
 * Instant checks for the profile form, worded like the rest of the studio. Main (the vault)
 * checks everything again; its answer is shown as it is.
 */
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
  if (!name) errors.name = 'Give the profile a name.'
  else if (name.length > 64) errors.name = 'At most 64 characters.'

  const endpoint = draft.endpoint.trim()
  const region = draft.region.trim()
  if (!endpoint && !region) {
    errors.endpoint = 'Enter an endpoint or a region.'
    errors.region = 'Enter a region or an endpoint.'
  }
  if (endpoint && !ENDPOINT.test(endpoint)) errors.endpoint = 'Expected an origin such as https://oss-cn-hangzhou.aliyuncs.com (no path).'
  if (region && !REGION.test(region)) errors.region = 'Expected a region such as oss-cn-hangzhou or cn-hangzhou.'

  const bucket = draft.bucket.trim()
  if (!bucket) errors.bucket = 'Enter the default bucket.'
  else if (!BUCKET.test(bucket)) errors.bucket = '3–63 characters: lowercase letters, digits and hyphens; no hyphen at either end.'

  const keyId = draft.accessKeyId.trim()
  if (!editing && !keyId) errors.accessKeyId = 'Enter the AccessKey ID.'
  else if (keyId.length > 128) errors.accessKeyId = 'At most 128 characters.'

  if ((!editing || keyId) && !draft.accessKeySecret) errors.accessKeySecret = editing ? 'A new AccessKey ID needs its secret.' : 'Enter the AccessKey secret.'
  else if (draft.accessKeySecret.length > 256) errors.accessKeySecret = 'At most 256 characters.'

  if (draft.stsToken.length > 4096) errors.stsToken = 'At most 4096 characters.'
  const domain = draft.customDomain.trim()
  if (domain && !HOST.test(domain)) errors.customDomain = 'A host name only, such as img.example.com.'
  return errors
}
