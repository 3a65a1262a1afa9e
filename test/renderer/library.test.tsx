/**
 * @vitest-environment happy-dom
 *
 * The style library UI against a real main: `invoke` and `onEvent` of the renderer's IPC client
 * are routed to `createMainServices` (router.dispatch, the real library on a temp data dir, the
 * Local sandbox for the bucket), so what is checked here is what the studio does.
 * Covers: the Save style dialog (OSS's name rules before sending, disabled on an invalid string,
 * versions, keyboard and focus), versions and revert, and the bucket diff with its token marks.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Envelope } from '../../src-shared/ipc/contract'
import type * as Client from '../../src-renderer/src/ipc/client'
import { diffProcess } from '../../src-renderer/src/library/diff'
import { useLibrary } from '../../src-renderer/src/library/store'
import { SaveStyleButton, StylesPanel } from '../../src-renderer/src/library/StylesPanel'
import { resetEditor } from '../../src-renderer/src/state/editor'
import { getProcessString, setProcessString } from '../../src-renderer/src/state/process'
import { useStudio } from '../../src-renderer/src/state/store'

/**
 * What this file uses of src-main/app/main-services. Main is loaded by a computed path so this
 * file's typecheck (the renderer's tsconfig, without main's typings such as ali-oss's) stays out of it.
 */
interface MainServices {
  readonly router: { dispatch(channel: string, payload: unknown, signal?: AbortSignal): Promise<Envelope<unknown>> }
  onEvent(listener: (event: string, payload: unknown) => void): () => void
  close(): Promise<void>
}
const MAIN_SERVICES = '../../src-main/app/main-services'

const main = vi.hoisted(() => ({ services: undefined as MainServices | undefined }))

vi.mock('../../src-renderer/src/ipc/client', async (importOriginal) => {
  const actual = await importOriginal<typeof Client>()
  const invoke: typeof Client.invoke = async (channel, payload, options = {}) => {
    const envelope = await main.services!.router.dispatch(channel, payload, options.signal)
    if (options.signal?.aborted) throw new actual.IpcError({ code: 'Cancelled', message: 'The request was cancelled.' })
    if (!envelope.ok) throw new actual.IpcError(envelope.error)
    return envelope.result as never
  }
  const onEvent: typeof Client.onEvent = (event, listener) => main.services!.onEvent((name, payload) => {
    if (name === event) listener(payload as never)
  })
  return { ...actual, invoke, onEvent, onConnectionState: () => () => undefined }
})

let dataDir: string

beforeAll(async () => {
  const { createMainServices } = (await import(/* @vite-ignore */ MAIN_SERVICES)) as { createMainServices(options: { dataDir: string; mode: 'web'; version: string; log: (line: string) => void }): Promise<MainServices> }
  dataDir = mkdtempSync(join(tmpdir(), 'library-ui-'))
  main.services = await createMainServices({ dataDir, mode: 'web', version: '0.0.0-test', log: () => undefined })
  await useStudio.getState().loadProfiles()
})

afterEach(() => {
  cleanup()
  useLibrary.setState({ currentName: undefined })
})

afterAll(async () => {
  await main.services?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const invokeMain = (channel: string, payload: unknown) => main.services!.router.dispatch(channel, payload)

function studio() {
  render(
    <>
      <SaveStyleButton />
      <StylesPanel />
    </>
  )
  return { button: screen.getByRole('button', { name: 'Save style' }), library: screen.getByRole('region', { name: 'Style library' }) }
}

describe('Save style', () => {
  it('is disabled while the process string is empty, invalid or not an image/ chain', () => {
    resetEditor('')
    const { button } = studio()
    expect(button).toHaveProperty('disabled', true)
    act(() => setProcessString('image/resize,w_0'))
    expect(button).toHaveProperty('disabled', true)
    expect(button.getAttribute('title')).toContain('resize: expected an integer between 1 and 16384 for w')
    act(() => setProcessString('style/thumb'))
    expect(button).toHaveProperty('disabled', true)
    act(() => setProcessString('image/resize,w_100'))
    expect(button).toHaveProperty('disabled', false)
  })

  it('checks the name with OSS’s rules before sending, saves with Enter and returns focus', async () => {
    resetEditor('image/resize,w_120')
    const user = userEvent.setup()
    const { button, library } = studio()
    await user.click(button)
    const dialog = screen.getByRole('dialog', { name: 'Save style' })
    const name = within(dialog).getByRole('combobox', { name: 'Name' })
    expect(document.activeElement).toBe(name)

    await user.type(name, 'bad name')
    expect(within(dialog).getByTestId('style-name-error').textContent).toContain('The value: bad name of parameter: stylename is invalid.')
    expect(within(dialog).getByTestId('style-name-error').textContent).toContain('0017-00000251')
    expect(name.getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog).getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true)
    // Enter does not send an invalid name.
    await user.keyboard('{Enter}')
    expect(screen.queryByRole('dialog')).not.toBeNull()
    await user.clear(name)
    await user.type(name, 'x'.repeat(64))
    expect(within(dialog).getByTestId('style-name-error').textContent).toContain('0017-00000250')

    await user.clear(name)
    await user.type(name, 'ui-thumb')
    expect(within(dialog).getByTestId('save-note').textContent).toBe('Creates the style ui-thumb.')
    await user.type(within(dialog).getByRole('textbox', { name: /Description/ }), 'Small preview{Enter}')
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(document.activeElement).toBe(button)
    expect(screen.getByTestId('current-style').textContent).toBe('Style ui-thumb')

    const item = await within(library).findByRole('listitem', { name: 'ui-thumb' })
    expect(item.getAttribute('aria-current')).toBe('true')
    expect(within(item).getByText('image/resize,w_120')).toBeTruthy()
    expect(within(item).getByText('Small preview')).toBeTruthy()
    expect(within(item).getByTestId('version-count').textContent).toBe('1 version')

    // Another string: the header says so, and the dialog offers version 2 of the same name.
    act(() => setProcessString('image/resize,w_140'))
    expect(screen.getByTestId('current-style').textContent).toBe('Style ui-thumb • modified')
    await user.click(button)
    expect(within(screen.getByRole('dialog')).getByRole('combobox', { name: 'Name' })).toHaveProperty('value', 'ui-thumb')
    expect(screen.getByTestId('save-note').textContent).toBe('Saves version 2 of ui-thumb.')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(button)
  })
})

describe('versions', () => {
  it('lists versions newest first, opens one in the editor and reverts to one', async () => {
    await invokeMain('styles:save', { name: 'ui-versions', process: 'image/resize,w_100' })
    await invokeMain('styles:save', { name: 'ui-versions', process: 'image/resize,w_200/format,png' })
    resetEditor('image/rotate,90')
    const user = userEvent.setup()
    const { library } = studio()
    const item = await within(library).findByRole('listitem', { name: 'ui-versions' })
    expect(within(item).getByTestId('version-count').textContent).toBe('2 versions')

    await user.click(within(item).getByRole('button', { name: 'Actions for ui-versions' }))
    const menu = screen.getByRole('menu', { name: 'Actions for ui-versions' })
    expect(document.activeElement).toBe(within(menu).getByRole('menuitem', { name: 'Open in editor' }))
    await user.click(within(menu).getByRole('menuitem', { name: 'Versions' }))
    const versions = await within(item).findByRole('list', { name: 'Versions of ui-versions' })
    const rows = within(versions).getAllByRole('listitem')
    expect(rows.map((r) => r.getAttribute('data-version'))).toEqual(['2', '1'])
    expect(within(rows[0]!).getByText('current')).toBeTruthy()
    expect(within(rows[0]!).queryByRole('button', { name: /Revert/ })).toBeNull()
    expect(within(rows[1]!).getByText('image/resize,w_100')).toBeTruthy()

    await user.click(within(rows[1]!).getByRole('button', { name: 'Open version 1' }))
    expect(getProcessString()).toBe('image/resize,w_100')
    act(() => setProcessString('image/rotate,90'))

    await user.click(within(rows[1]!).getByRole('button', { name: 'Revert to version 1' }))
    await waitFor(() => expect(within(item).getByTestId('version-count').textContent).toBe('3 versions'))
    expect(getProcessString()).toBe('image/resize,w_100')
    expect(useLibrary.getState().currentName).toBe('ui-versions')
    await waitFor(() => expect(within(item).getAllByRole('listitem').map((r) => r.getAttribute('data-version'))).toEqual(['3', '2', '1']))
    await waitFor(() => expect(within(item).getByRole('status').textContent).toContain('Reverted to version 1'))
  })

  it('validates a new name before renaming', async () => {
    await invokeMain('styles:save', { name: 'ui-rename', process: 'image/resize,w_100' })
    resetEditor('image/rotate,90')
    const user = userEvent.setup()
    const { library } = studio()
    const item = await within(library).findByRole('listitem', { name: 'ui-rename' })
    await user.click(within(item).getByRole('button', { name: 'Actions for ui-rename' }))
    await user.click(screen.getByRole('menuitem', { name: 'Rename…' }))
    const input = within(item).getByRole('textbox', { name: 'New name for ui-rename' })
    await user.clear(input)
    await user.type(input, 'ui/renamed')
    expect(within(item).getByText(/stylename is invalid/).textContent).toContain('0017-00000251')
    expect(within(item).getByRole('button', { name: 'Rename' })).toHaveProperty('disabled', true)
    await user.clear(input)
    await user.type(input, 'ui-renamed{Enter}')
    expect(await within(library).findByRole('listitem', { name: 'ui-renamed' })).toBeTruthy()
    expect(within(library).queryByRole('listitem', { name: 'ui-rename' })).toBeNull()
  })
})

describe('sync with bucket', () => {
  it('marks the differing tokens of two process strings', () => {
    const { left, right } = diffProcess('image/resize,m_fill,w_200,h_200/quality,q_80', 'image/resize,m_fill,w_300,h_200')
    const marked = (parts: typeof left) => parts.filter((p) => p.changed).map((p) => p.text)
    expect(marked(left)).toEqual(['w_200', 'quality', 'q_80'])
    expect(marked(right)).toEqual(['w_300'])
    expect(left.map((p) => p.text).join('')).toBe('image/resize,m_fill,w_200,h_200/quality,q_80')
  })

  it('shows each style’s state against the Local sandbox bucket, with the diff, and pushes', async () => {
    // The demo bucket has thumb = image/resize,m_fill,w_200,h_200.
    await invokeMain('styles:save', { name: 'thumb', process: 'image/resize,m_fill,w_300,h_200' })
    resetEditor('image/rotate,90')
    const user = userEvent.setup()
    const { library } = studio()
    const thumb = await within(library).findByRole('listitem', { name: 'thumb' })
    await waitFor(() => expect(within(thumb).getByTitle(/different content/).textContent).toBe('differs'))
    expect(within(await within(library).findByRole('listitem', { name: 'ui-versions' })).getByText('local only')).toBeTruthy()

    await user.click(within(library).getByRole('button', { name: /Sync with bucket/ }))
    const sync = screen.getByRole('region', { name: 'Sync with bucket' })
    const differences = within(sync).getByRole('list', { name: 'Differences' })
    const entry = within(differences).getByRole('listitem', { name: 'thumb' })
    const diff = within(entry).getByTestId('sync-diff')
    expect([...diff.querySelectorAll('mark[data-side="local"]')].map((m) => m.textContent)).toEqual(['w_300'])
    expect([...diff.querySelectorAll('mark[data-side="bucket"]')].map((m) => m.textContent)).toEqual(['w_200'])
    expect(within(differences).getByRole('listitem', { name: 'webp-800' }).getAttribute('data-state')).toBe('bucket-only')
    expect(within(sync).getByText('4 of 50 styles')).toBeTruthy()

    await user.click(within(differences).getByRole('button', { name: 'Push ui-versions' }))
    await waitFor(() => expect(within(differences).queryByRole('listitem', { name: 'ui-versions' })).toBeNull())
    expect(within(sync).getByTestId('sync-same').textContent).toContain('ui-versions')
    expect(within(sync).getByText('5 of 50 styles')).toBeTruthy()

    // Pull the bucket's thumb: the library takes its content as a new version.
    await user.click(within(differences).getByRole('button', { name: 'Pull thumb' }))
    await waitFor(() => expect(within(sync).getByTestId('sync-same').textContent).toContain('thumb'))
    const listed = (await invokeMain('styles:list', {})) as { ok: true; result: { styles: { name: string; process: string; versions: number }[] } }
    expect(listed.result.styles.find((s) => s.name === 'thumb')).toMatchObject({ process: 'image/resize,m_fill,w_200,h_200', versions: 2 })
  })
})

describe('unreadable style files', () => {
  it('are named with the reason and can be deleted', async () => {
    const file = join(dataDir, 'styles', 'damaged.json')
    writeFileSync(file, '{ "name": "damaged", "content": ')
    const user = userEvent.setup()
    const { library } = studio()
    const alert = await within(library).findByRole('alert', { name: 'Unreadable styles' })
    expect(alert.textContent).toContain('A style file cannot be read')
    expect(alert.textContent).toContain('damaged')
    expect(alert.textContent).toContain('style "damaged" cannot be read')
    // The readable styles are still listed.
    expect(await within(library).findByRole('listitem', { name: 'thumb' })).toBeTruthy()

    await user.click(within(alert).getByRole('button', { name: 'Delete unreadable style damaged' }))
    await waitFor(() => expect(within(library).queryByRole('alert', { name: 'Unreadable styles' })).toBeNull())
    expect(existsSync(file)).toBe(false)
  })
})
