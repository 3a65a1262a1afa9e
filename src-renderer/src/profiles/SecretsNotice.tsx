/**
 * A warning when the vault's secrets are protected only by a key file beside them (browser mode or
 * the CLI without an OS keyring and without OSS_IMG_STUDIO_PASSPHRASE): anyone who can read the data
 * folder can decrypt them. Shown where secrets are entered. README: Security.
 */
import { useStudio } from '../state/store'
import { Icon } from '../ui/Icon'

export function SecretsNotice() {
  const info = useStudio((s) => s.info)
  if (info?.secretProtection !== 'key-file') return null
  return (
    <div className="warning-note secrets-notice" role="note" aria-label="Secrets are weakly protected">
      <Icon name="alert" />
      <div>
        <strong>Saved secrets are only as safe as this folder.</strong> No OS keyring answered, so they are encrypted with a key kept beside them
        (<code>vault.key</code> in <code>{info.dataDir}</code>): anyone who can read that folder can read them. Start the studio with{' '}
        <code>OSS_IMG_STUDIO_PASSPHRASE</code> set, or where an OS keyring (GNOME Keyring, KWallet, Keychain) is unlocked, and saved profiles move to it
        on their next save.
      </div>
    </div>
  )
}
