/**
 * A warning when the vault's secrets are protected only by a key file beside them (browser mode or
 * the CLI without an OS keyring and without OSS_IMG_STUDIO_PASSPHRASE): anyone who can read the data
 * folder can decrypt them. Shown where secrets are entered. README: Security.
 */
import { Trans, useTranslation } from '../i18n'
import { useStudio } from '../state/store'
import { Icon } from '../ui/Icon'

export function SecretsNotice() {
  const { t } = useTranslation()
  const info = useStudio((s) => s.info)
  if (info?.secretProtection !== 'key-file') return null
  return (
    <div className="warning-note secrets-notice" role="note" aria-label={t('profiles.secrets.label')}>
      <Icon name="alert" />
      <div>
        <Trans i18nKey="profiles.secrets.text" values={{ dir: info.dataDir }} components={{ strong: <strong />, code: <code /> }} />
      </div>
    </div>
  )
}
