/**
 * One preview stage: a measured area showing pictures in the shared viewport (viewport.ts) on a
 * checkerboard (transparency), zoomed with the wheel around the cursor, panned by dragging, and
 * driven from the keyboard (+ − 0 1 and the arrows). Several stages share one viewport, so side by
 * side panes zoom and pan together.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import { usePreviewView } from './viewStore'
import { boxRect, canPan, FIT, panBy, zoomAt, zoomTo, type Size } from './viewport'

export interface Rect {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

/** A picture's rectangle inside the box: contained (same centre) when its aspect differs. */
export function containedRect(box: Rect, aspect: number | undefined): Rect {
  if (!aspect || !Number.isFinite(aspect) || box.width <= 0 || box.height <= 0) return box
  const boxAspect = box.width / box.height
  if (Math.abs(boxAspect - aspect) / aspect < 0.01) return box
  const width = aspect > boxAspect ? box.width : box.height * aspect
  const height = aspect > boxAspect ? box.width / aspect : box.height
  return { left: box.left + (box.width - width) / 2, top: box.top + (box.height - height) / 2, width, height }
}

export interface Picture {
  readonly url: string
  readonly alt: string
  readonly testId: string
  /** width / height of what the picture shows; drawn contained in the box when it differs. */
  readonly aspect?: number | undefined
  /** Called once this picture is decoded and in the frame being painted (the preview's User Timing). */
  readonly onPainted?: (() => void) | undefined
}

/** A picture on its checkerboard, placed in the box. */
export function PictureLayer({ picture, box, pixelated }: { picture: Picture; box: Rect; pixelated: boolean }) {
  const rect = containedRect(box, picture.aspect)
  const image = useRef<HTMLImageElement>(null)
  const onPainted = useRef(picture.onPainted)
  onPainted.current = picture.onPainted
  useEffect(() => {
    const element = image.current
    if (!element || !onPainted.current) return
    // Loaded, then the start of the frame that paints it. Not img.decode(): that decodes at natural size, and the
    // raster decodes again at the drawn size, so every preview frame cost two JPEG decodes.
    let frame = 0
    const painted = () => {
      frame = requestAnimationFrame(() => onPainted.current?.())
    }
    if (element.complete && element.naturalWidth > 0) painted()
    else element.addEventListener('load', painted, { once: true })
    return () => {
      // A picture replaced before it was painted does not count.
      element.removeEventListener('load', painted)
      cancelAnimationFrame(frame)
    }
  }, [picture.url])
  const style = { left: rect.left, top: rect.top, width: rect.width, height: rect.height }
  return (
    <>
      <div className="vchecker" style={style} aria-hidden="true" />
      <img
        ref={image}
        className="vimage"
        src={picture.url}
        alt={picture.alt}
        data-testid={picture.testId}
        draggable={false}
        style={{ ...style, imageRendering: pixelated ? 'pixelated' : undefined }}
      />
    </>
  )
}

export interface StageProps {
  /** The output's size in output pixels (the box every picture is drawn into). */
  readonly box: Size | undefined
  readonly label: string
  readonly testId?: string
  /** Draws the pictures for the box's rectangle (stage coordinates). */
  readonly children: (rect: Rect & { scale: number }, stage: Size) => ReactNode
  /** Drawn above the pictures (labels, status, errors), not transformed. */
  readonly overlay?: ReactNode
  /** Measured size, for callers that need it (the split divider). */
  readonly onSize?: (size: Size) => void
}

const WHEEL_SPEED = 0.0015

export function Stage({ box, label, testId, children, overlay, onSize }: StageProps) {
  const ref = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState<Size>({ width: 0, height: 0 })
  const viewport = usePreviewView((s) => s.viewport)
  const setViewport = usePreviewView((s) => s.setViewport)
  const drag = useRef<{ id: number; x: number; y: number } | undefined>(undefined)
  const [dragging, setDragging] = useState(false)
  const state = useRef({ viewport, size, box })
  state.current = { viewport, size, box }

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = () => {
      const next = { width: el.clientWidth, height: el.clientHeight }
      setSize((s) => (s.width === next.width && s.height === next.height ? s : next))
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  useEffect(() => onSize?.(size), [size, onSize])

  // The wheel zooms around the cursor. A native listener: React's wheel listener is passive.
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const onWheel = (event: WheelEvent) => {
      const { viewport: vp, size: stage, box: current } = state.current
      if (!current) return
      event.preventDefault()
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaMode === 2 ? event.deltaY * stage.height : event.deltaY
      const bounds = el.getBoundingClientRect()
      const at = { x: event.clientX - bounds.left - stage.width / 2, y: event.clientY - bounds.top - stage.height / 2 }
      setViewport(zoomAt(vp, stage, current, Math.exp(-delta * WHEEL_SPEED), at))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [setViewport])

  const rect = box ? boxRect(viewport, size, box) : undefined
  const pannable = box ? canPan(viewport, size, box) : false

  return (
    <div
      ref={ref}
      className="vstage"
      data-testid={testId}
      role="group"
      aria-label={`${label}: drag to pan, wheel or + and − to zoom, 0 to fit, 1 for 1:1`}
      tabIndex={0}
      data-pannable={pannable ? 'true' : undefined}
      data-dragging={dragging ? 'true' : undefined}
      onPointerDown={(event) => {
        if (!box || !pannable || event.button !== 0) return
        if ((event.target as HTMLElement).closest('[data-no-pan]')) return
        drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY }
        event.currentTarget.setPointerCapture(event.pointerId)
        setDragging(true)
      }}
      onPointerMove={(event) => {
        const current = drag.current
        if (!current || current.id !== event.pointerId || !box) return
        const dx = event.clientX - current.x
        const dy = event.clientY - current.y
        drag.current = { ...current, x: event.clientX, y: event.clientY }
        setViewport(panBy(state.current.viewport, size, box, dx, dy))
      }}
      onPointerUp={(event) => {
        if (drag.current?.id !== event.pointerId) return
        drag.current = undefined
        setDragging(false)
      }}
      onPointerCancel={() => {
        drag.current = undefined
        setDragging(false)
      }}
      onKeyDown={(event) => {
        if (!box || event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return
        const step = event.shiftKey ? 160 : 40
        const actions: Record<string, () => void> = {
          '+': () => setViewport(zoomAt(viewport, size, box, 1.25)),
          '=': () => setViewport(zoomAt(viewport, size, box, 1.25)),
          '-': () => setViewport(zoomAt(viewport, size, box, 0.8)),
          '0': () => setViewport(FIT),
          '1': () => setViewport(zoomTo(viewport, size, box, 1)),
          ArrowLeft: () => setViewport(panBy(viewport, size, box, step, 0)),
          ArrowRight: () => setViewport(panBy(viewport, size, box, -step, 0)),
          ArrowUp: () => setViewport(panBy(viewport, size, box, 0, step)),
          ArrowDown: () => setViewport(panBy(viewport, size, box, 0, -step))
        }
        const action = actions[event.key]
        if (!action) return
        event.preventDefault()
        action()
      }}
    >
      {rect && size.width > 0 ? children(rect, size) : null}
      {overlay}
    </div>
  )
}
