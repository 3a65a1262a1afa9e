/** A lazy, cancellable thumbnail: requested when the row scrolls into view, given up when it leaves. */
import { useEffect, useRef, useState } from 'react'
import { Icon } from '../ui/Icon'
import { Spinner } from '../ui/Empty'
import { cachedThumbnail, loadThumbnail, type ThumbResult } from './thumbnails'

export function Thumbnail({ profileId, objectKey, etag, name }: { profileId: string; objectKey: string; etag: string | undefined; name: string }) {
  const cacheKey = `${profileId}\n${objectKey}\n${etag ?? ''}`
  const ref = useRef<HTMLSpanElement>(null)
  const [visible, setVisible] = useState(false)
  const [result, setResult] = useState<ThumbResult | undefined>(() => cachedThumbnail(cacheKey))

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
    loadThumbnail({ cacheKey, profileId, key: objectKey }, controller.signal).then(setResult, () => undefined)
    return () => controller.abort()
  }, [cacheKey, profileId, objectKey, visible])

  const failed = result !== undefined && 'error' in result
  return (
    <span ref={ref} className={failed ? 'thumb failed' : 'thumb'} title={failed ? `${result.error.code}: ${result.error.message}` : undefined} data-state={result === undefined ? 'loading' : failed ? 'error' : 'ready'}>
      {result === undefined ? visible ? <Spinner label={`Loading thumbnail of ${name}`} /> : <Icon name="image" /> : failed ? <Icon name="alert" /> : <img src={result.url} alt="" decoding="async" draggable={false} />}
    </span>
  )
}
