/**
 * @vitest-environment happy-dom
 *
 * The key-file warning: shown (naming vault.key, the data folder and the passphrase variable) only
 * when main reports that nothing but a key file beside the profiles protects their secrets.
 */
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { SecretsNotice } from '../../src-renderer/src/profiles/SecretsNotice'
import { useStudio } from '../../src-renderer/src/state/store'

afterEach(cleanup)

const withProtection = (secretProtection: 'os-keychain' | 'os-keyring' | 'passphrase' | 'key-file') =>
  useStudio.setState({ info: { version: 't', mode: 'web', dataDir: '/home/u/.oss-img-studio', secretProtection } })

describe('SecretsNotice', () => {
  it('warns when only the key file protects the secrets', () => {
    withProtection('key-file')
    render(<SecretsNotice />)
    const note = screen.getByRole('note', { name: 'Secrets are weakly protected' })
    expect(note.textContent).toContain('vault.key')
    expect(note.textContent).toContain('/home/u/.oss-img-studio')
    expect(note.textContent).toContain('OSS_IMG_STUDIO_PASSPHRASE')
  })

  it.each(['os-keychain', 'os-keyring', 'passphrase'] as const)('says nothing under %s', (protection) => {
    withProtection(protection)
    render(<SecretsNotice />)
    expect(screen.queryByRole('note')).toBeNull()
  })
})
