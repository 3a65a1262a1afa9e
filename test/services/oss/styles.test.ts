/**
 * Bucket styles end to end (PutStyle/GetStyle/ListStyle/DeleteStyle through ali-oss `request()`),
 * and the OSS rules checked before any request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_STYLES_PER_BUCKET } from '../../../src-main/services/oss'
import { failure, OTHER_BUCKET, startTestBed, type TestBed } from './helpers'

let bed: TestBed

beforeAll(async () => {
  bed = await startTestBed()
})

afterAll(async () => {
  await bed?.close()
})


describe.each(['v1', 'v4'] as const)('styles with %s signing', (signatureVersion) => {
  it('puts, gets, lists, overwrites and deletes a style', async () => {
    const service = bed.service({ signatureVersion })
    const name = `thumb-${signatureVersion}`
    await service.putStyle(name, 'image/resize,w_100/quality,q_90')
    const style = await service.getStyle(name)
    expect(style).toMatchObject({ name, content: 'image/resize,w_100/quality,q_90', category: 'image' })
    expect(new Date(style.createTime ?? '').toISOString()).toBe(style.createTime)
    expect(new Date(style.lastModifyTime ?? '').toISOString()).toBe(style.lastModifyTime)

    await service.putStyle(name, 'image/resize,p_50')
    expect((await service.getStyle(name)).content).toBe('image/resize,p_50')
    expect((await service.listStyles()).find((s) => s.name === name)?.content).toBe('image/resize,p_50')

    await service.deleteStyle(name)
    expect(await failure(service.getStyle(name))).toMatchObject({ code: 'NoSuchStyle', status: 404, retryable: false })
  })
})

describe('style listing', () => {
  it('parses an empty, a one-style and a many-style list', async () => {
    const service = bed.service({ bucket: OTHER_BUCKET })
    for (const style of await service.listStyles()) await service.deleteStyle(style.name)
    expect(await service.listStyles()).toEqual([])
    await service.putStyle('one', 'image/resize,w_10')
    expect((await service.listStyles()).map((s) => s.name)).toEqual(['one'])
    await service.putStyle('two', 'image/resize,w_20')
    expect((await service.listStyles()).map((s) => s.name).sort()).toEqual(['one', 'two'])
  })

  it('round-trips content that needs XML escaping', async () => {
    const service = bed.service()
    // Watermark text is URL-safe Base64; `&` and `<` cannot appear in valid content, but the
    // body is escaped regardless — check a valid content survives byte for byte.
    const content = 'image/resize,m_fill,w_300,h_300/watermark,text_5L2g5aW9,g_se,x_10,y_10'
    await service.putStyle('escaped', content)
    expect((await service.getStyle('escaped')).content).toBe(content)
  })
})

describe('style errors', () => {
  it('NoSuchStyle for GET and DELETE of a missing style, not retried', async () => {
    const service = bed.service()
    bed.agent.reset()
    expect(await failure(service.getStyle('never-made'))).toMatchObject({ code: 'NoSuchStyle', status: 404, attempts: 1 })
    expect(await failure(service.deleteStyle('never-made'))).toMatchObject({ code: 'NoSuchStyle', status: 404, attempts: 1 })
    expect(bed.agent.count()).toBe(2)
  })

  it('checks names (EC 0017-00000250/251) and content before any request', async () => {
    const service = bed.service()
    bed.agent.reset()
    expect(await failure(service.putStyle('', 'image/resize,w_1'))).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0017-00000250', origin: 'client' })
    expect(await failure(service.putStyle('x'.repeat(64), 'image/resize,w_1'))).toMatchObject({ ec: '0017-00000250' })
    expect(await failure(service.getStyle('缩略图'))).toMatchObject({ ec: '0017-00000251', message: 'The value: 缩略图 of parameter: stylename is invalid.' })
    expect(await failure(service.deleteStyle('a/b'))).toMatchObject({ ec: '0017-00000251' })
    expect(await failure(service.putStyle('ok', 'resize,w_1'))).toMatchObject({ code: 'InvalidArgument', status: 400 })
    expect(await failure(service.putStyle('ok', 'style/other'))).toMatchObject({ code: 'InvalidArgument' })
    const bad = await failure(service.putStyle('ok', 'image/resize,w_0'))
    expect(bad).toMatchObject({ code: 'InvalidArgument', ec: '0040-00000312' })
    expect(bad.span).toEqual({ start: expect.any(Number), end: expect.any(Number) })
    expect(bed.agent.count()).toBe(0)
  })

  it(`refuses a new style beyond ${MAX_STYLES_PER_BUCKET} per bucket, still overwrites existing ones`, async () => {
    const service = bed.service({ bucket: OTHER_BUCKET })
    for (const style of await service.listStyles()) await service.deleteStyle(style.name)
    for (let i = 0; i < MAX_STYLES_PER_BUCKET; i++) await service.putStyle(`s${i}`, `image/resize,w_${i + 1}`, { skipQuotaCheck: true })
    expect((await service.listStyles()).length).toBe(MAX_STYLES_PER_BUCKET)
    bed.agent.reset()
    const error = await failure(service.putStyle('one-too-many', 'image/resize,w_1'))
    expect(error).toMatchObject({ code: 'AccessDenied', status: 403, origin: 'client', message: 'Your style count is exceeded 50.' })
    expect(bed.agent.log).toEqual([expect.stringMatching(/^GET \/other-bucket\/\?style=?$/)])
    // The server enforces the same rule, with the same answer.
    const server = await failure(service.putStyle('one-too-many', 'image/resize,w_1', { skipQuotaCheck: true }))
    expect(server).toMatchObject({ code: 'AccessDenied', status: 403, origin: 'server', message: error.message })
    await service.putStyle('s0', 'image/resize,w_99')
    expect((await service.getStyle('s0')).content).toBe('image/resize,w_99')
    for (let i = 0; i < MAX_STYLES_PER_BUCKET; i++) await service.deleteStyle(`s${i}`)
  })
})
