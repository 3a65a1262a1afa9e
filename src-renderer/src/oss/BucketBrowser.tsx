/** The active profile's bucket: prefix navigation, objects with sizes and lazy thumbnails. */
import { useMemo } from 'react'
import { useStudio } from '../state/store'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty } from '../ui/Empty'
import { formatBytes, formatDate, looksLikeImage, relativeKey } from '../ui/format'
import { Icon } from '../ui/Icon'
import { Thumbnail } from './Thumbnail'

function Breadcrumbs({ bucket, prefix, open }: { bucket: string; prefix: string; open: (prefix: string) => void }) {
  const parts = prefix.split('/').filter(Boolean)
  return (
    <nav className="crumbs" aria-label="Folder">
      <button type="button" className="crumb" onClick={() => open('')} aria-current={parts.length === 0 ? 'location' : undefined} title={bucket}>
        {bucket}
      </button>
      {parts.map((part, i) => {
        const target = `${parts.slice(0, i + 1).join('/')}/`
        return (
          <span key={target} style={{ display: 'contents' }}>
            <span className="crumb-sep">/</span>
            <button type="button" className="crumb" onClick={() => open(target)} aria-current={i === parts.length - 1 ? 'location' : undefined} title={part}>
              {part}
            </button>
          </span>
        )
      })}
    </nav>
  )
}

function SkeletonRows() {
  return (
    <div aria-hidden="true" style={{ padding: 6 }}>
      {[0, 1, 2, 3, 4].map((i) => (
        <div key={i} className="skeleton-row">
          <div className="skeleton box" />
          <div className="lines">
            <div className="skeleton line" style={{ width: `${70 - i * 7}%` }} />
            <div className="skeleton line" style={{ width: '35%' }} />
          </div>
        </div>
      ))}
    </div>
  )
}

/** Up/Down (and Home/End) move between rows; moving onto an object selects it, as a click would. */
function moveFocus(event: React.KeyboardEvent<HTMLUListElement>) {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End']
  if (!keys.includes(event.key)) return
  const rows = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button.object')]
  const index = rows.indexOf(document.activeElement as HTMLButtonElement)
  const next = event.key === 'Home' ? 0 : event.key === 'End' ? rows.length - 1 : Math.min(rows.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))
  const target = rows[next]
  if (!target) return
  event.preventDefault()
  target.focus()
  if (target.dataset.key) target.click()
}

export function BucketBrowser() {
  const activeId = useStudio((s) => s.activeId)
  const profiles = useStudio((s) => s.profiles)
  const prefix = useStudio((s) => s.prefix)
  const listing = useStudio((s) => s.listing)
  const selectedKey = useStudio((s) => s.selectedKey)
  const loadingMore = useStudio((s) => s.loadingMore)
  const { openPrefix, reloadListing, loadMore, select } = useStudio.getState()

  const profile = useMemo(() => ('data' in profiles && profiles.data ? profiles.data.list.find((p) => p.id === activeId) : undefined), [profiles, activeId])
  const bucket = profile?.bucket ?? 'bucket'
  const data = 'data' in listing ? listing.data : undefined

  let body: React.ReactNode
  if (!activeId || listing.status === 'idle' || (listing.status === 'loading' && !data)) {
    body = <SkeletonRows />
  } else if (listing.status === 'error' && !data) {
    body = (
      <div style={{ padding: 12 }}>
        <ErrorCallout error={listing.error} title="Could not list the bucket">
          <div style={{ marginTop: 10 }}>
            <button type="button" className="btn small" onClick={() => void reloadListing()}>
              Try again
            </button>
          </div>
        </ErrorCallout>
      </div>
    )
  } else if (data && data.objects.length === 0 && data.prefixes.length === 0) {
    body = (
      <Empty icon="folder" title={prefix ? 'This folder is empty' : 'This bucket is empty'}>
        Objects you upload to <code>{bucket}</code> appear here.
      </Empty>
    )
  } else if (data) {
    body = (
      <>
        <ul className="objects" aria-label="Objects" onKeyDown={moveFocus}>
          {prefix ? (
            <li>
              <button type="button" className="object" onClick={() => void openPrefix(prefix.split('/').slice(0, -2).map((p) => `${p}/`).join(''))}>
                <span className="thumb folder">
                  <Icon name="folder" />
                </span>
                <span className="object-name">..</span>
              </button>
            </li>
          ) : null}
          {data.prefixes.map((p) => (
            <li key={p}>
              <button type="button" className="object" data-prefix={p} onClick={() => void openPrefix(p)}>
                <span className="thumb folder">
                  <Icon name="folder" />
                </span>
                <span>
                  <span className="object-name" style={{ display: 'block' }}>
                    {relativeKey(p, prefix).replace(/\/$/, '')}
                  </span>
                  <span className="object-meta">Folder</span>
                </span>
              </button>
            </li>
          ))}
          {data.objects.map((o) => {
            const name = relativeKey(o.key, prefix)
            const image = looksLikeImage(o.key, o.contentType)
            return (
              <li key={o.key}>
                <button type="button" className="object" data-key={o.key} aria-current={o.key === selectedKey ? 'true' : undefined} onClick={() => select(o.key)} title={o.key}>
                  {image ? (
                    <Thumbnail profileId={data.profileId} objectKey={o.key} etag={o.etag} name={name} />
                  ) : (
                    <span className="thumb">
                      <Icon name="file" />
                    </span>
                  )}
                  <span style={{ minWidth: 0 }}>
                    <span className="object-name" style={{ display: 'block' }}>
                      {name}
                    </span>
                    <span className="object-meta">
                      <span className="object-size">{formatBytes(o.size)}</span>
                      {` · ${formatDate(o.lastModified)}`}
                    </span>
                  </span>
                </button>
              </li>
            )
          })}
        </ul>
        {listing.status === 'error' ? (
          <div style={{ padding: '0 12px 12px' }}>
            <ErrorCallout error={listing.error} title="Could not load more" />
          </div>
        ) : null}
        {data.nextContinuationToken ? (
          <div className="list-footer">
            <button type="button" className="btn small" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </>
    )
  }

  return (
    <section className="panel sidebar" aria-label="Bucket browser">
      <div className="panel-header">
        <Icon name="bucket" />
        <Breadcrumbs bucket={bucket} prefix={prefix} open={(p) => void openPrefix(p)} />
        <button type="button" className="btn ghost icon small" onClick={() => void reloadListing()} aria-label="Refresh" title="Refresh" disabled={!activeId}>
          {listing.status === 'loading' && data ? <span className="spinner" /> : <Icon name="refresh" />}
        </button>
      </div>
      <div className="panel-body" aria-busy={listing.status === 'loading'}>
        {body}
      </div>
    </section>
  )
}
