/**
 * The style linter's rules, each with cases where it must speak and where it must not, through
 * the real parser and the shared geometry. Every automatic fix is a valid pipeline that no longer
 * triggers the rule on that step.
 */
import { describe, expect, it } from 'vitest'
import { hasErrors, LINT_RULES, lintPipeline, type LintFinding, type LintSource } from '../../../../src-shared/img/lint'
import { parseProcess, type Step } from '../../../../src-shared/img/process'

const steps = (process: string): readonly Step[] => {
  const parsed = parseProcess(process)
  if (parsed.kind !== 'image') throw new Error('not an image chain')
  return parsed.steps
}
const lint = (process: string, source?: LintSource) => lintPipeline({ steps: steps(process), source })
const ids = (process: string, source?: LintSource) => lint(process, source).map((f) => `${f.id}@${f.step}`)
const jpeg: LintSource = { width: 1200, height: 800, format: 'jpg', quality: 92 }
const png: LintSource = { width: 1200, height: 800, format: 'png' }

/** Applying the finding's fix removes that finding (and the fix parses). */
function expectFixResolves(finding: LintFinding, source?: LintSource) {
  expect(finding.fix, `${finding.id} has a fix`).toBeDefined()
  const after = lint(finding.fix!, source).filter((f) => f.id === finding.id)
  expect(after, `${finding.id} after ${finding.fix}`).toEqual([])
}

describe('the fixed rule ids', () => {
  it('are all there, each with a spec section', () => {
    expect(LINT_RULES.map((r) => r.id).slice(0, 7)).toEqual(['quality-no-effect', 'interlace-no-effect', 'circle-on-jpeg', 'overridden-step', 'upscale-blocked', 'crop-outside', 'relative-quality'])
    for (const rule of LINT_RULES) expect(rule.doc).toMatch(/^\.\.\/shared\/spec\/oss-img\.md#\S+$/)
    expect(new Set(LINT_RULES.map((r) => r.id)).size).toBe(LINT_RULES.length)
  })
})

describe('quality-no-effect', () => {
  it('speaks for PNG, BMP and GIF outputs, from a format step or the source', () => {
    expect(ids('image/quality,Q_80/format,png')).toContain('quality-no-effect@0')
    expect(ids('image/quality,Q_80/format,bmp')).toContain('quality-no-effect@0')
    expect(ids('image/resize,w_100/quality,Q_80', png)).toContain('quality-no-effect@1')
    expect(ids('image/quality,Q_80', { ...png, format: 'gif' })).toContain('quality-no-effect@0')
  })
  it('is silent for JPG and WebP outputs and when the output format is unknown', () => {
    expect(ids('image/quality,Q_80/format,webp')).not.toContain('quality-no-effect@0')
    expect(ids('image/quality,Q_80/format,jpg')).not.toContain('quality-no-effect@0')
    expect(ids('image/quality,Q_80')).not.toContain('quality-no-effect@0')
    expect(ids('image/quality,Q_80', jpeg)).toEqual([])
  })
  it('fixes by removing the step', () => {
    const finding = lint('image/resize,w_100/quality,Q_80/format,png').find((f) => f.id === 'quality-no-effect')!
    expect(finding.fix).toBe('image/resize,w_100/format,png')
    expectFixResolves(finding)
  })
})

describe('interlace-no-effect', () => {
  it('speaks for non-JPG outputs only', () => {
    expect(ids('image/interlace,1/format,webp')).toContain('interlace-no-effect@0')
    expect(ids('image/interlace,1', png)).toContain('interlace-no-effect@0')
    expect(ids('image/interlace,1/format,jpg')).not.toContain('interlace-no-effect@0')
    expect(ids('image/interlace,1', jpeg)).toEqual([])
    expect(ids('image/interlace,1')).toEqual([])
  })
  it('fixes by removing the step', () => {
    expectFixResolves(lint('image/resize,w_10/interlace,1/format,png').find((f) => f.id === 'interlace-no-effect')!)
  })
})

describe('circle-on-jpeg', () => {
  it('speaks for circle and rounded-corners with a JPG output', () => {
    expect(ids('image/circle,r_100', jpeg)).toEqual(['circle-on-jpeg@0'])
    expect(ids('image/rounded-corners,r_30/format,jpg')).toEqual(['circle-on-jpeg@0'])
  })
  it('is silent for PNG/WebP outputs and an unknown format', () => {
    expect(ids('image/circle,r_100/format,png')).toEqual([])
    expect(ids('image/circle,r_100', { ...jpeg, format: 'webp' })).toEqual([])
    expect(ids('image/circle,r_100')).toEqual([])
  })
  it('fixes with format,png: replacing the last format step, or adding one', () => {
    const added = lint('image/circle,r_100', jpeg)[0]!
    expect(added.fix).toBe('image/circle,r_100/format,png')
    expectFixResolves(added, jpeg)
    const replaced = lint('image/circle,r_100/format,jpg/resize,w_50')[0]!
    expect(replaced.fix).toBe('image/circle,r_100/format,png/resize,w_50')
  })
})

describe('overridden-step', () => {
  it('speaks for an earlier format, interlace and auto-orient that a later one replaces', () => {
    expect(ids('image/format,png/resize,w_10/format,webp')).toEqual(['overridden-step@0'])
    expect(ids('image/interlace,1/interlace,0/format,jpg')).toEqual(['overridden-step@0'])
    expect(ids('image/auto-orient,1/resize,w_10/auto-orient,0')).toEqual(['overridden-step@0'])
  })
  it("treats quality's q and Q as separate settings", () => {
    expect(ids('image/quality,Q_50/quality,Q_70/format,jpg')).toEqual(['overridden-step@0'])
    // A later q does not undo an earlier Q (Q wins over q wherever it is).
    expect(ids('image/quality,Q_50/quality,q_70/format,jpg').filter((id) => id.startsWith('overridden'))).toEqual([])
    expect(ids('image/quality,q_50,Q_60/quality,Q_70/format,jpg', jpeg).filter((id) => id.startsWith('overridden'))).toEqual([])
  })
  it('is silent for actions that are not settings, and for one step', () => {
    expect(ids('image/resize,w_10/resize,w_20')).toEqual([])
    expect(ids('image/format,png')).toEqual([])
  })
  it('fixes by removing the dead step', () => {
    const finding = lint('image/format,png/resize,w_10/format,webp')[0]!
    expect(finding.fix).toBe('image/resize,w_10/format,webp')
    expectFixResolves(finding)
  })
})

describe('upscale-blocked', () => {
  it('speaks when a resize with limit_1 would enlarge the image it receives', () => {
    expect(ids('image/resize,w_2000', jpeg)).toEqual(['upscale-blocked@0'])
    // After a first resize the second one sees 600x400.
    expect(ids('image/resize,w_600/resize,h_500', jpeg)).toEqual(['upscale-blocked@1'])
    expect(lint('image/resize,w_2000', jpeg)[0]!.message).toContain('stays 1200x800')
  })
  it('is silent with limit_0, for p (which ignores limit), for shrinking and without a source', () => {
    expect(ids('image/resize,w_2000,limit_0', jpeg)).toEqual([])
    expect(ids('image/resize,p_150', jpeg)).toEqual([])
    expect(ids('image/resize,w_600', jpeg)).toEqual([])
    expect(ids('image/resize,w_2000')).toEqual([])
  })
  it('sees the EXIF-oriented source (implicit auto-orient), unless auto-orient,0', () => {
    const rotated = { ...jpeg, orientation: 6 } // stored 1200x800, shown 800x1200
    expect(ids('image/resize,w_1000', rotated)).toEqual(['upscale-blocked@0'])
    expect(ids('image/auto-orient,0/resize,w_1000', rotated)).toEqual([])
  })
  it('fixes with limit_0; a GIF has no fix (never enlarged)', () => {
    const finding = lint('image/resize,w_2000', jpeg)[0]!
    expect(finding.fix).toBe('image/resize,w_2000,limit_0')
    expectFixResolves(finding, jpeg)
    const gif = lint('image/resize,w_2000,limit_0', { ...png, format: 'gif' })[0]!
    expect(gif.id).toBe('upscale-blocked')
    expect(gif.fix).toBeUndefined()
  })
})

describe('crop-outside', () => {
  it('is an error for a crop starting outside the image the steps before produce', () => {
    expect(lint('image/crop,x_1300,w_10', jpeg)).toMatchObject([{ id: 'crop-outside', severity: 'error', step: 0 }])
    expect(ids('image/resize,w_300/crop,y_250', jpeg)).toEqual(['crop-outside@1']) // 300x200 after the resize
    expect(hasErrors(lint('image/crop,x_1300', jpeg))).toBe(true)
  })
  it('knows the size without a source after m_fixed', () => {
    expect(ids('image/resize,m_fixed,w_100,h_100/crop,x_200')).toEqual(['crop-outside@1'])
    expect(ids('image/resize,m_fixed,w_100,h_100/crop,x_50')).toEqual([])
    expect(ids('image/crop,x_5000')).toEqual([])
  })
  it('warns for an indexcrop index past the last strip (the image comes back uncut)', () => {
    expect(lint('image/indexcrop,x_500,i_3', jpeg)).toMatchObject([{ id: 'crop-outside', severity: 'warning', step: 0 }])
    expect(lint('image/indexcrop,x_500,i_3', jpeg)[0]!.message).toContain('3 strips')
    expect(ids('image/indexcrop,x_500,i_2', jpeg)).toEqual([])
  })
  it('is silent for a crop inside the image', () => {
    expect(ids('image/crop,x_100,y_100,w_50,h_50', jpeg)).toEqual([])
    expect(ids('image/crop,g_se,x_10,y_10,w_50,h_50', jpeg)).toEqual([])
  })
})

describe('relative-quality', () => {
  it('speaks for q_ when the source quality is unknown or the source is not a JPEG', () => {
    expect(ids('image/quality,q_80/format,jpg')).toEqual(['relative-quality@0'])
    expect(ids('image/quality,q_80/format,jpg', png)).toEqual(['relative-quality@0'])
    expect(ids('image/quality,q_80', { ...jpeg, quality: undefined })).toEqual(['relative-quality@0'])
  })
  it('is silent for a JPEG of known quality, for Q_, and when Q_ is given beside q_', () => {
    expect(ids('image/quality,q_80', jpeg)).toEqual([])
    expect(ids('image/quality,Q_80/format,jpg')).toEqual([])
    expect(ids('image/quality,q_80,Q_70/format,jpg')).toEqual([])
  })
  it('fixes with Q_ of the same number', () => {
    const finding = lint('image/resize,w_10/quality,q_80/format,webp')[0]!
    expect(finding.fix).toBe('image/resize,w_10/quality,Q_80/format,webp')
    expectFixResolves(finding)
  })
})

describe('more rules from the spec', () => {
  it('gif-keeps-source-format: format,gif on a non-GIF source', () => {
    expect(ids('image/format,gif', jpeg)).toEqual(['gif-keeps-source-format@0'])
    expect(ids('image/format,gif', { ...png, format: 'gif' })).toEqual([])
    expect(ids('image/format,gif')).toEqual([])
  })
  it('ignored-size-param: l/s beside w/h, p beside any size', () => {
    expect(lint('image/resize,w_100,l_50')).toMatchObject([{ id: 'ignored-size-param', severity: 'info', fix: 'image/resize,w_100' }])
    expect(lint('image/resize,l_100,p_50')).toMatchObject([{ id: 'ignored-size-param', fix: 'image/resize,l_100' }])
    expect(ids('image/resize,l_100,s_50')).toEqual([])
    expect(ids('image/resize,p_50')).toEqual([])
  })
})

describe('lintPipeline', () => {
  it('orders findings by step, then severity, and never offers an empty pipeline as a fix', () => {
    const findings = lint('image/quality,q_80/crop,x_5000', png)
    expect(findings.map((f) => `${f.step}:${f.severity}`)).toEqual(['0:warning', '0:warning', '1:error'])
    // Removing the only step would leave no pipeline.
    const only = lint('image/quality,Q_80', png)
    expect(only.map((f) => f.id)).toEqual(['quality-no-effect'])
    expect(only[0]!.fix).toBeUndefined()
  })
})
