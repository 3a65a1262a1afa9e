/**
 * Atomic writes without killing anything: node:fs/promises is wrapped so a write can be made to
 * fail part-way (a partial temp file, then ENOSPC), at once, or at the rename. The previous document must
 * stay intact and no temp file may remain.
 */
import * as fs from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { StyleLibraryError } from '../../../src-main/services/styles'
import { failure, filesUnder, makeBed, type Bed } from './helpers'

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>()
  return { ...actual, open: vi.fn(actual.open), rename: vi.fn(actual.rename) }
})

const actual = await vi.importActual<typeof fs>('node:fs/promises')
let bed: Bed

beforeEach(async () => {
  bed = await makeBed()
})

afterEach(async () => {
  vi.mocked(fs.open).mockImplementation(actual.open)
  vi.mocked(fs.rename).mockImplementation(actual.rename)
  await bed.close()
})

function enospc(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
}

/** The next file opened takes `keep` bytes of a write, then the disk is full. */
function nextWriteFails(keep: number): void {
  vi.mocked(fs.open).mockImplementationOnce(async (...args: Parameters<typeof actual.open>) => {
    const handle = await actual.open(...args)
    const write = handle.write.bind(handle) as (data: Uint8Array) => Promise<unknown>
    return Object.assign(handle, {
      write: async (data: Uint8Array) => {
        if (keep > 0) await write(data.subarray(0, keep))
        throw enospc()
      }
    })
  })
}

describe('atomic writes', () => {
  it('a save leaves exactly the document: no temp files', async () => {
    for (let i = 1; i <= 5; i++) await bed.library.save({ name: 's', process: `image/resize,w_${i}` })
    await bed.library.rename('s', 't')
    await bed.library.duplicate('t', 'u')
    expect(await filesUnder(bed.library.directory)).toEqual(['t.json', 'u.json'])
  })

  it('a write failing half-way (disk full) leaves the old document and no temp file', async () => {
    await bed.library.save({ name: 's', process: 'image/resize,w_100' })
    const file = join(bed.library.directory, 's.json')
    const before = await actual.readFile(file, 'utf8')

    nextWriteFails(20) // a partial temp file
    const error = await failure(bed.library.save({ name: 's', process: 'image/resize,w_200' }))
    expect(error).toBeInstanceOf(StyleLibraryError)
    expect(error).toMatchObject({ code: 'StyleWriteFailed', styleName: 's', file })
    expect(error.message).toBe(`style "s" could not be written: cannot write ${JSON.stringify(file)}: no space is left on the device; the previous version is unchanged`)
    expect(error.message).toContain('the previous version is unchanged')

    expect(await actual.readFile(file, 'utf8')).toBe(before)
    expect(await filesUnder(bed.library.directory)).toEqual(['s.json'])
    expect((await bed.library.get('s')).process).toBe('image/resize,w_100')
    // The next save works and continues the history.
    const { document } = await bed.library.save({ name: 's', process: 'image/resize,w_300' })
    expect(document.history.map((v) => v.version)).toEqual([1, 2])
  })

  it('a failing rename (the commit step) leaves the old document and no temp file', async () => {
    await bed.library.save({ name: 's', process: 'image/resize,w_100' })
    vi.mocked(fs.rename).mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }))
    expect(await failure(bed.library.save({ name: 's', process: 'image/resize,w_200' }))).toMatchObject({ code: 'StyleWriteFailed' })
    expect((await bed.library.get('s')).process).toBe('image/resize,w_100')
    expect(await filesUnder(bed.library.directory)).toEqual(['s.json'])
  })

  it('a failed write of a new style leaves nothing behind', async () => {
    nextWriteFails(0)
    expect(await failure(bed.library.save({ name: 'new', process: 'image/rotate,90' }))).toMatchObject({ code: 'StyleWriteFailed' })
    expect(await bed.library.find('new')).toBeUndefined()
    expect(await filesUnder(bed.library.directory)).toEqual([])
  })

  it('a failed write during a rename keeps the source style', async () => {
    await bed.library.save({ name: 'a', process: 'image/rotate,90' })
    nextWriteFails(0)
    expect(await failure(bed.library.rename('a', 'b'))).toMatchObject({ code: 'StyleWriteFailed' })
    expect((await bed.library.get('a')).process).toBe('image/rotate,90')
    expect(await bed.library.find('b')).toBeUndefined()
    expect(await filesUnder(bed.library.directory)).toEqual(['a.json'])
  })
})
