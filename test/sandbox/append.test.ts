/** AppendObject through ali-oss: positions, x-oss-next-append-position, and OSS's 409s. */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, rejection, removeDir, tempRoot } from './helpers'

type AppendResult = { nextAppendPosition: string; res: { status: number; headers: Record<string, string> } }
const append = (oss: OSS, name: string, data: Buffer, position?: number | string) =>
  (oss as unknown as { append(n: string, d: Buffer, o: object): Promise<AppendResult> }).append(name, data, position === undefined ? {} : { position })

describe('append', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: root, buckets: ['append-bucket'] })
    oss = client(sandbox, 'append-bucket')
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  it('appends at the current length and reports the next position', async () => {
    const first = await append(oss, 'log.txt', Buffer.from('foo'))
    expect(first.nextAppendPosition).toBe('3')
    const second = await append(oss, 'log.txt', Buffer.from('bar'), first.nextAppendPosition)
    expect(second.nextAppendPosition).toBe('6')
    const got = await oss.get('log.txt')
    expect(got.content.toString()).toBe('foobar')
    const headers = got.res.headers as Record<string, string>
    expect(headers['x-oss-next-append-position']).toBe('6')
    expect(headers['x-oss-object-type']).toBe('Appendable')
  })

  it('answers 409 PositionNotEqualToLength with the right position', async () => {
    await append(oss, 'pos.txt', Buffer.from('abc'))
    const wrong = await rejection(append(oss, 'pos.txt', Buffer.from('x'), 1))
    expect(wrong).toMatchObject({ status: 409, code: 'PositionNotEqualToLength', message: 'Position is not equal to file length' })
    const fresh = await rejection(append(oss, 'new.txt', Buffer.from('x'), 5))
    expect(fresh).toMatchObject({ status: 409, code: 'PositionNotEqualToLength' })
    expect((await oss.get('pos.txt')).content.toString()).toBe('abc')
  })

  it('refuses to append to a Normal object (409 ObjectNotAppendable)', async () => {
    await oss.put('normal.txt', Buffer.from('n'))
    expect(await rejection(append(oss, 'normal.txt', Buffer.from('x'), 1))).toMatchObject({ status: 409, code: 'ObjectNotAppendable' })
  })

  it('serialises concurrent appends: one wins each position, none interleave', async () => {
    await append(oss, 'race.txt', Buffer.from('0'))
    const results = await Promise.allSettled(['a', 'b', 'c'].map((c) => append(oss, 'race.txt', Buffer.from(c.repeat(1000)), 1)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const content = (await oss.get('race.txt')).content.toString()
    expect(content).toMatch(/^0(a{1000}|b{1000}|c{1000})$/)
  })
})
