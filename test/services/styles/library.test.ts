/**
 * The style library on a real temp folder: save/get/list, OSS rules, canonical storage, history
 * and revert, rename/duplicate/delete/restore, concurrency, corrupted files, migration on read.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImgError } from '../../../src-shared/img/errors'
import { MAX_STYLE_VERSIONS } from '../../../src-shared/model/style'
import { StyleLibraryError } from '../../../src-main/services/styles'
import { failure, filesUnder, makeBed, type Bed } from './helpers'

let bed: Bed

beforeEach(async () => {
  bed = await makeBed()
})

afterEach(async () => {
  await bed.close()
})

describe('save, get, list', () => {
  it('saves a new style as version 1 and reads it back, also from a new instance', async () => {
    const { document, change } = await bed.library.save({ name: 'thumb', process: 'image/resize,w_100', description: 'List thumbnails', sampleKeys: ['a.jpg'] })
    expect(change).toBe('created')
    expect(document).toMatchObject({ schemaVersion: 1, id: 'id-1', name: 'thumb', process: 'image/resize,w_100', description: 'List thumbnails', sampleKeys: ['a.jpg'] })
    expect(document.createdAt).toBe(document.updatedAt)
    expect(document.history).toEqual([{ version: 1, process: 'image/resize,w_100', description: 'List thumbnails', savedAt: document.createdAt }])
    expect(await bed.library.get('thumb')).toEqual(document)
    expect(await bed.reopen().get('thumb')).toEqual(document)
    expect(await filesUnder(bed.library.directory)).toEqual(['thumb.json'])
    expect(JSON.parse(await readFile(join(bed.dataDir, 'styles', 'thumb.json'), 'utf8'))).toEqual(document)
  })

  it('lists styles sorted by name; an empty library lists nothing', async () => {
    expect(await bed.library.list()).toEqual({ styles: [], broken: [] })
    for (const name of ['b', 'a', 'c-1']) await bed.library.save({ name, process: 'image/rotate,90' })
    const { styles, broken } = await bed.library.list()
    expect(styles.map((s) => s.name)).toEqual(['a', 'b', 'c-1'])
    expect(broken).toEqual([])
  })

  it('get() of a missing style is StyleNotFound; find() gives undefined', async () => {
    const error = await failure(bed.library.get('nope'))
    expect(error).toBeInstanceOf(StyleLibraryError)
    expect(error).toMatchObject({ code: 'StyleNotFound', status: 404, message: 'style: no style named "nope" in the library' })
    expect(await bed.library.find('nope')).toBeUndefined()
  })

  it('keeps description and sample keys when omitted, removes them with null', async () => {
    await bed.library.save({ name: 's', process: 'image/rotate,90', description: 'd', sampleKeys: ['k'] })
    const kept = await bed.library.save({ name: 's', process: 'image/rotate,180' })
    expect(kept.document).toMatchObject({ description: 'd', sampleKeys: ['k'] })
    const cleared = await bed.library.save({ name: 's', process: 'image/rotate,180', description: null, sampleKeys: null })
    expect(cleared.document.description).toBeUndefined()
    expect(cleared.document.sampleKeys).toBeUndefined()
  })

  it('a save equal to the current document is a no-op; sample keys alone do not make a version', async () => {
    const first = await bed.library.save({ name: 's', process: 'image/rotate,90' })
    const again = await bed.library.save({ name: 's', process: 'image/rotate,90' })
    expect(again).toEqual({ document: first.document, change: 'unchanged' })
    const keys = await bed.library.save({ name: 's', process: 'image/rotate,90', sampleKeys: ['x.png'] })
    expect(keys.change).toBe('updated')
    expect(keys.document.history).toHaveLength(1)
    expect(keys.document.updatedAt > first.document.updatedAt).toBe(true)
  })

  it('names differing only in case are different styles (and different files)', async () => {
    await bed.library.save({ name: 'Thumb', process: 'image/rotate,90' })
    await bed.library.save({ name: 'thumb', process: 'image/rotate,180' })
    expect((await bed.library.get('Thumb')).process).toBe('image/rotate,90')
    expect((await bed.library.get('thumb')).process).toBe('image/rotate,180')
    expect(await filesUnder(bed.library.directory)).toEqual(['^Thumb.json', 'thumb.json'])
  })

  it('stores the names ".", ".." and Windows device names inside the library folder', async () => {
    for (const name of ['.', '..', 'con', 'NUL.x', '.trash', '__proto__']) await bed.library.save({ name, process: 'image/rotate,90' })
    expect(await filesUnder(bed.library.directory)).toEqual(['...json', '..json', '.trash.json', '^N^U^L.x.json', '__proto__.json', '~con.json'])
    expect((await bed.library.list()).styles.map((s) => s.name)).toEqual(['.', '..', '.trash', 'NUL.x', '__proto__', 'con'])
    await bed.library.delete('..')
    expect((await bed.library.list()).styles.map((s) => s.name)).toEqual(['.', '.trash', 'NUL.x', '__proto__', 'con'])
  })
})

describe('OSS rules', () => {
  it.each([
    ['', '0017-00000250'],
    ['x'.repeat(64), '0017-00000250'],
    ['缩略图', '0017-00000251'],
    ['a/b', '0017-00000251'],
    ['a b', '0017-00000251'],
    ['../etc', '0017-00000251']
  ])('refuses the name %j with EC %s and OSS’s message, writing nothing', async (name, ec) => {
    const error = await failure(bed.library.save({ name, process: 'image/resize,w_100' }))
    expect(error).toBeInstanceOf(ImgError)
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec, message: `The value: ${name} of parameter: stylename is invalid.` })
    expect(await filesUnder(bed.dataDir)).toEqual([])
  })

  it('accepts 1 and 63 characters of [A-Za-z0-9_.-]', async () => {
    await bed.library.save({ name: 'a', process: 'image/rotate,90' })
    await bed.library.save({ name: `Az09_.-${'x'.repeat(56)}`, process: 'image/rotate,90' })
    expect((await bed.library.list()).styles).toHaveLength(2)
  })

  it('checks names in every operation', async () => {
    for (const op of [() => bed.library.get('a b'), () => bed.library.delete('a b'), () => bed.library.rename('a', 'a b'), () => bed.library.duplicate('a', ''), () => bed.library.history('é'), () => bed.library.revert('é', 1)]) {
      expect(await failure(op())).toBeInstanceOf(ImgError)
    }
  })

  it('an invalid process is the parser’s error (status, EC, span)', async () => {
    const error = await failure(bed.library.save({ name: 's', process: 'image/resize,w_0' }))
    expect(error).toBeInstanceOf(ImgError)
    expect(error).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0040-00000312', message: 'resize: expected an integer between 1 and 16384 for w but received "0"', span: { start: 13, end: 16 } })
    expect(await failure(bed.library.save({ name: 's', process: 'image/' }))).toMatchObject({ ec: '0040-00000212' })
    expect(await filesUnder(bed.dataDir)).toEqual([])
  })

  it('a style must be an image/ chain without saveas', async () => {
    for (const process of ['resize,w_100', 'style/other', '']) {
      const error = await failure(bed.library.save({ name: 's', process }))
      expect(error).toBeInstanceOf(ImgError)
      expect(error.message).toBe(`style: expected a process string starting with "image/" but received ${JSON.stringify(process)}`)
    }
    expect(await failure(bed.library.save({ name: 's', process: 'image/resize,p_50|sys/saveas,o_YS5qcGc' }))).toMatchObject({ code: 'InvalidArgument', message: 'style: expected no sys/saveas in a style but received "|sys/saveas,o_YS5qcGc"' })
  })

  it('stores the canonical form', async () => {
    const { document } = await bed.library.save({ name: 's', process: 'image/resize,w_1,w_100,color_ff00aa,m_pad' })
    expect(document.process).toBe('image/resize,m_pad,w_100,color_FF00AA')
    // An equivalent spelling is the same content: no new version.
    expect((await bed.library.save({ name: 's', process: 'image/resize,color_FF00AA,w_100,m_pad' })).change).toBe('unchanged')
  })

  it('bounds description and sample keys', async () => {
    expect(await failure(bed.library.save({ name: 's', process: 'image/rotate,90', description: 'x'.repeat(1025) }))).toMatchObject({ code: 'InvalidArgument', status: 400 })
    expect(await failure(bed.library.save({ name: 's', process: 'image/rotate,90', sampleKeys: [''] }))).toMatchObject({ code: 'InvalidArgument' })
  })
})

describe('history and revert', () => {
  it('keeps every saved version; revert makes a new version equal to the old one', async () => {
    await bed.library.save({ name: 's', process: 'image/resize,w_100', description: 'first' })
    await bed.library.save({ name: 's', process: 'image/resize,w_200' })
    await bed.library.save({ name: 's', process: 'image/resize,w_300', description: 'third' })
    const history = await bed.library.history('s')
    expect(history.map((v) => [v.version, v.process, v.description])).toEqual([
      [1, 'image/resize,w_100', 'first'],
      [2, 'image/resize,w_200', 'first'],
      [3, 'image/resize,w_300', 'third']
    ])
    expect(new Set(history.map((v) => v.savedAt)).size).toBe(3)

    const reverted = await bed.library.revert('s', 1)
    expect(reverted).toMatchObject({ process: 'image/resize,w_100', description: 'first' })
    expect((await bed.library.history('s')).map((v) => [v.version, v.process])).toEqual([
      [1, 'image/resize,w_100'],
      [2, 'image/resize,w_200'],
      [3, 'image/resize,w_300'],
      [4, 'image/resize,w_100']
    ])
    // Reverting to the current content changes nothing.
    expect(await bed.library.revert('s', 4)).toEqual(reverted)
    expect(await bed.library.history('s')).toHaveLength(4)
  })

  it('revert to an unknown version is StyleVersionNotFound', async () => {
    await bed.library.save({ name: 's', process: 'image/rotate,90' })
    expect(await failure(bed.library.revert('s', 7))).toMatchObject({ code: 'StyleVersionNotFound', status: 404, message: 'style "s": expected a version in the history (1-1) but received 7' })
    expect(await failure(bed.library.revert('missing', 1))).toMatchObject({ code: 'StyleNotFound' })
  })

  it(`keeps at most ${MAX_STYLE_VERSIONS} versions, dropping the oldest`, async () => {
    for (let w = 1; w <= MAX_STYLE_VERSIONS + 5; w++) await bed.library.save({ name: 's', process: `image/resize,w_${w}` })
    const history = await bed.library.history('s')
    expect(history).toHaveLength(MAX_STYLE_VERSIONS)
    expect(history[0]).toMatchObject({ version: 6, process: 'image/resize,w_6' })
    expect(history.at(-1)).toMatchObject({ version: MAX_STYLE_VERSIONS + 5 })
    expect(await failure(bed.library.revert('s', 5))).toMatchObject({ code: 'StyleVersionNotFound' })
  })

  it('concurrent saves to one name are serialized: every version is kept, the last one is current', async () => {
    const processes = Array.from({ length: 20 }, (_, i) => `image/resize,w_${i + 1}`)
    const results = await Promise.all(processes.map((process) => bed.library.save({ name: 'hot', process })))
    expect(results.every((r) => r.change !== 'unchanged')).toBe(true)
    const history = await bed.library.history('hot')
    expect(history.map((v) => v.version)).toEqual(processes.map((_, i) => i + 1))
    expect(history.map((v) => v.process).sort()).toEqual([...processes].sort())
    const current = await bed.library.get('hot')
    expect(processes).toContain(current.process)
    expect(current.process).toBe(history.at(-1)!.process)
    // Two instances on one data dir share the queue too.
    const other = bed.reopen()
    await Promise.all([bed.library.save({ name: 'hot', process: 'image/rotate,1' }), other.save({ name: 'hot', process: 'image/rotate,2' })])
    expect(await bed.library.history('hot')).toHaveLength(22)
    expect(await filesUnder(bed.library.directory)).toEqual(['hot.json'])
  })
})

describe('rename, duplicate, delete, restore', () => {
  it('rename keeps id and history; the old name is gone', async () => {
    await bed.library.save({ name: 'a', process: 'image/rotate,90' })
    await bed.library.save({ name: 'a', process: 'image/rotate,180' })
    const before = await bed.library.get('a')
    const renamed = await bed.library.rename('a', 'B')
    expect(renamed).toMatchObject({ id: before.id, name: 'B', process: 'image/rotate,180', history: before.history })
    expect(await bed.library.find('a')).toBeUndefined()
    expect(await bed.library.get('B')).toEqual(renamed)
    expect(await filesUnder(bed.library.directory)).toEqual(['^B.json'])
  })

  it('rename refuses a taken name and a missing source', async () => {
    await bed.library.save({ name: 'a', process: 'image/rotate,90' })
    await bed.library.save({ name: 'b', process: 'image/rotate,180' })
    expect(await failure(bed.library.rename('a', 'b'))).toMatchObject({ code: 'StyleAlreadyExists', status: 409 })
    expect(await failure(bed.library.rename('zz', 'c'))).toMatchObject({ code: 'StyleNotFound' })
    expect((await bed.library.get('b')).process).toBe('image/rotate,180')
    expect(await bed.library.rename('a', 'a')).toEqual(await bed.library.get('a'))
  })

  it('duplicate makes a new style with a new id and a fresh history', async () => {
    await bed.library.save({ name: 'a', process: 'image/rotate,90', description: 'd', sampleKeys: ['k.jpg'] })
    await bed.library.save({ name: 'a', process: 'image/rotate,180' })
    const copy = await bed.library.duplicate('a', 'a-copy')
    expect(copy).toMatchObject({ name: 'a-copy', process: 'image/rotate,180', description: 'd', sampleKeys: ['k.jpg'] })
    expect(copy.id).not.toBe((await bed.library.get('a')).id)
    expect(copy.history.map((v) => v.version)).toEqual([1])
    expect(await failure(bed.library.duplicate('a', 'a-copy'))).toMatchObject({ code: 'StyleAlreadyExists' })
    expect(await failure(bed.library.duplicate('nope', 'x'))).toMatchObject({ code: 'StyleNotFound' })
  })

  it('delete moves the style (with its history) to the trash; restore brings back the latest', async () => {
    await bed.library.save({ name: 's', process: 'image/rotate,90' })
    await bed.library.save({ name: 's', process: 'image/rotate,180' })
    const original = await bed.library.get('s')
    await bed.library.delete('s')
    expect(await bed.library.find('s')).toBeUndefined()
    expect((await bed.library.list()).styles).toEqual([])
    expect(await bed.library.listTrash()).toEqual([{ name: 's', deletedAt: expect.any(String) }])

    await bed.library.save({ name: 's', process: 'image/rotate,270' })
    expect(await failure(bed.library.restore('s'))).toMatchObject({ code: 'StyleAlreadyExists' })
    await bed.library.delete('s')
    expect((await bed.library.listTrash()).map((e) => e.name)).toEqual(['s', 's'])
    const restored = await bed.library.restore('s')
    expect(restored.process).toBe('image/rotate,270')
    // The latest deletion came back; the older one is still there, with its history.
    await bed.library.rename('s', 't')
    expect(await bed.library.restore('s')).toEqual({ ...original })
    expect(await bed.library.listTrash()).toEqual([])
    expect(await failure(bed.library.delete('missing'))).toMatchObject({ code: 'StyleNotFound' })
    expect(await failure(bed.library.restore('missing'))).toMatchObject({ code: 'StyleNotInTrash', status: 404 })
  })

  it('two deletions in the same millisecond: the later one is restored first', async () => {
    const frozen = new Date('2026-05-05T00:00:00.000Z')
    const library = bed.reopen({ now: () => frozen })
    await library.save({ name: 's', process: 'image/rotate,90' })
    await library.delete('s')
    await library.save({ name: 's', process: 'image/rotate,180' })
    await library.delete('s')
    expect(await library.listTrash()).toEqual([
      { name: 's', deletedAt: frozen.toISOString() },
      { name: 's', deletedAt: frozen.toISOString() }
    ])
    expect((await library.restore('s')).process).toBe('image/rotate,180')
  })

  it('the trash is bounded', async () => {
    const library = bed.reopen({ maxTrash: 3 })
    for (let i = 0; i < 5; i++) {
      await library.save({ name: `s${i}`, process: 'image/rotate,90' })
      await library.delete(`s${i}`)
    }
    expect((await library.listTrash()).map((e) => e.name)).toEqual(['s4', 's3', 's2'])
  })
})

describe('corrupted documents', () => {
  async function corrupt(name: string, text: string): Promise<string> {
    await mkdir(bed.library.directory, { recursive: true })
    const file = join(bed.library.directory, `${name}.json`)
    await writeFile(file, text)
    return file
  }

  it('fail for that style only, with the file and the reason', async () => {
    await bed.library.save({ name: 'good', process: 'image/rotate,90' })
    const file = await corrupt('bad', '{"schemaVersion":1,"name":"bad",')
    const error = await failure(bed.library.get('bad'))
    expect(error).toBeInstanceOf(StyleLibraryError)
    expect(error).toMatchObject({ code: 'StyleUnreadable', styleName: 'bad', file })
    expect(error.message).toMatch(/^style "bad" cannot be read \(.*bad\.json\): not valid JSON/)
    const listing = await bed.library.list()
    expect(listing.styles.map((s) => s.name)).toEqual(['good'])
    expect(listing.broken).toEqual([{ name: 'bad', file, error: expect.objectContaining({ code: 'StyleUnreadable' }) }])
    expect((await bed.library.get('good')).process).toBe('image/rotate,90')
  })

  it('a document that breaks the schema names the field', async () => {
    const saved = (await bed.library.save({ name: 'x', process: 'image/rotate,90' })).document
    await corrupt('x', JSON.stringify({ ...saved, process: 42 }))
    const error = await failure(bed.library.get('x'))
    expect(error).toMatchObject({ code: 'StyleUnreadable' })
    expect(error.message).toContain('process: Invalid input: expected string, received number')
    await corrupt('x', JSON.stringify({ ...saved, name: 'y' }))
    expect((await failure(bed.library.get('x'))).message).toContain('the document is named "y"')
    await corrupt('x', JSON.stringify({ ...saved, schemaVersion: 9 }))
    expect((await failure(bed.library.get('x'))).message).toContain('received version 9 (written by a newer OSS IMG Studio)')
  })

  it('save over a corrupted file is refused (nothing is lost); delete moves it to the trash', async () => {
    const file = await corrupt('bad', 'garbage')
    expect(await failure(bed.library.save({ name: 'bad', process: 'image/rotate,90' }))).toMatchObject({ code: 'StyleUnreadable' })
    expect(await readFile(file, 'utf8')).toBe('garbage')
    await bed.library.delete('bad')
    expect((await bed.library.list()).broken).toEqual([])
    expect((await bed.library.save({ name: 'bad', process: 'image/rotate,90' })).change).toBe('created')
    const trashed = (await filesUnder(join(bed.library.directory, '.trash')))[0]!
    expect(await readFile(join(bed.library.directory, '.trash', trashed), 'utf8')).toBe('garbage')
  })

  it('files that are not this library’s (other names, temp files, folders) are ignored', async () => {
    await corrupt('Upper', '{}') // a capital without "^": not a name this library writes
    await writeFile(join(bed.library.directory, '.x.json.abc.tmp'), 'partial')
    await mkdir(join(bed.library.directory, 'dir.json.d'))
    await bed.library.save({ name: 'ok', process: 'image/rotate,90' })
    expect(await bed.library.list()).toEqual({ styles: [expect.objectContaining({ name: 'ok' })], broken: [] })
  })
})

describe('migration on read', () => {
  it('an unversioned {name, content} file becomes a version-1 document, written back once', async () => {
    await mkdir(bed.library.directory, { recursive: true })
    const file = join(bed.library.directory, 'legacy.json')
    await writeFile(file, JSON.stringify({ name: 'legacy', content: 'image/resize,h_50,w_100', lastModifyTime: 'Wed, 21 May 2020 12:07:15 GMT' }))
    const listed = (await bed.library.list()).styles[0]!
    expect(listed).toMatchObject({ schemaVersion: 1, name: 'legacy', process: 'image/resize,w_100,h_50', updatedAt: '2020-05-21T12:07:15.000Z' })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(listed)
    // Stable id: read again, same document.
    expect(await bed.reopen().get('legacy')).toEqual(listed)
    const { document } = await bed.library.save({ name: 'legacy', process: 'image/resize,w_10' })
    expect(document.history.map((v) => [v.version, v.process])).toEqual([
      [1, 'image/resize,w_100,h_50'],
      [2, 'image/resize,w_10']
    ])
  })
})
