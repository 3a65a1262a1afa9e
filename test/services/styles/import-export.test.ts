/** Export → import round trips (one style, many), conflict options, malformed files. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { STYLE_EXPORT_FORMAT } from '../../../src-shared/model/style'
import { StyleLibraryError } from '../../../src-main/services/styles'
import { failure, filesUnder, makeBed, type Bed } from './helpers'

let source: Bed
let target: Bed

beforeEach(async () => {
  source = await makeBed()
  target = await makeBed()
  await source.library.save({ name: 'thumb', process: 'image/resize,w_100', description: 'Thumbnails', sampleKeys: ['a.jpg', 'b.png'] })
  await source.library.save({ name: 'Banner', process: 'image/resize,m_fill,w_1200,h_400/quality,q_85' })
  await source.library.save({ name: 'mark', process: 'image/watermark,text_5L2g5aW9,g_se,x_10,y_10' })
})

afterEach(async () => {
  await source.close()
  await target.close()
})

const contentOf = (doc: { name: string; process: string; description?: string | undefined; sampleKeys?: string[] | undefined }) => ({ name: doc.name, process: doc.process, description: doc.description, sampleKeys: doc.sampleKeys })

describe('export', () => {
  it('exports one style as a format-tagged JSON file', async () => {
    const json = await source.library.exportStyles(['thumb'])
    expect(json.endsWith('\n')).toBe(true)
    expect(JSON.parse(json)).toEqual({
      format: STYLE_EXPORT_FORMAT,
      version: 1,
      exportedAt: expect.any(String),
      styles: [{ name: 'thumb', process: 'image/resize,w_100', description: 'Thumbnails', sampleKeys: ['a.jpg', 'b.png'] }]
    })
  })

  it('exports every style when no names are given, sorted; a missing name fails', async () => {
    expect(JSON.parse(await source.library.exportStyles()).styles.map((s: { name: string }) => s.name)).toEqual(['Banner', 'mark', 'thumb'])
    expect(await failure(source.library.exportStyles(['thumb', 'nope']))).toMatchObject({ code: 'StyleNotFound' })
  })
})

describe('round trip', () => {
  it('one style', async () => {
    const report = await target.library.importStyles(await source.library.exportStyles(['mark']), { onConflict: 'skip' })
    expect(report).toEqual({ imported: ['mark'], overwritten: [], renamed: [], skipped: [], unchanged: [], failed: [] })
    expect(contentOf(await target.library.get('mark'))).toEqual(contentOf(await source.library.get('mark')))
  })

  it('many styles', async () => {
    const report = await target.library.importStyles(await source.library.exportStyles(), { onConflict: 'skip' })
    expect(report.imported).toEqual(['Banner', 'mark', 'thumb'])
    const [a, b] = [await source.library.list(), await target.library.list()]
    expect(b.styles.map(contentOf)).toEqual(a.styles.map(contentOf))
    // Imported styles are new documents: own id, version 1.
    expect(b.styles.every((s) => s.history.length === 1)).toBe(true)
    // Importing the same file again changes nothing.
    expect(await target.library.importStyles(await source.library.exportStyles(), { onConflict: 'overwrite' })).toMatchObject({ imported: [], unchanged: ['Banner', 'mark', 'thumb'] })
  })
})

describe('conflicts', () => {
  beforeEach(async () => {
    await target.library.save({ name: 'thumb', process: 'image/resize,w_64' })
  })

  it('skip: keeps the local style', async () => {
    const report = await target.library.importStyles(await source.library.exportStyles(), { onConflict: 'skip' })
    expect(report).toMatchObject({ imported: ['Banner', 'mark'], skipped: ['thumb'] })
    expect((await target.library.get('thumb')).process).toBe('image/resize,w_64')
  })

  it('overwrite: the imported content becomes a new version; the old one stays in the history', async () => {
    const report = await target.library.importStyles(await source.library.exportStyles(['thumb']), { onConflict: 'overwrite' })
    expect(report).toMatchObject({ imported: ['thumb'], overwritten: ['thumb'] })
    const doc = await target.library.get('thumb')
    expect(doc).toMatchObject({ process: 'image/resize,w_100', description: 'Thumbnails', sampleKeys: ['a.jpg', 'b.png'] })
    expect(doc.history.map((v) => v.process)).toEqual(['image/resize,w_64', 'image/resize,w_100'])
  })

  it('rename: imported under name-2 (then -3), avoiding names in the file', async () => {
    const first = await target.library.importStyles(await source.library.exportStyles(['thumb']), { onConflict: 'rename' })
    expect(first).toMatchObject({ imported: ['thumb-2'], renamed: [{ from: 'thumb', to: 'thumb-2' }] })
    expect((await target.library.get('thumb')).process).toBe('image/resize,w_64')
    expect((await target.library.get('thumb-2')).process).toBe('image/resize,w_100')
    // Same content again under "thumb" is a different conflict: thumb-2 is taken too.
    await target.library.save({ name: 'thumb-2', process: 'image/rotate,5' })
    const second = await target.library.importStyles(await source.library.exportStyles(['thumb']), { onConflict: 'rename' })
    expect(second.renamed).toEqual([{ from: 'thumb', to: 'thumb-3' }])

    const file = JSON.stringify({ format: STYLE_EXPORT_FORMAT, version: 1, styles: [{ name: 'x', process: 'image/rotate,1' }, { name: 'x-2', process: 'image/rotate,2' }] })
    await target.library.save({ name: 'x', process: 'image/rotate,9' })
    const third = await target.library.importStyles(file, { onConflict: 'rename' })
    expect(third).toMatchObject({ imported: ['x-3', 'x-2'], renamed: [{ from: 'x', to: 'x-3' }] })
  })

  it('rename keeps within 63 characters', async () => {
    const long = 'n'.repeat(63)
    await target.library.save({ name: long, process: 'image/rotate,1' })
    const file = JSON.stringify({ format: STYLE_EXPORT_FORMAT, version: 1, styles: [{ name: long, process: 'image/rotate,2' }] })
    const report = await target.library.importStyles(file, { onConflict: 'rename' })
    expect(report.renamed).toEqual([{ from: long, to: `${'n'.repeat(61)}-2` }])
  })

  it('identical content is "unchanged" under every option', async () => {
    await target.library.save({ name: 'thumb', process: 'image/resize,w_100', description: 'Thumbnails' })
    for (const onConflict of ['skip', 'overwrite', 'rename'] as const) {
      expect(await target.library.importStyles(await source.library.exportStyles(['thumb']), { onConflict })).toMatchObject({ imported: [], unchanged: ['thumb'] })
    }
  })

  it('an unreadable local style: skip skips, overwrite reports it as failed, rename works', async () => {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${target.library.directory}/thumb.json`, 'not json')
    const json = await source.library.exportStyles(['thumb'])
    expect(await target.library.importStyles(json, { onConflict: 'skip' })).toMatchObject({ skipped: ['thumb'] })
    const overwrite = await target.library.importStyles(json, { onConflict: 'overwrite' })
    expect(overwrite.failed).toEqual([{ name: 'thumb', error: expect.objectContaining({ code: 'StyleUnreadable' }) }])
    expect(await target.library.importStyles(json, { onConflict: 'rename' })).toMatchObject({ renamed: [{ from: 'thumb', to: 'thumb-2' }] })
  })
})

describe('malformed files', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"format": "oss-img-studio/styles", ', /not valid JSON/],
    ['another format', '{"format":"acme/presets","version":1,"styles":[]}', /not an OSS IMG Studio styles file/],
    ['a newer version', `{"format":"${STYLE_EXPORT_FORMAT}","version":2,"styles":[]}`, /written by a newer OSS IMG Studio/],
    ['styles not an array', `{"format":"${STYLE_EXPORT_FORMAT}","version":1,"styles":{}}`, /styles: Invalid input/],
    ['a bad name among good styles', `{"format":"${STYLE_EXPORT_FORMAT}","version":1,"styles":[{"name":"fine","process":"image/rotate,90"},{"name":"a/b","process":"image/rotate,90"}]}`, /styles\[1\]\.name: The value: a\/b of parameter: stylename is invalid\./],
    ['a bad process among good styles', `{"format":"${STYLE_EXPORT_FORMAT}","version":1,"styles":[{"name":"fine","process":"image/rotate,90"},{"name":"b","process":"image/resize,w_0"}]}`, /styles\[1\]\.process: resize: expected an integer between 1 and 16384 for w/],
    ['a name twice', `{"format":"${STYLE_EXPORT_FORMAT}","version":1,"styles":[{"name":"a","process":"image/rotate,90"},{"name":"a","process":"image/rotate,9"}]}`, /expected each name once/]
  ]

  it.each(cases)('%s: a clear InvalidStyleFile error, nothing changed', async (_label, json, pattern) => {
    await target.library.save({ name: 'fine', process: 'image/rotate,180' })
    const before = await filesUnder(target.dataDir)
    const beforeDoc = await target.library.get('fine')
    const error = await failure(target.library.importStyles(json, { onConflict: 'overwrite' }))
    expect(error).toBeInstanceOf(StyleLibraryError)
    expect(error).toMatchObject({ code: 'InvalidStyleFile', status: 400 })
    expect(error.message).toMatch(pattern)
    expect(error.message).toMatch(/nothing was imported$/)
    expect(await filesUnder(target.dataDir)).toEqual(before)
    expect(await target.library.get('fine')).toEqual(beforeDoc)
  })

  it('an unknown conflict option is refused', async () => {
    expect(await failure(target.library.importStyles(await source.library.exportStyles(), { onConflict: 'merge' as 'skip' }))).toMatchObject({ code: 'InvalidArgument' })
  })
})
