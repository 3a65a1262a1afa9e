/** Symlinks through ali-oss: PutSymlink/GetSymlink, GET and HEAD through a link, dangling links. */
import type OSS from 'ali-oss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src-main/sandbox'
import { client, rejection, removeDir, tempRoot } from './helpers'

type Symlinks = {
  putSymlink(name: string, target: string, options?: object): Promise<{ res: { status: number } }>
  getSymlink(name: string): Promise<{ targetName: string }>
}

describe('symlinks', () => {
  let root: string
  let sandbox: Sandbox
  let oss: OSS
  let links: Symlinks

  beforeAll(async () => {
    root = tempRoot()
    sandbox = await startSandbox({ dataDir: root, buckets: ['link-bucket'] })
    oss = client(sandbox, 'link-bucket')
    links = oss as unknown as Symlinks
  })

  afterAll(async () => {
    await sandbox.close()
    removeDir(root)
  })

  it('reads the target through the link, under the link\'s own type and metadata', async () => {
    await oss.put('dir/目标 target.txt', Buffer.from('target bytes'), { mime: 'text/plain', meta: { side: 'target' } as never })
    await links.putSymlink('链接.txt', 'dir/目标 target.txt', { meta: { side: 'link' } })
    expect((await links.getSymlink('链接.txt')).targetName).toBe('dir/目标 target.txt')
    const got = await oss.get('链接.txt')
    expect(got.content.toString()).toBe('target bytes')
    const head = await oss.head('链接.txt')
    expect(head.res.headers).toMatchObject({ 'x-oss-object-type': 'Symlink', 'content-type': 'text/plain', 'content-length': '12' })
    expect(head.meta).toEqual({ side: 'link' })
    // Ranges work through the link too.
    expect((await oss.get('链接.txt', { headers: { Range: 'bytes=0-5' } })).content.toString()).toBe('target')
  })

  it('a dangling link answers 404 SymlinkTargetNotExist; a non-link GetSymlink 400', async () => {
    await links.putSymlink('dangling', 'nowhere.txt')
    expect(await rejection(oss.get('dangling'))).toMatchObject({ status: 404, code: 'SymlinkTargetNotExist' })
    await oss.put('plain.txt', Buffer.from('p'))
    expect((await rejection(links.getSymlink('plain.txt'))).status).toBe(400)
  })
})
