/**
 * Folder containment by real paths: a symbolic link inside a chosen folder must not lead a job's
 * write (target template through a symlinked subfolder) or a watermark read out of the folder.
 * Real symlinks in a temp folder; the refusal names the path as the user would see it.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { encodeBase64Url } from '../../../src-shared/img/base64url'
import { JobRunner, resolveSpec } from '../../../src-main/services/jobs'
import { ChosenFolder } from '../../../src-main/services/jobs/local-files'
import { tempDir, tinyJpeg } from './helpers'

describe('folder containment by real paths', () => {
  it('refuses a target template that leads through a symlinked subfolder, and writes nothing outside', async () => {
    const dir = tempDir()
    const src = join(dir, 'src')
    const out = join(dir, 'out')
    const outside = join(dir, 'outside')
    mkdirSync(src)
    mkdirSync(out)
    mkdirSync(outside)
    symlinkSync(outside, join(out, 'escape'))
    writeFileSync(join(src, 'a.jpg'), await tinyJpeg(40, 30))
    const spec = await resolveSpec({
      source: { kind: 'folder', dir: src, suffixes: ['.jpg'] },
      styles: [{ process: 'image/resize,w_20', label: 'small' }],
      target: { kind: 'folder', dir: out },
      template: 'escape/{style}/{name}.{format}'
    })
    const result = await new JobRunner({ spec, journalPath: join(dir, 'job.jsonl') }).run()
    expect(result.counts.failed).toBe(1)
    const error = result.items[0]?.error
    expect(error?.code).toBe('OutsideFolder')
    expect(error?.status).toBe(400)
    expect(error?.message).toContain(JSON.stringify(join(out, 'escape', 'small', 'a.jpg')))
    expect(error?.message).toContain('leads out of the folder')
    expect(readdirSync(outside)).toEqual([])
  })

  it('still writes through a symlinked subfolder that stays inside the target', async () => {
    const dir = tempDir()
    const src = join(dir, 'src')
    const out = join(dir, 'out')
    mkdirSync(src)
    mkdirSync(join(out, 'real'), { recursive: true })
    symlinkSync(join(out, 'real'), join(out, 'alias'))
    writeFileSync(join(src, 'a.jpg'), await tinyJpeg(40, 30))
    const spec = await resolveSpec({
      source: { kind: 'folder', dir: src, suffixes: ['.jpg'] },
      styles: [{ process: 'image/resize,w_20', label: 'small' }],
      target: { kind: 'folder', dir: out },
      template: 'alias/{style}/{name}.{format}'
    })
    const result = await new JobRunner({ spec, journalPath: join(dir, 'job.jsonl') }).run()
    expect(result.counts.done).toBe(1)
    expect(await sharp(join(out, 'real', 'small', 'a.jpg')).metadata()).toMatchObject({ width: 20, height: 15 })
  })

  it('refuses a watermark image of a folder source that is a symlink to a file outside', async () => {
    const dir = tempDir()
    const src = join(dir, 'src')
    const out = join(dir, 'out')
    mkdirSync(src)
    writeFileSync(join(dir, 'secret.png'), await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } }).png().toBuffer())
    symlinkSync(join(dir, 'secret.png'), join(src, 'logo.png'))
    writeFileSync(join(src, 'a.jpg'), await tinyJpeg(40, 30))
    const spec = await resolveSpec({
      source: { kind: 'folder', dir: src, suffixes: ['.jpg'] },
      styles: [{ process: `image/watermark,image_${encodeBase64Url('logo.png')}`, label: 'marked' }],
      target: { kind: 'folder', dir: out },
      template: '{name}.{format}'
    })
    const result = await new JobRunner({ spec, journalPath: join(dir, 'job.jsonl') }).run()
    expect(result.items[0]?.error).toMatchObject({ code: 'AccessDenied', status: 403 })
    expect(result.items[0]?.error?.message).toContain(`watermark: refused ${JSON.stringify(join(src, 'logo.png'))}: it leads out of the folder`)
    expect(existsSync(join(out, 'a.jpg'))).toBe(false)
  })

  it('does not create folders through a symlink before refusing', async () => {
    const dir = tempDir()
    const out = join(dir, 'out')
    const outside = join(dir, 'outside')
    mkdirSync(out)
    mkdirSync(outside)
    symlinkSync(outside, join(out, 'link'))
    await expect(new ChosenFolder(out).writable('link/deep/er/x.jpg')).rejects.toMatchObject({ code: 'OutsideFolder', path: join(out, 'link', 'deep', 'er', 'x.jpg') })
    expect(readdirSync(outside)).toEqual([])
    expect(await new ChosenFolder(out).writable('in/x.jpg')).toBe(join(out, 'in', 'x.jpg').replace(dir, (await import('node:fs')).realpathSync(dir)))
  })
})
