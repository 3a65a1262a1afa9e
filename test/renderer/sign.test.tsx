/**
 * @vitest-environment happy-dom
 *
 * Signed URLs: the options become `sign:url` payloads (expiry, V1/V4, custom domain, download name,
 * `style/NAME` when the string equals a bucket style, none), CSV quoting, list and CSV copies of
 * the checked objects through Electron's clipboard channel, the source-protection warning and its
 * one-click switch, OSS's error in the panel, Escape; the checked set's Shift-click ranges.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Channel, RequestOf } from '../../src-shared/ipc/contract'
import { IpcError } from '../../src-renderer/src/ipc/client'
import type * as Client from '../../src-renderer/src/ipc/client'
import { clearChecked, getCheckedKeys, setChecked, toggleChecked } from '../../src-renderer/src/oss/selection'
import { csvField, expirySeconds, matchingStyle, signRequest, toCsv } from '../../src-renderer/src/sign/model'
import { SignedUrlButton } from '../../src-renderer/src/sign/SignedUrlButton'
import { useSignOptions, useSignRemote } from '../../src-renderer/src/sign/state'
import { setProcessString } from '../../src-renderer/src/state/process'
import { useStudio } from '../../src-renderer/src/state/store'

type Call = { channel: Channel; payload: Record<string, unknown> }
const calls: Call[] = []
let protection: 'on' | 'off' | 'unknown' = 'off'
let signFailure: IpcError | undefined

vi.mock('../../src-renderer/src/ipc/client', async (importOriginal) => {
  const original = await importOriginal<typeof Client>()
  return {
    ...original,
    onConnectionState: () => () => undefined,
    onEvent: () => () => undefined,
    invoke: vi.fn(async (channel: Channel, payload: Record<string, unknown>) => {
      calls.push({ channel, payload })
      if (channel === 'styles:diff') return { styles: [{ name: 'thumb', state: 'bucket-only', bucket: 'image/resize,m_fill,w_200,h_200' }, { name: 'local', state: 'local-only', local: 'image/rotate,90' }] }
      if (channel === 'sign:check') return { sourceProtection: protection, status: protection === 'on' ? 403 : 200 }
      if (channel === 'clipboard:write') return {}
      if (channel === 'sign:url') {
        if (signFailure) throw signFailure
        const p = payload as RequestOf<'sign:url'>
        return { url: `https://b.example.com/${encodeURIComponent(p.key)}?x-oss-process=${p.process ?? ''}&v=${p.version}`, expiresAt: '2030-01-01T00:00:00.000Z' }
      }
      throw new Error(`unexpected ${channel}`)
    })
  }
})

const signCalls = () => calls.filter((c) => c.channel === 'sign:url').map((c) => c.payload)
const clipboard = () => calls.filter((c) => c.channel === 'clipboard:write').map((c) => c.payload.text as string)

beforeEach(() => {
  calls.length = 0
  protection = 'off'
  signFailure = undefined
  clearChecked()
  useSignOptions.setState({ expiry: { preset: 3_600 }, version: 'v4', useCustomDomain: true, fileName: '', apply: undefined })
  useSignRemote.setState({ styles: {}, protection: {} })
  useStudio.setState({
    info: { version: 't', mode: 'electron', dataDir: '/tmp', secretProtection: 'os-keychain' },
    activeId: 'p1',
    profiles: { status: 'ready', data: { list: [{ id: 'p1', name: 'P', kind: 'oss', bucket: 'b', hasStsToken: false, customDomain: 'img.example.com' }] } },
    selectedKey: 'a.jpg'
  })
  setProcessString('image/resize,w_100')
})
afterEach(() => cleanup())

async function openPanel() {
  await userEvent.click(screen.getByRole('button', { name: 'Signed URL options' }))
  return screen.getByRole('dialog', { name: 'Signed URL' })
}

describe('model', () => {
  it('quotes CSV fields that need it (RFC 4180) and writes key,url,expires_at rows', () => {
    expect(csvField('plain.jpg')).toBe('plain.jpg')
    expect(csvField('a,b.jpg')).toBe('"a,b.jpg"')
    expect(csvField('say "hi".jpg')).toBe('"say ""hi"".jpg"')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(' edge')).toBe('" edge"')
    expect(toCsv([{ key: 'x,1.jpg', url: 'https://h/x%2C1.jpg?a=1&b=2', expiresAt: 'T' }])).toBe('key,url,expires_at\r\n"x,1.jpg",https://h/x%2C1.jpg?a=1&b=2,T\r\n')
  })

  it('expiry: presets, custom units, OSS’s 7-day maximum', () => {
    expect(expirySeconds({ preset: 900 })).toEqual({ seconds: 900 })
    expect(expirySeconds({ custom: '90', unit: 'minutes' })).toEqual({ seconds: 5_400 })
    expect(expirySeconds({ custom: '7', unit: 'days' })).toEqual({ seconds: 604_800 })
    expect(expirySeconds({ custom: '7.5', unit: 'days' })).toHaveProperty('error')
    expect(expirySeconds({ custom: '0', unit: 'hours' })).toHaveProperty('error')
    expect(expirySeconds({ custom: 'abc', unit: 'hours' })).toHaveProperty('error')
  })

  it('a style matches by canonical form; styles and unparsable strings never match', () => {
    const styles = [{ name: 'thumb', process: 'image/resize,m_fill,w_200,h_200' }]
    expect(matchingStyle('image/resize,h_200,m_fill,w_200', styles)).toBe('thumb')
    expect(matchingStyle('image/resize,m_fill,w_200,h_201', styles)).toBeUndefined()
    expect(matchingStyle('style/thumb', styles)).toBeUndefined()
    expect(matchingStyle('image/resize,w_', styles)).toBeUndefined()
  })

  it('payloads: no process for none, an RFC 5987 attachment for a file name, the custom-domain choice only when the profile has one', () => {
    const base = { profileId: 'p1', process: '', expiresSeconds: 60, version: 'v1' as const, useCustomDomain: undefined, fileName: '' }
    expect(signRequest('k.jpg', base)).toEqual({ profileId: 'p1', key: 'k.jpg', expiresSeconds: 60, version: 'v1' })
    expect(signRequest('k.jpg', { ...base, process: 'style/thumb', useCustomDomain: false, fileName: ' 照片.jpg ' })).toEqual({
      profileId: 'p1',
      key: 'k.jpg',
      process: 'style/thumb',
      expiresSeconds: 60,
      version: 'v1',
      useCustomDomain: false,
      contentDisposition: `attachment; filename="__.jpg"; filename*=UTF-8''%E7%85%A7%E7%89%87.jpg`
    })
  })
})

describe('Copy signed URL', () => {
  it('copies at once with the defaults (V4, 1 hour, the custom domain) through Electron’s clipboard channel', async () => {
    render(<SignedUrlButton />)
    await userEvent.click(screen.getByRole('button', { name: 'Copy signed URL' }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied signed URL'))
    expect(signCalls()).toEqual([{ profileId: 'p1', key: 'a.jpg', process: 'image/resize,w_100', expiresSeconds: 3_600, version: 'v4', useCustomDomain: true }])
    expect(clipboard()).toEqual(['https://b.example.com/a.jpg?x-oss-process=image/resize,w_100&v=v4'])
  })

  it('options become the payload: V1, 1 day, custom domain off, a download name', async () => {
    render(<SignedUrlButton />)
    const panel = await openPanel()
    await userEvent.click(within(panel).getByRole('radio', { name: 'V1' }))
    await userEvent.click(within(panel).getByRole('radio', { name: '1 day' }))
    await userEvent.click(within(panel).getByRole('checkbox', { name: /Custom domain/ }))
    await userEvent.type(within(panel).getByRole('textbox', { name: 'Download file name' }), 'photo.jpg')
    // The live URL follows the options.
    await waitFor(() => expect((within(panel).getByRole('textbox', { name: 'Signed URL' }) as HTMLTextAreaElement).value).toContain('v=v1'))
    calls.length = 0
    await userEvent.click(screen.getByRole('button', { name: 'Copy signed URL' }))
    await waitFor(() => expect(clipboard()).toHaveLength(1))
    expect(signCalls()).toEqual([
      { profileId: 'p1', key: 'a.jpg', process: 'image/resize,w_100', expiresSeconds: 86_400, version: 'v1', useCustomDomain: false, contentDisposition: `attachment; filename="photo.jpg"; filename*=UTF-8''photo.jpg` }
    ])
  })

  it('a string equal to a bucket style signs style/NAME; "No processing" signs none; a custom expiry over 7 days is refused', async () => {
    setProcessString('image/resize,w_200,h_200,m_fill')
    render(<SignedUrlButton />)
    const panel = await openPanel()
    const processing = within(panel).getByRole('combobox', { name: 'Processing' }) as HTMLSelectElement
    await waitFor(() => expect(processing.value).toBe('style:thumb'))
    expect(within(panel).getByText('x-oss-process=style/thumb')).toBeTruthy()
    // Local-only styles are not offered: OSS would not know them.
    expect([...processing.options].map((o) => o.value)).toEqual(['current', 'style:thumb', 'none'])
    await userEvent.click(screen.getByRole('button', { name: 'Copy signed URL' }))
    await waitFor(() => expect(signCalls().at(-1)).toMatchObject({ process: 'style/thumb' }))

    fireEvent.change(processing, { target: { value: 'none' } })
    calls.length = 0
    await userEvent.click(screen.getByRole('button', { name: 'Copy signed URL' }))
    await waitFor(() => expect(clipboard()).toHaveLength(1))
    expect(signCalls().at(-1)).not.toHaveProperty('process')

    await userEvent.click(within(panel).getByRole('radio', { name: 'Custom' }))
    const custom = within(panel).getByRole('textbox', { name: 'Custom expiry' })
    await userEvent.clear(custom)
    await userEvent.type(custom, '8')
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Custom expiry unit' }), { target: { value: 'days' } })
    expect(within(panel).getByRole('alert').textContent).toContain('At most 7 days')
    expect(custom.getAttribute('aria-invalid')).toBe('true')
  })

  it('several checked objects: one URL per line, or CSV with proper quoting', async () => {
    setChecked(['a.jpg', 'dir/b,"c".jpg'], true)
    render(<SignedUrlButton />)
    await userEvent.click(screen.getByRole('button', { name: /Copy signed URL/ }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied 2 URLs'))
    expect(clipboard().at(-1)!.split('\n')).toEqual(['https://b.example.com/a.jpg?x-oss-process=image/resize,w_100&v=v4', 'https://b.example.com/dir%2Fb%2C%22c%22.jpg?x-oss-process=image/resize,w_100&v=v4'])

    const panel = await openPanel()
    expect(within(panel).getByText('2 checked objects')).toBeTruthy()
    expect(within(panel).queryByRole('textbox', { name: 'Download file name' })).toBeNull()
    await userEvent.click(within(panel).getByRole('button', { name: 'Copy as CSV' }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied 2 rows as CSV'))
    expect(clipboard().at(-1)).toBe(
      'key,url,expires_at\r\n' +
        'a.jpg,"https://b.example.com/a.jpg?x-oss-process=image/resize,w_100&v=v4",2030-01-01T00:00:00.000Z\r\n' +
        '"dir/b,""c"".jpg","https://b.example.com/dir%2Fb%2C%22c%22.jpg?x-oss-process=image/resize,w_100&v=v4",2030-01-01T00:00:00.000Z\r\n'
    )
    await userEvent.click(within(panel).getByRole('button', { name: 'Copy as list' }))
    await waitFor(() => expect(clipboard()).toHaveLength(3))
    expect(clipboard()[2]).toBe(clipboard()[0])
  })

  it('source-image protection on: warns for image/…, switches to the matching style in one click, and says so after a copy', async () => {
    protection = 'on'
    render(<SignedUrlButton />)
    // The string equals a bucket style, but the user chose the string itself.
    act(() => setProcessString('image/resize,m_fill,w_200,h_200'))
    const panel = await openPanel()
    const processing = within(panel).getByRole('combobox', { name: 'Processing' }) as HTMLSelectElement
    await waitFor(() => expect(processing.value).toBe('style:thumb'))
    expect(within(panel).queryByTestId('protection-warning')).toBeNull()
    expect(within(panel).getByTestId('protection-state').textContent).toContain('on')
    fireEvent.change(processing, { target: { value: 'current' } })
    const warning = await within(panel).findByTestId('protection-warning')
    expect(warning.textContent).toContain('Source-image protection is on')
    expect(warning.textContent).toContain('0040-00000031')
    expect(calls.find((c) => c.channel === 'sign:check')?.payload).toEqual({ profileId: 'p1', key: 'a.jpg' })

    await userEvent.click(screen.getByRole('button', { name: 'Copy signed URL' }))
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied signed URL · source protection is on'))

    await userEvent.click(within(warning).getByRole('button', { name: 'Use style/thumb' }))
    expect(processing.value).toBe('style:thumb')
    expect(within(panel).queryByTestId('protection-warning')).toBeNull()
  })

  it('no warning while protection is off', async () => {
    render(<SignedUrlButton />)
    const panel = await openPanel()
    await waitFor(() => expect(within(panel).getByTestId('protection-state').textContent).toContain('off'))
    expect(within(panel).queryByTestId('protection-warning')).toBeNull()
  })

  it('OSS’s error opens the panel with code and EC; a style missing from the bucket is flagged before signing', async () => {
    signFailure = new IpcError({ code: 'InvalidArgument', status: 400, ec: '0040-00000312', message: 'resize: expected an integer between 1 and 16384 for w but received "0"' })
    render(<SignedUrlButton />)
    await userEvent.click(screen.getByRole('button', { name: 'Copy signed URL' }))
    const panel = await screen.findByRole('dialog', { name: 'Signed URL' })
    const alert = within(panel).getAllByRole('alert')[0]!
    expect(alert.textContent).toContain('InvalidArgument')
    expect(within(alert).getByText('0040-00000312')).toBeTruthy()
    expect(clipboard()).toEqual([])

    signFailure = undefined
    act(() => setProcessString('style/local'))
    await waitFor(() => expect(within(panel).getAllByRole('alert')[0]!.textContent).toContain('NoSuchStyle'))
    calls.length = 0
    await userEvent.click(screen.getByRole('button', { name: 'Copy signed URL' }))
    await waitFor(() => expect(calls.some((c) => c.channel === 'styles:diff')).toBe(true))
    expect(signCalls()).toEqual([])
  })

  it('is a dialog: Escape closes it and the focus returns to the caret', async () => {
    render(<SignedUrlButton />)
    const caret = screen.getByRole('button', { name: 'Signed URL options' })
    await openPanel()
    expect(caret.getAttribute('aria-expanded')).toBe('true')
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(caret)
  })
})

describe('checked objects', () => {
  it('Shift-click checks the range from the last plain click; select all and clear', () => {
    const visible = ['a', 'b', 'c', 'd', 'e']
    toggleChecked('b', { visible })
    toggleChecked('d', { range: true, visible })
    expect(getCheckedKeys()).toEqual(['b', 'c', 'd'])
    // A range takes the clicked row's new state: unchecking c..b from anchor b.
    toggleChecked('c', { range: true, visible })
    expect(getCheckedKeys()).toEqual(['d'])
    setChecked(visible, true)
    expect(getCheckedKeys()).toEqual(['d', 'a', 'b', 'c', 'e'])
    clearChecked()
    expect(getCheckedKeys()).toEqual([])
  })

  it('a profile switch drops the checked set', () => {
    setChecked(['a'], true)
    useStudio.setState({ activeId: 'p2' })
    expect(getCheckedKeys()).toEqual([])
  })
})
