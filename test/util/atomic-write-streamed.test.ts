/**
 * The streamed output path (`processImageToFile` through `writeFileAtomicWith`, as `oss-img process`
 * writes): the file on disk is the whole result, byte for byte what `processImage` answers, and a
 * failure — of the engine or of the folder — leaves neither the target nor a temp file behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { isImgError } from '../../src-shared/img/errors'
import { processImage, processImageToFile } from '../../src-main/engine/executor'
import { isFileError } from '../../src-main/util/file-errors'
import { writeFileAtomicWith } from '../../src-main/util/atomic-write'
import { makeImage } from '../support/images'

let dir: string
let photo: Buffer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oss-img-stream-'))
  photo = await makeImage(800, 600)
})

const streamed = (target: string, process: string) => writeFileAtomicWith(target, (temp) => processImageToFile(photo, process, temp))

describe('streamed atomic output', () => {
  it.each([
    ['image/resize,w_300/quality,q_80', 'jpeg', 300, 225],
    ['image/resize,w_200/format,png', 'png', 200, 150],
    ['image/crop,w_100,h_50/format,webp', 'webp', 100, 50]
  ])('%s: the whole file, the bytes processImage answers', async (process, format, width, height) => {
    const target = join(dir, `out-${format}`)
    const result = await streamed(target, process)
    const onDisk = readFileSync(target)
    const meta = await sharp(onDisk).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual([format, width, height])
    expect(result).toMatchObject({ kind: 'image', width, height, bytes: onDisk.length })
    const inMemory = await processImage(photo, process)
    expect(inMemory.kind === 'image' && Buffer.compare(inMemory.data, onDisk)).toBe(0)
    // A full decode of every pixel fails on a truncated file.
    expect((await sharp(onDisk).raw().toBuffer()).length).toBe(width * height * 3)
  })

  it('image/info writes the JSON body', async () => {
    const target = join(dir, 'info.json')
    const result = await streamed(target, 'image/info')
    const body = readFileSync(target, 'utf8')
    expect(result).toEqual({ kind: 'json', bytes: Buffer.byteLength(body) })
    expect(JSON.parse(body).ImageWidth.value).toBe('800')
  })

  it('ignore-error,1 writes the unprocessed source', async () => {
    const target = join(dir, 'ignored.jpg')
    const result = await streamed(target, 'image/resize,m_abc,w_100/ignore-error,1')
    expect(result).toMatchObject({ kind: 'image', ignoredError: true, width: 800, height: 600, bytes: photo.length })
    expect(Buffer.compare(readFileSync(target), photo)).toBe(0)
  })

  it('an engine failure leaves no file, no temp file, and an old file untouched', async () => {
    const folder = mkdtempSync(join(dir, 'fail-'))
    const fresh = join(folder, 'never.jpg')
    const error = await streamed(fresh, 'image/resize,m_abc,w_100').catch((e: unknown) => e)
    expect(isImgError(error)).toBe(true)
    const old = join(folder, 'old.jpg')
    writeFileSync(old, 'old content')
    // The chain fails at encode time (webp is limited per side), after the temp file exists.
    const late = await writeFileAtomicWith(old, (temp) => processImageToFile(photo, 'image/resize,w_16384,limit_0/format,webp', temp)).catch((e: unknown) => e)
    expect(isImgError(late)).toBe(true)
    expect(readFileSync(old, 'utf8')).toBe('old content')
    expect(readdirSync(folder).sort()).toEqual(['old.jpg'])
  })

  it('a missing folder is a FileError about the target, and writes nothing', async () => {
    const target = join(dir, 'no-such-dir', 'out.jpg')
    const error = await streamed(target, 'image/resize,w_10').catch((e: unknown) => e)
    expect(isFileError(error)).toBe(true)
    expect((error as Error).message).toContain(target)
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false)
  })
})
