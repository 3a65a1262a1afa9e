/**
 * The active profile's bucket: prefix navigation, objects with sizes and lazy thumbnails, a name
 * filter (this folder as you type, or the whole tree under it: search.ts) and checkboxes for
 * several objects (selection.ts), kept apart from the one object a row click previews.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from '../i18n'
import { formatNumber } from '../i18n/format'
import { useStudio } from '../state/store'
import type { ObjectEntry } from '../state/types'
import { ErrorCallout } from '../ui/ErrorCallout'
import { Empty, Spinner } from '../ui/Empty'
import { formatBytes, formatDate, looksLikeImage, relativeKey } from '../ui/format'
import { Icon } from '../ui/Icon'
import { cancelDeepSearch, endDeepSearch, matchesQuery, SEARCH_CAP, startDeepSearch, useDeepSearch, type DeepSearchState } from './search'
import { clearChecked, setChecked, toggleChecked, useCheckedKeys } from './selection'
import { Thumbnail } from './Thumbnail'

function Breadcrumbs({ bucket, prefix, open }: { bucket: string; prefix: string; open: (prefix: string) => void }) {
  const { t } = useTranslation()
  const parts = prefix.split('/').filter(Boolean)
  return (
    <nav className="crumbs" aria-label={t('oss.folder')}>
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

function SearchIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true">
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.5 10.5l3.25 3.25" />
    </svg>
  )
}

/** One object: its checkbox, and the row button that previews it (`data-key`). */
function ObjectRow({ object, prefix, profileId, current, checked, showPath, onCheck }: { object: ObjectEntry; prefix: string; profileId: string; current: boolean; checked: boolean; showPath: boolean; onCheck: (key: string, range: boolean) => void }) {
  const { t } = useTranslation()
  const name = relativeKey(object.key, prefix)
  const slash = name.lastIndexOf('/')
  const base = showPath && slash >= 0 ? name.slice(slash + 1) : name
  const image = looksLikeImage(object.key, object.contentType)
  return (
    <li className="object-row" data-checked={checked ? 'true' : undefined}>
      <input
        type="checkbox"
        className="object-check"
        aria-label={t('oss.select', { name })}
        checked={checked}
        onChange={(event) => onCheck(object.key, (event.nativeEvent as MouseEvent).shiftKey === true)}
        title={t('oss.checkHint')}
      />
      <button type="button" className="object" data-key={object.key} aria-current={current ? 'true' : undefined} onClick={() => useStudio.getState().select(object.key)} title={object.key}>
        {image ? (
          <Thumbnail source={{ kind: 'object', profileId, key: object.key }} cacheKey={`${profileId}\n${object.key}\n${object.etag ?? ''}`} name={name} />
        ) : (
          <span className="thumb">
            <Icon name="file" />
          </span>
        )}
        <span style={{ minWidth: 0 }}>
          <span className="object-name" style={{ display: 'block' }}>
            {base}
          </span>
          {showPath && slash >= 0 ? <span className="object-path">{name.slice(0, slash + 1)}</span> : null}
          <span className="object-meta">
            <span className="object-size">{formatBytes(object.size)}</span>
            {` · ${formatDate(object.lastModified)}`}
          </span>
        </span>
      </button>
    </li>
  )
}

function FolderRow({ label, meta, prefix, onOpen }: { label: string; meta?: string; prefix?: string; onOpen: () => void }) {
  return (
    <li className="object-row">
      <span className="object-check-spacer" />
      <button type="button" className="object" data-prefix={prefix} onClick={onOpen}>
        <span className="thumb folder">
          <Icon name="folder" />
        </span>
        <span>
          <span className="object-name" style={{ display: 'block' }}>
            {label}
          </span>
          {meta ? <span className="object-meta">{meta}</span> : null}
        </span>
      </button>
    </li>
  )
}

/** "Select all" over the rows shown, the count of checked objects (in any folder) and Clear. */
function SelectionBar({ visible }: { visible: readonly string[] }) {
  const { t } = useTranslation()
  const checked = useCheckedKeys()
  const shown = visible.filter((k) => checked.includes(k)).length
  const all = visible.length > 0 && shown === visible.length
  const box = useRef<HTMLInputElement>(null)
  useLayoutEffect(() => {
    if (box.current) box.current.indeterminate = shown > 0 && !all
  }, [shown, all])
  return (
    <div className="selection-bar">
      <label className="selection-all">
        <input ref={box} type="checkbox" checked={all} disabled={visible.length === 0} onChange={() => setChecked(visible, !all)} aria-label={all ? t('oss.clearShown') : t('oss.selectAllShown')} />
        <span>{all ? t('oss.allShown') : t('oss.selectAll')}</span>
      </label>
      {checked.length > 0 ? (
        <>
          <span className="selection-count" role="status" aria-live="polite">
            {t('oss.selected', { count: checked.length })}
          </span>
          <button type="button" className="btn ghost small" onClick={clearChecked}>
            {t('oss.clear')}
          </button>
        </>
      ) : (
        <span className="selection-count muted">{t('oss.objects', { count: visible.length, formatted: formatNumber(visible.length) })}</span>
      )}
    </div>
  )
}

function SearchNote({ search, matches }: { search: DeepSearchState; matches: number }) {
  const { t } = useTranslation()
  const searched = formatNumber(search.objects.length)
  const where = search.prefix || t('oss.theBucket')
  if (search.status === 'running') {
    return (
      <div className="search-note" role="status">
        <Spinner label={t('oss.searching')} />
        <span>{t('oss.searchingIn', { where, searched })}</span>
        <button type="button" className="btn ghost small" onClick={cancelDeepSearch}>
          {t('common.cancel')}
        </button>
      </div>
    )
  }
  const stopped = search.status === 'cancelled' ? t('oss.cancelled') : search.capped ? t('oss.capped', { cap: formatNumber(SEARCH_CAP) }) : ''
  return (
    <div className="search-note" role="status">
      <span>
        {t('oss.searched', { searched, where })}
        {stopped} · {t('oss.matches', { count: matches })}
      </span>
      <button type="button" className="btn ghost small" onClick={endDeepSearch}>
        {t('oss.backToFolder')}
      </button>
    </div>
  )
}

export function BucketBrowser() {
  const { t } = useTranslation()
  const activeId = useStudio((s) => s.activeId)
  const profiles = useStudio((s) => s.profiles)
  const prefix = useStudio((s) => s.prefix)
  const listing = useStudio((s) => s.listing)
  const selectedKey = useStudio((s) => s.selectedKey)
  const loadingMore = useStudio((s) => s.loadingMore)
  const { openPrefix, reloadListing, loadMore } = useStudio.getState()
  const checked = useCheckedKeys()
  const search = useDeepSearch()
  const [query, setQuery] = useState('')

  // A filter belongs to the folder it was typed in.
  useEffect(() => setQuery(''), [prefix, activeId])

  const profile = useMemo(() => ('data' in profiles && profiles.data ? profiles.data.list.find((p) => p.id === activeId) : undefined), [profiles, activeId])
  const bucket = profile?.bucket ?? 'bucket'
  const data = 'data' in listing ? listing.data : undefined
  const deep = search.status !== 'idle'

  const objects = useMemo(() => {
    const source = deep ? search.objects : (data?.objects ?? [])
    return query ? source.filter((o) => matchesQuery(relativeKey(o.key, prefix), query)) : source
  }, [deep, search.objects, data?.objects, query, prefix])
  const folders = useMemo(() => (deep || !data ? [] : data.prefixes.filter((p) => matchesQuery(relativeKey(p, prefix), query))), [deep, data, query, prefix])
  const visibleKeys = useMemo(() => objects.map((o) => o.key), [objects])
  const onCheck = (key: string, range: boolean) => toggleChecked(key, { range, visible: visibleKeys })

  const rows = (profileId: string) =>
    objects.map((o) => <ObjectRow key={o.key} object={o} prefix={prefix} profileId={profileId} current={o.key === selectedKey} checked={checked.includes(o.key)} showPath={deep} onCheck={onCheck} />)

  let body: React.ReactNode
  if (!activeId || listing.status === 'idle' || (listing.status === 'loading' && !data)) {
    body = <SkeletonRows />
  } else if (listing.status === 'error' && !data) {
    body = (
      <div style={{ padding: 12 }}>
        <ErrorCallout error={listing.error} title={t('oss.listFailed')}>
          <div style={{ marginTop: 10 }}>
            <button type="button" className="btn small" onClick={() => void reloadListing()}>
              {t('common.tryAgain')}
            </button>
          </div>
        </ErrorCallout>
      </div>
    )
  } else if (deep) {
    body = (
      <>
        <SearchNote search={search} matches={objects.length} />
        {search.status === 'error' && search.error ? (
          <div style={{ padding: '0 12px 12px' }}>
            <ErrorCallout error={search.error} title={t('oss.searchStopped')} />
          </div>
        ) : null}
        {objects.length > 0 ? (
          <ul className="objects" aria-label={t('oss.objectsLabel')} onKeyDown={moveFocus}>
            {rows(search.profileId ?? activeId)}
          </ul>
        ) : search.status !== 'running' ? (
          <Empty icon="folder" title={t('oss.noMatches')}>
            {t('oss.nothingUnder', { where: prefix || t('oss.theBucket'), query })}
          </Empty>
        ) : null}
      </>
    )
  } else if (data && data.objects.length === 0 && data.prefixes.length === 0) {
    body = (
      <Empty icon="folder" title={prefix ? t('oss.folderEmpty') : t('oss.bucketEmpty')}>
        {t('oss.uploadHint', { bucket })}
      </Empty>
    )
  } else if (data) {
    const nothing = query !== '' && objects.length === 0 && folders.length === 0
    body = (
      <>
        <ul className="objects" aria-label={t('oss.objectsLabel')} onKeyDown={moveFocus}>
          {prefix ? <FolderRow label=".." onOpen={() => void openPrefix(prefix.split('/').slice(0, -2).map((p) => `${p}/`).join(''))} /> : null}
          {folders.map((p) => (
            <FolderRow key={p} label={relativeKey(p, prefix).replace(/\/$/, '')} meta={t('oss.folderMeta')} prefix={p} onOpen={() => void openPrefix(p)} />
          ))}
          {rows(data.profileId)}
        </ul>
        {nothing ? (
          <Empty icon="folder" title={t('oss.noMatchesHere')}>
            <button type="button" className="btn small" onClick={() => void startDeepSearch()}>
              {t('oss.searchSubfolders')}
            </button>
          </Empty>
        ) : null}
        {listing.status === 'error' ? (
          <div style={{ padding: '0 12px 12px' }}>
            <ErrorCallout error={listing.error} title={t('oss.loadMoreFailed')} />
          </div>
        ) : null}
        {data.nextContinuationToken ? (
          <div className="list-footer">
            <button type="button" className="btn small" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? t('common.loading') : t('oss.loadMore')}
            </button>
          </div>
        ) : null}
      </>
    )
  }

  return (
    <section className="panel sidebar" aria-label={t('oss.browser')}>
      <div className="panel-header">
        <Icon name="bucket" />
        <Breadcrumbs bucket={bucket} prefix={prefix} open={(p) => void openPrefix(p)} />
        <button type="button" className="btn ghost icon small" onClick={() => void reloadListing()} aria-label={t('common.refresh')} title={t('common.refresh')} disabled={!activeId}>
          {listing.status === 'loading' && data ? <span className="spinner" /> : <Icon name="refresh" />}
        </button>
      </div>
      <div className="browser-tools">
        <div className="search-field">
          <SearchIcon />
          <input
            type="search"
            className="search-input"
            aria-label={t('oss.search')}
            placeholder={deep ? t('oss.filterResults') : t('oss.filterByName')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              // Enter widens the search to everything under the folder; Escape clears it.
              if (event.key === 'Enter' && !deep) void startDeepSearch()
              if (event.key === 'Escape' && (query || deep)) {
                event.preventDefault()
                setQuery('')
                endDeepSearch()
              }
            }}
            disabled={!activeId}
          />
          <button
            type="button"
            className="btn ghost small"
            onClick={() => void startDeepSearch()}
            disabled={!activeId || search.status === 'running'}
            title={t('oss.deepHint', { where: prefix || t('oss.bucketRoot'), cap: formatNumber(SEARCH_CAP) })}
          >
            {deep ? t('oss.searchAgain') : t('oss.subfolders')}
          </button>
        </div>
        {data || deep ? <SelectionBar visible={visibleKeys} /> : null}
      </div>
      <div className="panel-body" aria-busy={listing.status === 'loading' || search.status === 'running'}>
        {body}
      </div>
    </section>
  )
}
