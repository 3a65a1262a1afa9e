/**
 * Links into the IMG spec by heading, as GitHub anchors them (lower case, punctuation dropped,
 * spaces to hyphens): `specSection('3.13 `quality`')` → `../shared/spec/oss-img.md#313-quality`.
 * The heading text is kept as written in the spec, so a test can check every rule's section exists.
 */
export const SPEC_PATH = '../shared/spec/oss-img.md'

export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

export function specSection(heading: string): string {
  return `${SPEC_PATH}#${headingAnchor(heading)}`
}
