/**
 * "Local files": images added by dropping files anywhere on the window or with the "Add images"
 * picker. Each is sent to main (`uploads:add`), checked there by the engine, and can be previewed
 * like a bucket object (it has no bucket, so no "Compare with OSS" and no signed URL).
 */
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from '../i18n'
import { createPortal } from 'react-dom'
import { onEvent } from '../ipc/client'
import { Thumbnail } from '../oss/Thumbnail'
import { useStudio } from '../state/store'
import { Spinner } from '../ui/Empty'
import { ErrorCallout } from '../ui/ErrorCallout'
import { formatBytes } from '../ui/format'
import { Icon } from '../ui/Icon'
import { ACCEPT_ATTRIBUTE, useSources } from './store'

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true

/** Files dragged over the window: a full-window drop target (any other drop is refused, so the browser never navigates away). */
function useWindowDrop(onFiles: (files: File[]) => void): boolean {
  const [over, setOver] = useState(false)
  const depth = useRef(0)
  const handler = useRef(onFiles)
  handler.current = onFiles
  useEffect(() => {
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return
      depth.current += 1
      setOver(true)
    }
    const overWindow = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    }
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return
      depth.current = Math.max(0, depth.current - 1)
      if (depth.current === 0) setOver(false)
    }
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      depth.current = 0
      setOver(false)
      const files = [...(event.dataTransfer?.files ?? [])]
      if (files.length > 0) handler.current(files)
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragover', overWindow)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragover', overWindow)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [])
  return over
}

export function SourcesPanel() {
  const { t } = useTranslation()
  const uploads = useSources((s) => s.uploads)
  const adding = useSources((s) => s.adding)
  const failures = useSources((s) => s.failures)
  const missing = useSources((s) => s.missing)
  const selectedUploadId = useStudio((s) => s.selectedUploadId)
  const { addFiles, removeUpload, dismissFailures } = useSources.getState()
  const dragging = useWindowDrop((files) => void addFiles(files))
  useEffect(() => onEvent('uploads:added', ({ uploads, failures }) => useSources.getState().received(uploads, failures)), [])

  return (
    <section className="panel sources" aria-label={t('sources.label')}>
      <div className="panel-header">
        <span className="panel-title">{t('sources.title')}</span>
        <label className="btn small file-button">
          <Icon name="plus" size={14} />
          <span>{t('sources.add')}</span>
          <input
            type="file"
            multiple
            accept={ACCEPT_ATTRIBUTE}
            className="sr-only"
            onChange={(event) => {
              const files = [...(event.currentTarget.files ?? [])]
              // The same file can be chosen again later.
              event.currentTarget.value = ''
              if (files.length > 0) void addFiles(files)
            }}
          />
        </label>
      </div>
      <div className="sources-body">
        {adding > 0 ? (
          <p className="sources-note" role="status">
            <Spinner label={t('sources.addingLabel')} /> {t('sources.adding', { count: adding })}
          </p>
        ) : null}
        {failures.length > 0 ? (
          <div className="sources-failures">
            {failures.map((f, i) => (
              <ErrorCallout key={`${f.name}-${i}`} error={f.error} title={t('sources.addFailed', { name: f.name })} />
            ))}
            <button type="button" className="btn small ghost" onClick={dismissFailures}>
              {t('common.dismiss')}
            </button>
          </div>
        ) : null}
        {uploads.length === 0 ? (
          adding === 0 ? <p className="sources-note">{t('sources.note')}</p> : null
        ) : (
          <ul className="objects" aria-label={t('sources.added')}>
            {uploads.map((u) => {
              const gone = missing.includes(u.uploadId)
              return (
                <li key={u.uploadId} className="object-row">
                  <button
                    type="button"
                    className="object"
                    data-upload={u.name}
                    aria-current={u.uploadId === selectedUploadId ? 'true' : undefined}
                    onClick={() => useStudio.getState().selectUpload(u.uploadId)}
                    title={gone ? t('sources.goneHint', { name: u.name }) : u.name}
                  >
                    <Thumbnail
                      source={{ kind: 'upload', uploadId: u.uploadId }}
                      cacheKey={`upload\n${u.uploadId}`}
                      name={u.name}
                      onError={(error) => {
                        if (error.code === 'NoSuchUpload') useSources.getState().markMissing(u.uploadId)
                      }}
                    />
                    <span style={{ minWidth: 0 }}>
                      <span className="object-name" style={{ display: 'block' }}>
                        {u.name}
                      </span>
                      <span className="object-meta">{gone ? t('sources.addAgain') : `${formatBytes(u.bytes)} · ${t('sources.thisComputer')}`}</span>
                    </span>
                  </button>
                  <button type="button" className="btn ghost icon small row-action" aria-label={t('sources.remove', { name: u.name })} title={t('sources.removeHint')} onClick={() => removeUpload(u.uploadId)}>
                    ×
                  </button>
                </li>
              )
            })}
          </ul>
        )}
      </div>
      {dragging
        ? createPortal(
            <div className="drop-overlay" aria-hidden="true">
              <div className="drop-card">
                <Icon name="image" size={28} />
                <strong>{t('sources.drop')}</strong>
                <span>{t('sources.dropHint')}</span>
              </div>
            </div>,
            document.body
          )
        : null}
    </section>
  )
}
