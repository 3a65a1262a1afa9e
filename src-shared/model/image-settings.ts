/**
 * A bucket's IMG settings as OSS's console holds them (spec oss-img.md §7) — the style delimiter
 * and source-image protection (原图保护) — shared by the sandbox, the CLI and the studio's
 * sandbox settings. OSS has no API for them; the sandbox keeps them per bucket.
 */

/** The characters OSS allows between an object key and a style name (`photo.jpg!thumb`). */
export const STYLE_DELIMITERS = ['-', '_', '/', '!'] as const
export type StyleDelimiter = (typeof STYLE_DELIMITERS)[number]

/** Bucket ACLs (PutBucketACL's `x-oss-acl`). */
export const BUCKET_ACLS = ['private', 'public-read', 'public-read-write'] as const

/** OSS allows up to 10 protection rules per bucket. */
export const MAX_PROTECTION_RULES = 10

/** Objects a protection rule covers: keys starting with `prefix` and ending with `suffix` (either may be empty). */
export interface ProtectionRule {
  readonly prefix: string
  readonly suffix: string
}

export interface ImageSettings {
  /** `<key><delimiter><style>` serves the style; absent = only `?x-oss-process=style/NAME`. */
  readonly styleDelimiter?: StyleDelimiter | undefined
  /** Source-image protection: anonymous requests may only read covered objects through styles. */
  readonly sourceProtection?: boolean | undefined
  /** Which objects protection covers; none = every object of the bucket. */
  readonly protectionRules?: readonly ProtectionRule[] | undefined
  /** Rules match keys case-insensitively. */
  readonly protectionIgnoreCase?: boolean | undefined
}

/** A change to settings: absent = keep, `null` = clear. */
export type ImageSettingsPatch = { -readonly [K in keyof ImageSettings]?: ImageSettings[K] | null }

export function isStyleDelimiter(value: unknown): value is StyleDelimiter {
  return typeof value === 'string' && (STYLE_DELIMITERS as readonly string[]).includes(value)
}

/**
 * A rule written as a pattern with at most one `*`: `*.jpg` (suffix), `photos/*` (prefix),
 * `photos/*.jpg` (both), `photos/` (a prefix, no `*`). Throws a message naming the pattern.
 */
export function parseProtectionRule(pattern: string): ProtectionRule {
  const parts = pattern.split('*')
  if (pattern === '' || pattern === '*' || parts.length > 2) {
    throw new Error(`protection rule: expected PREFIX*SUFFIX (one "*" at most, not empty) but received ${JSON.stringify(pattern)}`)
  }
  return { prefix: parts[0] ?? '', suffix: parts[1] ?? '' }
}

export function formatProtectionRule(rule: ProtectionRule): string {
  return rule.suffix === '' ? `${rule.prefix}*` : `${rule.prefix}*${rule.suffix}`
}

/** Is `key` covered by the bucket's source-image protection? */
export function isProtectedKey(settings: ImageSettings, key: string): boolean {
  if (settings.sourceProtection !== true) return false
  const rules = settings.protectionRules ?? []
  if (rules.length === 0) return true
  const fold = settings.protectionIgnoreCase === true ? (s: string) => s.toLowerCase() : (s: string) => s
  const subject = fold(key)
  return rules.some((rule) => subject.startsWith(fold(rule.prefix)) && subject.endsWith(fold(rule.suffix)) && subject.length >= rule.prefix.length + rule.suffix.length)
}

/** The settings' problems (empty when valid): a bad delimiter, too many or empty rules. */
export function imageSettingsProblems(settings: ImageSettings): string[] {
  const problems: string[] = []
  if (settings.styleDelimiter !== undefined && !isStyleDelimiter(settings.styleDelimiter)) {
    problems.push(`styleDelimiter: expected one of ${STYLE_DELIMITERS.join(' ')} but received ${JSON.stringify(settings.styleDelimiter)}`)
  }
  const rules = settings.protectionRules ?? []
  if (rules.length > MAX_PROTECTION_RULES) problems.push(`protectionRules: expected at most ${MAX_PROTECTION_RULES} rules but received ${rules.length}`)
  rules.forEach((rule, i) => {
    if (rule.prefix === '' && rule.suffix === '') problems.push(`protectionRules[${i}]: expected a prefix or a suffix but received neither`)
  })
  return problems
}
