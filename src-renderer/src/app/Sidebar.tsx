/**
 * The studio's left column: "Images" (the images added from this computer and the active
 * profile's bucket) and "Styles" (the style library). Both stay mounted so switching tabs keeps
 * their state (scroll, a listing in flight).
 */
import { useState } from 'react'
import { StylesPanel } from '../library/StylesPanel'
import { BucketBrowser } from '../oss/BucketBrowser'
import { SourcesPanel } from '../sources/SourcesPanel'

type Tab = 'images' | 'styles'

const TABS: readonly { readonly id: Tab; readonly label: string }[] = [
  { id: 'images', label: 'Images' },
  { id: 'styles', label: 'Styles' }
]

export function Sidebar() {
  const [tab, setTab] = useState<Tab>('images')
  return (
    <div className="sidebar sidebar-tabs">
      <div className="sidebar-tablist" role="tablist" aria-label="Sidebar">
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`sidebar-tab-${t.id}`}
            type="button"
            role="tab"
            className="sidebar-tab"
            aria-selected={tab === t.id}
            aria-controls={`sidebar-panel-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
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
