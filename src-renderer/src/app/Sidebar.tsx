/**
 * The studio's left column: "Images" (the images added from this computer and the active
 * profile's bucket) and "Styles" (the style library). Both stay mounted so switching tabs keeps
 * their state (scroll, a listing in flight).
 */
import { useState } from 'react'
import { useTranslation } from '../i18n'
import type { MessageKey } from '../i18n/keys'
import { StylesPanel } from '../library/StylesPanel'
import { BucketBrowser } from '../oss/BucketBrowser'
import { SourcesPanel } from '../sources/SourcesPanel'

type Tab = 'images' | 'styles'

const TABS: readonly { readonly id: Tab; readonly label: MessageKey }[] = [
  { id: 'images', label: 'app.sidebar.images' },
  { id: 'styles', label: 'app.sidebar.styles' }
]

export function Sidebar() {
  const { t } = useTranslation()
  const [tab, setTab] = useState<Tab>('images')
  return (
    <div className="sidebar sidebar-tabs">
      <div className="sidebar-tablist" role="tablist" aria-label={t('app.sidebar.label')}>
        {TABS.map((item) => (
          <button
            key={item.id}
            id={`sidebar-tab-${item.id}`}
            type="button"
            role="tab"
            className="sidebar-tab"
            aria-selected={tab === item.id}
            aria-controls={`sidebar-panel-${item.id}`}
            onClick={() => setTab(item.id)}
          >
            {t(item.label)}
          </button>
        ))}
      </div>
      <div id="sidebar-panel-images" role="tabpanel" aria-labelledby="sidebar-tab-images" className="sidebar-panel" hidden={tab !== 'images'}>
        <SourcesPanel />
        <BucketBrowser />
      </div>
      <div id="sidebar-panel-styles" role="tabpanel" aria-labelledby="sidebar-tab-styles" className="sidebar-panel" hidden={tab !== 'styles'}>
        <StylesPanel />
      </div>
    </div>
  )
}
