/**
 * Request bodies: the predefined entities and character references are decoded in one pass (so
 * `&amp;#65;` stays `&#65;`), references to non-characters make the body malformed, values stay
 * raw strings.
 */
import { describe, expect, it } from 'vitest'
import { decodeEntities, parseXml } from '../../src-main/sandbox/xml'

describe('request XML', () => {
  it('decodes character references and the predefined entities, once', () => {
    const parsed = parseXml('<Delete><Object><Key>照片/&#x4E2D;&#25991; &amp; &lt;b&gt; &quot;x&apos;&#13;.jpg</Key></Object><Quiet>true</Quiet></Delete>')
    expect(parsed).toEqual({ Delete: { Object: { Key: '照片/中文 & <b> "x\'\r.jpg' }, Quiet: 'true' } })
    expect(decodeEntities('&amp;#65; &amp;amp;')).toBe('&#65; &amp;')
    expect(decodeEntities('&#x1F600;&#65;')).toBe('😀A')
    expect(parseXml('<Key>0123</Key>')).toEqual({ Key: '0123' })
  })

  it('refuses references to what XML does not allow as a character', () => {
    for (const body of ['<Key>&#0;</Key>', '<Key>&#xD800;</Key>', '<Key>&#xFFFE;</Key>', '<Key>&#x110000;</Key>', '<Key>&#8;</Key>']) {
      expect(() => parseXml(body), body).toThrow(expect.objectContaining({ code: 'MalformedXML' }))
    }
  })
})
