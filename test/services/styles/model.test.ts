/** src-shared/model/style.ts: document schema, migrations, OSS rules, the export file format. */
import { describe, expect, it } from 'vitest'
import { ImgError } from '../../../src-shared/img/errors'
import {
  STYLE_EXPORT_FORMAT,
  StyleFormatError,
  assertStyleName,
  canonicalStyleProcess,
  createStyleExport,
  migrateStyleDocument,
  parseStyleExport,
  parseStyleExportJson,
  sameStyleProcess,
  serializeStyleExport,
  styleDocumentVersion,
  type StyleDocument
} from '../../../src-shared/model/style'

const ctx = { newId: () => 'new-id', now: () => new Date('2026-02-03T04:05:06.000Z') }

const v1: StyleDocument = {
  schemaVersion: 1,
  id: 'abc',
  name: 'thumb',
  process: 'image/resize,w_100',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  history: [
    { version: 1, process: 'image/resize,w_50', savedAt: '2026-01-01T00:00:00.000Z' },
    { version: 2, process: 'image/resize,w_100', savedAt: '2026-01-02T00:00:00.000Z' }
  ]
}

function formatError(fn: () => unknown): StyleFormatError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(StyleFormatError)
    return error as StyleFormatError
  }
  throw new Error('expected a StyleFormatError')
}

describe('migrateStyleDocument', () => {
  it('returns a current document unchanged', () => {
    expect(migrateStyleDocument(structuredClone(v1), ctx)).toEqual(v1)
    expect(styleDocumentVersion(v1)).toBe(1)
  })

  it('migrates an unversioned (v0) {name, content} document', () => {
    expect(styleDocumentVersion({ name: 'a', content: 'image/rotate,90' })).toBe(0)
    expect(migrateStyleDocument({ name: 'old', content: 'image/resize,h_50,w_100' }, ctx)).toEqual({
      schemaVersion: 1,
      id: 'new-id',
      name: 'old',
      process: 'image/resize,w_100,h_50',
      createdAt: '2026-02-03T04:05:06.000Z',
      updatedAt: '2026-02-03T04:05:06.000Z',
      history: [{ version: 1, process: 'image/resize,w_100,h_50', savedAt: '2026-02-03T04:05:06.000Z' }]
    })
  })

  it('v0: keeps the description and OSS times; keeps content it cannot parse rather than losing it', () => {
    const doc = migrateStyleDocument({ name: 'old', content: 'image/resize,w_0', description: 'd', createTime: 'Wed, 20 May 2020 12:07:15 GMT', lastModifyTime: 'Wed, 21 May 2020 12:07:15 GMT' }, ctx)
    expect(doc).toMatchObject({ process: 'image/resize,w_0', description: 'd', createdAt: '2020-05-20T12:07:15.000Z', updatedAt: '2020-05-21T12:07:15.000Z' })
    expect(doc.history).toEqual([{ version: 1, process: 'image/resize,w_0', description: 'd', savedAt: '2020-05-21T12:07:15.000Z' }])
  })

  it('a v0 document must still be a style', () => {
    expect(formatError(() => migrateStyleDocument({ name: 'a b', content: 'image/rotate,90' }, ctx)).message).toContain('name: expected 1-63 of A-Z a-z 0-9 _ . -')
    expect(formatError(() => migrateStyleDocument({ name: 'a', content: 'style/x' }, ctx)).message).toContain('content: expected a process string starting with "image/"')
    expect(formatError(() => migrateStyleDocument({ name: 'a' }, ctx)).issues).toEqual([{ path: 'content', message: expect.any(String) }])
  })

  it('refuses newer, invalid and non-object documents with a clear message', () => {
    expect(formatError(() => migrateStyleDocument({ ...v1, schemaVersion: 2 })).message).toBe('expected a style document of schema version 1 or older but received version 2 (written by a newer OSS IMG Studio)')
    expect(formatError(() => migrateStyleDocument({ ...v1, schemaVersion: '1' })).message).toBe('expected schemaVersion to be a whole number from 1 but received "1"')
    expect(formatError(() => migrateStyleDocument([])).message).toBe('expected a style document (a JSON object) but received an array')
    expect(formatError(() => migrateStyleDocument(null)).code).toBe('InvalidStyleDocument')
  })

  it('checks the v1 invariants: field types, unknown fields, version order, current = last version', () => {
    expect(formatError(() => migrateStyleDocument({ ...v1, extra: 1 })).message).toContain('Unrecognized key: "extra"')
    expect(formatError(() => migrateStyleDocument({ ...v1, createdAt: 'yesterday' })).issues[0]!.path).toBe('createdAt')
    expect(formatError(() => migrateStyleDocument({ ...v1, history: [] })).issues[0]!.path).toBe('history')
    expect(formatError(() => migrateStyleDocument({ ...v1, history: [...v1.history].reverse() })).message).toContain('history[1].version: expected versions in increasing order')
    expect(formatError(() => migrateStyleDocument({ ...v1, process: 'image/resize,w_7' })).message).toContain('expected the last version to equal the current process and description')
  })
})

describe('OSS rules', () => {
  it('style names: EC 0017-00000250 for length, 0017-00000251 for charset', () => {
    expect(() => assertStyleName('ok_.-9Z')).not.toThrow()
    for (const [name, ec] of [['', '0017-00000250'], ['a'.repeat(64), '0017-00000250'], ['a+b', '0017-00000251']] as const) {
      try {
        assertStyleName(name)
        expect.unreachable()
      } catch (error) {
        expect(error).toBeInstanceOf(ImgError)
        expect(error).toMatchObject({ code: 'InvalidArgument', status: 400, ec, message: `The value: ${name} of parameter: stylename is invalid.` })
      }
    }
  })

  it('canonical process: serializeProcess form; equivalent strings compare equal', () => {
    expect(canonicalStyleProcess('image/resize,h_50,w_100')).toBe('image/resize,w_100,h_50')
    expect(sameStyleProcess('image/resize,h_50,w_100', 'image/resize,w_100,h_50')).toBe(true)
    expect(sameStyleProcess('image/resize,w_100', 'image/resize,w_101')).toBe(false)
    expect(sameStyleProcess('image/resize,w_0', 'image/resize,w_0')).toBe(true)
    expect(sameStyleProcess('image/resize,w_0', 'image/resize,w_00')).toBe(false)
  })
})

describe('export files', () => {
  const doc = { ...v1, description: 'd', sampleKeys: ['a.jpg'] }

  it('round-trips through JSON, without ids or history', () => {
    const file = createStyleExport([doc], new Date('2026-03-01T00:00:00.000Z'))
    expect(file).toEqual({ format: STYLE_EXPORT_FORMAT, version: 1, exportedAt: '2026-03-01T00:00:00.000Z', styles: [{ name: 'thumb', process: 'image/resize,w_100', description: 'd', sampleKeys: ['a.jpg'] }] })
    expect(parseStyleExportJson(serializeStyleExport(file))).toEqual(file)
  })

  it('canonicalizes processes on the way in', () => {
    const file = parseStyleExport({ format: STYLE_EXPORT_FORMAT, version: 1, styles: [{ name: 'a', process: 'image/resize,h_50,w_100' }] })
    expect(file.styles[0]!.process).toBe('image/resize,w_100,h_50')
  })

  it('reports every problem with where it is', () => {
    const error = formatError(() =>
      parseStyleExport({
        format: STYLE_EXPORT_FORMAT,
        version: 1,
        styles: [
          { name: 'ok', process: 'image/rotate,90' },
          { name: 'bad name', process: 'image/resize,w_0' },
          { name: 'ok', process: 'style/x' }
        ]
      })
    )
    expect(error.code).toBe('InvalidStyleFile')
    expect(error.issues).toEqual([
      { path: 'styles[1].name', message: 'The value: bad name of parameter: stylename is invalid.' },
      { path: 'styles[1].process', message: 'resize: expected an integer between 1 and 16384 for w but received "0"' },
      { path: 'styles[2].name', message: 'expected each name once but "ok" is also styles[0]' },
      { path: 'styles[2].process', message: 'style: expected a process string starting with "image/" but received "style/x"' }
    ])
  })

  it('clear errors for the wrong file, a newer version, bad JSON and a bad shape', () => {
    expect(formatError(() => parseStyleExportJson('{"format":"something-else"}')).message).toBe(`expected format "${STYLE_EXPORT_FORMAT}" but received "something-else": not an OSS IMG Studio styles file`)
    expect(formatError(() => parseStyleExportJson(`{"format":"${STYLE_EXPORT_FORMAT}","version":3,"styles":[]}`)).message).toContain('received version 3 (written by a newer OSS IMG Studio)')
    expect(formatError(() => parseStyleExportJson('{"format":')).message).toMatch(/^expected a JSON styles file but it is not valid JSON/)
    expect(formatError(() => parseStyleExportJson('[1]')).message).toContain('expected an OSS IMG Studio styles file')
    expect(formatError(() => parseStyleExport({ format: STYLE_EXPORT_FORMAT, version: 1, styles: [{ name: 'a' }] })).issues).toEqual([{ path: 'styles[0].process', message: expect.any(String) }])
  })
})
