/**
 * Storage classes and RestoreObject through ali-oss: OperationNotSupported for Standard objects,
 * 202 then RestoreAlreadyInProgress while it runs, readable once restored (x-oss-restore on HEAD,
 * RestoreInfo in listings), JobParameters refused for Archive, priority for cold archives.
 */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { RESTORE_DELAY_MS } from '../../src-main/sandbox/handlers/storage-class'
import { client, rejection, removeDir, tempRoot, raw } from './helpers'


type Restore = { restore(name: string, options?: object): Promise<{ res: { status: number; headers: Record<string, string> } }> }

describe('storage classes and restore', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS
  let store: Restore

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: root, buckets: ['class-bucket'] })
    oss = client(sandbox, 'class-bucket')
    store = oss as unknown as Restore
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  it('Standard objects cannot be restored (400 OperationNotSupported)', async () => {
    await oss.put('std.txt', Buffer.from('s'))
    expect(await rejection(store.restore('std.txt'))).toMatchObject({ status: 400, code: 'OperationNotSupported' })
  })

  it('an Archive object is unreadable until its restore finishes', async () => {
    await oss.put('cold.txt', Buffer.from('frozen'), { headers: { 'x-oss-storage-class': 'Archive' } })
    expect((await oss.head('cold.txt')).res.headers).toMatchObject({ 'x-oss-storage-class': 'Archive' })
    expect(await rejection(oss.get('cold.txt'))).toMatchObject({ status: 403, code: 'InvalidObjectState' })
    expect((await store.restore('cold.txt', { Days: 2 })).res.status).toBe(202)
    expect(await rejection(store.restore('cold.txt'))).toMatchObject({ status: 409, code: 'RestoreAlreadyInProgress' })
    expect((await oss.head('cold.txt')).res.headers).toMatchObject({ 'x-oss-restore': 'ongoing-request="true"' })
    const listed = (await oss.list({ prefix: 'cold' } as never, {})) as unknown as { objects: { restoreInfo?: { ongoingRequest: boolean } }[] }
    expect(listed.objects[0]?.restoreInfo?.ongoingRequest).toBe(true)
    expect(await rejection(oss.get('cold.txt'))).toMatchObject({ status: 403, code: 'InvalidObjectState' })
    await new Promise((resolve) => setTimeout(resolve, RESTORE_DELAY_MS + 100))
    expect((await oss.get('cold.txt')).content.toString()).toBe('frozen')
    const restored = (await oss.head('cold.txt')).res.headers as Record<string, string>
    const expiry = /^ongoing-request="false", expiry-date="(.+)"$/.exec(restored['x-oss-restore'] ?? '')?.[1]
    expect(Date.parse(expiry ?? '') - Date.now()).toBeGreaterThan(86_400_000)
    // Restoring a restored object extends it: 200 (ali-oss's restore() only expects 202).
    expect((await raw(oss)({ method: 'POST', bucket: 'class-bucket', object: 'cold.txt', subres: { restore: '' }, successStatuses: [200] })).status).toBe(200)
  })

  it('objects take the bucket\'s class; cold archives report the restore priority', async () => {
    await oss.putBucket('archive-bucket', { StorageClass: 'Archive' } as never)
    const archive = client(sandbox, 'archive-bucket')
    await archive.put('a.txt', Buffer.from('a'))
    expect((await archive.head('a.txt')).res.headers).toMatchObject({ 'x-oss-storage-class': 'Archive' })
    expect(await rejection(store.restore('cold.txt', { type: 'ColdArchive' }))).toMatchObject({ code: 'MalformedXML' })
    await oss.put('colder.txt', Buffer.from('c'), { headers: { 'x-oss-storage-class': 'ColdArchive' } })
    const result = await store.restore('colder.txt', { type: 'ColdArchive', Days: 3, JobParameters: 'Bulk' })
    expect(result.res.status).toBe(202)
    expect(result.res.headers['x-oss-object-restore-priority']).toBe('Bulk')
    await oss.put('deep.txt', Buffer.from('d'), { headers: { 'x-oss-storage-class': 'DeepColdArchive' } })
    expect(await rejection(store.restore('deep.txt', { type: 'DeepColdArchive', JobParameters: 'Bulk' }))).toMatchObject({ status: 400, code: 'InvalidArgument' })
    const bad = await rejection(oss.put('x.txt', Buffer.from('x'), { headers: { 'x-oss-storage-class': 'Glacier' } }))
    expect(bad).toMatchObject({ status: 400, code: 'InvalidArgument' })
  })
})
