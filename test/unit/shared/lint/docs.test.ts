/**
 * Every lint rule links to a section of the IMG spec that exists: its anchor is one of the spec's
 * headings as GitHub anchors them. The spec lives beside the project (`../shared/spec`), as the
 * rules' links say; a checkout without it skips this check.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { headingAnchor, LINT_RULES, SPEC_PATH } from '../../../../src-shared/img/lint'

const spec = resolve(SPEC_PATH)

describe('lint rule docs', () => {
  it('anchor like GitHub', () => {
    expect(headingAnchor('3.13 `quality`')).toBe('313-quality')
    expect(headingAnchor('4. Chaining and evaluation model')).toBe('4-chaining-and-evaluation-model')
    expect(headingAnchor('3.14 `interlace` (渐进显示)')).toBe('314-interlace-渐进显示')
  })

  it.skipIf(!existsSync(spec))('name sections of the spec that exist', () => {
    const anchors = new Set(
      readFileSync(spec, 'utf8')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => headingAnchor(line.replace(/^#+ /, '')))
    )
    for (const rule of LINT_RULES) expect(anchors, rule.id).toContain(rule.doc.slice(`${SPEC_PATH}#`.length))
  })
})
