/**
 * @vitest-environment happy-dom
 *
 * The Links view's pure parts (src-renderer/src/links/store.ts): which keys a matrix is built for,
 * the filter, the expiry in seconds or at a date (1 s – 7 days), the `links:build` payload, and the
 * delimiter remembered per profile.
 */
import { describe, expect, it } from 'vitest'
import { asMatrix, buildRequest, chosenKeys, expirySeconds, saveDelimiter, savedDelimiter, useLinks, visibleKeys } from '../../src-renderer/src/links/store'

const base = () => ({ ...useLinks.getState(), listed: ['b.jpg', 'a.PNG', 'c.jpg'], selected: new Set(['c.jpg', 'b.jpg']), styles: ['thumb'], processes: ' image/resize,w_320 \n\n' })

describe('links store helpers', () => {
  it('keys: the listing order of the checked ones, or the pasted lines without duplicates', () => {
    expect(chosenKeys(base())).toEqual(['b.jpg', 'c.jpg'])
    expect(chosenKeys({ ...base(), source: 'pasted', pasted: ' x.jpg\n\ny.jpg\nx.jpg\n' })).toEqual(['x.jpg', 'y.jpg'])
    expect(visibleKeys(['b.jpg', 'a.PNG'], '.png')).toEqual(['a.PNG'])
  })

  it('expiry: whole seconds within 7 days, or a date in the next 7 days', () => {
    expect(expirySeconds({ expiryMode: 'seconds', expiresSeconds: '600', expiresAt: '' })).toEqual({ seconds: 600 })
    for (const bad of ['0', '604801', '1.5', 'abc', '']) expect(expirySeconds({ expiryMode: 'seconds', expiresSeconds: bad, expiresAt: '' })).toHaveProperty('error')
    const now = new Date('2026-12-07T10:00:00').getTime()
    expect(expirySeconds({ expiryMode: 'date', expiresSeconds: '', expiresAt: '2026-12-08T10:00' }, now)).toEqual({ seconds: 86_400 })
    expect(expirySeconds({ expiryMode: 'date', expiresSeconds: '', expiresAt: '2026-12-07T09:00' }, now)).toHaveProperty('error')
    expect(expirySeconds({ expiryMode: 'date', expiresSeconds: '', expiresAt: '2026-12-20T09:00' }, now)).toHaveProperty('error')
  })

  it('the links:build payload: styles then process strings; delimiter and sign only when used; the domain trimmed', () => {
    expect(buildRequest({ ...base(), signing: 'public', domain: '' }, 'p1')).toEqual({
      request: { profileId: 'p1', keys: ['b.jpg', 'c.jpg'], columns: [{ style: 'thumb' }, { process: 'image/resize,w_320' }], form: 'query' }
    })
    expect(buildRequest({ ...base(), form: 'delimiter', delimiter: '-', signing: 'v1', expiresSeconds: '60', domain: ' https://img.example.com ' }, 'p1')).toMatchObject({
      request: { form: 'delimiter', delimiter: '-', sign: { version: 'v1', expiresSeconds: 60 }, domain: 'https://img.example.com' }
    })
    expect(buildRequest({ ...base(), selected: new Set() }, 'p1')).toEqual({ error: 'Select at least one object.' })
    expect(buildRequest({ ...base(), styles: [], processes: '' }, 'p1')).toEqual({ error: 'Choose at least one style or enter a process string.' })
    expect(buildRequest({ ...base(), signing: 'v4', expiresSeconds: '0' }, 'p1')).toHaveProperty('error')
  })

  it('asMatrix: keys from the first column, checks attached by index', () => {
    const built = {
      columns: [{ label: 'a', process: 'style/a' }, { label: 'b', process: 'style/b' }],
      cells: ['k1', 'k2'].flatMap((key) => ['a', 'b'].map((style) => ({ key, style, form: 'query' as const, url: `u/${key}/${style}` })))
    }
    const m = asMatrix(built, [undefined, { status: 404, contentType: '', bytes: 0, code: 'NoSuchStyle' }])
    expect(m.keys).toEqual(['k1', 'k2'])
    expect(m.cells[1]!.check?.code).toBe('NoSuchStyle')
    expect(m.cells[2]!.check).toBeUndefined()
  })

  it('the delimiter is remembered per profile; anything else stored is ignored', () => {
    expect(savedDelimiter('p-delim')).toBeUndefined()
    saveDelimiter('p-delim', '-')
    expect(savedDelimiter('p-delim')).toBe('-')
    expect(savedDelimiter('p-other')).toBeUndefined()
    localStorage.setItem('oss-img-studio.links.delimiter.p-bad', '#')
    expect(savedDelimiter('p-bad')).toBeUndefined()
  })
})
