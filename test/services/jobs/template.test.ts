import { describe, expect, it } from 'vitest'
import { JobError } from '../../../src-main/services/jobs'
import { keyParts, parseTemplate } from '../../../src-main/services/jobs/template'
import { folderPathProblem } from '../../../src-main/services/jobs/template'
import { outputFormatResolver } from '../../../src-main/services/jobs/output-format'

describe('key templates', () => {
  it('splits keys into dir, name and ext', () => {
    expect(keyParts('a/b/c.d.jpg')).toEqual({ dir: 'a/b', name: 'c.d', ext: 'jpg' })
    expect(keyParts('photo.PNG')).toEqual({ dir: '', name: 'photo', ext: 'PNG' })
    expect(keyParts('dir/.hidden')).toEqual({ dir: 'dir', name: '.hidden', ext: '' })
    expect(keyParts('noext')).toEqual({ dir: '', name: 'noext', ext: '' })
  })

  it('renders every placeholder', () => {
    const t = parseTemplate('out/{dir}/{name}-{style}.{format}|{ext}|{key}')
    expect(t.render({ key: 'photos/2024/a.jpg', style: 'thumb', format: 'webp' })).toBe('out/photos/2024/a-thumb.webp|jpg|photos/2024/a.jpg')
  })

  it('drops the slash after an empty {dir}', () => {
    const t = parseTemplate('{dir}/thumbs/{name}.{format}')
    expect(t.render({ key: 'a.png', style: 's', format: 'jpg' })).toBe('thumbs/a.jpg')
    expect(t.render({ key: 'x/a.png', style: 's', format: 'jpg' })).toBe('x/thumbs/a.jpg')
    expect(parseTemplate('t/{dir}/{name}').render({ key: 'a', style: 's', format: '' })).toBe('t/a')
  })

  it('refuses unknown placeholders, stray braces and constant templates', () => {
    expect(() => parseTemplate('{nam}.jpg')).toThrow(JobError)
    expect(() => parseTemplate('{name}.jpg}')).toThrow(/balanced braces/)
    expect(() => parseTemplate('fixed.jpg')).toThrow(/at least one placeholder/)
    expect(() => parseTemplate('')).toThrow(/empty/)
  })

  it('checks folder paths', () => {
    expect(folderPathProblem('a/b.jpg')).toBeUndefined()
    expect(folderPathProblem('../a.jpg')).toMatch(/\.\./)
    expect(folderPathProblem('/abs.jpg')).toMatch(/relative/)
    expect(folderPathProblem('a//b.jpg')).toMatch(/empty segments/)
    expect(folderPathProblem('a\\b.jpg')).toMatch(/backslash/)
  })

  it('knows the output format before reading pixels', () => {
    expect(outputFormatResolver('image/resize,w_10')('a.JPEG')).toBe('jpg')
    expect(outputFormatResolver('image/resize,w_10/format,webp')('a.png')).toBe('webp')
    expect(outputFormatResolver('image/format,gif')('a.png')).toBe('png')
    expect(outputFormatResolver('image/format,gif')('a.gif')).toBe('gif')
    expect(outputFormatResolver('image/info')('a.jpg')).toBe('json')
    expect(outputFormatResolver('image/resize,w_10')('a.unknown')).toBe('')
  })
})
