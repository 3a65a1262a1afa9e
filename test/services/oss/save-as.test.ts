/**
 * processObjectSave end to end: our own POST body with URL-safe Base64 targets (non-ASCII keys
 * included), another target bucket, style sources, the JSON result, validation before sending.
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeImage } from '../../support/images'
import { BUCKET, failure, OTHER_BUCKET, startTestBed, type TestBed } from './helpers'

let bed: TestBed
const SOURCE = 'src/photo.jpg'

beforeAll(async () => {
  bed = await startTestBed()
  await bed.service().putObject(SOURCE, await makeImage(400, 300), { contentType: 'image/jpeg' })
})

afterAll(async () => {
  await bed?.close()
})


describe.each(['v1', 'v4'] as const)('processObjectSave with %s signing', (signatureVersion) => {
  it('saves to a non-ASCII target key and returns the parsed result', async () => {
    const service = bed.service({ signatureVersion })
    const target = `out/${signatureVersion}/缩略图.jpg`
    bed.agent.reset()
    const result = await service.processObjectSave(SOURCE, target, 'image/resize,w_100')
    expect(bed.agent.log).toEqual([expect.stringMatching(/^POST \/demo-bucket\/src\/photo\.jpg\?x-oss-process=?$/)])
    expect(result).toEqual({ bucket: BUCKET, object: target, status: 'OK', fileSize: expect.any(Number) })
    const saved = await service.getObject(target)
    expect(saved.size).toBe(result.fileSize)
    expect(await sharp(saved.content).metadata()).toMatchObject({ width: 100, height: 75, format: 'jpeg' })
  })
})

describe('processObjectSave targets', () => {
  it('saves into another bucket (b_)', async () => {
    const result = await bed.service().processObjectSave(SOURCE, 'derived/小图 1.webp', 'image/resize,w_50/format,webp', { targetBucket: OTHER_BUCKET })
    expect(result).toMatchObject({ bucket: OTHER_BUCKET, object: 'derived/小图 1.webp', status: 'OK' })
    const saved = await bed.service({ bucket: OTHER_BUCKET }).getObject('derived/小图 1.webp')
    expect(await sharp(saved.content).metadata()).toMatchObject({ width: 50, format: 'webp' })
  })

  it('saves through a bucket style (style/NAME)', async () => {
    const service = bed.service()
    await service.putStyle('saveas-thumb', 'image/resize,w_80')
    const result = await service.processObjectSave(SOURCE, 'out/style.jpg', 'style/saveas-thumb')
    expect(result.object).toBe('out/style.jpg')
    expect(await sharp((await service.getObject('out/style.jpg')).content).metadata()).toMatchObject({ width: 80 })
  })

  it('reports a missing source as NoSuchKey, not retried', async () => {
    bed.agent.reset()
    expect(await failure(bed.service().processObjectSave('src/missing.jpg', 'out/x.jpg', 'image/resize,w_10'))).toMatchObject({ code: 'NoSuchKey', status: 404, attempts: 1 })
    expect(bed.agent.count()).toBe(1)
  })

  it('validates the process string and names before sending', async () => {
    const service = bed.service()
    bed.agent.reset()
    expect(await failure(service.processObjectSave(SOURCE, 'out/x.jpg', 'image/resize,w_0'))).toMatchObject({ code: 'InvalidArgument', status: 400, ec: '0040-00000312', origin: 'client' })
    expect(await failure(service.processObjectSave(SOURCE, 'out/x.jpg', 'resize,w_10'))).toMatchObject({ code: 'InvalidArgument' })
    expect(await failure(service.processObjectSave(SOURCE, 'out/x.jpg', 'image/resize,w_10|sys/saveas,o_b3V0LmpwZw'))).toMatchObject({ code: 'InvalidArgument' })
    expect(await failure(service.processObjectSave(SOURCE, 'out/x.jpg', 'style/bad name'))).toMatchObject({ ec: '0017-00000251' })
    expect(await failure(service.processObjectSave(SOURCE, '/abs.jpg', 'image/resize,w_10'))).toMatchObject({ code: 'InvalidObjectName' })
    expect(await failure(service.processObjectSave(SOURCE, 'out/x.jpg', 'image/resize,w_10', { targetBucket: 'Nope' }))).toMatchObject({ code: 'InvalidBucketName' })
    expect(bed.agent.count()).toBe(0)
  })
})
