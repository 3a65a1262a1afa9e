/**
 * The studio's shell: top bar (name, view tabs, active profile), the current view, a status bar.
 * Studio = bucket browser | process string + live before/after preview | pipeline editor;
 * Jobs = bulk derivatives (they run in main); Links = URL matrices; Profiles = connections.
 */
import { useEffect } from 'react'
import { useTranslation } from '../i18n'
import { EditorPanel } from '../editor/EditorPanel'
import { JobsView } from '../jobs/JobsView'
import { LinksView } from '../links/LinksView'
import { PreviewPanel } from '../preview/PreviewPanel'
import { ProfilesView } from '../profiles/ProfilesView'
import { useStudio } from '../state/store'
import { Sidebar } from './Sidebar'
import { TopBar } from './TopBar'

function ConnectionBanner() {
  const { t } = useTranslation()
  const connection = useStudio((s) => s.connection)
  if (connection === 'reconnecting') {
    return (
      <div className="banner" role="status">
        {t('app.banner.reconnecting')}
      </div>
    )
  }
  if (connection === 'unauthorized') {
    return (
      <div className="banner danger" role="alert">
        {t('app.banner.unauthorized')}
      </div>
    )
  }
  return null
}

function StatusBar() {
  const info = useStudio((s) => s.info)
  const connection = useStudio((s) => s.connection)
  const { t } = useTranslation()
  const labels = {
    connecting: t('app.status.connecting'),
    open: t('app.status.open'),
    reconnecting: t('app.status.reconnecting'),
    unauthorized: t('app.status.unauthorized')
  } as const
  return (
    <footer className="statusbar">
      <span className="conn" data-state={connection} data-testid="connection">
        {labels[connection]}
      </span>
      <span>{info ? (info.mode === 'web' ? t('app.status.browserMode') : t('app.status.desktop')) : ''}</span>
      <span className="grow" title={info?.dataDir}>
        {info ? t('app.status.data', { dir: info.dataDir }) : ''}
      </span>
      <span>{info ? `v${info.version}` : ''}</span>
    </footer>
  )
}

export function App() {
  // Subscribing here re-renders the whole tree when the language changes (no reload needed).
  useTranslation()
  const view = useStudio((s) => s.view)
  useEffect(() => {
    void useStudio.getState().init()
  }, [])
  return (
    <div className="shell">
      <TopBar />
      <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
        <ConnectionBanner />
        {view === 'studio' ? (
          <main className="workspace with-editor" style={{ flex: 1 }}>
            <Sidebar />
            <PreviewPanel />
            <EditorPanel />
          </main>
        ) : view === 'jobs' ? (
          <main className="jobs-view-wrap" style={{ flex: 1, display: 'grid', minHeight: 0 }}>
            <JobsView />
          </main>
        ) : view === 'links' ? (
          <main className="links-view-wrap" style={{ flex: 1, display: 'grid', minHeight: 0 }}>
            <LinksView />
          </main>
        ) : (
          <main className="profiles-view-wrap" style={{ flex: 1, display: 'grid', minHeight: 0 }}>
            <ProfilesView />
          </main>
        )}
      </div>
      <StatusBar />
    </div>
  )
}
