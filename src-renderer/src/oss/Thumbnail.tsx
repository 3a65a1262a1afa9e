/** A lazy, cancellable thumbnail: requested when the row scrolls into view, given up when it leaves. */
import { useEffect, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import { Icon } from '../ui/Icon'
import { Spinner } from '../ui/Empty'
import { cachedThumbnail, loadThumbnail, type ThumbRequest, type ThumbResult } from './thumbnails'
import { i18n } from '../i18n'

export interface ThumbnailProps {
  /** What to render; `cacheKey` names it (include a version such as the ETag). */
  readonly source: ThumbRequest['source']
  readonly cacheKey: string
  readonly name: string
  readonly onError?: (error: ErrorInfo) => void
}

export function Thumbnail({ source, cacheKey, name, onError }: ThumbnailProps) {
  const ref = useRef<HTMLSpanElement>(null)
  const [visible, setVisible] = useState(false)
  const [result, setResult] = useState<ThumbResult | undefined>(() => cachedThumbnail(cacheKey))
  const latest = useRef({ source, onError })
  latest.current = { source, onError }

  useEffect(() => {
    const element = ref.current
    if (!element) return
    const observer = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)), { rootMargin: '120px' })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  useEffect(() => {
    const hit = cachedThumbnail(cacheKey)
    if (hit) {
      setResult(hit)
      return
    }
    setResult(undefined)
    if (!visible) return
    const controller = new AbortController()
    loadThumbnail({ cacheKey, source: latest.current.source }, controller.signal).then((loaded) => {
      setResult(loaded)
      if ('error' in loaded) latest.current.onError?.(loaded.error)
    }, () => undefined)
    return () => controller.abort()
    // `source` is described by `cacheKey`.
  }, [cacheKey, visible])

  const failed = result !== undefined && 'error' in result
  return (
    <span ref={ref} className={failed ? 'thumb failed' : 'thumb'} title={failed ? `${result.error.code}: ${result.error.message}` : undefined} data-state={result === undefined ? 'loading' : failed ? 'error' : 'ready'}>
      {result === undefined ? visible ? <Spinner label={i18n.t('oss.loadingThumbnail', { name })} /> : <Icon name="image" /> : failed ? <Icon name="alert" /> : <img src={result.url} alt="" decoding="async" draggable={false} />}
    </span>
  )
}
