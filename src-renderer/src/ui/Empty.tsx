import type { ReactNode } from 'react'
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
  return <span className={large ? 'spinner large' : 'spinner'} role="progressbar" aria-label={label ?? 'Loading'} />
}
