/**
 * @vitest-environment happy-dom
 *
 * Sources: "Add images" checks files before sending them (type, OSS's 20 MB limit), sends the
 * rest with uploads:add and shows the first; uploads announced by main (Electron's Open Image…)
 * are listed the same way; the grid's badges come from the engine's warnings and the byte count.
 */
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ResponseOf } from '../../src-shared/ipc/contract'
import { invoke } from '../../src-renderer/src/ipc/client'
import { useLibrary } from '../../src-renderer/src/library/store'
import { badgesOf, SampleGrid } from '../../src-renderer/src/sources/SampleGrid'
import { SourcesPanel } from '../../src-renderer/src/sources/SourcesPanel'
import { precheck, sampleSetKey, useSources } from '../../src-renderer/src/sources/store'
import { useStudio } from '../../src-renderer/src/state/store'

const events = new Map<string, (payload: unknown) => void>()
vi.mock('../../src-renderer/src/ipc/client', () => ({
  invoke: vi.fn(),
  errorInfoOf: (e: unknown) => (typeof e === 'object' && e !== null && 'code' in e ? e : { code: 'Error', message: String(e) }),
  isCancelled: () => false,
  onConnectionState: () => () => undefined,
  onEvent: (event: string, listener: (payload: unknown) => void) => {
    events.set(event, listener)
    return () => events.delete(event)
  }
}))

const invokeMock = vi.mocked(invoke)
const png = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: 'image/png' })

beforeEach(() => {
  cleanup()
  invokeMock.mockReset()
  sessionStorage.clear()
  useSources.setState({ uploads: [], failures: [], missing: [], adding: 0 })
  useStudio.setState({ selectedUploadId: undefined, selectedKey: 'landscape.jpg' })
})
afterEach(() => cleanup())

describe('precheck', () => {
  it('refuses what is not an image, empty files and files over 20 MB, with the reason', () => {
    expect(precheck(new File(['x'], 'notes.txt', { type: 'text/plain' }))?.message).toMatch(/notes\.txt: expected an image/)
    expect(precheck(new File([], 'empty.png', { type: 'image/png' }))?.message).toMatch(/empty/)
    const huge = { name: 'huge.jpg', type: 'image/jpeg', size: 20 * 1024 * 1024 + 1 } as File
    expect(precheck(huge)).toMatchObject({ code: 'ImageTooLarge', message: expect.stringMatching(/at most 20\.0 MB/) })
    // No type from the browser: the extension decides (HEIC often comes without one).
    expect(precheck(new File(['x'], 'photo.HEIC'))).toBeUndefined()
    expect(precheck(png('ok.png'))).toBeUndefined()
  })
})

describe('"Add images"', () => {
  it('sends images with uploads:add, lists them, shows the first and reports refused files', async () => {
    invokeMock.mockImplementation(async (channel, payload) => {
      if (channel === 'uploads:add') {
        const name = (payload as { name: string }).name
        if (name === 'broken.jpg') throw { code: 'BadRequest', status: 400, message: 'broken.jpg: the image could not be decoded' }
        return { uploadId: `id-${name.replace(/\W/g, '')}`, bytes: 10 } as ResponseOf<'uploads:add'>
      }
      return new Promise(() => undefined) as never
    })
    render(<SourcesPanel />)
    await userEvent.upload(screen.getByLabelText('Add images'), [png('a.png'), png('broken.jpg'), new File(['x'], 'notes.txt', { type: 'text/plain' }), png('b.png')], { applyAccept: false })
    const list = await screen.findByRole('list', { name: 'Added images' })
    await within(list).findByRole('button', { name: 'Remove b.png' })
    expect([...list.querySelectorAll('[data-upload]')].map((b) => b.getAttribute('data-upload'))).toEqual(['a.png', 'b.png'])
    expect(useStudio.getState().selectedUploadId).toBe('id-apng')
    expect(useStudio.getState().selectedKey).toBeUndefined()
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent)
    expect(alerts).toHaveLength(2)
    expect(alerts[0]).toContain('Could not add broken.jpg')
    expect(alerts[1]).toContain('Could not add notes.txt')
    // The text file never reached main.
    expect(invokeMock.mock.calls.filter(([channel]) => channel === 'uploads:add').map(([, p]) => (p as { name: string }).name)).toEqual(['a.png', 'broken.jpg', 'b.png'])
    // Base64 of the file's bytes.
    expect((invokeMock.mock.calls[0]![1] as { data: string }).data).toBe(btoa('\0'.repeat(10)))
    // Kept for the session.
    expect(JSON.parse(sessionStorage.getItem('oss-img-studio.uploads')!)).toHaveLength(2)
  })

  it('lists uploads main announces (Open Image…) and shows the first; failures are reported', async () => {
    invokeMock.mockImplementation(() => new Promise(() => undefined) as never)
    render(<SourcesPanel />)
    events.get('uploads:added')!({ uploads: [{ uploadId: 'u9', name: 'menu.jpg', bytes: 5 }], failures: [{ name: 'big.tif', message: 'Could not open big.tif: too large' }] })
    expect(await screen.findByRole('button', { name: 'Remove menu.jpg' })).toBeTruthy()
    expect(useStudio.getState().selectedUploadId).toBe('u9')
    expect(screen.getByRole('alert').textContent).toContain('Could not open big.tif')
  })

  it('removing the shown upload shows the next one', async () => {
    invokeMock.mockImplementation(() => new Promise(() => undefined) as never)
    useSources.setState({ uploads: [{ uploadId: 'u1', name: 'one.png', bytes: 1 }, { uploadId: 'u2', name: 'two.png', bytes: 1 }] })
    useStudio.getState().selectUpload('u1')
    render(<SourcesPanel />)
    await userEvent.click(screen.getByRole('button', { name: 'Remove one.png' }))
    expect(useStudio.getState().selectedUploadId).toBe('u2')
    expect(screen.queryByRole('button', { name: 'Remove one.png' })).toBeNull()
  })
})

describe('badges', () => {
  const base = { kind: 'image', data: '', contentType: 'image/png', width: 10, height: 10, format: 'png', bytes: 100, sourceBytes: 200, sourceWidth: 10, sourceHeight: 10, renderMs: 1 } as const
  it('come from the engine’s warnings and a result larger than the original', () => {
    expect(badgesOf(base)).toEqual([])
    expect(badgesOf({ ...base, bytes: 300 }).map((b) => [b.code, b.label, b.detail])).toEqual([['LargerFile', 'Larger file', expect.stringContaining('50% larger')]])
    const warned = badgesOf({ ...base, warnings: [{ code: 'WatermarkClipped', action: 'watermark', message: 'watermark: only 40% fits' }, { code: 'Upscaled', action: 'resize', message: 'resize: enlarges 2×' }] })
    expect(warned.map((b) => b.label)).toEqual(['Watermark cropped', 'Upscaled'])
    expect(warned[0]!.detail).toBe('watermark: only 40% fits')
  })
})

describe('sample sets', () => {
  it('pins to the open style’s own set; a style without one shows the general set', async () => {
    invokeMock.mockImplementation(() => new Promise(() => undefined) as never)
    localStorage.clear()
    useSources.setState({ pinned: {} })
    useStudio.setState({ activeId: 'local', selectedKey: 'landscape.jpg', selectedUploadId: undefined, listing: { status: 'idle' } })
    useLibrary.setState({ currentName: undefined })
    const { rerender } = render(<SampleGrid process="image/resize,w_100" onOpen={() => undefined} />)
    await userEvent.click(screen.getByRole('button', { name: 'Pin current image' }))
    expect(useSources.getState().pinned).toEqual({ [sampleSetKey('local')]: ['landscape.jpg'] })

    // A style with no samples of its own: the general set, said so; pinning starts its own.
    useLibrary.setState({ currentName: 'thumb' })
    useStudio.setState({ selectedKey: 'portrait.jpg' })
    rerender(<SampleGrid process="image/resize,w_100" onOpen={() => undefined} />)
    expect(screen.getByTestId('samples-hint').textContent).toContain('thumb has none of its own')
    expect([...document.querySelectorAll('[data-sample]')].map((e) => e.getAttribute('data-sample'))).toEqual(['landscape.jpg'])
    await userEvent.click(screen.getByRole('button', { name: 'Pin current image' }))
    expect(useSources.getState().pinned[sampleSetKey('local', 'thumb')]).toEqual(['portrait.jpg'])
    expect([...document.querySelectorAll('[data-sample]')].map((e) => e.getAttribute('data-sample'))).toEqual(['portrait.jpg'])
    expect(screen.getByTestId('samples-hint').textContent).toContain('The samples of the style thumb')
    // Remembered across sessions.
    expect(JSON.parse(localStorage.getItem('oss-img-studio.samples')!)).toEqual({ local: ['landscape.jpg'], 'local\nstyle:thumb': ['portrait.jpg'] })
  })
})
