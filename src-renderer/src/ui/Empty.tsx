import type { ReactNode } from 'react'
import { useTranslation } from '../i18n'
import { Icon, type IconName } from './Icon'

export function Empty({ icon, title, children }: { icon: IconName; title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <Icon name={icon} size={28} />
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  )
}

export function Spinner({ large, label }: { large?: boolean; label?: string }) {
  const { t } = useTranslation()
  return <span className={large ? 'spinner large' : 'spinner'} role="progressbar" aria-label={label ?? t('common.loadingLabel')} />
}
